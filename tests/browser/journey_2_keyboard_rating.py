"""Journey 2: a team member rates the whole Leitfaden with the keyboard alone, over two sessions, and submits.

Nothing is clicked: Tab, the arrow keys, typing and Enter set the password, log in, reach and set
every rating and press every button. Every tab stop of a new kind shows a visible focus.
"""

from __future__ import annotations

from .a11y import error_announcement
from .journey_1_admin_setup import LEADER, TEACHER
from .keyboard import FocusAudit, active_element, button, choose_with_arrows, field_named, link, link_starting, tab_to
from .reading import flashes, heading, rows, squeeze
from .scan import Scan, Tab
from .steps import PASSWORD_SAVED, set_password

#: The Leitfaden's 23 indicators by criterion, with the team's first scores.
SCORES = {
    "k1": {"k1a": 7, "k1b": 6, "k1c": 8, "k1d": 5},
    "k2": {"k2a": 4, "k2b": 5, "k2c": 6, "k2d": 5},
    "k3": {"k3a": 8, "k3b": 9, "k3c": 8},
    "k4": {"k4a": 3, "k4b": 4, "k4c": 2, "k4d": 3},
    "k5": {"k5a": 6, "k5b": 6, "k5c": 7, "k5d": 5},
    "k6": {"k6a": 9, "k6b": 8, "k6c": 10, "k6d": 7},
}
COMMENTS = {"k1a": "Medienkonzept seit 2023, jährlich in der Schulkonferenz fortgeschrieben.", "k4a": "Vertretungsplan digital."}
TEACHER_PASSWORD = "Tastatur genügt für die ganze Bewertung"
LEADER_PASSWORD = "Die Schulleitung entscheidet am Ende gemeinsam"


def team_member_rates_everything_with_the_keyboard_and_submits(open_tab, scan, story, focus_audit):
    # The Schulleitung accepts its invitation first: an invited member who never set a password does not
    # count for submitting (issue 15, item 15).
    set_password(open_tab(), scan, story.links[LEADER[0]], LEADER_PASSWORD)
    story.passwords[LEADER[0]] = LEADER_PASSWORD
    tab = open_tab()
    set_password_with_keys(tab, scan, story, focus_audit)
    first_session(tab, scan, story, focus_audit)
    second_session(tab, scan, story, focus_audit)
    story.ratings = {key: (value, COMMENTS.get(key, "")) for scores in SCORES.values() for key, value in scores.items()}


def set_password_with_keys(tab: Tab, scan: Scan, story, audit: FocusAudit) -> None:
    """The invitation: a too short password first; the error is announced and the field names it."""
    page = tab.page
    page.goto(story.links[TEACHER[0]])
    scan.page(tab, "Passwort festlegen")
    type_into(page, "password", "zu kurz", audit)
    type_into(page, "confirm", "zu kurz", audit)
    page.keyboard.press("Enter")
    page.wait_for_selector("#fehler")
    scan.page(tab, "Passwort festlegen mit Fehler")
    short = "Das Passwort muss mindestens 12 Zeichen lang sein."
    hint = "Mindestens 12 Zeichen, nicht Ihr Name oder Ihre E-Mail-Adresse. Ein Satz aus mehreren Wörtern ist gut zu merken."
    assert error_announcement(page) == {
        "focused": True,
        "fields": [{"link": f"Neues Passwort: {short}", "invalid": "true", "description": [hint, short]}],
    }
    type_into(page, "password", TEACHER_PASSWORD, audit)
    type_into(page, "confirm", TEACHER_PASSWORD, audit)
    page.keyboard.press("Enter")
    page.wait_for_url("**/anmelden")
    assert flashes(page) == [PASSWORD_SAVED]
    story.passwords[TEACHER[0]] = TEACHER_PASSWORD


def first_session(tab: Tab, scan: Scan, story, audit: FocusAudit) -> None:
    """Log in (the skip link first), rate criteria 1 and 2, "Entwurf speichern", log out."""
    page = tab.page
    assert_skip_link_works(page, audit)
    scan.page(tab, "Anmelden")
    keyboard_log_in(tab, scan, TEACHER_PASSWORD, audit, story)
    assert progress(page) == "0 von 23 Indikatoren bewertet"
    open_criterion(tab, scan, 1, audit)
    assert_skip_link_works(page, audit, first_in_main="Übersicht der Bewertung")
    rate_criterion(tab, "k1", audit)
    scan.photograph(tab, "03-bewertung")
    press_button(tab, scan, "Speichern und weiter zu Kriterium 2", audit)
    assert (flashes(page), heading(page)) == (["Entwurf gespeichert."], f"Kriterium 2 von 6 {CRITERION_TITLES[1]}")
    rate_criterion(tab, "k2", audit)
    press_button(tab, scan, "Entwurf speichern", audit)
    assert (flashes(page), heading(page)) == (["Entwurf gespeichert."], f"Kriterium 2 von 6 {CRITERION_TITLES[1]}")
    press_button(tab, scan, "Abmelden", audit)
    assert flashes(page) == ["Sie sind abgemeldet."]


