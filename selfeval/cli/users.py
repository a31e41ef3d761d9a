"""`selfeval users …`: accounts and their API tokens (thin wrappers over the account services)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from ..models import User
from ..roles import ROLES
from ..services import accounts
from ..services.accounts import create_user, find_user, issue_token, privacy
from ..services.errors import InvalidInput, NotFound
from ..services.schools import get_school
from ..unit_of_work import in_one_transaction
from .backup import write_atomically
from .common import fail, fail_with

users_cli = AppGroup("users", help="Manage accounts and API tokens.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--school", "schulnummer", help="Schulnummer of the team's school (role team).")
@click.option("--leadership", is_flag=True, help="Member of the Schulleitung (role team).")
@click.option("--kreis", "kreise", multiple=True, help="Kreisschlüssel in scope (supervisor, adviser); repeatable.")
@click.option(
    "--traeger", "traeger", multiple=True, metavar="NR", help="Trägernummer in scope (traeger, supervisor); repeatable."
)
@click.option("--bezirk", "bezirke", multiple=True, help="Bezirksregierung in scope (supervisor); repeatable.")
@click.option("--schulform", "schulformen", multiple=True, help="Schulform code narrowing the scope; repeatable.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--invite", is_flag=True, help="No password: print a one-time link (72 hours) for its owner to set one.")
@in_one_transaction
def create_user_command(
    email, display_name, role, schulnummer, leadership, kreise, traeger, bezirke, schulformen, password_stdin, invite
):
    """Create an account, with a password from standard input or as an invitation (--invite)."""
    if password_stdin == invite:
        how = "give it on standard input with --password-stdin (never as an argument), or use --invite"
        fail_with({"password": how})
    if invite:
        _require_base_url()
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        school = get_school(schulnummer) if schulnummer else None
    except NotFound:
        fail_with({"school": f"no school with Schulnummer {schulnummer}"})
    try:
        user = create_user(
            email, display_name, role, password, school=school, is_leadership=leadership,
            kreise=kreise, bezirke=bezirke, schulformen=schulformen, traeger=traeger,
        )  # fmt: skip
    except InvalidInput as exc:
        fail_with(exc.problems)
    link = accounts.issue_password_link(user, "invite", actor=None) if invite else None
    click.echo(f"created {user.role} {user.email}")
    if link is not None:
        _echo_link(link)


@users_cli.command("import")
@click.argument("file", type=click.File("rb"))
@in_one_transaction
def import_command(file) -> None:
    """Create and invite team accounts from a CSV: Schulnummer;E-Mail;Name;Schulleitung (ja/nein); all or nothing.

    Prints one one-time link per account (72 hours), or every wrong row by its line (then nothing is created).
    """
    from ..services.accounts.bulk import InvitationFileError, InvitationRowsRefused, invite_team_members, read_invitations

    _require_base_url()
    try:
        invitees = read_invitations(file.read())
    except InvitationFileError as exc:
        fail(f"{file.name}: {exc}")
    except InvitationRowsRefused as exc:
        for problem in exc.problems:
            click.echo(f"error: {file.name}, line {problem.line}: {problem.reason}", err=True)
        fail(f"{len(exc.problems)} wrong row(s); no account was created")
    for invited in invite_team_members(invitees, actor=None):
        click.echo(f"created team {invited.user.email}")
        if invited.link is not None:
            _echo_link(invited.link)


@users_cli.command("token")
@click.argument("email")
@in_one_transaction
def token_command(email: str) -> None:
    """Issue a new API token; it is printed once, alone on the last line."""
    user = find_user(email)
    if user is None:
        fail_with({"email": f"no account {email}"})
    token = issue_token(user)
    click.echo(f"API token for {user.email} (shown once; store it safely):")
    click.echo(token)


@users_cli.command("invite")
@click.argument("email")
@in_one_transaction
def invite_command(email: str) -> None:
    """Print a new one-time link to set the password (72 hours); earlier links stop working."""
    _echo_link(_new_link(email, "invite"))


@users_cli.command("reset-password")
@click.argument("email")
@in_one_transaction
def reset_password_command(email: str) -> None:
    """Print a one-time link to set a new password (72 hours); the old password works until then."""
    _echo_link(_new_link(email, "reset"))


def _new_link(email: str, purpose: str) -> accounts.IssuedLink:
    _require_base_url()
    user = _existing_user(email)
    try:
        link = accounts.issue_password_link(user, purpose, actor=None)
    except InvalidInput as exc:
        fail_with(exc.problems)
    return link


def _require_base_url() -> None:
    """No link without the site's address, unless this is a test or debug run (then localhost)."""
    if not (current_app.config["SELFEVAL_BASE_URL"] or current_app.testing or current_app.debug):
        fail_with({"SELFEVAL_BASE_URL": "not set, so the link would not know the site's address; "
                   "set it to the address people open, e.g. https://selfeval.example.org"})  # fmt: skip


