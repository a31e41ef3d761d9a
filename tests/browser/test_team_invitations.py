"""Bulk invitations in Chromium (issue 19): the admin reaches the page by keyboard, a file with wrong rows is refused
with every row named (the error summary takes the focus), a good file gives every invitation link; axe on each page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from selfeval.extensions import db
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import make_school
from tests.support.live_server import live_server

from .a11y import error_announcement
from .reading import heading, path_of, rows
from .scan import Scan, Tabs
from .server import FIRST_ADMIN, prepare_database
from .steps import log_in

pytestmark = pytest.mark.browser
HEADER = "Schulnummer;E-Mail;Name;Schulleitung\n"
BAD = HEADER + "100001;leitung@markt.test;Lena Leitung;ja\n999999;x@markt.test;Xaver;nein\n100002;kein-at;Otto;vielleicht\n"
GOOD = HEADER + "100001;leitung@markt.test;Lena Leitung;ja\n100002;team@see.test;Tara Team;nein\n"


@pytest.fixture(scope="module")
def invitation_server(database_url, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("invitation-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            make_school("100001", kreis="05978", name="Schule am Markt")
            make_school("100002", kreis="05978", name="Schule am See")
            db.engine.dispose()
        with live_server(url, folder / "instance") as server:
            yield server.url


def test_an_admin_invites_teams_from_a_file_with_the_keyboard(browser, invitation_server, tmp_path):
    tabs = Tabs(browser, invitation_server)
    scan = Scan(tmp_path)
    try:
        tab = tabs.open()
        page = tab.page
        log_in(tab, scan, FIRST_ADMIN[0], FIRST_ADMIN[2], lands_on="/auswertung/")
        page.goto("/verwaltung/konten")
        scan.page(tab, "Konten")
        link = page.get_by_role("link", name="Teams aus einer Datei einladen")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/verwaltung/konten/einladen")
        scan.page(tab, "Teams einladen", shot="teams-einladen")

        (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
        page.get_by_label("CSV-Datei mit den Teammitgliedern").set_input_files(str(tmp_path / "bad.csv"))
        page.get_by_role("button", name="Konten anlegen und einladen").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        scan.page(tab, "Teams einladen mit Fehlern", shot="teams-einladen-fehler")
        message = "2 Zeile(n) fehlerhaft; es wurde kein Konto angelegt."
        assert error_announcement(page)["focused"] is True
        assert [field["link"] for field in error_announcement(page)["fields"]] == [
            f"CSV-Datei mit den Teammitgliedern: {message}"
        ]
        assert rows(page.locator("#fehlerhafte-zeilen")) == [
            ["3", "Es gibt keine Schule mit der Schulnummer „999999“."],
            ["4", "„kein-at“ ist keine E-Mail-Adresse. Schulleitung „vielleicht“: bitte „ja“ oder „nein“."],
        ]

        (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
        page.get_by_label("CSV-Datei mit den Teammitgliedern").set_input_files(str(tmp_path / "good.csv"))
        page.get_by_role("button", name="Konten anlegen und einladen").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        scan.page(tab, "Teams eingeladen", shot="teams-eingeladen")
        assert (heading(page), path_of(page)) == ("Teams eingeladen", "/verwaltung/konten/einladen")
        assert [row[:2] for row in rows(page.locator("#einladungslinks"))] == [
            ["Lena Leitung", "leitung@markt.test"],
            ["Tara Team", "team@see.test"],
        ]
        links = page.locator("#einladungslinks input.password-link")
        assert [
            value.startswith(f"{invitation_server}/passwort-festlegen/")
            for value in links.evaluate_all("inputs => inputs.map(i => i.value)")
        ] == [True, True]
    finally:
        tabs.close()
