"""The `selfeval` command: Flask's CLI (run, shell, db …) bound to the factory, plus our own."""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from ..config import ConfigurationError
from .area_report import area_report_command
from .backup import backup_command, restore_command
from .catalog import catalog_cli
from .demo import demo_command
from .reports import report_command, reports_command
from .rounds import rounds_cli
from .schools import schools_cli
from .users import users_cli


def _create_app():
    from ..app import create_app

    try:
        return create_app()
    except ConfigurationError as exc:
        # SystemExit passes through Flask's command loading, which prints tracebacks otherwise.
        _exit_with(exc)


def _exit_with(error: ConfigurationError) -> None:
    click.echo(f"selfeval: configuration error: {error}", err=True)
    sys.exit(1)


cli = FlaskGroup(
    name="selfeval",
    create_app=_create_app,
    load_dotenv=False,
    help="selfeval – self-evaluation of digital school development (Leitfaden Digitale Schulentwicklung).",
)
for command in (
    catalog_cli, demo_command, schools_cli, rounds_cli, users_cli, report_command, reports_command,
    backup_command, restore_command, area_report_command,
):  # fmt: skip
    cli.add_command(command)


def main() -> None:
    """Console entry point: configuration problems end with a plain message, not a traceback."""
    try:
        cli.main(prog_name="selfeval")
    except ConfigurationError as exc:
        _exit_with(exc)
