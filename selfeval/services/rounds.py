"""Erhebungsrunden: create, find, and which one is current or previous."""

from __future__ import annotations

import re

from sqlalchemy import select

from ..catalog import Catalog
from ..extensions import db
from ..models import Round, User
from . import audit
from .catalog_snapshots import record_snapshot
from .errors import InvalidInput, NotFound
from .text_rules import has_control_characters

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(name: str) -> str:
    """ "2025/26" -> "2025-26": lowercase letters, digits and single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().translate(_UMLAUTS)).strip("-")


def create_round(name: str, catalog: Catalog, *, actor: User | None = None) -> Round:
    """A new, open round that uses this catalogue version for all its assessments."""
    if has_control_characters(name):  # before the spaces are tidied: split() takes some of them for spaces
        raise InvalidInput({"name": "Der Name enthält unzulässige Steuerzeichen."})
    name = " ".join(name.split())
    slug = slugify(name)
    if not slug or len(name) > 40:
        raise InvalidInput(
            {"name": f"„{name}“ ist kein brauchbarer Name für eine Erhebungsrunde (z. B. 2025/26, höchstens 40 Zeichen)."}
        )
    taken = db.session.scalars(select(Round).where((Round.name == name) | (Round.slug == slug))).first()
    if taken is not None:
        raise InvalidInput({"name": f"Die Erhebungsrunde {taken.name} (Kurzname {taken.slug}) gibt es schon."})
    snapshot = record_snapshot(catalog)
    new_round = Round(name=name, slug=slug, is_open=True, catalog_snapshot=snapshot)
    db.session.add(new_round)
    db.session.flush()
    changes = {"name": [None, name], "catalog": [None, f"{catalog.id} {catalog.version}"]}
    audit.record("round.created", actor=actor, subject=name, round_=new_round, changes=changes)
    return new_round


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


def get_round(slug: str) -> Round:
    found = db.session.scalars(select(Round).filter_by(slug=slug)).one_or_none()
    if found is None:
        raise NotFound(f"Erhebungsrunde {slug} nicht gefunden")
    return found


def all_rounds() -> list[Round]:
    """Oldest first."""
    return list(db.session.scalars(select(Round).order_by(Round.created_at, Round.id)))


def current_round() -> Round | None:
    """The newest open round, else the newest round."""
    rounds = all_rounds()
    open_rounds = [r for r in rounds if r.is_open]
    return (open_rounds or rounds or [None])[-1]


def previous_round(of: Round) -> Round | None:
    rounds = all_rounds()
    index = next(i for i, r in enumerate(rounds) if r.id == of.id)
    return rounds[index - 1] if index > 0 else None
