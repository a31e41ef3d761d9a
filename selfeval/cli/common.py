"""What every command does alike: say what went wrong on standard error and exit with status 1."""

from __future__ import annotations

import sys
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """`error: MESSAGE` on standard error, exit status 1; a command's writes are rolled back (in_one_transaction)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def fail_with(problems: dict[str, str]) -> NoReturn:
    """One `error: FIELD: MESSAGE` line per problem (a service's InvalidInput), exit status 1."""
    for field, message in problems.items():
        click.echo(f"error: {field}: {message}", err=True)
    sys.exit(1)
