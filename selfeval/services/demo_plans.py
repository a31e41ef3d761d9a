"""The demo's development plans (issue 18): the Demo-Gesamtschule's plan for 2024/25 with an agreement with the
Medienberatung, followed up in 2025/26 (one goal reached, one not; an open measure carried over; a new agreement
not yet confirmed), and a plan for a Grundschule outside Dortmund, with offers that fit it.

Made through the plan services with the demo's accounts, as the pages would make them (audited, validated).
"""

from __future__ import annotations

from ..catalog import Catalog
from ..models import Round, School
from .accounts import find_user
from .assessments import load_state
from .plan_agreements import confirm_agreement, record_agreement
from .plans import carry_over, load_plan, replace_goals
from .rounds import get_round
from .schools import get_school

LEADER, ADVISER = "schulleitung@demo.selfeval.de", "medienberatung@demo.selfeval.de"

#: 2024/25: k2b (3 then) aims at 5 and reaches 4; k3b (3 then) aims at 5 and reaches it.
LAST_YEAR_GOALS = [
    {
        "indicators": ["k2b"],
        "target": 5,
        "success": "Jedes Fach hat im schuleigenen Curriculum mindestens zwei verbindliche Bausteine aus dem "
        "Medienkompetenzrahmen.",
        "measures": [
            {
                "what": "Pflichtbausteine je Fach mit dem Medienkompetenzrahmen abgleichen",
                "who": "Medienkoordination", "due": "2024-12-20", "status": "erledigt", "offers": ["medienberatung-nrw"],
            },
            {
                "what": "Fachcurricula Deutsch, Englisch und Gesellschaftslehre ergänzen",
                "who": "Fachkonferenzen", "due": "2025-06-30", "status": "begonnen", "offers": ["do-fachunterricht"],
            },
        ],
    },
    {
        "indicators": ["k3b"],
        "target": 5,
        "success": "Ein Fortbildungskonzept mit jährlicher Bedarfserhebung ist von der Lehrerkonferenz beschlossen.",
        "measures": [
            {
                "what": "Fortbildungsbedarf im Kollegium erheben (Online-Umfrage)",
                "who": "Medienkoordination", "due": "2024-10-31", "status": "erledigt",
            },
            {
                "what": "Pädagogischer Tag „Unterrichten mit Tablets“",
                "who": "Schulleitung", "due": "2025-02-14", "status": "erledigt", "offers": ["kt-dortmund"],
            },
            {
                "what": "Zwei Kolleg:innen zur Qualifizierung der Medienkoordinator:innen anmelden",
                "who": "Schulleitung", "due": "2025-03-31", "status": "erledigt",
                "offers": ["medienkoordinatoren-qualifizierung"],
            },
        ],
    },
]  # fmt: skip
THIS_YEAR_GOALS = [
    {
        "indicators": ["k2d"],
        "target": 5,
        "success": "Alle Jahrgänge geben Aufgaben und Rückmeldungen über die Lernplattform.",
        "measures": [
            {
                "what": "Lernplattform in allen Klassen für Aufgaben und Rückmeldungen nutzen",
                "who": "Jahrgangsteams", "due": "2026-01-31", "status": "begonnen", "offers": ["mz-medieneinsatz"],
            },
            {"what": "Austauschrunde zu guten Beispielen", "who": "Medienkoordination", "due": "2026-04-30"},
        ],
    },
    {
        "indicators": ["k5d"],
        "target": 4,
        "success": "Eine Leitlinie für die sozialen Medien der Schule ist beschlossen und veröffentlicht.",
        "measures": [
            {
                "what": "Leitlinie mit der Datenschutzbeauftragten abstimmen",
                "who": "Schulleitung", "due": "2026-03-31", "offers": ["mz-urheberrecht-datenschutz"],
            },
        ],
    },
]  # fmt: skip
LAST_YEAR_AGREEMENT = {
    "date": "2024-11-12",
    "participants": "Schulleitung, Medienkoordination, Medienberatung",
    "text": "Schwerpunkte Curriculum (2b) und Fortbildungskonzept (3b); die Medienberatung begleitet den Abgleich mit "
    "dem Medienkompetenzrahmen und vermittelt den Pädagogischen Tag.",
    "next_contact": "2025-03-04",
}
THIS_YEAR_AGREEMENT = {
    "date": "2025-11-18",
    "participants": "Schulleitung, Medienkoordination, Medienberatung",
    "text": "Das Curriculum (2b) bleibt Schwerpunkt; neu: Lernplattform im Unterricht (2d) und eine Social-Media-Leitlinie "
    "(5d). Die Medienberatung schickt Beispiele anderer Gesamtschulen.",
    "next_contact": "2026-02-10",
}
#: A Grundschule in Bochum (outside Dortmund): a plan for 2025/26 with offers that fit a Grundschule there.
GRUNDSCHULE = "199022"
GRUNDSCHULE_GOALS = [
    {
        "indicators": ["k3b"],
        "success": "Ein Fortbildungsplan für das Kollegium steht.",
        "measures": [
            {
                "what": "Medienkoordination qualifizieren", "who": "Schulleitung", "due": "2026-06-30",
                "offers": ["medienkoordinatoren-qualifizierung"],
            },
        ],
    },
    {
        "indicators": ["k6d"],
        "success": "Die Kinder lernen mit LOGINEO NRW und der Bildungsmediathek selbstständig.",
        "measures": [
            {
                "what": "LOGINEO NRW LMS in den Klassen 3 und 4 einführen", "who": "Medienkoordination",
                "due": "2026-05-31", "status": "begonnen", "offers": ["logineo-nrw", "bildungsmediathek-nrw"],
            },
        ],
    },
]  # fmt: skip


def add_demo_plans(catalog: Catalog) -> None:
    """Called once by demo._build, after the schools, accounts and assessments exist."""
    leader, adviser = find_user(LEADER), find_user(ADVISER)
    if leader is None or adviser is None:
        raise LookupError("the demo's accounts are made before its plans")
    school, last_year, this_year = get_school("199001"), get_round("2024-25"), get_round("2025-26")
    replace_goals(school, last_year, leader, 0, LAST_YEAR_GOALS)
    agreed = record_agreement(school, last_year, adviser, LAST_YEAR_AGREEMENT)
    confirm_agreement(school, last_year, leader, agreed.id)
    state = replace_goals(school, this_year, leader, 0, THIS_YEAR_GOALS)
    carry_over(school, this_year, leader, state.version)
    record_agreement(school, this_year, adviser, THIS_YEAR_AGREEMENT)
    _grundschule_plan(catalog, get_school(GRUNDSCHULE), this_year)


def _grundschule_plan(catalog: Catalog, school: School, round_: Round) -> None:
    """Targets two points above what the school rated (its scores are the demo's invented ones)."""
    state = load_state(school, round_)
    goals = []
    for goal in GRUNDSCHULE_GOALS:
        rated = state.rating(str(goal["indicators"][0])).score or 0
        goals.append(goal | {"target": min(rated + 2, catalog.scale.max)})
    member = find_user(f"team-{school.schulnummer}@demo.selfeval.de")
    if member is None:
        raise LookupError("the demo's area teams are made before its plans")
    replace_goals(school, round_, member, load_plan(school, round_).version, goals)
