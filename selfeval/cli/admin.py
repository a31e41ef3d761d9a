"""Operator commands: schools, rounds, users and API tokens (thin wrappers over services)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..extensions import catalogs, db
from ..models import ROLES
from ..services.errors import InvalidInput, NotFound
from ..services.rounds import create_round
from ..services.schools import add_school, get_school
from ..services.users import create_user, find_user, issue_token

schools_cli = AppGroup("schools", help="Manage schools.")
rounds_cli = AppGroup("rounds", help="Manage Erhebungsrunden (rounds).")
users_cli = AppGroup("users", help="Manage accounts and API tokens.")


def _fail(problems: dict[str, str]) -> None:
    for field, message in problems.items():
        click.echo(f"error: {field}: {message}", err=True)
    db.session.rollback()
    sys.exit(1)


@schools_cli.command("add")
@click.argument("schulnummer")
@click.argument("name")
@click.option("--schulform", required=True, help="Two-digit Schulform code, e.g. 02 (Grundschule).")
@click.option("--kreis", "kreis_key", required=True, help="5-digit Kreisschlüssel, e.g. 05913 (Dortmund).")
@click.option("--ort", default="", help="Town.")
def add_school_command(schulnummer: str, name: str, schulform: str, kreis_key: str, ort: str) -> None:
    """Add a school."""
    try:
        school = add_school(schulnummer, name, schulform, kreis_key, ort)
    except InvalidInput as exc:
        _fail(exc.problems)
    db.session.commit()
    click.echo(f"added school {school.schulnummer} {school.name}")


@rounds_cli.command("create")
@click.argument("name")
def create_round_command(name: str) -> None:
    """Create an open round (e.g. 2025/26) using the active catalogue; prints its slug."""
    try:
        new_round = create_round(name, catalogs.active)
    except InvalidInput as exc:
        _fail(exc.problems)
    db.session.commit()
    click.echo(new_round.slug)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--school", "schulnummer", help="Schulnummer of the team's school (role team).")
@click.option("--leadership", is_flag=True, help="Member of the Schulleitung (role team).")
@click.option("--kreis", "kreise", multiple=True, help="Kreisschlüssel in scope (supervisor, adviser); repeatable.")
@click.option("--bezirk", "bezirke", multiple=True, help="Bezirksregierung in scope (supervisor); repeatable.")
@click.option("--schulform", "schulformen", multiple=True, help="Schulform code narrowing the scope; repeatable.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, display_name, role, schulnummer, leadership, kreise, bezirke, schulformen, password_stdin):
    """Create an account."""
    if not password_stdin:
        _fail({"password": "give it on standard input with --password-stdin (never as an argument)"})
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        school = get_school(schulnummer) if schulnummer else None
    except NotFound:
        _fail({"school": f"no school with Schulnummer {schulnummer}"})
    try:
        user = create_user(
            email, display_name, role, password, school=school, is_leadership=leadership,
            kreise=kreise, bezirke=bezirke, schulformen=schulformen,
        )  # fmt: skip
    except InvalidInput as exc:
        _fail(exc.problems)
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


@users_cli.command("token")
@click.argument("email")
def token_command(email: str) -> None:
    """Issue a new API token; it is printed once, alone on the last line."""
    user = find_user(email)
    if user is None:
        _fail({"email": f"no account {email}"})
    token = issue_token(user)
    db.session.commit()
    click.echo(f"API token for {user.email} (shown once; store it safely):")
    click.echo(token)
