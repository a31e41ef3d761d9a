"""The demo's team of four that rates "erst einzeln, dann gemeinsam" (issue 21), in the current school year.

All four members have finished their own sheets, so the consensus phase is open: the spread shows where they
disagree (the Informatik teacher sees the equipment far better than the Deutsch teacher, and so on), and the team has
set the consensus for criteria 1 to 4 in a first meeting; criteria 5 and 6 are still to be discussed.
Made through the same services the pages use, like the rest of the demo.
"""

from __future__ import annotations

from ..catalog import Catalog
from ..models import Round, User
from ..vocabulary import INDIVIDUAL_PHASE
from . import assessments
from .accounts import create_user
from .consensus import phase as phases
from .consensus import sheets
from .demo_area import traeger_of
from .rating_input import parse_rating_changes
from .schools import add_school

TEAM_SCHOOL = ("199033", "Demo-Realschule Dortmund-Mengede", "10", "05913", "Dortmund")
#: (e-mail, name, Schulleitung, own sheet: one score per indicator in catalogue order, k1a … k6d)
MEMBERS = (
    ("realschule@demo.selfeval.de", "Claudia Wagner", True,
     [7, 6, 5, 6, 5, 6, 4, 5, 6, 4, 5, 7, 6, 7, 5, 4, 5, 3, 4, 6, 7, 5, 6]),
    ("informatik@demo.selfeval.de", "Tobias Schmitz", False,
     [6, 5, 4, 5, 4, 2, 4, 4, 5, 3, 4, 6, 6, 3, 5, 3, 4, 3, 3, 8, 9, 6, 7]),
    ("deutsch@demo.selfeval.de", "Fatma Demir", False,
     [6, 6, 5, 5, 5, 7, 5, 4, 5, 4, 6, 6, 5, 7, 4, 7, 5, 4, 4, 4, 4, 4, 5]),
    ("medien@demo.selfeval.de", "Olena Kovalenko", False,
     [7, 5, 5, 6, 5, 5, 3, 5, 6, 5, 5, 7, 6, 5, 5, 3, 4, 3, 3, 6, 6, 5, 6]),
)  # fmt: skip
#: Comments on the own sheets (member index, indicator index, text).
SHEET_COMMENTS = (
    (1, 20, "Die Tablets der Jahrgänge 7 und 8 laufen zuverlässig; das Netz reicht inzwischen für ganze Klassen."),
    (2, 20, "In meinen Räumen im Altbau bricht das WLAN regelmäßig ab, mit ganzen Klassen kaum nutzbar."),
    (1, 5, "Digitale Werkzeuge werden vor allem in Informatik genutzt, kaum in den anderen Fächern."),
    (2, 5, "In Deutsch und Englisch arbeiten wir längst mit digitalen Schreibkonferenzen."),
)
#: The consensus of the first meeting for criteria 1 to 4 (k1a … k4d): the median, changed consciously for k2b and k4c.
CONSENSUS = [7, 6, 5, 6, 5, 4, 4, 5, 6, 4, 5, 7, 6, 5, 5]
CONSENSUS_COMMENTS = {
    5: "Nach Diskussion: Einzelne Fächer sind weit, in der Breite fehlt es noch. Wir nehmen 4 statt des Medians 5,5.",
    13: "Die Vertretungsplanung ist digital, die Kommunikation mit Eltern noch nicht. Bewusst 5 statt des Medians 6.",
}


def add_team_of_four(catalog: Catalog, this_year: Round, password: str) -> list[User]:
    """The school, its four members, their finished sheets and the consensus so far."""
    number, name, schulform, kreis, ort = TEAM_SCHOOL
    school = add_school(number, name, schulform, kreis, ort, **traeger_of(number, schulform, ort))
    members = [
        create_user(email, display_name, "team", password, school=school, is_leadership=leads)
        for email, display_name, leads, _ in MEMBERS
    ]
    leader = members[0]
    version = assessments.load_state(school, this_year).version
    phases.set_phase(school, this_year, leader, version, INDIVIDUAL_PHASE, phases.TeamOptions(spread_in_report=True))
    indicators = catalog.indicators
    for position, (member, (_, _, _, scores)) in enumerate(zip(members, MEMBERS, strict=True)):
        comments = {i: comment for who, i, comment in SHEET_COMMENTS if who == position}
        raw = {indicators[i].id: {"score": score, **({"comment": comments[i]} if i in comments else {})}
               for i, score in enumerate(scores)}  # fmt: skip
        sheets.save_sheet(school, this_year, member, 0, parse_rating_changes(catalog, raw))
        sheets.finish_sheet(school, this_year, member)  # the fourth opens the consensus phase
    raw = {indicators[i].id: {"score": score, **({"comment": CONSENSUS_COMMENTS[i]} if i in CONSENSUS_COMMENTS else {})}
           for i, score in enumerate(CONSENSUS)}  # fmt: skip
    version = assessments.load_state(school, this_year).version
    assessments.save_ratings(school, this_year, leader, version, parse_rating_changes(catalog, raw))
    return members

