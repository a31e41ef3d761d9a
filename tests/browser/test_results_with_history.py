"""The results page of a school with earlier rounds, in Chromium: the state the five journeys never reach.

Issue 16: with a previous round the table "Werte je Kriterium" has four columns and made the page 586 px wide
on a 390 px phone; the school's history adds a table and seven charts. The page must reflow at 640 px (200 %
zoom) and at 390 px, pass axe, and the HTML report of a draft must carry its mark on every printed page.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from selfeval.extensions import db
from selfeval.services.plans import replace_goals
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import PASSWORD, all_scores, make_round, make_school, make_user, rate, submitted
from tests.support.live_server import live_server

from .a11y import reflow_problems
from .scan import PHONE, Scan, Tabs
from .server import FIRST_ADMIN, prepare_database
from .steps import log_in

pytestmark = pytest.mark.browser
LEADER = "leitung@schule.test"


PLAN = [
    {
        "indicators": ["k1a"],
        "target": 9,
        "success": "Das Team Digitalisierung trifft sich monatlich mit einer festen Tagesordnung.",
        "measures": [
            {"what": "Zuständigkeiten je Kriterium festlegen", "who": "Schulleitung", "status": "erledigt"},
            {"what": "Jahresplanung der Treffen", "who": "Medienkoordination", "due": "2025-09-30", "status": "begonnen"},
        ],
    },
    {"indicators": ["k1c", "k2a"], "target": 6, "measures": [{"what": "Medienkonzept fortschreiben", "who": "Steuergruppe"}]},
]


@pytest.fixture(scope="module")
def history_server(database_url, tmp_path_factory) -> Iterator[str]:
    """School 100001 submitted 2023/24 and 2024/25 (with a plan: two goals) and has a draft of 2025/26 (k1a, k1b)."""
    folder = tmp_path_factory.mktemp("history-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            school = make_school("100001", name="Gesamtschule mit einem recht langen Namen am Stadtgarten")
            leader = make_user(LEADER, school=school, leadership=True)
            rounds = [make_round(name, is_open=False) for name in ("2023/24", "2024/25")] + [make_round("2025/26")]
            submitted(school, rounds[0], all_scores(3))
            submitted(school, rounds[1], all_scores(5) | {"k1a": 8, "k6d": 10})
            rate(school, rounds[2], leader, {"k1a": 7, "k1b": 6})
            replace_goals(school, rounds[1], leader, 0, PLAN)
            db.session.commit()
            db.engine.dispose()
        with live_server(url, folder / "instance") as server:
            yield server.url


def test_the_results_with_earlier_rounds_reflow_on_a_phone_and_a_draft_report_is_marked_on_every_page(
    browser, history_server, tmp_path
):
    tabs = Tabs(browser, history_server)
    scan = Scan(tmp_path)
    try:
        tab = tabs.open()
        page = tab.page
        # The start page lists the open draft, the current round and the archive (three rounds).
        log_in(tab, scan, LEADER, PASSWORD, lands_on="/schule")
        # The submitted round 2024/25: four columns in "Werte je Kriterium" (with 2023/24 before it).
        page.goto("/schulen/100001/2024-25/ergebnis")
        heads = page.locator("table.data-table").first.locator("thead th").all_inner_texts()
        assert [head.replace("\xad", "") for head in heads] == [  # a soft hyphen lets "Veränderung" break
            "Kriterium", "2024/25", "2023/24", "Veränderung",
        ]  # fmt: skip
        assert reflow_problems(page, PHONE["width"]) == []
        scan.page(tab, "Ergebnis mit Vorjahr", shot="ergebnis-vorjahr")
        # The draft of 2025/26: the history's charts and table, the draft mark, last year's goals followed up.
        page.goto("/schulen/100001/2025-26/ergebnis")
        assert page.locator("ul.history-charts svg[role=img]").count() == 7
        assert [" ".join(h.split()) for h in page.locator("section.follow-up li.goal-outcome h3").all_inner_texts()] == [
            "Ziel 1 noch nicht erreicht", "Ziel 2 noch nicht bewertet",
        ]  # fmt: skip
        assert reflow_problems(page, PHONE["width"]) == []
        scan.page(tab, "Ergebnis eines Entwurfs mit Verlauf und den Zielen des Vorjahres", shot="ergebnis-entwurf-verlauf")
        # The rating page: last year's goal beside k1a, its measures behind a summary that opens with the keyboard.
        page.goto("/schulen/100001/2025-26/kriterien/k1")
        note = page.locator("fieldset#k1a .goal-note")
        assert note.locator(".goal-note__head").inner_text() == "Ziel aus 2024/25: 9 (damals 8)."
        note.locator("summary").focus()
        page.keyboard.press("Enter")
        assert note.locator("li").all_inner_texts() == [
            "Zuständigkeiten je Kriterium festlegen (Schulleitung): erledigt",
            "Jahresplanung der Treffen (Medienkoordination, bis 30.09.2025): begonnen",
        ]
        assert reflow_problems(page, PHONE["width"]) == []
        scan.page(tab, "Bewertung mit den Zielen des Vorjahres", shot="bewertung-ziele-vorjahr")
        page.goto("/schulen/100001/2025-26/bericht")
        scan.page(tab, "Bericht eines Entwurfs")
        page.emulate_media(media="print")
        printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
        assert len(printed.pages) >= 3
        assert ["Entwurf – nicht abgeschlossen" in p.extract_text() for p in printed.pages] == [True] * len(printed.pages)
    finally:
        tabs.close()
