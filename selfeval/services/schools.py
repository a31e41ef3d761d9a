"""Schools: add and look up."""

from __future__ import annotations

import re

from sqlalchemy import select, true

from ..extensions import db
from ..models import Membership, School, User
from ..reference import SCHULFORMEN, kreis, unknown_kreis_message
from ..reference import kreise as all_kreise
from .errors import InvalidInput, NotFound

SCHULNUMMER = re.compile(r"[0-9]{6}")


def add_school(schulnummer: str, name: str, schulform: str, kreis_key: str, ort: str = "") -> School:
    """A new school; InvalidInput names every wrong value."""
    problems: dict[str, str] = {}
    schulnummer, name, ort = schulnummer.strip(), " ".join(name.split()), ort.strip()
    if not SCHULNUMMER.fullmatch(schulnummer):
        problems["schulnummer"] = f"Die Schulnummer „{schulnummer}“ hat nicht 6 Ziffern."
    elif find_school(schulnummer) is not None:
        problems["schulnummer"] = f"Es gibt schon eine Schule mit der Schulnummer {schulnummer}."
    if not name:
        problems["name"] = "Bitte geben Sie den Namen der Schule an."
    elif len(name) > 300:
        problems["name"] = "Der Name darf höchstens 300 Zeichen lang sein."
    if schulform not in SCHULFORMEN:
        known = ", ".join(f"{code} {label}" for code, label in SCHULFORMEN.items())
        problems["schulform"] = f"Unbekannte Schulform „{schulform}“; bekannt sind: {known}."
    if kreis(kreis_key) is None:
        problems["kreis"] = unknown_kreis_message(kreis_key)
    if len(ort) > 120:
        problems["ort"] = "Der Ort darf höchstens 120 Zeichen lang sein."
    if problems:
        raise InvalidInput(problems)
    school = School(schulnummer=schulnummer, name=name, schulform=schulform, kreis=kreis_key, ort=ort)
    db.session.add(school)
    db.session.flush()
    return school


def find_school(schulnummer: str) -> School | None:
    return db.session.scalars(select(School).filter_by(schulnummer=schulnummer)).one_or_none()


def get_school(schulnummer: str) -> School:
    school = find_school(schulnummer)
    if school is None:
        raise NotFound(f"Schule {schulnummer} nicht gefunden")
    return school


def schools_visible_to(user: User) -> list[School]:
    """The schools a user may see, by Schulnummer (the same rule as permissions.can_view_assessment)."""
    condition = visibility_condition(user)
    if condition is None:
        return []
    return list(db.session.scalars(select(School).where(condition).order_by(School.schulnummer)))


def visibility_condition(user: User):
    """A WHERE clause on School selecting what `user` may see, or None when that is nothing."""
    if not user.active:
        return None
    if user.role == "admin":
        return true()
    if user.role == "team":
        return School.id.in_(select(Membership.school_id).where(Membership.user_id == user.id))
    if user.role in ("supervisor", "adviser"):
        return _scope_condition(user)
    return None


def _scope_condition(user: User):
    kreise = {s.value for s in user.scopes if s.kind == "kreis"}
    if user.role == "supervisor":
        bezirke = {s.value for s in user.scopes if s.kind == "bezirk"}
        kreise |= {k.key for k in all_kreise().values() if k.bezirksregierung in bezirke}
        schulformen = {s.value for s in user.scopes if s.kind == "schulform"}
        if schulformen:
            return School.kreis.in_(kreise) & School.schulform.in_(schulformen)
    return School.kreis.in_(kreise)
