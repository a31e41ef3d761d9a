"""`selfeval rounds create|delete|close|open`: Erhebungsrunden (thin wrappers over services.rounds)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from ..extensions import catalogs, db
from ..services.errors import InvalidInput, NotFound
from ..services.rounds import RoundNotEmpty, create_round, created_meanwhile_message, delete_round, get_round, set_round_open
from ..unit_of_work import in_one_transaction
from .common import fail_with

rounds_cli = AppGroup("rounds", help="Manage Erhebungsrunden (rounds).")


@rounds_cli.command("create")
@click.argument("name")
@in_one_transaction
def create_round_command(name: str) -> None:
    """Create an open round for a school year, named YYYY/YY (e.g. 2025/26), using the active catalogue; prints its slug."""
    try:
        slug = create_round(name, catalogs.active).slug
        db.session.flush()  # the unique name: a round another process created meanwhile is refused here
    except InvalidInput as exc:
        fail_with(exc.problems)
    except IntegrityError:  # another process created the same round in the same moment
        fail_with({"name": created_meanwhile_message(name)})
    click.echo(slug)


@rounds_cli.command("delete")
@click.argument("slug")
@in_one_transaction
def delete_round_command(slug: str) -> None:
    """Delete a round in which no school has rated yet (a round with assessments can only be closed)."""
    try:
        round_ = get_round(slug)
        name = round_.name
        delete_round(round_, actor=None)
    except NotFound:
        fail_with({"round": f"no round {slug}"})
    except RoundNotEmpty as exc:
        fail_with({"round": str(exc)})
    click.echo(f"round {name} deleted")


@rounds_cli.command("close")
@click.argument("slug")
@in_one_transaction
def close_round_command(slug: str) -> None:
    """Close a round: drafts become read-only, nothing can be submitted or reopened."""
    _set_open(slug, False)


@rounds_cli.command("open")
@click.argument("slug")
@in_one_transaction
def open_round_command(slug: str) -> None:
    """Open a closed round again."""
    _set_open(slug, True)


def _set_open(slug: str, is_open: bool) -> None:
    try:
        round_ = get_round(slug)
    except NotFound:
        fail_with({"round": f"no round {slug}"})
    changed = set_round_open(round_, is_open, actor=None)
    state = "open" if is_open else "closed"
    click.echo(f"round {round_.name} is now {state}" if changed else f"round {round_.name} was {state} already")
