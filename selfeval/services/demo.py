"""Demo content for `selfeval demo`: schools, a team of two, a team of four, three school years, real assessments.

Everything is made through the same services the app uses, so the demo obeys every rule.
Names and Schulnummern are invented ("Demo-…") and must never be mistaken for real schools.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Catalog
from ..models import User
from . import assessments
from .accounts import create_user, deactivate_user, issue_password_link
from .catalog_snapshots import record_snapshot
from .demo_area import add_area_schools, add_kreis_offers, traeger_of
from .demo_plans import add_demo_plans
from .demo_team import MEMBERS, add_team_of_four
from .rating_input import parse_rating_changes
from .rounds import create_round, set_round_open
from .schools import add_school, find_school

DEMO_PASSWORD = "selfeval-demo"  # noqa: S105 - printed for the demo on purpose  # nosec B105
DEMO_SCHOOL = "199001"

#: Per indicator (in catalogue order): the score two years ago, last year's and this year's, this year's comment.
_EARLIEST = [5, 3, 3, 4, 3, 2, 4, 1, 3, 3, 4, 5, 4, 3, 2, 4, 2, 4, 2, 3, 5, 3, 2]
_PREVIOUS = [6, 4, 3, 5, 4, 3, 5, 2, 4, 3, 5, 6, 5, 4, 3, 4, 3, 5, 2, 5, 6, 4, 3]
_CURRENT = [8, 6, 4, 6, 5, 4, 6, 3, 6, 5, 7, 7, 6, 6, 4, 5, 4, 6, 3, 7, 7, 6, 5]
_COMMENTS = {
    0: "Team Digitalisierung mit der Schulleitung und fünf Fachvertretungen seit 2023.",
    1: "Medienkonzept 2024 von der Schulkonferenz beschlossen; Fortschreibung jährlich im Juni.",
    7: "Nur Informatik und Mathematik haben bisher Pflichtelemente im Curriculum.",
    10: "Hospitationsring „Digital unterrichten“ mit acht Kolleginnen und Kollegen.",
    18: "Kooperationen noch punktuell (Stadtbibliothek, ein IT-Betrieb).",
    19: "WLAN in allen Unterrichtsräumen; Turnhalle und Aula fehlen noch.",
}


@dataclass(frozen=True)
class DemoSummary:
    catalog_title: str
    catalog_version: str
    logins: tuple[tuple[str, str, str], ...]  # (e-mail, password, who)


LOGINS = (
    ("schulleitung@demo.selfeval.de", DEMO_PASSWORD, "Team, Schulleitung (Demo-Gesamtschule)"),
    ("lehrkraft@demo.selfeval.de", DEMO_PASSWORD, "Team, Lehrkraft (Demo-Gesamtschule)"),
    ("grundschule@demo.selfeval.de", DEMO_PASSWORD, "Team (Demo-Grundschule, Entwurf)"),
    ("schulaufsicht@demo.selfeval.de", DEMO_PASSWORD, "Schulaufsicht Dortmund (nur lesen)"),
    ("gymnasien@demo.selfeval.de", DEMO_PASSWORD, "Schulaufsicht Gymnasien, Bezirksregierung Arnsberg"),
    ("medienberatung@demo.selfeval.de", DEMO_PASSWORD, "Medienberatung Dortmund und Bochum"),
    ("verwaltung@demo.selfeval.de", DEMO_PASSWORD, "Verwaltung (alle Schulen)"),
    ("schultraeger@demo.selfeval.de", DEMO_PASSWORD, "Schulträger Stadt Unna (Kreis Unna)"),
    # The team of four that rates "erst einzeln, dann gemeinsam" (demo_team.py), in the consensus phase.
    (MEMBERS[0][0], DEMO_PASSWORD, "Team zu viert, Schulleitung (Demo-Realschule, Konsensphase)"),
    (MEMBERS[1][0], DEMO_PASSWORD, "Team zu viert, Informatik (Demo-Realschule)"),
    (MEMBERS[2][0], DEMO_PASSWORD, "Team zu viert, Deutsch (Demo-Realschule)"),
    (MEMBERS[3][0], DEMO_PASSWORD, "Team zu viert, Medienbeauftragte (Demo-Realschule)"),
)
#: The Trägernummer of the Stadt Unna in the demo (demo_area.traeger_of: a town's schools carry its AGS).
UNNA = "05978036"


def load_demo_content(catalog: Catalog) -> DemoSummary:
    """Idempotent: a second call on the same database adds nothing."""
    record_snapshot(catalog)
    if find_school(DEMO_SCHOOL) is None:
        _build(catalog)
    return DemoSummary(catalog.title, catalog.version, LOGINS)


def _build(catalog: Catalog) -> None:
    dortmund = traeger_of(DEMO_SCHOOL, "15", "Dortmund")
    gesamtschule = add_school(DEMO_SCHOOL, "Demo-Gesamtschule Dortmund-Nord", "15", "05913", "Dortmund", **dortmund)
    grundschule = add_school("199002", "Demo-Grundschule am Phoenixsee", "02", "05913", "Dortmund", **dortmund)
    leader = create_user(LOGINS[0][0], "Ayşe Yılmaz", "team", DEMO_PASSWORD, school=gesamtschule, is_leadership=True)
    teacher = create_user(LOGINS[1][0], "Jan Becker", "team", DEMO_PASSWORD, school=gesamtschule)
    primary = create_user(LOGINS[2][0], "Łukasz Nowak", "team", DEMO_PASSWORD, school=grundschule)
    create_user(LOGINS[3][0], "Dr. Petra Schulte", "supervisor", DEMO_PASSWORD, kreise=["05913"])
    create_user(LOGINS[4][0], "Markus Hoffmann", "supervisor", DEMO_PASSWORD, bezirke=["Arnsberg"], schulformen=["20"])
    adviser = create_user(LOGINS[5][0], "Şebnem Kaya", "adviser", DEMO_PASSWORD, kreise=["05913", "05911"])
    create_user(LOGINS[6][0], "Verwaltung selfeval", "admin", DEMO_PASSWORD)
    create_user(LOGINS[7][0], "Schulverwaltungsamt Unna", "traeger", DEMO_PASSWORD, traeger=[UNNA])
    # For the admin pages: an invitation not yet taken up, and a colleague who left the team.
    invited = create_user("einladung@demo.selfeval.de", "Nina Neumann", "team", None, school=grundschule)
    issue_password_link(invited, "invite", actor=None)
    former = create_user("ehemalig@demo.selfeval.de", "Peter Alt", "team", DEMO_PASSWORD, school=gesamtschule)
    deactivate_user(former, actor=None)

    # Three school years, so that the results and the supervision show a development.
    earlier = create_round("2023/24", catalog)
    _rate(gesamtschule, earlier, [(leader, _EARLIEST)], catalog, {})
    assessments.submit(gesamtschule, earlier, leader, assessments.load_state(gesamtschule, earlier).version)
    set_round_open(earlier, False, actor=None)

    last_year = create_round("2024/25", catalog)
    _rate(gesamtschule, last_year, [(leader, _PREVIOUS)], catalog, {})
    assessments.submit(gesamtschule, last_year, leader, assessments.load_state(gesamtschule, last_year).version)
    set_round_open(last_year, False, actor=None)

    this_year = create_round("2025/26", catalog)
    # The two team members share the work: the Schulleitung rates criteria 1–3, the teacher the rest.
    half = sum(len(c.indicators) for c in catalog.criteria[:3])
    _rate(gesamtschule, this_year, [(leader, _CURRENT[:half]), (teacher, [None] * half + _CURRENT[half:])], catalog, _COMMENTS)
    assessments.submit(gesamtschule, this_year, teacher, assessments.load_state(gesamtschule, this_year).version)
    _rate(grundschule, this_year, [(primary, [5, 3, 2, 4, 3, 2, 4, 2, 3, 2, 4, 5, 4, 3])], catalog, {})
    add_area_schools(catalog, earlier, last_year, this_year)
    add_team_of_four(catalog, this_year, DEMO_PASSWORD)
    add_kreis_offers(catalog, adviser)
    add_demo_plans(catalog)


def _rate(school, round_, shares: list[tuple[User, list]], catalog: Catalog, comments: dict[int, str]) -> None:
    indicators = catalog.indicators
    for user, scores in shares:
        raw = {
            indicators[i].id: {"score": score, **({"comment": comments[i]} if i in comments else {})}
            for i, score in enumerate(scores)
            if score is not None
        }
        version = assessments.load_state(school, round_).version
        assessments.save_ratings(school, round_, user, version, parse_rating_changes(catalog, raw))
