"""Journey 1: an admin sets up a Kreis in the browser: directory import, a round, supervision,
media advice, and a school's team with a Schulleitung member."""

from __future__ import annotations

import re

from selfeval.reference import kreise
from tests.support.directory_file import generate_directory

from .a11y import error_announcement
from .reading import figures, flashes, heading, path_of, rows

#: 120 rows of all Bezirksregierungen; the team's school is a Sekundarschule in Dortmund (Bezirksregierung Arnsberg),
#: whose name has a semicolon and an umlaut: "Städtische Sekundarschule Am Ölbach; Sekundarstufe I".
DIRECTORY = generate_directory(120, seed=3)
SCHOOL = next(row for row in DIRECTORY.rows if row[0] == "100054")
SUPERVISOR = ("aufsicht@bezirk.test", "Dr. Petra Lang")
ADVISER = ("medienberatung@kreis.test", "Sven Öztürk")
LEADER = ("leitung@schule.test", "Ayşe Demir")
TEACHER = ("lehrkraft@schule.test", "Jan Kowalski")
NAME_HINT = "So erscheint die Person auf den Seiten und im Protokoll."


def admin_imports_directory_and_creates_round_and_accounts(open_tab, scan, story, focus_audit):
    tab = open_tab()
    schulnummer, name, schulform, kreis, *_ = SCHOOL  # then Ort, line, Gemeindeschlüssel, Trägernummer, Rechtsform
    story.school = (schulnummer, name, kreis)
    story.same_kreis_and_schulform = sum(1 for row in DIRECTORY.rows if row[3] == kreis and row[2] == schulform)
    read_public_pages_and_log_in(tab, scan, story)
    import_directory(tab, scan)
    open_round(tab, scan)
    invite_supervision_and_advice(tab, scan, story, bezirk=kreise()[kreis].bezirksregierung, kreis=kreis)
    invite_team(tab, scan, story)
    tab.page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Übersicht").click()
    scan.page(tab, "Verwaltung", shot="07-verwaltung")
    assert figures(tab.page) == {
        "Schulen": str(len(DIRECTORY.rows)),
        "Konten mit Passwort": "1",
        "offene Einladungen": "4",
        "offene Erhebungsrunden": "1",
    }


def read_public_pages_and_log_in(tab, scan, story) -> None:
    """Start page and Leitfaden, then a mistyped password: the error is announced and tied to the field."""
    page = tab.page
    page.goto("/")
    scan.page(tab, "Start")
    page.get_by_role("link", name="Leitfaden vollständig lesen").click()
    page.wait_for_url("**/leitfaden")
    scan.page(tab, "Leitfaden")
    assert page.locator(".indicator").count() == 23
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Anmelden").click()
    page.wait_for_url("**/anmelden")
    scan.page(tab, "Anmelden", shot="01-anmelden")
    page.get_by_label("E-Mail-Adresse").fill(story.admin[0])
    page.get_by_label("Passwort").fill("falsches Passwort")
    page.get_by_role("button", name="Anmelden").click()
    scan.page(tab, "Anmelden mit Fehler")
    message = "E-Mail-Adresse oder Passwort sind nicht richtig."
    assert error_announcement(page) == {
        "focused": True,
        "fields": [{"link": f"Passwort: {message}", "invalid": "true", "description": [message]}],
    }
    page.get_by_label("Passwort").fill(story.admin[1])
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/auswertung/")
    scan.page(tab, "Auswertung ohne Runde")
    assert heading(page) == "Auswertung"


def import_directory(tab, scan) -> None:
    """Upload the school directory; the report counts every row and names each rejected one."""
    page = tab.page
    page.get_by_role("link", name="Verwaltung").click()
    scan.page(tab, "Verwaltung, leer")
    page.get_by_role("link", name="Schulverzeichnis importieren").click()
    scan.page(tab, "Import")
    page.get_by_label("Datei schuldaten.csv").set_input_files(
        {"name": "schuldaten.csv", "mimeType": "text/csv", "buffer": DIRECTORY.data}
    )
    page.get_by_role("button", name="Importieren").click()
    page.wait_for_url("**/verwaltung/import")
    scan.page(tab, "Ergebnis des Imports")
    assert figures(page) == {
        "neu angelegt": str(len(DIRECTORY.rows)),
        "geändert": "0",
        "unverändert": "0",
        "abgelehnte Zeilen": str(len(DIRECTORY.rejected)),
        "Hinweise": str(len(DIRECTORY.warnings)),
    }
    assert rows(page.locator("#abgelehnte-zeilen")) == [[str(line), reason] for line, reason in DIRECTORY.rejected]


ROUND_HINT = "Das Schuljahr in der Form JJJJ/JJ, z. B. 2026/27."