def _echo_link(link: accounts.IssuedLink) -> None:
    """The link is printed once; only its hash is stored."""
    base = current_app.config["SELFEVAL_BASE_URL"]
    with current_app.test_request_context(base_url=base or "http://localhost:5000"):
        url = url_for("auth.set_password", token=link.token, _external=True)
    click.echo(f"one-time link to set the password, valid until {link.expires_at:%Y-%m-%d %H:%M} UTC:")
    click.echo(url)
    if not base:
        click.echo("(set SELFEVAL_BASE_URL to the site's address, e.g. https://selfeval.example.org)", err=True)


@users_cli.command("deactivate")
@click.argument("email")
@in_one_transaction
def deactivate_command(email: str) -> None:
    """Deactivate an account: no log-in, sessions and API tokens end at once; its data stay."""
    user = _existing_user(email)
    was_active = user.active
    try:
        accounts.deactivate_user(user, actor=None)
    except InvalidInput as exc:
        fail_with(exc.problems)
    click.echo(f"deactivated {user.email}" if was_active else f"{user.email} was deactivated already")


@users_cli.command("reactivate")
@click.argument("email")
@in_one_transaction
def reactivate_command(email: str) -> None:
    """Allow log-in again (with the old password); API tokens must be issued anew."""
    user = _existing_user(email)
    was_active = user.active
    accounts.reactivate_user(user, actor=None)
    click.echo(f"{user.email} is active already" if was_active else f"reactivated {user.email}")


@users_cli.command("export")
@click.argument("email")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: standard output).")
@in_one_transaction
def export_command(email: str, output: str | None) -> None:
    """Everything stored about one account, as JSON (DSGVO Art. 15)."""
    user = _existing_user(email)
    document = privacy.export_user(user, actor=None)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomically(Path(output), [text])  # mode 600: personal data, for the operator only
        except OSError as exc:
            fail_with({"output": f"cannot write {output}: {exc.strerror or exc}"})
        click.echo(f"wrote the data of {user.email} to {output}", err=True)


@users_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Confirm: this cannot be undone.")
@in_one_transaction
def erase_command(email: str, yes: bool) -> None:
    """Delete an account (DSGVO Art. 17); its ratings stay, the author becomes "Gelöschtes Konto"."""
    user = _existing_user(email)
    if not yes:
        fail_with({"confirm": f"erasing {user.email} cannot be undone; repeat with --yes"})
    try:
        counts = privacy.erase_user(user, actor=None)
    except InvalidInput as exc:
        fail_with(exc.problems)
    click.echo(
        f"erased {email.strip().lower()}: {counts['ratings']} ratings, {counts['submissions']} submissions, "
        f"{counts['agreements']} agreements and {counts['audit_entries']} audit entries now name \"Gelöschtes Konto\""
    )


def _existing_user(email: str) -> User:
    user = find_user(email)
    if user is None:
        fail_with({"email": f"no account {email}"})
    return user
