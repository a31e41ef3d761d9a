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


def round_named(value: str):
    """The round with this name (2025/26) or slug (2025-26); else a plain error."""
    from ..services.errors import NotFound
    from ..services.rounds import get_round, slugify

    try:
        return get_round(slugify(value))
    except NotFound:
        fail(f'unknown round "{value}"; give its name (2025/26) or slug (2025-26)')