def second_session(tab: Tab, scan: Scan, story, audit: FocusAudit) -> None:
    """Log in again and find everything there; criteria 3 to 6; submit; the results."""
    page = tab.page
    tab_to(page, link("Anmelden"), "the log-in link", audit)
    page.keyboard.press("Enter")
    page.wait_for_url("**/anmelden")
    scan.page(tab, "Anmelden")
    keyboard_log_in(tab, scan, TEACHER_PASSWORD, audit, story, shot="02-team-uebersicht")
    assert progress(page) == "8 von 23 Indikatoren bewertet"
    open_criterion(tab, scan, 1, audit)
    assert shown_ratings(page) == {key: (value, COMMENTS.get(key, "")) for key, value in SCORES["k1"].items()}
    press_button(tab, scan, "Speichern und weiter zu Kriterium 2", audit)
    assert shown_ratings(page) == {key: (value, "") for key, value in SCORES["k2"].items()}
    for number, criterion_id in enumerate(["k3", "k4", "k5", "k6"], start=3):
        press_button(tab, scan, f"Speichern und weiter zu Kriterium {number}", audit)
        rate_criterion(tab, criterion_id, audit)
    press_button(tab, scan, "Speichern und zur Übersicht", audit)
    assert progress(page) == "23 von 23 Indikatoren bewertet"
    tab_to(page, link("Bewertung abschließen"), "the link to submit", audit)
    page.keyboard.press("Enter")
    page.wait_for_url("**/abschliessen")
    scan.page(tab, "Bewertung abschließen")
    press_button(tab, scan, "Ja, Bewertung jetzt abschließen", audit, shot="04-ergebnis")
    assert (flashes(page), heading(page)) == (["Die Bewertung ist abgeschlossen."], "Ergebnis 2025/26")
    assert rows(page.locator("table", has=page.get_by_text("Werte je Kriterium"))) == [
        [f"{n}. {title}", value] for n, (title, value) in enumerate(zip(CRITERION_TITLES, CRITERION_VALUES, strict=True), 1)
    ]
    assert squeeze(page.locator(".big-score").inner_text()) == "6,2"  # (6.5 + 5 + 25/3 + 3 + 6 + 8.5) / 6


CRITERION_TITLES = [
    "Dauerhafte Implementierung von Konzepten zur digitalen Bildung",
    "Pädagogik und Lernkulturen (Unterrichtsentwicklung)",
    "Qualifizierung der Lehrkräfte",
    "Digitale Schulorganisation",
    "Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen",
    "Zugang zur Technik und Ausstattung der Schule",
]
#: The means of SCORES, worked out by hand: 26/4, 20/4, 25/3, 12/4, 24/4, 34/4.
CRITERION_VALUES = ["6,5", "5,0", "8,3", "3,0", "6,0", "8,5"]


def type_into(page, name: str, text: str, audit: FocusAudit) -> None:
    tab_to(page, field_named(name), f"the field {name}", audit)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def assert_skip_link_works(page, audit: FocusAudit, first_in_main: str = "") -> None:
    """From a freshly loaded page: Tab shows the skip link, Enter moves into <main>, the next Tab stays there."""
    page.keyboard.press("Tab")
    skip = active_element(page)
    assert (skip["tag"], skip["text"]) == ("a", "Zum Inhalt springen")
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 10, f"the focused skip link is not on screen: {box}"
    audit.check(page, skip)
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "inhalt"
    page.keyboard.press("Tab")
    inside = page.evaluate("document.getElementById('inhalt').contains(document.activeElement)")
    assert inside, f"after the skip link, Tab went to {active_element(page)}"
    if first_in_main:
        assert active_element(page)["text"] == first_in_main


def keyboard_log_in(tab: Tab, scan: Scan, password: str, audit: FocusAudit, story, shot: str = "") -> None:
    """Log in with Tab, typing and Enter from the log-in page; arrives on the school's assessment."""
    page = tab.page
    type_into(page, "email", TEACHER[0], audit)
    type_into(page, "password", password, audit)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/schulen/{story.school[0]}/2025-26/")
    scan.page(tab, "Übersicht der Bewertung", shot=shot)
    assert heading(page) == "Selbstevaluation 2025/26"


def progress(page) -> str:
    return page.locator("#progress-label").inner_text().strip()


def open_criterion(tab: Tab, scan: Scan, number: int, audit: FocusAudit) -> None:
    page = tab.page
    tab_to(page, link_starting(f"Kriterium {number}:"), f"the link to criterion {number}", audit)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kriterien/k{number}")
    scan.page(tab, f"Kriterium {number}")


def rate_criterion(tab: Tab, criterion_id: str, audit: FocusAudit) -> None:
    """From the top of the criterion's page, Tab to each indicator's rating and choose it with the arrows."""
    page = tab.page
    for indicator_id, score in SCORES[criterion_id].items():
        tab_to(page, field_named(f"{indicator_id}-score"), f"the rating of {indicator_id}", audit)
        choose_with_arrows(page, str(score))
        if indicator_id in COMMENTS:
            page.keyboard.press("Tab")
            assert active_element(page)["name"] == f"{indicator_id}-comment"
            audit.check(page, active_element(page))
            page.keyboard.type(COMMENTS[indicator_id])
    assert shown_ratings(page) == {key: (value, COMMENTS.get(key, "")) for key, value in SCORES[criterion_id].items()}


def press_button(tab: Tab, scan: Scan, label: str, audit: FocusAudit, shot: str = "") -> None:
    """Tab to the button and press Enter; checks the page it leads to."""
    page = tab.page
    tab_to(page, button(label), f"the button {label}", audit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    scan.page(tab, f"nach „{label}“", shot=shot)


def shown_ratings(page) -> dict[str, tuple[int | None, str]]:
    """Indicator → (the checked score, the comment) as the rating page shows them."""
    found = page.eval_on_selector_all(
        "fieldset[data-indicator]",
        """sets => sets.map(s => [s.dataset.indicator, (s.querySelector('input[type=radio]:checked') || {}).value || '',
                                  s.querySelector('textarea').value])""",
    )
    return {key: (int(score) if score else None, comment) for key, score, comment in found}
