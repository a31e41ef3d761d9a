"""Issue 16 in Chromium: a session that ends while a criterion page is open, and a round closed while a team edits.

One server with an idle time of one minute (SELFEVAL_SESSION_IDLE_MINUTES=1) on a fresh database; two team members
rate at the same time, one with JavaScript, one without, so that their waits for the session's end overlap. Every
page and state they reach is checked by scan.Scan.page (axe, console, server errors, 200 % zoom).

"Without JavaScript" means without the app's scripts: all of them are in /static/js/ and that tab gets them empty.
Turning JavaScript off in the browser would also stop axe, which the scan injects into the page.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from selfeval.extensions import db
from selfeval.views.unsaved import SESSION_ENDED
from tests.conftest import fresh_database, make_test_app
from tests.support.factories import PASSWORD, make_round, make_school, make_user
from tests.support.live_server import live_server

from .journey_2_keyboard_rating import shown_ratings
from .reading import flashes, path_of, squeeze
from .scan import CONTEXT_TIMEOUT_MS, DESKTOP, Tab
from .server import FIRST_ADMIN, prepare_database, selfeval_command
from .steps import log_out

pytestmark = pytest.mark.browser

SCHULNUMMER = "100001"
BASE = f"/schulen/{SCHULNUMMER}/2025-26"
WITH_SCRIPT = "leitung@schule.test"
WITHOUT_SCRIPT = "lehrer@schule.test"
IDLE_SECONDS = 60
COMMENT = "Medienkonzept 2024 beschlossen"
LATER_COMMENT = "Fortbildungsplan für alle Fachschaften"
#: The background save's refusals are how the page learns of them; the page says so itself.
REFUSED_AUTOSAVE = (r"status of 401", r"status of 409")
RESTORED = (
    "stehen wieder im Formular, sind aber noch nicht gespeichert. Prüfen Sie sie und klicken Sie auf „Entwurf speichern“."
)
PAGES_CHECKED = 17


@pytest.fixture(scope="module")
def short_session_server(database_url, tmp_path_factory) -> Iterator[tuple[str, str, object]]:
    folder = tmp_path_factory.mktemp("short-session-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        app = make_test_app(url, folder / "instance")
        with app.app_context():
            school = make_school(SCHULNUMMER, name="Gesamtschule am Hafen")
            make_round("2025/26")
            make_user(WITH_SCRIPT, school=school, leadership=True)
            make_user(WITHOUT_SCRIPT, school=school)
            db.engine.dispose()
        env = {"SELFEVAL_SESSION_IDLE_MINUTES": str(IDLE_SECONDS // 60)}
        with live_server(url, folder / "instance", env=env) as server:
            yield server.url, url, folder / "instance"


@pytest.mark.timeout(600)
def test_nothing_typed_is_lost_when_the_session_ends_or_the_round_closes(browser, short_session_server, scan):
    base_url, database_url, instance = short_session_server
    contexts = []

    def open_tab(*, script: bool) -> Tab:
        context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="de-DE", timezone_id="Europe/Berlin")
        context.set_default_timeout(CONTEXT_TIMEOUT_MS)
        if not script:
            context.route("**/static/js/*.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
        contexts.append(context)
        tab = Tab.open(context)
        tab.page.on("dialog", lambda dialog: dialog.accept())  # "leave the page with unsaved input?": yes
        return tab

    try:
        scripted, plain = open_tab(script=True), open_tab(script=False)
        checked_before = len(scan.scanned)
        loaded = {}
        for tab, email in ((scripted, WITH_SCRIPT), (plain, WITHOUT_SCRIPT)):
            log_in(tab, scan, email, f"{BASE}/")
            tab.page.goto(f"{BASE}/kriterien/k1")
            loaded[email] = time.monotonic()
            scan.page(tab, "Kriterium 1")

        warning_then_extend(scripted, scan)
        plain_save_after_the_idle_time(plain, scan, loaded[WITHOUT_SCRIPT])
        scripted_save_after_the_idle_time_meets_the_colleagues_save(scripted, scan)
        scripted_input_comes_back_from_the_browser(scripted, scan)
        round_closed_while_editing(scripted, plain, scan, database_url, instance)
        log_out_forgets_the_browser_copies(scripted, scan)
        assert len(scan.scanned) - checked_before == PAGES_CHECKED
    finally:
        for context in contexts:
            context.close()


def log_out_forgets_the_browser_copies(tab: Tab, scan) -> None:
    """A deliberate log-out leaves no copy of anyone's input in the browser (a shared computer in the staff room)."""
    page = tab.page
    page.evaluate("localStorage.setItem('selfeval:left-behind', JSON.stringify({keptAt: Date.now(), fields: {}}))")
    page.evaluate("localStorage.setItem('another-key', '1')")
    log_out(tab, scan)
    assert sorted(page.evaluate("Object.keys(localStorage)")) == ["another-key"]


