"""The area report of a round for a selection of schools (Schulträger, Kreis, Bezirk, Schulform): its content.

The figures come from the same frames as the supervision overview (services.analytics), limited to what the
reader may see; the small-group rule is applied in selfeval.reports.area. Single schools' overall scores are in
the report only when the reader may open every listed school's results (permissions.can_view_assessment).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..display import local_date
from ..extensions import catalogs as registry
from ..extensions import db
from ..models import Round, School, User
from ..models.types import utcnow
from ..permissions import can_view_assessment
from ..reference import kreis, kreis_name, schulform_label
from ..reports.area import AreaInput, AreaReport, build_area_report
from ..scoring import aggregate
from .analytics import Selection, round_catalog, scope_schools, submitted_scores
from .offers import database_offer_list
from .rounds import all_rounds


def rounds_until(round_: Round) -> list[Round]:
    """Every round in school-year order up to `round_` (a trend ends with the round it is about)."""
    if round_.school_year is None:
        return [other for other in all_rounds() if other.school_year is None and other.id <= round_.id] or [round_]
    return [other for other in all_rounds() if other.school_year is None or other.school_year <= round_.school_year]


def area_report(
    user: User | None, round_: Round, selection: Selection, *, with_schools: bool | None = None, today: date | None = None
) -> AreaReport:
    """The report as `user` may read it (None: the operator, who decides with `with_schools`)."""
    catalog = round_catalog(round_)
    scope = scope_schools(user, round_)
    schools = selection.schools_in(scope)
    indicator_scores = submitted_scores(round_, schools)
    history = []
    for other in rounds_until(round_):
        chosen = schools if other.id == round_.id else selection.schools_in(scope_schools(user, other))
        history.append((other.name, aggregate.criterion_scores(submitted_scores(other, chosen), round_catalog(other))))
    source = AreaInput(
        area=area_name(schools, selection),
        filters=_filter_words(schools, selection),
        round_name=round_.name,
        created_on=today or local_date(utcnow()),
        catalog=catalog,
        schools=schools,
        indicator_scores=indicator_scores,
        criterion_scores=aggregate.criterion_scores(indicator_scores, catalog),
        history=history,
        # The Medienberatungen's offers of their Kreise too, as in a school's report (services.reports).
        offer_lists=(*registry.offer_lists, database_offer_list(registry.active.id)),
        show_schools=may_see_schools(user, schools) if user is not None else bool(with_schools),
    )
    return build_area_report(source)


def may_see_schools(user: User, schools) -> bool:
    """Whether `user` may open the results of every school of the frame (then single schools' values may be shown)."""
    ids = [int(value) for value in schools["school_id"]]
    found = db.session.scalars(select(School).where(School.id.in_(ids))).all() if ids else []
    return all(can_view_assessment(user, school) for school in found)


def _traeger_names(schools, selection: Selection) -> list[str]:
    names = []
    for nummer in selection.traeger:
        known = schools.loc[schools["traeger_nummer"] == nummer, "traeger_name"].dropna()
        name = known.iloc[0] if len(known) else "Schulträger"
        names.append(f"{name} (Trägernummer {nummer})")
    return names


def area_name(schools, selection: Selection) -> str:
    """The area in a few words, the most specific filter first: Schulträger, Kreis, Bezirksregierung, Schulform."""
    if selection.traeger:
        return ", ".join(_traeger_names(schools, selection))
    if selection.kreise:
        return ", ".join(_kreis_words(key) for key in selection.kreise)
    if selection.bezirke:
        return ", ".join(f"Bezirksregierung {name}" for name in selection.bezirke)
    if selection.schulformen:
        return ", ".join(schulform_label(code) for code in selection.schulformen)
    return _common_area(schools) or "alle Schulen"


def _common_area(schools) -> str:
    """Without a filter, what all the reader's schools share: one Schulträger (a Schulträger's own report), else one
    Kreis; "" when they share neither."""
    if not len(schools):
        return ""
    traeger = schools["traeger_nummer"]
    if traeger.notna().all() and traeger.nunique() == 1:
        return _traeger_names(schools, Selection(traeger=(str(traeger.iloc[0]),)))[0]
    if schools["kreis"].nunique() == 1:
        return _kreis_words(str(schools["kreis"].iloc[0]))
    return ""


def _kreis_words(key: str) -> str:
    """"Kreisfreie Stadt Dortmund", "Kreis Unna"."""
    found = kreis(key)
    if found is None:
        return key
    if found.kind == "kreisfreie Stadt":
        return f"Kreisfreie Stadt {found.name}"
    return found.name if "kreis" in found.name.casefold() else f"Kreis {found.name}"  # "Märkischer Kreis", "Kreis Unna"


def _filter_words(schools, selection: Selection) -> tuple[str, ...]:
    words = []
    if selection.traeger:
        words.append("Schulträger: " + ", ".join(_traeger_names(schools, selection)))
    if selection.kreise:
        words.append("Kreis: " + ", ".join(f"{kreis_name(key)} ({key})" for key in selection.kreise))
    if selection.bezirke:
        words.append("Bezirksregierung: " + ", ".join(selection.bezirke))
    if selection.schulformen:
        words.append("Schulform: " + ", ".join(schulform_label(code) for code in selection.schulformen))
    return tuple(words) or ("keine Auswahl: alle Schulen, die Sie sehen dürfen",)


def area_filename(round_: Round, selection: Selection, extension: str) -> str:
    """e.g. gebietsbericht-2025-26-traeger-05978036.pdf"""
    return f"gebietsbericht-{round_.slug}{selection_suffix(selection)}.{extension}"


def selection_suffix(selection: Selection) -> str:
    """The filter in a file name: "-kreis-05913", "-traeger-05978036-schulform-02"; "" for none."""
    parts = []
    for word, values in (("traeger", selection.traeger), ("kreis", selection.kreise), ("schulform", selection.schulformen)):
        if values:
            parts.append(f"{word}-" + "-".join(values))
    if selection.bezirke:
        parts.append("bezirk-" + "-".join(_ascii(name) for name in selection.bezirke))
    suffix = "-".join(parts)
    return f"-{suffix}" if suffix else ""


def _ascii(name: str) -> str:
    return name.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ß", "ss").replace(" ", "-")
