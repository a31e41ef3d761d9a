"""Journey 3: the Schulleitung reopens the assessment; she and her colleague edit the same indicator
in two browsers; her late save meets his, she sees both and decides; then she submits again."""

from __future__ import annotations

from .journey_1_admin_setup import LEADER, TEACHER
from .journey_2_keyboard_rating import CRITERION_TITLES, LEADER_PASSWORD, shown_ratings
from .reading import flashes, heading, rows, squeeze
from .steps import log_in

LEADER_COMMENT = "Die Steuergruppe trifft sich monatlich."
#: A 412 from the background save is how the rating page learns of a colleague's save; the page says so itself.
AUTOSAVE_CONFLICT = (r"status of 412",)
AUTOSAVE = "**/api/v1/schools/*/assessments/*"
AUTOSAVE_POLLS = 100


def second_team_member_meets_and_resolves_an_edit_conflict(open_tab, scan, story, focus_audit):
    schulnummer = story.school[0]
    base = f"/schulen/{schulnummer}/2025-26"
    leader, teacher = open_tab(), open_tab()

    # The Schulleitung reopens the submitted assessment.
    log_in(leader, scan, LEADER[0], LEADER_PASSWORD, lands_on=f"{base}/")
    scan.page(leader, "Übersicht, abgeschlossen")
    assert squeeze(leader.page.locator(".status-line .badge").first.inner_text()) == "abgeschlossen"
    leader.page.get_by_role("link", name="Bewertung wieder öffnen").click()
    leader.page.wait_for_load_state()
    scan.page(leader, "Bewertung wieder öffnen")
    assert heading(leader.page) == "Bewertung wieder öffnen?"
    leader.page.get_by_role("button", name="Ja, Bewertung wieder öffnen").click()
    leader.page.wait_for_load_state()
    scan.page(leader, "Übersicht, wieder geöffnet")
    assert flashes(leader.page) == ["Die Bewertung ist wieder geöffnet und kann bearbeitet werden."]

    # Both open criterion 1; the teacher saves 9 for indicator 1a first.
    log_in(teacher, scan, TEACHER[0], story.passwords[TEACHER[0]], lands_on=f"{base}/")
    for tab in (teacher, leader):
        tab.page.goto(f"{base}/kriterien/k1")
        scan.page(tab, "Kriterium 1")
    save_while_autosave_is_on_its_way(teacher, "k1a", 9)
    scan.page(teacher, "Kriterium 1, gespeichert")
    assert teacher.page.locator("#konflikt").count() == 0, "the page's own background save came back as a colleague's change"
    assert flashes(teacher.page) == ["Entwurf gespeichert."]

    # The leader, on her older page, chooses 8 and writes a comment: nothing is overwritten.
    page = leader.page
    page.locator("input[name='k1a-score'][value='8']").check()
    page.locator("textarea[name='k1a-comment']").fill(LEADER_COMMENT)
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_selector("#konflikt")
    scan.page(leader, "Kriterium 1 mit Konflikt", allowed_console=AUTOSAVE_CONFLICT)
    first_comment = story.ratings["k1a"][1]
    assert page.evaluate("document.activeElement.id") == "konflikt"
    assert page.locator("#konflikt").get_attribute("role") == "alert"
    assert squeeze(page.locator("#konflikt h2").inner_text()) == "Jemand anderes hat diese Bewertung inzwischen geändert"
    assert page.eval_on_selector_all("fieldset.rating--conflict", "sets => sets.map(s => s.id)") == ["k1a"]
    note = squeeze(page.locator("#k1a .conflict-note").inner_text())
    assert note.startswith(f"Aktuell gespeichert von {TEACHER[1]} (")
    assert note.endswith(f"): Bewertung 9, Anmerkung: „{first_comment}“. Unten steht Ihre Eingabe.")
    assert shown_ratings(page)["k1a"] == (8, LEADER_COMMENT)

    # She takes her colleague's 9 and keeps both comments.
    page.locator("input[name='k1a-score'][value='9']").check()
    page.locator("textarea[name='k1a-comment']").fill(f"{first_comment} {LEADER_COMMENT}")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_load_state()
    scan.page(leader, "Kriterium 1, Konflikt gelöst")
    assert (flashes(page), page.locator("#konflikt").count()) == (["Entwurf gespeichert."], 0)
    resolved = {"k1a": (9, f"{first_comment} {LEADER_COMMENT}"), "k1b": (6, ""), "k1c": (8, ""), "k1d": (5, "")}
    assert shown_ratings(page) == resolved
    teacher.page.reload()
    scan.page(teacher, "Kriterium 1, neu geladen")
    assert shown_ratings(teacher.page) == resolved

    # The leader submits again.
    page.goto(f"{base}/abschliessen")
    scan.page(leader, "Bewertung abschließen")
    page.get_by_role("button", name="Ja, Bewertung jetzt abschließen").click()
    page.wait_for_url(f"**{base}/ergebnis")
    scan.page(leader, "Ergebnis")
    assert (flashes(page), heading(page)) == (["Die Bewertung ist abgeschlossen."], "Ergebnis 2025/26")
    values = ["7,0", "5,0", "8,3", "3,0", "6,0", "8,5"]  # criterion 1 is now (9 + 6 + 8 + 5) / 4
    assert rows(page.locator("table", has=page.get_by_text("Werte je Kriterium"))) == [
        [f"{n}. {title}", value] for n, (title, value) in enumerate(zip(CRITERION_TITLES, values, strict=True), 1)
    ]
    assert squeeze(page.locator(".big-score").inner_text()) == "6,3"
    story.ratings |= resolved


def save_while_autosave_is_on_its_way(tab, indicator_id: str, score: int) -> None:
    """Choose a score; the background save that follows is stored, but its answer is held back while
    "Entwurf speichern" is pressed; then the answer arrives.

    The button must wait for that answer: the form still names the version before the background save,
    and sent at once it would meet the page's own background save as a colleague's change.
    """
    page = tab.page
    answered = []
    page.route(AUTOSAVE, lambda route: answered.append((route, route.fetch())))
    page.locator(f"input[name='{indicator_id}-score'][value='{score}']").check()
    for _ in range(AUTOSAVE_POLLS):  # the background save starts two seconds after the last change
        if answered:
            break
        page.wait_for_timeout(100)
    route, response = answered[0]
    page.get_by_role("button", name="Entwurf speichern").click()
    route.fulfill(response=response)
    page.wait_for_selector(".flashes, #konflikt")  # the page after saving, or the conflict
    page.unroute(AUTOSAVE)