def open_round(tab, scan) -> None:
    """A name that is no school year is refused; a round made by mistake is deleted; closing asks first."""
    page = tab.page
    admin_menu(page, "Erhebungsrunden")
    scan.page(tab, "Erhebungsrunden, leer")
    create_round(page, "2025/2026")
    scan.page(tab, "Erhebungsrunden mit Fehler")
    problem = (
        "„2025/2026“ ist nicht in der Form JJJJ/JJ. Meinen Sie 2025/26? "
        "Bitte geben Sie das Schuljahr in der Form JJJJ/JJ an, z. B. 2026/27."
    )
    assert error_announcement(page) == {
        "focused": True,
        "fields": [{"link": f"Name der Erhebungsrunde: {problem}", "invalid": "true", "description": [ROUND_HINT, problem]}],
    }
    create_round(page, "2025/26")
    scan.page(tab, "Erhebungsrunden")
    assert flashes(page) == ["Die Erhebungsrunde 2025/26 ist angelegt und geöffnet."]
    create_round(page, "2052/53")
    assert flashes(page) == ["Die Erhebungsrunde 2052/53 ist angelegt und geöffnet."]
    # The visually hidden part of a button's name is read after a pause: "Löschen : Runde 2052/53".
    page.get_by_role("link", name=re.compile(r"^Löschen\s*: Runde 2052\/53$")).click()
    scan.page(tab, "Erhebungsrunde löschen")
    page.get_by_role("button", name="Runde 2052/53 löschen").click()
    page.wait_for_url("**/verwaltung/runden")
    scan.page(tab, "Erhebungsrunden, nach dem Löschen")
    assert flashes(page) == ["Die Erhebungsrunde 2052/53 ist gelöscht."]
    assert [row[0] for row in rows(page.locator("table.rounds-table"))] == ["2025/26"]
    page.get_by_role("link", name=re.compile(r"^Schließen\s*: Runde 2025\/26$")).click()
    scan.page(tab, "Erhebungsrunde schließen")
    assert heading(page) == "Erhebungsrunde 2025/26 schließen?"
    assert page.locator("#offene-entwuerfe").inner_text() == "Keine Schule hat in dieser Runde noch einen offenen Entwurf."
    page.get_by_role("link", name="Abbrechen").click()
    page.wait_for_url("**/verwaltung/runden")


def create_round(page, name: str) -> None:
    page.get_by_label("Name der Erhebungsrunde").fill(name)
    with page.expect_navigation():
        page.get_by_role("button", name="Runde anlegen").click()


def invite_supervision_and_advice(tab, scan, story, *, bezirk: str, kreis: str) -> None:
    """An empty form first (errors announced), then supervision for the Bezirksregierung, advice for the Kreis."""
    page = tab.page
    admin_menu(page, "Konten")
    scan.page(tab, "Konten")
    page.get_by_role("link", name="Neues Konto").click()
    scan.page(tab, "Neues Konto")
    page.get_by_role("button", name="Konto anlegen und einladen").click()
    scan.page(tab, "Neues Konto mit Fehlern")
    required = "Dieses Feld wird benötigt."
    assert error_announcement(page) == {
        "focused": True,
        "fields": [
            {"link": f"E-Mail-Adresse: {required}", "invalid": "true", "description": [required]},
            {"link": f"Name: {required}", "invalid": "true", "description": [NAME_HINT, required]},
        ],
    }
    invite(tab, scan, SUPERVISOR, "supervisor", story, boxes=[f"#bezirke-{bezirk}"])
    invite(tab, scan, ADVISER, "adviser", story, boxes=[f"#kreise-{kreis}"])


def invite_team(tab, scan, story) -> None:
    """From the school's page: a Schulleitung member and a teacher."""
    page = tab.page
    schulnummer, name, _kreis = story.school
    admin_menu(page, "Schulen")
    scan.page(tab, "Schulen")
    page.get_by_label("Suchtext").fill(schulnummer)
    page.get_by_role("button", name="Suchen").click()
    scan.page(tab, "Schulen, gesucht")
    page.get_by_role("link", name=name, exact=True).click()
    scan.page(tab, "Schule")
    assert (heading(page), path_of(page)) == (name, f"/verwaltung/schulen/{schulnummer}")
    school_page = page.url
    for person, leadership in ((LEADER, True), (TEACHER, False)):
        page.goto(school_page)
        page.get_by_role("link", name="Neues Teammitglied").click()
        assert page.get_by_label("Schulnummer").input_value() == schulnummer
        invite(tab, scan, person, "team", story, boxes=["#is_leadership"] if leadership else [], open_form=False)
    page.goto(school_page)
    scan.page(tab, "Schule mit Team")
    assert rows(page.locator("table", has=page.get_by_text("Mitglieder des Teams Digitalisierung"))) == [
        [LEADER[1], LEADER[0], "ja", "eingeladen"],
        [TEACHER[1], TEACHER[0], "nein", "eingeladen"],
    ]


def admin_menu(page, entry: str) -> None:
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name=entry).click()


def invite(tab, scan, person: tuple[str, str], role: str, story, *, boxes: list[str], open_form: bool = True) -> None:
    """Fill in the new-account form (opened from the accounts list unless `open_form` is false) and keep the link."""
    page = tab.page
    email, display_name = person
    if open_form:
        admin_menu(page, "Konten")
        page.get_by_role("link", name="Neues Konto").click()
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Name", exact=True).fill(display_name)
    if open_form:  # "Neues Teammitglied" on a school's page has no role to choose (issue 19)
        page.get_by_label("Rolle", exact=True).select_option(role)
    for box in boxes:
        page.locator(box).check()
    page.get_by_role("button", name="Konto anlegen und einladen").click()
    page.wait_for_selector("#password-link")
    scan.page(tab, f"Einladungslink ({role})")
    assert flashes(page) == [f"Das Konto für {email} ist angelegt."]
    assert heading(page) == f"Einladungslink für {display_name}"
    story.links[email] = page.locator("#password-link").input_value()
    assert story.links[email].startswith(f"{story.base_url}/passwort-festlegen/")
