"""The downloads for the Medienkonzept (issue 18): the Word document read back with python-docx (headings, tables, the
radar chart as an inline image) and the spreadsheet with openpyxl, for the team and for readers who see less; who
may download them; the links on the results page."""

from __future__ import annotations

import io

import docx
import pytest
from openpyxl import load_workbook

from selfeval.extensions import db
from selfeval.services import assessments
from selfeval.services.plans import replace_goals
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.api import auth
from tests.support.factories import all_scores, leader, login, rate
from tests.support.html import soup_of
from tests.support.plans import CURRENT, SCHULNUMMER, URL, add_agreement, build_plan_world

PAGE = f"/schulen/{SCHULNUMMER}/{CURRENT}"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEAM, ADVISER, SUPERVISOR = "leitung-100001@schule.test", "berater@mz.test", "aufsicht@bezreg.test"
HEADINGS = [
    ("Title", "Digitale Schulentwicklung 2025/26: Adler-Gesamtschule"),
    ("Heading 1", "Ergebnis der Selbstevaluation"),
    ("Heading 1", "Entwicklungsvorhaben"),
    ("Heading 2", "Ziel 1: Indikatoren 1b, 1c"),
    ("Heading 1", "Ziele des Vorjahres (2024/25)"),
    ("Heading 1", "Vereinbarungen mit der Medienberatung"),
]
AGREEMENT_ROW = ["20.11.2025", "Schulleitung, Medienberatung", "Fortbildung planen.", "–", "noch nicht bestätigt"]


@pytest.fixture
def world(app):
    with app.app_context():
        found = build_plan_world()
        measures = [
            {"what": "Fortbildung buchen", "who": "Medienkoordination", "due": "2026-03-31", "offers": [found.offer_id]},
            {"what": "=Plattform einrichten", "who": "Schulträger", "status": "begonnen"},
        ]
        goal = {"indicators": ["k1b", "k1c"], "target": 7.5, "success": "Alle nutzen die Plattform", "measures": measures}
        school = get_school(SCHULNUMMER)
        replace_goals(school, get_round(CURRENT), leader(school), 0, [goal])
        db.session.commit()
        add_agreement()
        return found


def download(client, email: str, path: str):
    login(client, email)
    return client.get(path)


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name == "Title" or p.style.name.startswith("Heading")]


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_teams_word_document_holds_scores_chart_goals_last_year_and_agreements(client, world):
    response = download(client, TEAM, f"{PAGE}/plan.docx")

    assert (response.status_code, response.mimetype) == (200, DOCX_TYPE)
    assert response.headers["Content-Disposition"] == f'attachment; filename="medienkonzept-{SCHULNUMMER}-{CURRENT}.docx"'
    document = docx.Document(io.BytesIO(response.data))
    assert headings(document) == HEADINGS
    assert len(document.inline_shapes) == 1  # the radar chart
    assert document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed in document.part.rels
    scores, measures, last_year, agreements = document.tables
    assert cells(scores)[:4] == [
        ["Nr.", "Kriterium / Indikator", "Wert"],
        ["1.", "Dauerhafte Implementierung von Konzepten zur digitalen Bildung", "6,0"],
        ["1a", cells(scores)[2][1], "7"],
        ["1b", cells(scores)[3][1], "5"],
    ]
    assert cells(scores)[4][0::2] == ["1c", "–"]
    assert cells(measures) == [
        ["Was", "Wer", "Bis wann", "Stand", "Angebote"],
        ["Fortbildung buchen", "Medienkoordination", "31.03.2026", "geplant", f"{world.offer_title} ({world.offer_provider})"],
        ["=Plattform einrichten", "Schulträger", "–", "begonnen", "–"],
    ]
    assert cells(last_year) == [
        ["Indikatoren", "Zielwert", "Vorher", "Erreicht", "Ergebnis", "Offene Maßnahmen"],
        ["1a", "6,0", "3,0", "7,0", "erreicht", "1"],
    ]
    assert cells(agreements) == [["Datum", "Teilnehmende", "Vereinbart", "Nächster Kontakt", "Bestätigung"], AGREEMENT_ROW]


