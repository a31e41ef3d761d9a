"""Journey 4: the Schulaufsicht of the Bezirksregierung filters the overview, sorts the heatmap and opens the school."""

from __future__ import annotations

from selfeval.reference import SCHULFORMEN, kreise

from .journey_1_admin_setup import DIRECTORY, SUPERVISOR
from .reading import figures, heading, path_of, rows, squeeze
from .steps import log_in, set_password

SUPERVISOR_PASSWORD = "Alle Schulen des Bezirks im Blick behalten"
#: The submitted school's row in the heatmap after journey 3: overall score, then criteria 1 to 6.
SCORES = ["6,3", "7,0", "5,0", "8,3", "3,0", "6,0", "8,5"]


def supervisor_filters_the_overview_and_opens_the_heatmap_and_a_school(open_tab, scan, story, focus_audit):
    tab = open_tab()
    page = tab.page
    schulnummer, name, kreis = story.school
    schulform = next(row[2] for row in DIRECTORY.rows if row[0] == schulnummer)
    bezirk = kreise()[kreis].bezirksregierung
    in_bezirk = sum(1 for row in DIRECTORY.rows if kreise()[row[3]].bezirksregierung == bezirk)

    set_password(tab, scan, story.links[SUPERVISOR[0]], SUPERVISOR_PASSWORD)
    log_in(tab, scan, SUPERVISOR[0], SUPERVISOR_PASSWORD, lands_on="/auswertung/")
    scan.page(tab, "Auswertung")
    assert heading(page) == "Auswertung 2025/26"
    assert figures(page) == {
        "Schulen in der Auswahl": str(in_bezirk),
        "abgeschlossen": "1",
        "Entwurf": "0",
        "nicht begonnen": str(in_bezirk - 1),
    }

    # The school's Kreis and Schulform.
    page.get_by_label("Kreis", exact=True).select_option(kreis)
    page.get_by_label("Schulform", exact=True).select_option(schulform)
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**/auswertung/?*")
    scan.page(tab, "Auswertung, gefiltert", shot="06-auswertung")
    assert figures(page) == {
        "Schulen in der Auswahl": str(story.same_kreis_and_schulform),
        "abgeschlossen": "1",
        "Entwurf": "0",
        "nicht begonnen": str(story.same_kreis_and_schulform - 1),
    }

    # The heatmap, sorted by the overall score, highest first: the submitted school leads.
    heatmap = page.locator("table.heatmap")
    heatmap.get_by_role("link", name="Gesamtwert").click()
    page.wait_for_url("**richtung=ab*")
    scan.page(tab, "Heatmap, nach Gesamtwert sortiert")
    sorted_by = page.locator("table.heatmap th[aria-sort]")
    assert (sorted_by.get_attribute("aria-sort"), squeeze(sorted_by.locator(".visually-hidden").text_content())) == (
        "descending",
        "Gesamtwert",
    )
    school_row = [f"{name} {schulnummer}", SCHULFORMEN[schulform], kreise()[kreis].name, "abgeschlossen", *SCORES]
    assert rows(heatmap)[0] == school_row
    assert [len(row) for row in rows(heatmap)] == [len(school_row)] * story.same_kreis_and_schulform

    # The school's results, read-only.
    heatmap.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url("**/ergebnis")
    scan.page(tab, "Ergebnis der Schule (Schulaufsicht)")
    assert (path_of(page), heading(page)) == (f"/schulen/{schulnummer}/2025-26/ergebnis", "Ergebnis 2025/26")
    assert squeeze(page.locator(".big-score").inner_text()) == SCORES[0]
    assert page.locator("form.rating-form, button:has-text('wieder öffnen')").count() == 0

    # Impressum, Datenschutz and the Erklärung zur Barrierefreiheit, from the footer of every page.
    for label, path, title in (("Impressum", "/impressum", "Impressum"), ("Datenschutz", "/datenschutz", "Datenschutz"),
                               ("Barrierefreiheit", "/barrierefreiheit", "Erklärung zur Barrierefreiheit")):  # fmt: skip
        page.get_by_role("navigation", name="Rechtliche Hinweise").get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(f"**{path}")
        scan.page(tab, title)
        assert (path_of(page), heading(page)) == (path, title)
