"""The offers of the Kreise in Chromium: a Medienberatung adds an offer for its Kreis with the keyboard alone, meets
the form's messages without losing what it typed, and finds the offer in the report of a school of its Kreis.

Every page is checked by scan.Scan.page (axe-core WCAG 2.0/2.1 A and AA, console, server errors, 200 % zoom);
the focus must be visible on every kind of element the Tab key reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from selfeval.extensions import db
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import PASSWORD, all_scores, make_round, make_school, make_user, submitted
from tests.support.live_server import live_server

from .keyboard import FocusAudit, active_element, button, field_named, link, link_starting, tab_to
from .reading import flashes, heading, path_of, rows
from .scan import Scan, Tab, Tabs
from .server import FIRST_ADMIN, prepare_database
from .steps import log_in

pytestmark = pytest.mark.browser
ADVISER = "medienberatung@mz-bochum.test"
TITLE = "Sprechstunde Medienkonzept Bochum"


@pytest.fixture(scope="module")
def offers_server(database_url, tmp_path_factory) -> Iterator[str]:
    """A Medienberatung for Bochum, and a Bochum Grundschule whose weakest indicators are 1b and 1c."""
    folder = tmp_path_factory.mktemp("offers-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            school = make_school("100002", schulform="02", kreis="05911", name="Grundschule Bochum")
            submitted(school, make_round("2025/26"), all_scores(8) | {"k1b": 1, "k1c": 1, "k2a": 2})
            make_user(ADVISER, "adviser", kreise=["05911"])
            db.session.commit()
            db.engine.dispose()
        with live_server(url, folder / "instance") as server:
            yield server.url


def type_into(page, audit: FocusAudit, name: str, value: str) -> None:
    tab_to(page, field_named(name), f"the field {name}", audit)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def test_a_medienberatung_adds_an_offer_with_the_keyboard_and_finds_it_in_the_report(browser, offers_server, tmp_path):
    tabs, scan, audit = Tabs(browser, offers_server), Scan(tmp_path), FocusAudit()
    try:
        tab = tabs.open()
        page = tab.page
        log_in(tab, scan, ADVISER, PASSWORD, lands_on="/auswertung/")
        tab_to(page, link("Angebote"), "the navigation's Angebote", audit)
        page.keyboard.press("Enter")
        page.wait_for_url("**/angebote/")
        scan.page(tab, "Angebote der Kreise, leer")
        assert heading(page) == "Angebote der Kreise"

        tab_to(page, link("Neues Angebot"), "Neues Angebot", audit)
        page.keyboard.press("Enter")
        page.wait_for_url("**/angebote/neu")
        scan.page(tab, "Neues Angebot")
        # Bochum is the adviser's only Kreis: it is chosen already.
        assert page.locator("#kreis").input_value() == "05911"
        type_into(page, audit, "title", TITLE)
        type_into(page, audit, "provider", "Medienzentrum Bochum")
        type_into(page, audit, "description", "Jeden ersten Mittwoch berät das Medienzentrum zum Medienkonzept.")
        type_into(page, audit, "contact", "Telefon 0234 000000")
        type_into(page, audit, "url", "medienzentrum.bochum.test")
        tab_to(page, button("Angebot anlegen"), "the save button", audit)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        scan.page(tab, "Neues Angebot mit Fehlern")

        # The summary has the focus; what was typed is still there.
        assert active_element(page)["id"] == "fehler"
        assert page.locator("#fehler li").all_inner_texts() == [
            "Webadresse: Bitte geben Sie eine vollständige Webadresse an, die mit https:// oder http:// beginnt.",
            "Passt zu diesen Indikatoren und Kriterien: Bitte wählen Sie mindestens einen Indikator oder ein Kriterium, "
            "zu dem das Angebot passt.",
        ]
        assert page.locator("#title").input_value() == TITLE
        type_into(page, audit, "url", "https://medienzentrum.bochum.test/sprechstunde")
        # Criterion 1 as a whole: its checkbox comes first among the fits; Space ticks it.
        tab_to(page, field_named("fits"), "the first of the fits", audit)
        assert active_element(page)["value"] == "k1"
        page.keyboard.press("Space")
        tab_to(page, button("Angebot anlegen"), "the save button", audit)
        page.keyboard.press("Enter")
        page.wait_for_url("**/angebote/")
        scan.page(tab, "Angebote der Kreise, mit einem Angebot")
        assert flashes(page) == ["Das Angebot ist gespeichert. Es erscheint ab sofort in den Berichten der passenden Schulen."]
        assert [row[:4] for row in rows(page.locator("table.data-table"))] == [
            [f"{TITLE} Medienzentrum Bochum", "Bochum", "alle Schulen des Kreises", "Kriterium 1 als Ganzes"]
        ]
        # The links name the offer for a screen reader (the name is hidden on screen).
        names = [re.compile(rf"^{action}\s?: {TITLE}$") for action in ("Bearbeiten", "Löschen")]
        assert [page.get_by_role("link", name=name).count() for name in names] == [1, 1]

        # Two tabs edit the offer: the later save meets the earlier one's change and keeps its own input.
        tab_to(page, link_starting("Bearbeiten"), "the offer's Bearbeiten", audit)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/angebote/[0-9]+$"))
        scan.page(tab, "Angebot bearbeiten")
        colleague = Tab.open(page.context)
        colleague.page.goto(page.url)
        colleague.page.locator("#contact").fill("Telefon 0234 111111")
        colleague.page.get_by_role("button", name="Änderungen speichern").click()
        colleague.page.wait_for_url("**/angebote/")
        colleague.page.close()
        type_into(page, audit, "description", "Jetzt jeden Mittwoch.")
        tab_to(page, button("Änderungen speichern"), "the save button", audit)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # The answer is 409 Conflict on purpose (as the rating form's): Chromium notes it in the console.
        scan.page(tab, "Angebot bearbeiten mit Konflikt", allowed_console=(r"status of 409",))
        assert active_element(page)["id"] == "konflikt"
        assert page.locator("#konflikt h2").inner_text() == "Jemand anderes hat dieses Angebot inzwischen geändert."
        assert "Telefon 0234 111111" in page.locator("#konflikt dl").inner_text()
        assert page.locator("#description").input_value() == "Jetzt jeden Mittwoch."
        tab_to(page, button("Änderungen speichern"), "the save button", audit)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert flashes(page) == ["Das Angebot ist gespeichert. Es erscheint ab sofort in den Berichten der passenden Schulen."]
        page.goto(page.get_by_role("link", name=re.compile("^Löschen")).get_attribute("href"))
        scan.page(tab, "Angebot löschen")
        assert heading(page) == f"Angebot „{TITLE}“ löschen?"

        # The school's report shows it under both Entwicklungsfelder of criterion 1.
        page.goto("/schulen/100002/2025-26/bericht")
        scan.page(tab, "Bericht mit dem Angebot des Kreises")
        offers = page.locator("ul.offers li strong").all_inner_texts()
        assert offers.count(TITLE) == 2
        # The suggestions name an offer in one line (provider, contact); the later save's description is on /angebote.
        assert page.locator("ul.offers li", has_text=TITLE).first.inner_text() == (
            f"{TITLE} – Medienzentrum Bochum · Kontakt: Telefon 0234 000000 · https://medienzentrum.bochum.test/sprechstunde"
        )
        assert path_of(page) == "/schulen/100002/2025-26/bericht"
    finally:
        tabs.close()
    assert audit.checked > 0
