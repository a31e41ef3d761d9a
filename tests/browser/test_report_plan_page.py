"""The report page of a school with a plan (issue 18), in Chromium: the Entwicklungsschwerpunkte with their tables
pass axe, reflow on a phone and come after "Auf einen Blick" and before the details; a state the journeys never reach.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from selfeval.extensions import db
from selfeval.services.plan_agreements import record_agreement
from selfeval.services.plans import replace_goals
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import PASSWORD, all_scores, make_round, make_school, make_user, submitted
from tests.support.live_server import live_server

from .a11y import reflow_problems
from .scan import PHONE, Scan, Tabs
from .server import FIRST_ADMIN, prepare_database
from .steps import log_in

pytestmark = pytest.mark.browser
LEADER = "leitung@schule.test"
GOALS = [
    {"indicators": ["k1a", "k1b"], "target": 5, "success": "Das Team Digitalisierung trifft sich monatlich.",
     "measures": [
         {"what": "Team Digitalisierung einrichten", "who": "Schulleitung", "due": "2026-02-28", "status": "erledigt",
          "offers": ["medienberater-region"]},
         {"what": "Aufgaben im Team verteilen und im Medienkonzept festhalten", "who": "Fachkonferenzvorsitzende",
          "due": "2026-04-30", "status": "begonnen"},
     ]},
    {"indicators": ["k3b"], "target": 6, "measures": [{"what": "Fortbildungsbedarf erheben", "who": "Medienkoordination"}]},
]  # fmt: skip


@pytest.fixture(scope="module")
def plan_server(database_url, tmp_path_factory) -> Iterator[str]:
    """School 100001 in Dortmund submitted 2024/25 (with a plan) and 2025/26 (with a plan and an agreement)."""
    folder = tmp_path_factory.mktemp("plan-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            school = make_school("100001", name="Gesamtschule am Stadtgarten", kreis="05913")
            leader = make_user(LEADER, school=school, leadership=True)
            adviser = make_user("berater@kommune.test", "adviser", kreise=["05913"])
            old, new = make_round("2024/25", is_open=False), make_round("2025/26")
            submitted(school, old, all_scores(3))
            submitted(school, new, all_scores(6) | {"k1a": 2, "k1b": 3, "k3b": 4})
            replace_goals(school, old, leader, 0, GOALS[1:])
            replace_goals(school, new, leader, 0, GOALS)
            talk = {"date": "2025-11-20", "participants": "Schulleitung, Medienberatung", "next_contact": "2026-01-15",
                    "text": "Pädagogischer Tag im Februar.\nBeratung zum Medienkonzept im März."}  # fmt: skip
            record_agreement(school, new, adviser, talk)
            db.session.commit()
            db.engine.dispose()
        with live_server(url, folder / "instance") as server:
            yield server.url


def test_the_report_page_with_a_plan_passes_axe_and_reflows(browser, plan_server, tmp_path):
    tabs = Tabs(browser, plan_server)
    scan = Scan(tmp_path)
    try:
        tab = tabs.open()
        page = tab.page
        log_in(tab, scan, LEADER, PASSWORD, lands_on="/schule")
        page.goto("/schulen/100001/2025-26/bericht")
        headings = page.locator("article h2").all_inner_texts()
        assert headings.index("Auf einen Blick") < headings.index("Entwicklungsschwerpunkte") < headings.index(
            "Ergebnisse je Kriterium"
        )
        assert page.locator("section.report-plan h3").all_inner_texts() == [
            "Schwerpunkt 1: 1a, 1b", "Schwerpunkt 2: 3b", "Ziele aus dem Schuljahr 2024/25: Ziel und Ergebnis",
            "Vereinbarungen mit der Medienberatung",
        ]  # fmt: skip
        assert reflow_problems(page, PHONE["width"]) == []
        scan.page(tab, "Bericht mit Entwicklungsschwerpunkten", shot="bericht-plan")
    finally:
        tabs.close()
