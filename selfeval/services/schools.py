"""Schools: add, change, search and look up (the directory import is in school_import)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypedDict, Unpack

from sqlalchemy import func, or_, select, true

from ..directory import TRAEGERNUMMER
from ..extensions import db
from ..limits import CONTROL_CHARACTERS, MAX_ORT_LENGTH, MAX_SCHOOL_NAME_LENGTH
from ..models import Membership, Round, School, User
from ..reference import RECHTSFORMEN, SCHULFORMEN, kreis, unknown_kreis_message
from ..reference import kreise as all_kreise
from ..roles import BEZIRK, KREIS, SCHULFORM, SCHULTRAEGER, SCOPED_ROLES, SUPERVISOR, TRAEGER
from . import audit
from .errors import InvalidInput, NotFound
from .paging import Page, paginate

SCHULNUMMER = re.compile(r"[0-9]{6}")
GEMEINDESCHLUESSEL = re.compile(r"[0-9]{8}")
#: What a school has besides its directory core: all optional, all in the directory import too.
TRAEGER_FIELDS = ("gemeindeschluessel", "traeger_nummer", "traeger_name", "rechtsform")


class TraegerFields(TypedDict, total=False):
    """The optional school fields (TRAEGER_FIELDS) as keyword arguments; "" or None: unknown (or: keep, on update)."""

    gemeindeschluessel: str | None
    traeger_nummer: str | None
    traeger_name: str | None
    rechtsform: str | None


def add_school(
    schulnummer: str,
    name: str,
    schulform: str,
    kreis_key: str,
    ort: str = "",
    *,
    actor: User | None = None,
    **traeger: Unpack[TraegerFields],
) -> School:
    """A new school; InvalidInput names every wrong value. `traeger`: the optional TRAEGER_FIELDS ("" or None: unknown)."""
    schulnummer, name, ort = schulnummer.strip(), " ".join(name.split()), ort.strip()
    problems: dict[str, str] = {}
    if not SCHULNUMMER.fullmatch(schulnummer):
        problems["schulnummer"] = f"Die Schulnummer „{schulnummer}“ hat nicht 6 Ziffern."
    elif find_school(schulnummer) is not None:
        problems["schulnummer"] = f"Es gibt schon eine Schule mit der Schulnummer {schulnummer}."
    problems.update(_school_problems(name, schulform, kreis_key, ort, current_schulform=None))
    extra = _traeger_values({key: traeger.get(key) for key in TRAEGER_FIELDS}, kreis_key, problems)
    if problems:
        raise InvalidInput(problems)
    school = School(schulnummer=schulnummer, name=name, schulform=schulform, kreis=kreis_key, ort=ort, **extra)
    db.session.add(school)
    db.session.flush()
    audit.record("school.created", actor=actor, subject=schulnummer, school=school, changes=audit.diff({}, school_fields(school)))
    return school


def update_school(
    school: School, *, actor: User | None, name: str, schulform: str, kreis_key: str, ort: str, **traeger: Unpack[TraegerFields]
) -> bool:
    """Change a school's directory data; True if anything changed. The Schulnummer never changes.

    `traeger`: any of TRAEGER_FIELDS; one left out (or None) keeps its value, "" empties it.
    """
    name, ort = " ".join(name.split()), ort.strip()
    problems = _school_problems(name, schulform, kreis_key, ort, current_schulform=school.schulform)
    given = {key: traeger.get(key) for key in TRAEGER_FIELDS}
    kept = {key: getattr(school, key) if given[key] is None else given[key] for key in TRAEGER_FIELDS}
    extra = _traeger_values(kept, kreis_key, problems)
    if problems:
        raise InvalidInput(problems)
    before = school_fields(school)
    school.name, school.schulform, school.kreis, school.ort = name, schulform, kreis_key, ort
    for key, value in extra.items():
        setattr(school, key, value)
    changes = audit.diff(before, school_fields(school))
    if changes:
        audit.record("school.updated", actor=actor, subject=school.schulnummer, school=school, changes=changes)
    db.session.flush()
    return bool(changes)


def school_fields(school: School) -> dict[str, str | None]:
    return {
        "name": school.name, "schulform": school.schulform, "kreis": school.kreis, "ort": school.ort,
        **{key: getattr(school, key) for key in TRAEGER_FIELDS},
    }  # fmt: skip


def _traeger_values(values: Mapping[str, object], kreis_key: str, problems: dict[str, str]) -> dict[str, str | None]:
    """The Gemeindeschlüssel, Schulträger and Rechtsform checked (problems added), "" as None."""
    cleaned = {key: (" ".join(str(values.get(key) or "").split()) or None) for key in TRAEGER_FIELDS}
    gemeinde, nummer, name = cleaned["gemeindeschluessel"], cleaned["traeger_nummer"], cleaned["traeger_name"]
    if gemeinde is not None and not GEMEINDESCHLUESSEL.fullmatch(gemeinde):
        problems["gemeindeschluessel"] = f"Der Gemeindeschlüssel „{gemeinde[:20]}“ hat nicht 8 Ziffern (z. B. 05978036)."
    elif gemeinde is not None and gemeinde[:5] != kreis_key:
        problems["gemeindeschluessel"] = (
            f"Der Gemeindeschlüssel {gemeinde} liegt nicht im gewählten Kreis: seine ersten fünf Ziffern sind der "
            f"Kreisschlüssel ({gemeinde[:5]})."
        )
    if nummer is not None and not TRAEGERNUMMER.fullmatch(nummer):
        problems["traeger_nummer"] = f"Die Trägernummer „{nummer[:20]}“ besteht nicht aus höchstens 10 Ziffern."
    if name is not None and len(name) > 200:
        problems["traeger_name"] = "Der Name des Schulträgers darf höchstens 200 Zeichen lang sein."
    elif name is not None and CONTROL_CHARACTERS.search(name):
        problems["traeger_name"] = "Der Name des Schulträgers enthält unzulässige Steuerzeichen."
    if cleaned["rechtsform"] is not None and cleaned["rechtsform"] not in RECHTSFORMEN:
        problems["rechtsform"] = "Bitte wählen Sie die Rechtsform aus der Liste (öffentlich oder privat)."
    return cleaned


def _school_problems(name: str, schulform: str, kreis_key: str, ort: str, current_schulform: str | None) -> dict[str, str]:
    """An unknown Schulform code that the directory import brought in may stay as it is."""
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Bitte geben Sie den Namen der Schule an."
    elif len(name) > MAX_SCHOOL_NAME_LENGTH:
        problems["name"] = f"Der Name darf höchstens {MAX_SCHOOL_NAME_LENGTH} Zeichen lang sein."
    elif CONTROL_CHARACTERS.search(name):
        problems["name"] = "Der Name enthält unzulässige Steuerzeichen."
    if schulform not in SCHULFORMEN and schulform != current_schulform:
        known = ", ".join(f"{code} {label}" for code, label in SCHULFORMEN.items())
        problems["schulform"] = f"Unbekannte Schulform „{schulform}“; bekannt sind: {known}."
    if kreis(kreis_key) is None:
        problems["kreis"] = unknown_kreis_message(kreis_key)
    if len(ort) > MAX_ORT_LENGTH:
        problems["ort"] = f"Der Ort darf höchstens {MAX_ORT_LENGTH} Zeichen lang sein."
    elif CONTROL_CHARACTERS.search(ort):
        problems["ort"] = "Der Ort enthält unzulässige Steuerzeichen."
    return problems


def find_school(schulnummer: str) -> School | None:
    return db.session.scalars(select(School).filter_by(schulnummer=schulnummer)).one_or_none()


def get_school(schulnummer: str) -> School:
    school = find_school(schulnummer)
    if school is None:
        raise NotFound(f"Schule {schulnummer} nicht gefunden")
    return school


def get_school_and_round(schulnummer: str, round_slug: str) -> tuple[School, Round]:
    """Both in one statement (every assessment page needs both); NotFound names the school first, then the round."""
    query = select(School, Round).select_from(School).outerjoin(Round, Round.slug == round_slug)
    row = db.session.execute(query.where(School.schulnummer == schulnummer)).one_or_none()
    if row is None:
        raise NotFound(f"Schule {schulnummer} nicht gefunden")
    if row.Round is None:
        raise NotFound(f"Erhebungsrunde {round_slug} nicht gefunden")
    return row.School, row.Round
def traeger_name(traeger_nummer: str) -> str:
    """The Schulträger's name as a school of this Trägernummer gives it ("" if none does)."""
    query = select(School.traeger_name).where(School.traeger_nummer == traeger_nummer, School.traeger_name.is_not(None))
    return db.session.scalars(query.limit(1)).first() or ""


