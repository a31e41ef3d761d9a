"""Issue 18 in Chromium: a team member sets two goals with measures on the plan page with the keyboard alone (one
more goal without saving, a wrong target shown beside its field, a colleague's save in between kept apart from
the input); the Medienberatung records an agreement; the team confirms it.

Every page state is checked by scan.Scan.page (axe WCAG 2.0/2.1 A and AA, console, server errors, 200 % zoom),
the plan's states also photographed at desktop and phone width. The file's name sorts after test_journeys.py,
whose page count is of the session's shared scan.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from selfeval.extensions import db
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import PASSWORD, all_scores, make_round, make_school, make_user, submitted
from tests.support.live_server import live_server

from .keyboard import FocusAudit, active_element, button, field_named, link, tab_to
from .reading import flashes, heading, path_of, squeeze
from .scan import Scan, Tab, Tabs
from .server import FIRST_ADMIN, prepare_database

pytestmark = pytest.mark.browser

BASE = "/schulen/100001/2025-26/"
PLAN = BASE + "plan"
TEAM = "leitung@schule.test"
ADVISER = "medienberatung@mz-dortmund.test"
SAVED = "Der Entwicklungsplan ist gespeichert."


@pytest.fixture(scope="module")
def plan_server(database_url, tmp_path_factory) -> Iterator[str]:
    """A Dortmund Gesamtschule whose weakest indicators are 1b and 1c (both at 1), its Schulleitung, its adviser."""
    folder = tmp_path_factory.mktemp("plan-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            school = make_school("100001", name="Gesamtschule am Hafen")
            make_user(TEAM, school=school, leadership=True)
            submitted(school, make_round("2025/26"), all_scores(7) | {"k1b": 1, "k1c": 1, "k2a": 3})
            make_user(ADVISER, "adviser", kreise=["05913"])
            db.engine.dispose()
        with live_server(url, folder / "instance") as server:
            yield server.url


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


def type_into(page, audit: FocusAudit, name: str, value: str) -> None:
    tab_to(page, field_named(name), f"the field {name}", audit)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def choose(page, audit: FocusAudit, name: str, label: str) -> None:
    """A closed <select>: focus it with Tab and type the start of the option's text."""
    tab_to(page, field_named(name), f"the choice {name}", audit)
    page.keyboard.type(label)
    assert page.locator(f"[name='{name}'] option:checked").inner_text().startswith(label)


def press(tab: Tab, audit: FocusAudit, wanted, what: str) -> None:
    tab_to(tab.page, wanted, what, audit)
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")


@pytest.mark.timeout(600)
def test_a_team_plans_two_goals_the_adviser_records_an_agreement_the_team_confirms_it(browser, plan_server, scan):
    tabs, audit = Tabs(browser, plan_server), FocusAudit()
    try:
        team = tabs.open()
        write_the_plan(team, scan, audit)
        meet_a_colleagues_save(team, scan, audit)
        adviser = tabs.open()
        record_an_agreement(adviser, scan, audit)
        team.page.reload()
        scan.page(team, "Entwicklungsplan mit Vereinbarung")
        press(team, audit, button("Bestätigen"), "Bestätigen")
        scan.page(team, "Entwicklungsplan, Vereinbarung bestätigt")
        assert flashes(team.page) == ["Die Vereinbarung vom 01.12.2026 ist bestätigt."]
        assert squeeze(team.page.locator(".agreement__state").inner_text()).startswith("bestätigt vom Team am ")
    finally:
        tabs.close()
    assert audit.checked > 0


