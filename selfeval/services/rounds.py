"""Erhebungsrunden: create, delete, find, and which one is current or previous.

A round is a school year, named "2026/27". Rounds are ordered by the school year, never by the
order in which they were created: an admin who adds 2024/25 after 2025/26 (to record last year
late) does not change which round is "the previous one".
"""

from __future__ import annotations

import re

from sqlalchemy import delete, func, select

from ..catalog import Catalog
from ..database import changed_rows
from ..extensions import db
from ..models import Assessment, Round, User
from . import audit
from .catalog_snapshots import record_snapshot
from .errors import InvalidInput, NotFound, ServiceError

#: Earliest and latest first year of a school year a round may have ("2000/01" … "2098/99").
FIRST_YEAR, LAST_YEAR = 2000, 2098
_SCHOOL_YEAR = re.compile(r"(\d{4})/(\d{2})")
#: Something that looks like a school year in another spelling, to suggest the right one.
_LOOKS_LIKE = re.compile(r"(\d{4})\s*[/\-–]\s*(\d{4}|\d{2})")
_EXAMPLE = "Bitte geben Sie das Schuljahr in der Form JJJJ/JJ an, z. B. 2026/27."


class RoundNotEmpty(ServiceError):
    """A round that holds assessments cannot be deleted."""


def school_year_name(first_year: int) -> str:
    """2026 -> "2026/27"."""
    return f"{first_year}/{(first_year + 1) % 100:02d}"


def parse_school_year(name: str) -> int:
    """The first year of the school year `name` ("2026/27" -> 2026); InvalidInput with a clear message otherwise.

    Only the one spelling is accepted (surrounding spaces aside), so that every round looks the
    same on every page, report and export; other spellings are refused with the right one named.
    """
    text = name.strip()
    if any(ord(character) < 32 or 127 <= ord(character) < 160 for character in text):
        raise InvalidInput({"name": f"Der Name enthält Steuerzeichen (etwa aus einer Kopie). {_EXAMPLE}"})
    match = _SCHOOL_YEAR.fullmatch(text)
    if match is None:
        raise InvalidInput({"name": _not_a_school_year(text)})
    first, second = int(match.group(1)), int(match.group(2))
    if second != (first + 1) % 100:
        suggestion = school_year_name(first)
        raise InvalidInput({"name": f"„{text}“ ist kein Schuljahr: Auf {first} folgt {first + 1}. Meinen Sie {suggestion}?"})
    if not FIRST_YEAR <= first <= LAST_YEAR:
        raise InvalidInput(
            {"name": f"Bitte ein Schuljahr von {school_year_name(FIRST_YEAR)} bis {school_year_name(LAST_YEAR)} angeben."}
        )
    return first


def _not_a_school_year(text: str) -> str:
    shown = text if len(text) <= 40 else text[:40] + "…"
    looks_like = _LOOKS_LIKE.search(text)
    if looks_like is not None and FIRST_YEAR <= int(looks_like.group(1)) <= LAST_YEAR:
        suggestion = school_year_name(int(looks_like.group(1)))
        return f"„{shown}“ ist nicht in der Form JJJJ/JJ. Meinen Sie {suggestion}? {_EXAMPLE}"
    return f"„{shown}“ ist kein Schuljahr. {_EXAMPLE}"


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(name: str) -> str:
    """ "2025/26" -> "2025-26": how a round's name becomes its slug (also for rounds stored with other names)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().translate(_UMLAUTS)).strip("-")


def slug_of(first_year: int) -> str:
    """2026 -> "2026-27", the round's part of every address."""
    return slugify(school_year_name(first_year))


def create_round(name: str, catalog: Catalog, *, actor: User | None = None) -> Round:
    """A new, open round for the school year `name` ("2026/27") with this catalogue version."""
    year = parse_school_year(name)
    name, slug = school_year_name(year), slug_of(year)
    taken = db.session.scalars(
        select(Round).where((Round.school_year == year) | (Round.name == name) | (Round.slug == slug))
    ).first()
    if taken is not None:
        raise InvalidInput({"name": _exists_message(taken.name, taken.slug)})
    snapshot = record_snapshot(catalog)
    new_round = Round(name=name, slug=slug, school_year=year, is_open=True, catalog_snapshot=snapshot)
    db.session.add(new_round)
    db.session.flush()
    changes = {"name": [None, name], "catalog": [None, f"{catalog.id} {catalog.version}"]}
    audit.record("round.created", actor=actor, subject=name, round_=new_round, changes=changes)
    return new_round


