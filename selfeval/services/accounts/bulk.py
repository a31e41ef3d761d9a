"""Team accounts for a whole area at once: a CSV (Schulnummer;E-Mail;Name;Schulleitung), all or nothing.

Every row is checked before anything is written; one wrong row refuses the file, and the refusal names each
wrong row by its line, as the directory import does. Accepted, every account is created and invited in the
caller's transaction (the request's unit of work, or `users import`'s).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, select

from ...directory import RowProblem
from ...extensions import db
from ...models import School, User
from ...roles import TEAM
from ..errors import ServiceError
from .create import create_user
from .links import IssuedLink, issue_password_link
from .rules import identity_problems, normalized_identity

HEADER = ("Schulnummer", "E-Mail", "Name", "Schulleitung")
YES, NO = {"ja", "j", "yes", "1", "x"}, {"nein", "n", "no", "0", ""}
#: Rows one file may hold: a Kreis has a few hundred schools, each with a handful of team members.
MAX_ROWS = 5000


class InvitationFileError(ServiceError):
    """The file as a whole cannot be read (not UTF-8, no header, too long); nothing was written."""


class InvitationRowsRefused(ServiceError):
    """Rows with mistakes: `problems` names each by its line; nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} Zeile(n) fehlerhaft; es wurde kein Konto angelegt.")


@dataclass(frozen=True)
class Invitee:
    line: int
    school: School
    email: str
    display_name: str
    is_leadership: bool


@dataclass(frozen=True)
class Invited:
    user: User
    link: IssuedLink | None  # None when links cannot be made (no site address): the accounts are kept


def read_invitations(data: bytes) -> list[Invitee]:
    """The file's rows, each checked; InvitationFileError or InvitationRowsRefused before anything is written."""
    rows = _rows(data)
    schools = _schools({row[0].strip() for _, row in rows})
    taken = _taken({normalized_identity(row[1], "")[0] for _, row in rows if len(row) > 1})
    invitees: list[Invitee] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}  # e-mail address -> the line that first names it
    for line, row in rows:
        invitee, problem = _invitee(line, row, schools, taken, seen)
        if problem:
            problems.append(RowProblem(line, problem))
        elif invitee is not None:
            invitees.append(invitee)
    if problems:
        raise InvitationRowsRefused(problems)
    if not invitees:
        raise InvitationFileError("Die Datei enthält keine Zeile mit einem Teammitglied.")
    return invitees


def invite_team_members(invitees: list[Invitee], *, actor: User | None, with_links: bool = True) -> list[Invited]:
    """Create and invite every checked row (audited like a single account); flushes, the caller commits."""
    invited = []
    for invitee in invitees:
        user = create_user(
            invitee.email, invitee.display_name, TEAM, None,
            actor=actor, school=invitee.school, is_leadership=invitee.is_leadership,
        )  # fmt: skip
        link = issue_password_link(user, "invite", actor=actor) if with_links else None
        invited.append(Invited(user, link))
    return invited


def _rows(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvitationFileError("Die Datei ist nicht in UTF-8 gespeichert (in Excel: „CSV UTF-8“ wählen).") from None
    lines = text.splitlines()
    if lines and lines[0].strip().lower().startswith("sep="):
        lines = lines[1:]
        offset = 2
    else:
        offset = 1
    records = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=";"))
    if not records or [cell.strip() for cell in records[0]][:4] != list(HEADER):
        raise InvitationFileError(f"Die erste Zeile muss die Spalten {';'.join(HEADER)} nennen (getrennt durch Semikolon).")
    if len(records) - 1 > MAX_ROWS:
        raise InvitationFileError(f"Die Datei hat mehr als {MAX_ROWS} Zeilen; bitte teilen Sie sie auf.")
    return [(number + offset, record) for number, record in enumerate(records) if number > 0 and any(c.strip() for c in record)]


def _schools(numbers: set[str]) -> dict[str, School]:
    return {school.schulnummer: school for school in db.session.scalars(select(School).where(School.schulnummer.in_(numbers)))}


def _taken(emails: set[str]) -> set[str]:
    return set(db.session.scalars(select(func.lower(User.email)).where(func.lower(User.email).in_(emails))))


def _invitee(
    line: int, row: list[str], schools: dict[str, School], taken: set[str], seen: dict[str, int]
) -> tuple[Invitee | None, str]:
    if len(row) < 4:
        return None, f"Die Zeile hat {len(row)} statt 4 Spalten (Schulnummer;E-Mail;Name;Schulleitung)."
    schulnummer, leadership = row[0].strip(), row[3].strip().lower()
    email, name = normalized_identity(row[1], row[2])
    problems = list(identity_problems(email, name).values())
    school = schools.get(schulnummer)
    if school is None:
        problems.insert(0, f"Es gibt keine Schule mit der Schulnummer „{schulnummer[:10]}“.")
    if email in taken:
        problems.append(f"Es gibt schon ein Konto für {email}.")
    elif email in seen:
        problems.append(f"{email} steht schon in Zeile {seen[email]}.")
    if leadership not in YES | NO:
        problems.append(f"Schulleitung „{leadership[:10]}“: bitte „ja“ oder „nein“.")
    seen.setdefault(email, line)
    if problems or school is None:
        return None, " ".join(problems)
    return Invitee(line, school, email, name, leadership in YES), ""