def write_the_plan(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    page = tab.page
    keyboard_log_in(tab, scan, TEAM, audit)
    assert path_of(page) == BASE
    scan.page(tab, "Übersicht")
    press(tab, audit, link("Entwicklungsplan"), "Entwicklungsplan")
    scan.page(tab, "Entwicklungsplan, leer mit Vorschlag", shot="plan-leer")
    assert heading(page) == "Entwicklungsplan 2025/26"
    assert [squeeze(t) for t in page.locator(".suggestions li").all_inner_texts()][0].endswith("Wert 1")
    assert page.locator(".suggestions .indicator-label").all_inner_texts() == ["1b", "1c", "2a"]

    choose(page, audit, "g0-indicator-1", "1b")
    type_into(page, audit, "g0-target", "4")
    type_into(page, audit, "g0-success", "Jede Fachschaft hat eine Ansprechperson.")
    type_into(page, audit, "g0-m0-what", "Ansprechpersonen in der Lehrerkonferenz benennen")
    type_into(page, audit, "g0-m0-who", "Schulleitung")
    press(tab, audit, button("Weiteres Ziel"), "Weiteres Ziel")
    scan.page(tab, "Entwicklungsplan, ein Ziel mehr (nicht gespeichert)")
    assert page.locator(".notice--warning").inner_text().startswith("Noch nicht gespeichert")
    assert page.locator("#g0-m0-what").input_value() == "Ansprechpersonen in der Lehrerkonferenz benennen"
    assert path_of(page) == PLAN + "#ziel-2"

    choose(page, audit, "g1-indicator-1", "1c")
    type_into(page, audit, "g1-target", "viel")
    type_into(page, audit, "g1-m0-what", "Fortbildung zum Medienkonzept besuchen")
    type_into(page, audit, "g1-m0-who", "Medienkoordination")
    press(tab, audit, button("Plan speichern"), "Plan speichern")
    scan.page(tab, "Entwicklungsplan mit Fehlern", shot="plan-fehler")
    assert active_element(page)["id"] == "fehler"
    assert page.locator("#fehler li").all_inner_texts() == [
        "Ziel 2, Zielwert: Der Zielwert muss eine Zahl von 0 bis 10 sein (oder leer bleiben)."
    ]
    assert page.locator("#g1-target").input_value() == "viel"

    type_into(page, audit, "g1-target", "3,5")
    press(tab, audit, button("Plan speichern"), "Plan speichern")
    scan.page(tab, "Entwicklungsplan gespeichert", shot="plan-gefuellt")
    assert flashes(page) == [SAVED]
    assert page.locator(".goal h3").all_inner_texts() == ["Ziel 1: 1b", "Ziel 2: 1c"]
    assert page.locator("#g1-target").input_value() == "3,5"


def meet_a_colleagues_save(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    """Another tab saves first: the stored plan is shown above the input, which stays; saving again takes it."""
    page = tab.page
    colleague = Tab.open(page.context)
    colleague.page.goto(PLAN)
    colleague.page.locator("#g0-m0-status").select_option("begonnen")
    colleague.page.get_by_role("button", name="Plan speichern").first.click()
    colleague.page.wait_for_url(f"**{PLAN}")
    colleague.page.close()
    type_into(page, audit, "g0-m1-what", "Sprechstunde der Medienberatung nutzen")
    press(tab, audit, button("Plan speichern"), "Plan speichern")
    scan.page(tab, "Entwicklungsplan mit Konflikt", shot="plan-konflikt", allowed_console=(r"status of 409",))
    assert active_element(page)["id"] == "konflikt"
    assert "Stand: begonnen" in squeeze(page.locator("#konflikt").inner_text())
    assert page.locator("#g0-m1-what").input_value() == "Sprechstunde der Medienberatung nutzen"
    press(tab, audit, button("Plan speichern"), "Plan speichern")
    scan.page(tab, "Entwicklungsplan nach dem Konflikt gespeichert")
    assert flashes(page) == [SAVED]
    assert page.locator("#g0-m1-what").input_value() == "Sprechstunde der Medienberatung nutzen"


def record_an_agreement(tab: Tab, scan: Scan, audit: FocusAudit) -> None:
    page = tab.page
    keyboard_log_in(tab, scan, ADVISER, audit)
    page.goto(PLAN)
    scan.page(tab, "Entwicklungsplan für die Medienberatung", shot="plan-medienberatung")
    assert page.locator(".goal h3").all_inner_texts() == ["Ziel 1: 1b", "Ziel 2: 1c"]
    press(tab, audit, button("Vereinbarung festhalten"), "Vereinbarung festhalten (leer)")
    scan.page(tab, "Vereinbarung mit Fehlern")
    assert active_element(page)["id"] == "fehler"
    page.locator("#a-date").fill("2026-12-01")
    type_into(page, audit, "participants", "Schulleitung, Medienkoordination, Medienberatung")
    type_into(page, audit, "text", "Die Schule meldet zwei Lehrkräfte zur Fortbildung an.")
    page.locator("#a-next_contact").fill("2027-02-01")
    press(tab, audit, button("Vereinbarung festhalten"), "Vereinbarung festhalten")
    scan.page(tab, "Vereinbarung festgehalten")
    assert flashes(page) == [
        "Die Vereinbarung ist festgehalten. Das Team sieht sie auf seinem Entwicklungsplan und bestätigt sie."
    ]