def created_meanwhile_message(name: str) -> str:
    """The form error when another request created the same round in the same moment (its INSERT or commit failed).

    That round was made by create_round too, so its name and slug are the canonical ones for `name`.
    """
    year = parse_school_year(name)
    return _exists_message(school_year_name(year), slug_of(year))


def _exists_message(name: str, slug: str) -> str:
    return f"Die Erhebungsrunde {name} (Kurzname {slug}) gibt es schon."


def assessment_count(round_: Round) -> int:
    return db.session.scalar(select(func.count()).select_from(Assessment).where(Assessment.round_id == round_.id)) or 0


def delete_round(round_: Round, *, actor: User | None) -> None:
    """Delete a round that holds no assessment (a typo, a round made too early); the caller commits.

    The round's row is locked first, so a team that starts its draft in this very moment either
    finishes first (and the round is kept: RoundNotEmpty) or waits and then finds no round; the
    assessments' ON DELETE CASCADE can never take a draft with it. The trail keeps the entry.
    """
    locked = db.session.scalars(select(Round).where(Round.id == round_.id).with_for_update()).one_or_none()
    if locked is None:
        raise NotFound(f"Erhebungsrunde {round_.slug} nicht gefunden")
    count = assessment_count(locked)
    if count:
        raise RoundNotEmpty(not_empty_message(locked.name, count))
    name = locked.name
    audit.record("round.deleted", actor=actor, subject=name, changes={"name": [name, None]})
    # One statement that re-checks emptiness, in case a draft was inserted without waiting on the lock (SQLite).
    gone = changed_rows(
        db.session,
        delete(Round)
        .where(Round.id == locked.id, ~select(Assessment.id).where(Assessment.round_id == locked.id).exists())
        .execution_options(synchronize_session=False),
    )
    if gone != 1:
        raise RoundNotEmpty(f"Die Erhebungsrunde {name} kann nicht gelöscht werden: Eine Schule hat gerade darin begonnen.")
    db.session.expunge(locked)


def not_empty_message(name: str, count: int) -> str:
    schools = "1 Schule hat" if count == 1 else f"{count} Schulen haben"
    return f"Die Erhebungsrunde {name} kann nicht gelöscht werden: {schools} darin schon bewertet. Sie können sie schließen."


def set_round_open(round_: Round, is_open: bool, *, actor: User | None) -> bool:
    """Open or close a round; True if that changed anything.

    A closed round keeps its data: drafts become read-only and nobody can submit or reopen
    (services.assessments checks `is_open`); reports and analytics still work.
    """
    if round_.is_open == is_open:
        return False
    round_.is_open = is_open
    action = "round.opened" if is_open else "round.closed"
    audit.record(action, actor=actor, subject=round_.name, round_=round_, changes={"is_open": [not is_open, is_open]})
    db.session.flush()
    return True


def open_drafts(round_: Round) -> int:
    """How many schools have a draft in this round (what closing the round makes read-only)."""
    query = select(func.count()).select_from(Assessment).where(Assessment.round_id == round_.id, Assessment.status == "draft")
    return db.session.scalar(query) or 0


def get_round(slug: str) -> Round:
    found = db.session.scalars(select(Round).filter_by(slug=slug)).one_or_none()
    if found is None:
        raise NotFound(f"Erhebungsrunde {slug} nicht gefunden")
    return found


def chronological():
    """ORDER BY terms, oldest school year first; rounds without one (stored before names had to be
    school years) come before all others, in the order they were created."""
    return (Round.school_year.is_not(None), Round.school_year, Round.created_at, Round.id)


def all_rounds() -> list[Round]:
    """Oldest school year first."""
    return list(db.session.scalars(select(Round).order_by(*chronological())))


def current_round() -> Round | None:
    """The open round of the latest school year, else the round of the latest school year."""
    return current_of(all_rounds())


def current_of(rounds: list[Round]) -> Round | None:
    """`current_round` among `rounds` (oldest school year first), for a caller that has read them already."""
    open_rounds = [r for r in rounds if r.is_open]
    if open_rounds:
        return open_rounds[-1]
    return rounds[-1] if rounds else None


def previous_round(of: Round) -> Round | None:
    """The round of the latest school year before `of`'s; None if there is none.

    A round without a school year (an old, free-text name) has no previous round and is no
    round's previous one: its place in time is unknown.
    """
    if of.school_year is None:
        return None
    query = select(Round).where(Round.school_year < of.school_year).order_by(Round.school_year.desc()).limit(1)
    return db.session.scalars(query).first()