def log_in(tab: Tab, scan, email: str, lands_on: str) -> None:
    """Log in on the page shown (the log-in page, maybe with its return address), else on /anmelden."""
    page = tab.page
    if "/anmelden" not in page.url:
        page.goto("/anmelden")
        scan.page(tab, "Anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**{lands_on}")
    assert path_of(page) == lands_on


def warning_then_extend(tab: Tab, scan) -> None:
    """Half a minute before the end (of one minute) the page warns; one click continues the session."""
    page = tab.page
    extend = page.get_by_role("button", name="Sitzung verlängern", include_hidden=True)
    assert extend.is_hidden()
    extend.wait_for(state="visible", timeout=(IDLE_SECONDS // 2 + 15) * 1000)
    text = squeeze(page.locator("[data-session-warning-text]").inner_text())
    assert text.startswith("Ihre Sitzung endet um ") and text.endswith(
        " Uhr, wenn bis dahin nichts gespeichert wird. Ihre Eingaben bleiben in jedem Fall erhalten."
    ), text
    assert page.locator("[data-session-warning-text]").get_attribute("role") == "alert"
    scan.page(tab, "Kriterium 1, Warnung vor dem Ende der Sitzung")
    extend.click()
    extend.wait_for(state="hidden")
    assert squeeze(page.locator("[data-session-warning-text]").inner_text()) == "Die Sitzung ist verlängert."
    assert page.evaluate("document.activeElement.hasAttribute('data-session-warning-text')")


def plain_save_after_the_idle_time(tab: Tab, scan, loaded_at: float) -> None:
    """Without JavaScript: more than a minute later the save keeps the input; the log-in brings it back."""
    page = tab.page
    time.sleep(max(0.0, loaded_at + IDLE_SECONDS + 3 - time.monotonic()))
    page.locator("input[name='k1a-score'][value='7']").check()
    page.locator("textarea[name='k1b-comment']").fill(COMMENT)
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_url("**/anmelden?next=*")
    scan.page(tab, "Anmelden nach dem Ende der Sitzung")
    assert flashes(page) == [SESSION_ENDED]
    log_in(tab, scan, WITHOUT_SCRIPT, f"{BASE}/kriterien/k1")
    scan.page(tab, "Kriterium 1, Eingaben wiederhergestellt (ohne JavaScript)")
    assert squeeze(page.locator("#wiederhergestellt").inner_text()).endswith(RESTORED)
    assert shown_ratings(page) == {"k1a": (7, ""), "k1b": (None, COMMENT), "k1c": (None, ""), "k1d": (None, "")}
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_load_state()
    scan.page(tab, "Kriterium 1, gespeichert (ohne JavaScript)")
    assert (flashes(page), page.locator("#wiederhergestellt").count()) == (["Entwurf gespeichert."], 0)
    assert shown_ratings(page)["k1b"] == (None, COMMENT)


def scripted_save_after_the_idle_time_meets_the_colleagues_save(tab: Tab, scan) -> None:
    """With JavaScript: the page says when the session has ended; the save keeps the input; a colleague's save
    in between is shown as a conflict, as any other."""
    page = tab.page
    expect(page.locator("[data-session-warning-text]")).to_have_text(
        re.compile("^Ihre Sitzung ist abgelaufen"), timeout=(IDLE_SECONDS + 15) * 1000
    )
    scan.page(tab, "Kriterium 1, Sitzung abgelaufen")
    page.locator("input[name='k1c-score'][value='4']").check()
    page.locator("textarea[name='k1c-comment']").fill(LATER_COMMENT)
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_url("**/anmelden?next=*")
    assert flashes(page) == [SESSION_ENDED]
    log_in(tab, scan, WITH_SCRIPT, f"{BASE}/kriterien/k1")
    scan.page(tab, "Kriterium 1, Eingaben wiederhergestellt (mit JavaScript)")
    assert squeeze(page.locator("#wiederhergestellt").inner_text()).endswith(RESTORED)
    assert shown_ratings(page)["k1c"] == (4, LATER_COMMENT)
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_selector("#konflikt")
    scan.page(tab, "Kriterium 1, Konflikt mit wiederhergestellten Eingaben")
    assert shown_ratings(page) == {"k1a": (7, ""), "k1b": (None, COMMENT), "k1c": (4, LATER_COMMENT), "k1d": (None, "")}
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_selector(".flashes")
    assert flashes(page) == ["Entwurf gespeichert."]
    assert shown_ratings(page) == {"k1a": (7, ""), "k1b": (None, COMMENT), "k1c": (4, LATER_COMMENT), "k1d": (None, "")}


def scripted_input_comes_back_from_the_browser(tab: Tab, scan) -> None:
    """The browser drops the session cookie (as after the idle time); input typed then survives a reload and
    the log-in in this browser's storage, even without pressing a save button."""
    page = tab.page
    page.goto(f"{BASE}/kriterien/k2")
    scan.page(tab, "Kriterium 2")
    page.context.clear_cookies()
    page.locator("input[name='k2a-score'][value='3']").check()
    status = page.locator("[data-autosave-status]")
    expect(status).to_have_text(re.compile("^Ihre Sitzung ist abgelaufen"))
    assert squeeze(status.inner_text()).endswith("melden Sie sich neu an, dann sehen Sie sie wieder.")
    page.reload()
    page.wait_for_url("**/anmelden?next=*")
    log_in(tab, scan, WITH_SCRIPT, f"{BASE}/kriterien/k2")
    scan.page(tab, "Kriterium 2, Eingaben aus dem Browser wiederhergestellt", allowed_console=REFUSED_AUTOSAVE)
    assert squeeze(status.inner_text()).endswith(
        "sind aus diesem Browser wiederhergestellt, aber noch nicht gespeichert. "
        "Prüfen Sie sie und klicken Sie auf „Entwurf speichern“."
    )
    assert shown_ratings(page)["k2a"] == (3, "")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_selector(".flashes")
    assert (flashes(page), shown_ratings(page)["k2a"]) == (["Entwurf gespeichert."], (3, ""))
    page.reload()
    assert squeeze(status.inner_text()) == ""  # saved: nothing left to restore


def round_closed_while_editing(scripted: Tab, plain: Tab, scan, database_url: str, instance) -> None:
    """The admin closes the round while both edit criterion 3: the background save and both saves say so,
    and the input stays on the page, read-only, to copy."""
    for tab in (scripted, plain):
        tab.page.goto(f"{BASE}/kriterien/k3")
    scan.page(scripted, "Kriterium 3")
    selfeval_command(["rounds", "close", "2025-26"], database_url, instance)

    page = scripted.page
    page.locator("input[name='k3a-score'][value='6']").check()
    expect(page.locator("[data-autosave-status]")).to_have_text(
        "Die Erhebungsrunde 2025/26 ist geschlossen. Ihre Eingaben sind nicht gespeichert, stehen aber noch im Formular: "
        "Klicken Sie auf „Entwurf speichern“, dann sehen Sie, was geschehen ist, und können sie kopieren."
    )
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_selector("#nicht-gespeichert")
    scan.page(scripted, "Kriterium 3, Runde geschlossen (mit JavaScript)", allowed_console=REFUSED_AUTOSAVE)
    assert squeeze(page.locator("#nicht-gespeichert p").first.inner_text()) == (
        "Die Erhebungsrunde 2025/26 wurde inzwischen geschlossen. Deshalb lässt sie sich nicht mehr ändern."
    )
    assert shown_ratings(page)["k3a"] == (6, "")
    assert page.locator("input[name='k3a-score'][value='6']").is_disabled()

    page = plain.page
    page.locator("textarea[name='k3b-comment']").fill(COMMENT)
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_selector("#nicht-gespeichert")
    scan.page(plain, "Kriterium 3, Runde geschlossen (ohne JavaScript)", allowed_console=REFUSED_AUTOSAVE)
    comment = page.locator("textarea[name='k3b-comment']")
    assert (comment.input_value(), comment.get_attribute("readonly")) == (COMMENT, "")
