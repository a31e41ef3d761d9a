"""Exports: CSV for German Excel and XLSX, with school metadata, scores, and no formula injection."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from selfeval.catalog import Catalog, Criterion, Indicator, Scale, indicator_letter, load_catalog
from selfeval.exports import ExportData, neutralize, to_csv, to_xlsx
from selfeval.paths import CRITERIA_DIR

NAN = np.nan
CATALOG = Catalog(
    id="test",
    version="1",
    title="Testkatalog",
    scale=Scale(0, 10),
    criteria=(
        Criterion("k1", "Erstes Kriterium", (Indicator("k1a", "k1", "Eins a"), Indicator("k1b", "k1", "-Liste; der Geräte"))),
        Criterion(
            "k2",
            "Zweites Kriterium",
            (Indicator("k2a", "k2", "Zwei a"), Indicator("k2b", "k2", "Zwei b"), Indicator("k2c", "k2", "Zwei c")),
        ),
    ),
)
DORTMUND = CRITERIA_DIR / "dortmund-leitfaden.yaml"
METADATA = [
    "Schulnummer", "Schule", "Schulform", "Schulform-Schlüssel", "Ort", "Kreis", "Kreisschlüssel",
    "Bezirksregierung", "Erhebungsrunde", "Stand",
]  # fmt: skip
CRITERIA = ["Gesamtwert", "1. Erstes Kriterium", "2. Zweites Kriterium"]
INDICATORS = ["1a)", "1b)", "2a)", "2b)", "2c)"]
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]
ROUND = "2024/25"


def schools(rows: list[tuple[str, str, str, str, str, str, str]]) -> pd.DataFrame:
    columns = ["schulnummer", "name", "schulform", "kreis", "bezirksregierung", "ort", "status"]
    return pd.DataFrame(rows, columns=columns, dtype=object).set_index("schulnummer")


def scores(rows: dict[str, list[float]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns, dtype="float64").rename_axis("schulnummer")


def export(school_rows, indicator_rows, criterion_rows, catalog: Catalog = CATALOG) -> ExportData:
    indicator_ids = [i.id for i in catalog.indicators]
    criterion_ids = [c.id for c in catalog.criteria] + ["overall"]
    return ExportData(
        ROUND, catalog, schools(school_rows), scores(indicator_rows, indicator_ids), scores(criterion_rows, criterion_ids)
    )


def sample() -> ExportData:
    return export(
        [
            ("100001", "Albert-Schule", "02", "05913", "Arnsberg", "Dortmund", "submitted"),
            ("100002", "Berg-Gymnasium", "20", "05911", "Arnsberg", "Bochum", "draft"),
            ("100003", "Gesamtschule Nord", "15", "05913", "Arnsberg", "Dortmund-Nord", "not_started"),
            ("100004", "Grundschule Süd", "02", "05913", "Arnsberg", "Dortmund", "submitted"),
        ],
        {"100001": [7, 8, 4, 5, 6], "100004": [7, NAN, NAN, NAN, NAN]},
        {"100001": [7.5, 5.0, 6.25], "100004": [7.0, NAN, 7.0]},
    )


def hostile() -> ExportData:
    rows = [(f"10000{n}", name, "02", "05913", "Arnsberg", f"{name}-Ort", "draft") for n, name in enumerate(HOSTILE)]
    rows.append(("100009", 'Schule "Am See"; Nord\nZweig', "02", "05913", "Arnsberg", "Ort = gut", "draft"))
    return export(rows, {}, {})


def csv_text(data: ExportData) -> str:
    raw = to_csv(data)
    assert raw.startswith(b"\xef\xbb\xbf")
    return raw.decode("utf-8-sig")


def csv_rows(data: ExportData) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text(data), newline=""), delimiter=";"))


def workbook(data: ExportData) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(data)))


def typed(values) -> list:
    """Values with their types, so that 7 and 7.0 are told apart."""
    return [(type(value).__name__, value) for value in values]


# --- neutralize ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralize_formula_triggers(text):
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Schule", "Ort = gut", "1+1", "'=x", " =x", "100001"])
def test_neutralize_leaves_other_text(text):
    assert neutralize(text) == text


# --- CSV -------------------------------------------------------------------------------------------------


def test_csv_bytes_bom_separator_and_line_ends():
    raw = to_csv(sample())
    assert raw[:3] == b"\xef\xbb\xbf"
    text = raw[3:].decode("utf-8")
    assert text.count("\r\n") == 5
    assert text.count("\n") == 5
    assert text.endswith("\r\n")
    assert text.split("\r\n")[0] == ";".join(METADATA + CRITERIA + INDICATORS)
    assert text.split("\r\n")[1] == (
        "100001;Albert-Schule;Grundschule;02;Dortmund;Dortmund;05913;Arnsberg;2024/25;abgeschlossen;6,25;7,5;5;7;8;4;5;6"
    )


def test_csv_rows():
    assert csv_rows(sample()) == [
        METADATA + CRITERIA + INDICATORS,
        ["100001", "Albert-Schule", "Grundschule", "02", "Dortmund", "Dortmund", "05913", "Arnsberg", ROUND, "abgeschlossen"]
        + ["6,25", "7,5", "5", "7", "8", "4", "5", "6"],
        ["100002", "Berg-Gymnasium", "Gymnasium", "20", "Bochum", "Bochum", "05911", "Arnsberg", ROUND, "Entwurf"] + [""] * 8,
        ["100003", "Gesamtschule Nord", "Gesamtschule", "15", "Dortmund-Nord", "Dortmund", "05913", "Arnsberg", ROUND]
        + ["nicht begonnen"]
        + [""] * 8,
        ["100004", "Grundschule Süd", "Grundschule", "02", "Dortmund", "Dortmund", "05913", "Arnsberg", ROUND, "abgeschlossen"]
        + ["7", "7", "", "7", "", "", "", ""],
    ]


def test_csv_numbers_at_most_four_decimals():
    data = export(
        [("100001", "A", "02", "05913", "Arnsberg", "Dortmund", "submitted")],
        {"100001": [0, 10, 1, 2, 2]},
        {"100001": [5.0, 5 / 3, 3.3333333333333335]},
    )
    assert csv_rows(data)[1][10:] == ["3,3333", "5", "1,6667", "0", "10", "1", "2", "2"]


def test_csv_unknown_kreis_schulform_and_status():
    data = export([("100001", "A", "99", "09999", "Köln", "Irgendwo", "archived")], {}, {})
    assert (
        csv_rows(data)[1]
        == ["100001", "A", "Schulform 99 (unbekannt)", "99", "Irgendwo", "", "09999", "Köln", ROUND, "archived"] + [""] * 8
    )


def test_csv_of_no_schools_is_the_header_only():
    data = export([], {}, {})
    assert csv_text(data) == ";".join(METADATA + CRITERIA + INDICATORS) + "\r\n"


def test_csv_formula_injection_gets_an_apostrophe():
    rows = csv_rows(hostile())
    assert [(row[1], row[4]) for row in rows[1:-1]] == [("'" + name, "'" + name + "-Ort") for name in HOSTILE]
    assert all(row[0].startswith("10000") for row in rows[1:])


def test_csv_quoting_round_trips():
    last = csv_rows(hostile())[-1]
    assert last[:5] == ["100009", 'Schule "Am See"; Nord\nZweig', "Grundschule", "02", "Ort = gut"]
    assert len(last) == 18


def test_csv_with_dortmund_catalogue_header():
    catalog = load_catalog(DORTMUND)
    header = csv_rows(export([], {}, {}, catalog))[0]
    expected_indicators = [
        f"{n}{indicator_letter(i)})" for n, c in enumerate(catalog.criteria, 1) for i, _ in enumerate(c.indicators)
    ]
    criteria = ["Gesamtwert"] + [f"{n}. {c.title}" for n, c in enumerate(catalog.criteria, 1)]
    assert header == METADATA + criteria + expected_indicators
    assert expected_indicators[:2] == ["1a)", "1b)"]


# --- XLSX -------------------------------------------------------------------------------------------------


def test_xlsx_sheets():
    assert workbook(sample()).sheetnames == ["Kriterien", "Indikatoren", "Statistik", "Legende"]


def test_xlsx_criteria_sheet():
    rows = list(workbook(sample())["Kriterien"].iter_rows(values_only=True))
    assert list(rows[0]) == METADATA + CRITERIA
    assert [list(row[:10]) for row in rows[1:]] == [
        ["100001", "Albert-Schule", "Grundschule", "02", "Dortmund", "Dortmund", "05913", "Arnsberg", ROUND, "abgeschlossen"],
        ["100002", "Berg-Gymnasium", "Gymnasium", "20", "Bochum", "Bochum", "05911", "Arnsberg", ROUND, "Entwurf"],
        ["100003", "Gesamtschule Nord", "Gesamtschule", "15", "Dortmund-Nord", "Dortmund", "05913", "Arnsberg", ROUND]
        + ["nicht begonnen"],
        ["100004", "Grundschule Süd", "Grundschule", "02", "Dortmund", "Dortmund", "05913", "Arnsberg", ROUND, "abgeschlossen"],
    ]
    assert [typed(row[10:]) for row in rows[1:]] == [
        [("float", 6.25), ("float", 7.5), ("int", 5)],
        [("NoneType", None)] * 3,
        [("NoneType", None)] * 3,
        [("int", 7), ("int", 7), ("NoneType", None)],
    ]


def test_xlsx_indicators_sheet():
    rows = list(workbook(sample())["Indikatoren"].iter_rows(values_only=True))
    assert list(rows[0]) == METADATA + INDICATORS
    assert [row[0] for row in rows[1:]] == ["100001", "100002", "100003", "100004"]
    assert [typed(row[10:]) for row in rows[1:]] == [
        typed([7, 8, 4, 5, 6]),
        typed([None] * 5),
        typed([None] * 5),
        typed([7, None, None, None, None]),
    ]


def test_xlsx_cell_types_and_header_font():
    sheet = workbook(sample())["Kriterien"]
    assert [cell.data_type for cell in sheet[2]] == ["s"] * 10 + ["n"] * 3
    assert [cell.font.bold for cell in sheet[1]] == [True] * 13
    assert [cell.font.bold for cell in sheet[2]] == [False] * 13
    assert [cell.quotePrefix for cell in sheet[2]] == [False] * 13


def test_xlsx_of_no_schools_has_the_headers_only():
    book = workbook(export([], {}, {}))
    assert list(book["Kriterien"].iter_rows(values_only=True)) == [tuple(METADATA + CRITERIA)]
    assert list(book["Indikatoren"].iter_rows(values_only=True)) == [tuple(METADATA + INDICATORS)]


def test_xlsx_hostile_text_is_never_a_formula():
    book = workbook(hostile())
    for sheet in (book["Kriterien"], book["Indikatoren"]):
        cells = [(row[1], row[4]) for row in sheet.iter_rows(min_row=2)]
        texts = [(name.value, ort.value) for name, ort in cells]
        # All but the carriage return (index 5, see test_xlsx_keeps_a_carriage_return) come back exactly.
        assert texts[:5] + texts[6:] == [(n, n + "-Ort") for n in HOSTILE if n != "\rCR"] + [
            ('Schule "Am See"; Nord\nZweig', "Ort = gut")
        ]
        assert [(name.data_type, ort.data_type) for name, ort in cells] == [("s", "s")] * 7
        assert [(name.quotePrefix, ort.quotePrefix) for name, ort in cells] == [(True, True)] * 6 + [(False, False)]


def test_xlsx_contains_no_formula_element():
    with zipfile.ZipFile(io.BytesIO(to_xlsx(hostile()))) as archive:
        sheets = sorted(name for name in archive.namelist() if name.startswith("xl/worksheets/"))
        assert sheets == [f"xl/worksheets/sheet{number}.xml" for number in (1, 2, 3, 4)]
        assert [b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets] == [False] * 4


def test_xlsx_carriage_return_reads_back_as_line_feed_and_stays_text():
    cell = workbook(hostile())["Kriterien"]["B7"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("\nCR", "s", True)


def test_xlsx_drops_control_characters_xml_cannot_carry():
    data = sample()
    schools = data.schools.copy()
    schools.iloc[0, schools.columns.get_loc("name")] = "Schule\x01 am\x1f See"
    book = workbook(ExportData(data.round_name, data.catalog, schools, data.indicator_scores, data.criterion_scores))
    assert book["Kriterien"]["B2"].value == "Schule am See"


def test_xlsx_legend():
    rows = list(workbook(sample())["Legende"].iter_rows(values_only=True))
    assert rows == [
        ("Spalte", "Bedeutung"),
        ("Gesamtwert", "Mittelwert der Kriterienwerte"),
        ("1. Erstes Kriterium", "Mittelwert der Indikatoren"),
        ("1a)", "Eins a"),
        ("1b)", "-Liste; der Geräte"),
        ("2. Zweites Kriterium", "Mittelwert der Indikatoren"),
        ("2a)", "Zwei a"),
        ("2b)", "Zwei b"),
        ("2c)", "Zwei c"),
        (None, None),
        ("Hinweis", "Skala 0 bis 10. Werte nur für abgeschlossene Bewertungen. Quelle: Testkatalog."),
    ]
    sheet = workbook(sample())["Legende"]
    assert (sheet["B5"].data_type, sheet["B5"].quotePrefix, sheet["B4"].quotePrefix) == ("s", True, False)


def test_xlsx_legend_lists_every_dortmund_indicator():
    catalog = load_catalog(DORTMUND)
    rows = list(workbook(export([], {}, {}, catalog))["Legende"].iter_rows(values_only=True))
    codes = {row[0]: row[1] for row in rows if row[0] and re.fullmatch(r"[0-9]+[a-z]\)", row[0])}
    expected = {
        f"{n}{indicator_letter(i)})": indicator.text
        for n, criterion in enumerate(catalog.criteria, 1)
        for i, indicator in enumerate(criterion.indicators)
    }
    assert codes == expected
    assert len(codes) == len(catalog.indicators)


# --- XLSX for a meeting ---------------------------------------------------------------------------------


def test_xlsx_sheets_are_laid_out_for_screen_and_print():
    book = workbook(sample())
    for name, columns, rows in (("Kriterien", "M", 5), ("Indikatoren", "O", 5), ("Statistik", "H", 9)):
        sheet = book[name]
        assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows) == (
            "B2" if name == "Statistik" else "C2", f"A1:{columns}{rows}", "$1:$1",
        )  # fmt: skip
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    widths = book["Kriterien"].column_dimensions
    # the longest of header and values, plus two: "Schulnummer" (11), "Gesamtschule Nord" (17), "Schulform-Schlüssel" (19)
    assert [widths[column].width for column in "ABCD"] == [13, 19, 14, 21]


def test_xlsx_numbers_show_one_decimal_and_keep_their_value():
    sheet = workbook(sample())["Kriterien"]
    assert [(cell.value, cell.number_format) for cell in sheet[2][10:]] == [(6.25, "0.0"), (7.5, "0.0"), (5, "0.0")]
    assert [cell.number_format for cell in sheet[2][:10]] == ["General"] * 10  # keys stay text: "05913", "02"
    assert [sheet.cell(2, column).value for column in (4, 7)] == ["02", "05913"]


def test_xlsx_statistics_follow_the_small_group_rule():
    rows = list(workbook(sample())["Statistik"].iter_rows(values_only=True))
    assert rows[0] == (
        "Merkmal", "Hinweis", "n", "Mittelwert", "Median", "unteres Quartil", "oberes Quartil", "Standardabweichung",
    )  # fmt: skip
    assert rows[1] == ("Gesamtwert", "weniger als 5 Schulen: nicht gezeigt", 2, None, None, None, None, None)
    assert [row[0] for row in rows[1:9]] == ["Gesamtwert", "1. Erstes Kriterium", "2. Zweites Kriterium", *INDICATORS]
    assert rows[10][0] == "Regel"


def test_xlsx_statistics_of_ten_schools_show_mean_median_and_quartiles():
    rows = [(f"1000{n:02d}", f"Schule {n}", "02", "05913", "Arnsberg", "Dortmund", "submitted") for n in range(10)]
    values = {row[0]: [float(n)] * 5 for n, row in enumerate(rows)}
    criteria = {row[0]: [float(n)] * 3 for n, row in enumerate(rows)}
    statistics = list(workbook(export(rows, values, criteria))["Statistik"].iter_rows(values_only=True))
    assert statistics[1][:7] == ("Gesamtwert", None, 10, 4.5, 4.5, 2.25, 6.75)  # an empty note reads back as None
    assert round(statistics[1][7], 10) == round(3.0276503540974917, 10)