def test_the_advisers_word_document_of_a_draft_has_the_plan_but_no_scores(client, world):
    response = download(client, ADVISER, f"{PAGE}/plan.docx")

    document = docx.Document(io.BytesIO(response.data))
    assert headings(document) == HEADINGS
    assert (len(document.inline_shapes), len(document.tables)) == (0, 3)
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("Ergebnis der Selbstevaluation") + 1].startswith("Die Bewertung ist noch nicht abgeschlossen")
    assert cells(document.tables[1])[1] == ["1a", "6,0", "3,0", "nicht freigegeben", "nicht freigegeben", "1"]


def test_the_api_sends_the_same_document(client, world):
    response = client.get(URL + ".docx", headers=auth(world.team))

    assert (response.status_code, response.mimetype, response.headers["Cache-Control"]) == (200, DOCX_TYPE, "no-store")
    assert headings(docx.Document(io.BytesIO(response.data))) == HEADINGS


def test_the_teams_spreadsheet_has_its_results_with_comments_and_its_plan(client, world):
    response = download(client, TEAM, f"{PAGE}/ergebnis.xlsx")

    assert (response.status_code, response.mimetype) == (200, XLSX_TYPE)
    assert response.headers["Content-Disposition"] == f'attachment; filename="ergebnis-{SCHULNUMMER}-{CURRENT}.xlsx"'
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Ergebnis", "Plan"]
    results = [[cell.value for cell in row] for row in workbook["Ergebnis"].iter_rows(max_row=5)]
    assert [row[0::2] + [row[3]] for row in results] == [
        ["Nr.", "Wert", "Anmerkung"],
        ["1.", 6, None],
        ["1a", 7, "=Steuergruppe tagt monatlich"],
        ["1b", 5, None],
        ["1c", None, None],
    ]
    assert workbook["Ergebnis"]["D3"].data_type == "s"  # a comment starting with "=" stays text
    assert [[cell.value for cell in row] for row in workbook["Plan"].iter_rows()] == [
        ["Ziel", "Indikatoren", "Zielwert", "Woran erkennbar", "Maßnahme", "Wer", "Bis wann", "Stand", "Angebote"],
        [1, "1b, 1c", 7.5, "Alle nutzen die Plattform", "Fortbildung buchen", "Medienkoordination", "31.03.2026", "geplant",
         f"{world.offer_title} ({world.offer_provider})"],
        [1, "1b, 1c", 7.5, "Alle nutzen die Plattform", "=Plattform einrichten", "Schulträger", None, "begonnen", None],
    ]  # fmt: skip


def test_the_advisers_spreadsheet_of_a_draft_withholds_scores_and_comments(client, world):
    response = download(client, ADVISER, f"{PAGE}/ergebnis.xlsx")

    sheet = load_workbook(io.BytesIO(response.data))["Ergebnis"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=3)] == [
        ["1.", "Dauerhafte Implementierung von Konzepten zur digitalen Bildung", "nicht freigegeben", None],
        ["1a", sheet["B3"].value, "nicht freigegeben", None],
    ]


def test_supervision_downloads_only_once_submitted_and_released(app, client, world):
    login(client, SUPERVISOR)
    draft = client.get(f"{PAGE}/plan.docx")
    with app.app_context():
        school, round_ = get_school(SCHULNUMMER), get_round(CURRENT)
        assessments.submit(school, round_, leader(school), rate(school, round_, leader(school), all_scores(7)).version)
        db.session.commit()
    submitted = client.get(f"{PAGE}/ergebnis.xlsx")
    with app.app_context():
        school = get_school(SCHULNUMMER)
        assessments.set_comments_released(school, get_round(CURRENT), leader(school), True)
        db.session.commit()
    released = client.get(f"{PAGE}/ergebnis.xlsx")

    assert (draft.status_code, submitted.status_code, released.status_code) == (403, 403, 200)
    rows = load_workbook(io.BytesIO(released.data))["Ergebnis"].iter_rows(min_row=3, max_row=3, values_only=True)
    assert [row[2:] for row in rows] == [(7, "=Steuergruppe tagt monatlich")]


def test_the_results_page_links_both_downloads(client, world):
    page = soup_of(download(client, TEAM, f"{PAGE}/ergebnis"))

    section = page.find(id="medienkonzept-heading").parent
    assert [(a.get_text(strip=True), a["href"]) for a in section.find_all("a")] == [
        ("Word-Dokument (DOCX)", f"{PAGE}/plan.docx"),
        ("Tabelle (XLSX)", f"{PAGE}/ergebnis.xlsx"),
    ]
