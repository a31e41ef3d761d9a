"""The area report's web page in Chromium (issue 19): a Schulträger opens it from the overview's button.

Every page is checked by scan.Scan.page (axe-core WCAG 2.0/2.1 A and AA, console, server errors, 200 % zoom);
the report is also photographed at desktop and phone width, and its reflow at 320 px is checked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from selfeval.extensions import db
from selfeval.services.offers import OfferValues, create_offer
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import PASSWORD, all_scores, make_round, make_school, make_user, rated, submitted
from tests.support.live_server import live_server

from .reading import figures, heading, path_of, rows, squeeze
from .scan import Scan, Tabs
from .server import FIRST_ADMIN, prepare_database
from .steps import log_in

pytestmark = pytest.mark.browser
TRAEGER = "schultraeger@stadt-unna.test"
UNNA = {"gemeindeschluessel": "05978036", "traeger_nummer": "978036", "traeger_name": "Stadt Unna", "rechtsform": "1"}
#: Twelve schools of Stadt Unna submitted this year (quartiles from 10 on), six the year before; indicator 1a is
#: below 4 at the first seven schools.
LEVELS = [2, 3, 4, 4, 5, 5, 6, 6, 7, 8, 8, 9]


@pytest.fixture(scope="module")
def area_server(database_url, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("area-report-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            old, current = make_round("2024/25", is_open=False), make_round("2025/26")
            for position, level in enumerate(LEVELS):
                name = f"Schule {position + 1} Unna"
                school = make_school(f"3000{position:02d}", name=name, schulform="02", kreis="05978", **UNNA)
                scores = all_scores(level) | {"k1a": 1 if position < 7 else level}
                submitted(school, current, scores)
                if position < 6:
                    submitted(school, old, all_scores(max(level - 1, 0)))
            rated(make_school("300090", name="Hauptschule Unna", kreis="05978", **UNNA), current, 2)
            make_school("300091", name="Förderschule Unna", kreis="05978", **UNNA)
            make_user(TRAEGER, "traeger", traeger=["978036"])
            create_offer(
                OfferValues("05978", "Sprechstunde Ansprechpartner", "Medienzentrum Unna", "Beratung zur Steuergruppe.",
                            url="https://medienzentrum.unna.test/sprechstunde", fits=("k1a",)),
                actor=None, catalog=app.extensions["selfeval.catalogs"], allowed_kreise=None,
            )  # fmt: skip
            db.session.commit()
            db.engine.dispose()
        with live_server(url, folder / "instance") as server:
            yield server.url


def test_a_schultraeger_opens_the_area_report_page_from_the_overview(browser, area_server, tmp_path):
    tabs, scan = Tabs(browser, area_server), Scan(tmp_path)
    try:
        tab = tabs.open()
        page = tab.page
        log_in(tab, scan, TRAEGER, PASSWORD, lands_on="/auswertung/")
        scan.page(tab, "Auswertung des Schulträgers")
        assert figures(page)["Schulen in der Auswahl"] == "14"

        page.get_by_role("link", name="als Webseite").click()
        page.wait_for_url("**/auswertung/gebietsbericht?*")
        scan.page(tab, "Gebietsbericht als Webseite", shot="gebietsbericht")
        assert (path_of(page), heading(page)) == ("/auswertung/gebietsbericht?runde=2025-26", "Stadt Unna (Trägernummer 978036)")
        assert figures(page) == {"Schulen in der Auswahl": "14", "abgeschlossen": "12", "Entwurf": "1", "nicht begonnen": "1"}
        assert [squeeze(h) for h in page.locator("main h2").all_inner_texts()] == [
            "Beteiligung", "Gesamtwert und Kriterien", "Entwicklung über die Schuljahre", "Fortbildungsbedarf",
            "Indikatoren", "Schulen",
        ]  # fmt: skip
        assert rows(page.locator("#bedarf-tabelle"))[0][1:] == ["7", "12"]
        assert rows(page.locator("table", has=page.locator("#entwicklung-caption"))) == [
            ["2024/25", "6", "2,8"],
            ["2025/26", "12", "5,5"],
        ]
        # The Medienberatung's offer for Kreis Unna stands with the state-wide ones under the weak indicator.
        offers = [squeeze(item) for item in page.locator("ul.area-offers li").all_inner_texts()]
        assert offers[-1] == "Sprechstunde Ansprechpartner – Medienzentrum Unna (regional)"
        schools = rows(page.locator("#schulen-tabelle"))
        assert (len(schools), schools[:2]) == (14, [
            ["Förderschule Unna", "300091", "Gesamtschule", "nicht begonnen", "–"],
            ["Hauptschule Unna", "300090", "Gesamtschule", "Entwurf", "–"],
        ])  # fmt: skip
        # The charts have a text alternative: a title and a description.
        assert page.locator("main svg[role=img]").count() == 2

        # The year before, six schools: means only, each line marked as a small group; the trend has one point.
        page.goto("/auswertung/gebietsbericht?runde=2024-25")
        scan.page(tab, "Gebietsbericht des Vorjahres (kleine Gruppe)")
        overall = rows(page.locator("table", has=page.locator("#kriterien-caption")))[0]
        assert overall == ["Gesamtwert", "6", "2,8", "kleine Gruppe"]
        assert rows(page.locator("table", has=page.locator("#entwicklung-caption"))) == [["2024/25", "6", "2,8"]]
    finally:
        tabs.close()
