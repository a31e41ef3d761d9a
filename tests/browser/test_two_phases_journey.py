"""Issue 21 in Chromium, keyboard only: a team of four rates alone, then agrees; supervision sees only the consensus.

The Schulleitung member chooses "erst einzeln, dann gemeinsam"; each member rates criterion 1 on an own sheet and
says "Ich bin fertig" (the page counts "x von 4 Kolleg:innen fertig"); the last one opens the consensus phase; the
spread page starts with the indicator the team disagrees on most; the consensus form starts at the median.
Every page is checked by scan.Scan.page (axe WCAG 2.0/2.1 A and AA, console, server errors, 200 % zoom).

The file's name sorts after test_journeys.py, whose page count is of the session's shared scan.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from selfeval.extensions import db
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import PASSWORD, make_round, make_school, make_user
from tests.support.live_server import live_server

from .journey_2_keyboard_rating import shown_ratings
from .keyboard import FocusAudit, active_element, button, choose_with_arrows, field_named, link, link_starting, tab_to
from .reading import flashes, heading, path_of, squeeze
from .scan import Scan, Tab, Tabs
from .server import FIRST_ADMIN, prepare_database

pytestmark = pytest.mark.browser

SCHULNUMMER = "100001"
BASE = f"/schulen/{SCHULNUMMER}/2025-26/"
TEAM = ("leitung", "anna", "ben", "cem")  # in the order they finish; leitung is the Schulleitung member
SUPERVISOR = "aufsicht@bezreg.test"
#: Each member's own values for criterion 1. By hand: k1a 2, 4, 7, 9 → median 5,5 (the form starts at 6), range 7:
#: strong disagreement; k1b 5, 5, 5, 6 → 5; k1c 6, 6, 6, 7 → 6; k1d 5, 5, 5, 6 → 5.
SHEETS = {
    "leitung": {"k1a": 2, "k1b": 5, "k1c": 6, "k1d": 5},
    "anna": {"k1a": 7, "k1b": 5, "k1c": 6, "k1d": 6},
    "ben": {"k1a": 9, "k1b": 6, "k1c": 7, "k1d": 5},
    "cem": {"k1a": 4, "k1b": 5, "k1c": 6, "k1d": 5},
}
#: Pages checked by this journey: 5 log-in pages, 3 for the Schulleitung's choice, 2 per colleague to reach the sheet,
#: 4 per member to rate and finish (the last one lands on the spread), 2 for the consensus, 2 for the results with the
#: team's band, 1 for supervision.
PAGES_CHECKED = 5 + 3 + 2 * 3 + 4 * 4 + 2 + 2 + 1
CONSENSUS = {"k1a": (6, "Einigung nach Diskussion"), "k1b": (5, ""), "k1c": (6, ""), "k1d": (5, "")}
#: The band of criterion 1 by hand: the members' criterion scores are leitung (2 + 5 + 6 + 5) / 4 = 4.5, anna 6,
#: ben 6.75, cem 5 → 4,5 bis 6,8, median (5 + 6) / 2 = 5,5; the consensus (6 + 5 + 6 + 5) / 4 = 5,5. Nobody rated
#: criteria 2 to 6.
BAND_K1 = "1. Dauerhafte Implementierung von Konzepten zur digitalen Bildung 5,5 5,5 4,5 bis 6,8 4"


def email(name: str) -> str:
    return f"{name}@schule.test"


@pytest.fixture(scope="module")
def team_server(database_url, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("consensus-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            school = make_school(SCHULNUMMER, name="Gesamtschule am Hafen")
            make_round("2025/26")
            for name in TEAM:
                make_user(email(name), school=school, leadership=name == "leitung")
            make_user(SUPERVISOR, "supervisor", kreise=["05913"])
            db.engine.dispose()
        with live_server(url, folder / "instance") as server:
            yield server.url


@pytest.mark.timeout(600)
def test_a_team_of_four_goes_through_both_phases_with_the_keyboard(browser, team_server, scan):
    tabs, audit, checked_before = Tabs(browser, team_server), FocusAudit(), len(scan.scanned)
    try:
        members = {name: tabs.open() for name in TEAM}
        for tab in members.values():
            tab.page.on("dialog", lambda dialog: dialog.accept())
        keyboard_log_in(members["leitung"], scan, email("leitung"), audit)
        choose_individual_then_together(members["leitung"], scan, audit)
        for name in TEAM[1:]:
            keyboard_log_in(members[name], scan, email(name), audit)
            open_own_sheet(members[name], scan, audit)
        for done, name in enumerate(TEAM, start=1):
            rate_alone_and_finish(members[name], scan, audit, name, done)
        agree_on_criterion_1(members["cem"], scan, audit)
        see_the_band_on_the_results(members["cem"], scan, audit)
        supervision_sees_only_the_consensus(tabs.open(), scan, audit)
        assert len(scan.scanned) - checked_before == PAGES_CHECKED
    finally:
        tabs.close()


def keyboard_log_in(tab: Tab, scan: Scan, address: str, audit: FocusAudit) -> None:
    page = tab.page
    page.goto("/anmelden")
    scan.page(tab, "Anmelden")
    for name, value in (("email", address), ("password", PASSWORD)):
        tab_to(page, field_named(name), f"the field {name}", audit)
        page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def follow(tab: Tab, scan: Scan, audit: FocusAudit, wanted, what: str) -> None:
    tab_to(tab.page, wanted, what, audit)
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    scan.page(tab, what)


def choose_individual_then_together(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    page = tab.page
    assert path_of(page) == BASE
    scan.page(tab, "Übersicht, gemeinsame Arbeitsweise")
    follow(tab, scan, audit, link("Arbeitsweise wählen"), "Arbeitsweise")
    assert heading(page) == "Wie bewertet das Team?"
    follow(tab, scan, audit, button("Erst einzeln, dann gemeinsam bewerten"), "Mein Bewertungsbogen")
    assert flashes(page) == ["Die Einzelbewertung ist geöffnet: Jedes Mitglied bewertet jetzt für sich."]
    assert path_of(page) == BASE + "einzeln/"


def open_own_sheet(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    assert path_of(tab.page) == BASE
    scan.page(tab, "Übersicht in der Einzelphase")
    follow(tab, scan, audit, link("Zu meinem Bewertungsbogen"), "Mein Bewertungsbogen")


def rate_alone_and_finish(tab: Tab, scan: Scan, audit: FocusAudit, name: str, done: int) -> None:
    page = tab.page
    page.reload()  # the page was opened before the colleagues finished (F5; Playwright's key press does not reload)
    assert squeeze(page.locator("#fortschritt-team").inner_text()) == f"{done - 1} von 4 Kolleg:innen fertig"
    follow(tab, scan, audit, link_starting("Kriterium 1:"), "Mein Bogen, Kriterium 1")
    for indicator_id, score in SHEETS[name].items():
        tab_to(page, field_named(f"{indicator_id}-score"), f"the rating of {indicator_id}", audit)
        choose_with_arrows(page, str(score))
    follow(tab, scan, audit, button("Bogen speichern"), "Mein Bogen gespeichert")
    assert flashes(page) == ["Ihr Bogen ist gespeichert."]
    assert shown_ratings(page) == {key: (value, "") for key, value in SHEETS[name].items()}
    follow(tab, scan, audit, link("Mein Bewertungsbogen"), "Mein Bewertungsbogen")
    follow(tab, scan, audit, button("Ich bin fertig"), "nach „Ich bin fertig“")
    if done < len(TEAM):
        assert flashes(page) == ["Danke! Ihr Bogen ist als fertig markiert. Sie können ihn bis zur Konsensphase noch ändern."]
        assert squeeze(page.locator("#fortschritt-team").inner_text()).startswith(f"{done} von 4 Kolleg:innen fertig")
        assert page.get_by_role("link", name="Streuung ansehen").count() == 0
    else:
        assert (flashes(page), path_of(page)) == (["Alle sind fertig: Die Konsensphase ist geöffnet."], BASE + "streuung")


def agree_on_criterion_1(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    page = tab.page
    first = squeeze(page.locator("ol.spread-order li").first.inner_text())
    assert first == "Indikator 1a): Spannweite 2 bis 9, Median 5,5 – stark uneinig"
    assert squeeze(page.locator("p.spread__text").first.inner_text()) == (
        "4 Werte: 2, 4, 7, 9 · Median 5,5 · Spannweite 2 bis 9 stark uneinig"
    )
    follow(tab, scan, audit, link("Konsens für Kriterium 1 festlegen"), "Konsens, Kriterium 1")
    assert shown_ratings(page) == {key: (score, "") for key, (score, _) in CONSENSUS.items()}  # the medians
    tab_to(page, field_named("k1a-comment"), "the comment of k1a", audit)
    page.keyboard.type(CONSENSUS["k1a"][1])
    follow(tab, scan, audit, button("Entwurf speichern"), "Konsens gespeichert")
    assert flashes(page) == ["Entwurf gespeichert."]
    assert shown_ratings(page) == CONSENSUS
    assert active_element(page)["tag"] in ("body", "div", "main", "html", "a", "p")  # nothing grabbed the focus


def see_the_band_on_the_results(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    page = tab.page
    page.goto(BASE + "ergebnis")
    scan.page(tab, "Ergebnis in der Konsensphase")
    assert page.locator("#spannweite").count() == 0
    follow(tab, scan, audit, link("Spannweite des Teams zeigen"), "Ergebnis mit der Spannweite des Teams")
    rows = [squeeze(row) for row in page.locator("#spannweite tbody tr").all_inner_texts()]
    assert rows[0] == BAND_K1
    assert [row.rsplit(" ", 4)[1:] for row in rows[1:]] == [["–", "–", "–", "0"]] * 5
    assert page.locator("#spannweite svg .radar-band__range").count() == 1


def supervision_sees_only_the_consensus(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    page = tab.page
    keyboard_log_in(tab, scan, SUPERVISOR, audit)
    page.goto(BASE + "ergebnis")
    scan.page(tab, "Ergebnis für die Schulaufsicht")
    shown = squeeze(page.locator("main").inner_text())
    # Still a draft, which is the team's (issue 19): its status only, neither the consensus nor anyone's own values.
    assert "Ein Entwurf gehört dem Team" in shown
    assert CONSENSUS["k1a"][1] not in shown and "Streuung" not in shown and "Bogen" not in shown
    for address in ("streuung", "einzeln/"):
        response = page.goto(BASE + address)
        assert (response.status, heading(page)) == (403, "Kein Zugriff")
