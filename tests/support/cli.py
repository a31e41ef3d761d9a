"""Running `selfeval ARGS` in-process against a test app (one copy; the `runner` fixture in tests/conftest.py binds it
to the test's app)."""

from __future__ import annotations

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from selfeval.cli import cli


def run(app: Flask, *args: str, input: str | bytes | None = None) -> Result:
    """Invoke `selfeval ARGS` against `app`; unexpected exceptions propagate, tracebacks never print."""
    result = CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app), input=input, catch_exceptions=False)
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    return result


def outcome(result: Result) -> tuple[int, str, str]:
    """Exit code, standard output and standard error: what a test compares exactly."""
    return result.exit_code, result.stdout, result.stderr


class Runner:
    """`runner(*args)` runs `selfeval ARGS` against the test's app; `runner.outcome(*args)` gives (exit code, out, err)."""

    def __init__(self, app: Flask):
        self.app = app

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result:
        return run(self.app, *args, input=input)

    def outcome(self, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
        return outcome(self(*args, input=input))
