"""Escaping in the exports of the supervision (the page's CSV and XLSX links, GET /api/v1/export): school names and
Orte typed by people never become formulas. CSV puts an apostrophe before a leading =, +, -, @, tab or CR; XLSX
stores a string cell with Excel's quote prefix. tests/unit/test_exports.py proves this for hand-made tables; here the
names come through the database, the analytics and the endpoint.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from tests.support.escaping_area import ADVISER, ROUND_SLUG, SCHOOLS, populated_app
from tests.support.factories import login
from tests.support.payloads import FORMULA_TRIGGERS, as_name, as_place

EXPORT = "/api/v1/export"
NUMBER, NAME, PLACE = 0, 1, 4  # columns of the metadata: Schulnummer, Schule, …, Ort
STORED = {number: (as_name(payload), as_place(payload)) for number, payload in SCHOOLS.items()}


@pytest.fixture(scope="module")
def area_app(migrated_database, tmp_path_factory):
    """One populated app for the whole module: its tests only read."""
    yield from populated_app(migrated_database, tmp_path_factory.mktemp("instance"))


@pytest.fixture
def client(area_app):
    client = area_app.test_client()
    login(client, ADVISER)
    return client


def export(client, file_format: str) -> bytes:
    response = client.get(EXPORT, query_string={"round": ROUND_SLUG, "format": file_format})
    assert response.status_code == 200
    return response.data


def neutralized(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def test_the_stored_names_include_formula_triggers():
    """Otherwise the tests below would prove nothing: = + - @ must reach the exports (blanks are trimmed on the way)."""
    starts = {name[0] for name, _ in STORED.values()} | {place[0] for _, place in STORED.values()}
    assert starts >= {"=", "+", "-", "@"}


def test_the_csv_export_puts_an_apostrophe_before_every_formula_trigger(client):
    rows = list(csv.reader(io.StringIO(export(client, "csv").decode("utf-8-sig"), newline=""), delimiter=";"))

    shown = {row[NUMBER]: (row[NAME], row[PLACE]) for row in rows[1:]}
    assert shown == {number: (neutralized(name), neutralized(place)) for number, (name, place) in STORED.items()}


def test_the_xlsx_export_stores_names_as_text_cells_with_quote_prefix(client):
    book = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx")))

    for sheet in (book["Kriterien"], book["Indikatoren"]):
        cells = {row[NUMBER].value: (row[NAME], row[PLACE]) for row in sheet.iter_rows(min_row=2)}
        assert {number: (name.value, place.value) for number, (name, place) in cells.items()} == STORED
        assert {number: (name.data_type, place.data_type) for number, (name, place) in cells.items()} == dict.fromkeys(
            STORED, ("s", "s")
        )
        assert {number: (name.quotePrefix, place.quotePrefix) for number, (name, place) in cells.items()} == {
            number: (name.startswith(FORMULA_TRIGGERS), place.startswith(FORMULA_TRIGGERS))
            for number, (name, place) in STORED.items()
        }