def schools_visible_to(user: User) -> list[School]:
    """The schools a user may see, by Schulnummer (the same rule as permissions.can_view_assessment)."""
    condition = visibility_condition(user)
    if condition is None:
        return []
    return list(db.session.scalars(select(School).where(condition).order_by(School.schulnummer)))


def schools_page_visible_to(user: User, offset: int, limit: int) -> tuple[list[School], int]:
    """`limit` of the schools `user` may see from `offset` on, by Schulnummer, and how many there are in all.

    Two statements however many schools there are.
    """
    condition = visibility_condition(user)
    if condition is None:
        return [], 0
    total = db.session.scalar(select(func.count()).select_from(School).where(condition)) or 0
    query = select(School).where(condition).order_by(School.schulnummer).offset(offset).limit(limit)
    return list(db.session.scalars(query)), total


def visibility_condition(user: User):
    """A WHERE clause on School selecting what `user` may see, or None when that is nothing."""
    if not user.active:
        return None
    if user.role == "admin":
        return true()
    if user.role == "team":
        return School.id.in_(select(Membership.school_id).where(Membership.user_id == user.id))
    if user.role in SCOPED_ROLES:
        return _scope_condition(user)
    return None


def _scope_condition(user: User):
    """The SQL of permissions.is_in_scope: the same rule, for lists and statistics."""
    kreise = {s.value for s in user.scopes if s.kind == KREIS}
    traeger = {s.value for s in user.scopes if s.kind == SCHULTRAEGER}
    if user.role == TRAEGER:
        return School.traeger_nummer.in_(traeger)
    if user.role == SUPERVISOR:
        bezirke = {s.value for s in user.scopes if s.kind == BEZIRK}
        kreise |= {k.key for k in all_kreise().values() if k.bezirksregierung in bezirke}
        area = or_(School.kreis.in_(kreise), School.traeger_nummer.in_(traeger))
        schulformen = {s.value for s in user.scopes if s.kind == SCHULFORM}
        if schulformen:
            return area & School.schulform.in_(schulformen)
        return area
    return School.kreis.in_(kreise)


def search_schools(text: str = "", kreis_key: str = "", schulform: str = "", page: int = 1, per_page: int = 50) -> Page[School]:
    """Schools by Schulnummer, name or Ort (part), Kreis and Schulform; by Schulnummer."""
    query = select(School)
    if text.strip():
        pattern = text.strip()
        query = query.where(
            or_(
                School.schulnummer.startswith(pattern, autoescape=True),
                School.name.icontains(pattern, autoescape=True),
                School.ort.icontains(pattern, autoescape=True),
            )
        )
    if kreis_key:
        query = query.where(School.kreis == kreis_key)
    if schulform:
        query = query.where(School.schulform == schulform)
    return paginate(query.order_by(School.schulnummer), page, per_page)
