"""Tables for spreadsheets: CSV for German Excel and XLSX, from the analytics frames (no Flask, no database).

Only submitted assessments carry scores; other schools are listed with their state ("Stand") and empty cells.
Text that came from people (school names, places) can never become a formula: in CSV a leading
=, +, -, @, tab or CR gets an apostrophe in front (OWASP's advice); in XLSX such text is stored as a
string cell with Excel's quote prefix, so it shows as typed and is never evaluated (control
characters that XML cannot carry are dropped; a CR reads back as a line feed).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .catalog import Catalog, indicator_letter
from .reference import kreis, schulform_label
from .scoring.aggregate import MIN_GROUP_SIZE, MIN_QUARTILE_GROUP_SIZE, OVERALL, area_statistics
from .vocabulary import STATE_COLUMN, state_label

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Numbers show one decimal (Excel writes the comma in German); the cell keeps the full value.
ONE_DECIMAL = "0.0"
WHOLE = "0"
STATISTICS_HEADERS = [
    "Merkmal", "Hinweis", "n", "Mittelwert", "Median", "unteres Quartil", "oberes Quartil", "Standardabweichung",
]  # fmt: skip
MAX_COLUMN_WIDTH = 60
STAT_COLUMNS = ["mean", "median", "q1", "q3", "std"]
STATISTICS_RULE = (
    f"Abgeschlossene Bewertungen. Mittelwert ab {MIN_GROUP_SIZE} Schulen, Median, Quartile und Standardabweichung ab "
    f"{MIN_QUARTILE_GROUP_SIZE} Schulen; kleinster und größter Wert nie (sie wären der Wert einer einzelnen Schule)."
)
METADATA_HEADERS = [
    "Schulnummer", "Schule", "Schulform", "Schulform-Schlüssel", "Ort", "Kreis", "Kreisschlüssel",
    "Bezirksregierung", "Erhebungsrunde", STATE_COLUMN,
]  # fmt: skip


@dataclass(frozen=True)
class ExportData:
    round_name: str
    catalog: Catalog
    schools: pd.DataFrame  # aggregate's schools frame (index Schulnummer)
    indicator_scores: pd.DataFrame
    criterion_scores: pd.DataFrame


def neutralize(text: str) -> str:
    """CSV: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def criterion_headers(catalog: Catalog) -> list[str]:
    return ["Gesamtwert"] + [f"{n}. {criterion.title}" for n, criterion in enumerate(catalog.criteria, 1)]


def indicator_headers(catalog: Catalog) -> list[str]:
    return [
        f"{n}{indicator_letter(i)})"
        for n, criterion in enumerate(catalog.criteria, 1)
        for i, _ in enumerate(criterion.indicators)
    ]


def to_csv(data: ExportData) -> bytes:
    """One row per school: metadata, overall and criterion scores, indicator scores; UTF-8 with BOM, `;`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(METADATA_HEADERS + criterion_headers(data.catalog) + indicator_headers(data.catalog))
    for metadata, criteria, indicators in _rows(data):
        writer.writerow(
            [neutralize(value) for value in metadata]
            + [_german_number(value) for value in criteria]
            + [_german_number(value) for value in indicators]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(data: ExportData) -> bytes:
    """Sheets: criterion scores, indicator scores (both with school metadata), statistics, what the columns mean.

    Made for a meeting: columns as wide as their content, the header row and the school's number and name frozen,
    an autofilter, numbers shown with one decimal (the cell keeps full precision), and a print layout (landscape,
    one page wide, the header row on every page).
    """
    workbook = Workbook(write_only=True)
    rows = list(_rows(data))
    criteria = [(metadata, values) for metadata, values, _ in rows]
    indicators = [(metadata, values) for metadata, _, values in rows]
    _table_sheet(workbook.create_sheet("Kriterien"), METADATA_HEADERS + criterion_headers(data.catalog), criteria)
    _table_sheet(workbook.create_sheet("Indikatoren"), METADATA_HEADERS + indicator_headers(data.catalog), indicators)
    _statistics(workbook.create_sheet("Statistik"), data)
    _legend(workbook.create_sheet("Legende"), data, Font(bold=True))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table_sheet(
    sheet, headers: list[str], rows: list[tuple[list[str], list[float | None]]], frozen: str = "C2", integers: int = 0
) -> None:
    """Headers, then rows of texts and numbers (the first `integers` numbers without decimals); widths, freeze,
    filter and print layout set before any row is written (a write-only sheet writes them first)."""
    texts = [[*metadata, *(_shown(value) for value in values)] for metadata, values in rows]
    for index, header in enumerate(headers):
        longest = max([len(header), *(len(row[index]) for row in texts)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, 6), MAX_COLUMN_WIDTH)
    sheet.freeze_panes = frozen
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    _print_layout(sheet)
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, header, bold) for header in headers])
    for metadata, values in rows:
        numbers = [number_cell(sheet, value, WHOLE if i < integers else ONE_DECIMAL) for i, value in enumerate(values)]
        sheet.append([text_cell(sheet, value) for value in metadata] + numbers)


def _print_layout(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _shown(value: float | None) -> str:
    """The value as the sheet shows it (for the column width)."""
    return "" if value is None else f"{value:.1f}"


def number_cell(sheet, value: float | None, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_number(value))
    cell.number_format = number_format
    return cell


def _statistics(sheet, data: ExportData) -> None:
    """Per overall score, criterion and indicator: what the small-group rule lets be shown of the submitted schools."""
    labels = [("Gesamtwert", OVERALL)] + [(f"{n}. {c.title}", c.id) for n, c in enumerate(data.catalog.criteria, 1)]
    criterion_stats = area_statistics(data.criterion_scores, [key for _, key in labels])
    indicator_ids = [indicator.id for indicator in data.catalog.indicators]
    indicator_stats = area_statistics(data.indicator_scores, indicator_ids)
    rows = [(label, criterion_stats.loc[key]) for label, key in labels]
    headers = indicator_headers(data.catalog)
    rows += [(header, indicator_stats.loc[key]) for header, key in zip(headers, indicator_ids, strict=True)]
    table = [
        ([label, _rule_note(int(row["n"]))], [float(row["n"]), *(_value(row[column]) for column in STAT_COLUMNS)])
        for label, row in rows
    ]
    _table_sheet(sheet, STATISTICS_HEADERS, table, frozen="B2", integers=1)
    sheet.append([])
    sheet.append([text_cell(sheet, "Regel"), text_cell(sheet, STATISTICS_RULE)])


def _rule_note(n: int) -> str:
    if n < MIN_GROUP_SIZE:
        return f"weniger als {MIN_GROUP_SIZE} Schulen: nicht gezeigt"
    return f"unter {MIN_QUARTILE_GROUP_SIZE} Schulen: nur Mittelwert" if n < MIN_QUARTILE_GROUP_SIZE else ""


def _rows(data: ExportData) -> Iterable[tuple[list[str], list[float | None], list[float | None]]]:
    criterion_columns = [OVERALL] + [criterion.id for criterion in data.catalog.criteria]
    indicator_columns = [indicator.id for indicator in data.catalog.indicators]
    criteria = data.criterion_scores.reindex(index=data.schools.index, columns=criterion_columns)
    indicators = data.indicator_scores.reindex(index=data.schools.index, columns=indicator_columns)
    for (schulnummer, school), criterion_row, indicator_row in zip(
        data.schools.iterrows(), criteria.itertuples(index=False), indicators.itertuples(index=False), strict=True
    ):
        found = kreis(school["kreis"])
        metadata = [
            str(schulnummer),
            str(school["name"]),
            schulform_label(school["schulform"]),
            str(school["schulform"]),
            str(school["ort"]),
            found.name if found else "",
            str(school["kreis"]),
            str(school["bezirksregierung"]),
            data.round_name,
            state_label(school["status"]),
        ]
        yield metadata, [_value(v) for v in criterion_row], [_value(v) for v in indicator_row]


def _value(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _german_number(value: float | None) -> str:
    """German Excel reads "6,25" as a number; at most four decimals, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _number(value: float | None):
    if value is None:
        return None
    return int(value) if value.is_integer() else value


def text_cell(sheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    # XML 1.0 cannot carry most control characters; openpyxl refuses them, so they are dropped. A CR becomes a line
    # feed here, as an XML reader would make it: with lxml installed (python-docx needs it) openpyxl writes it escaped.
    kept = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    cell = WriteOnlyCell(sheet, value=kept)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _legend(sheet, data: ExportData, bold: Font) -> None:
    sheet.append([text_cell(sheet, "Spalte", bold), text_cell(sheet, "Bedeutung", bold)])
    sheet.append([text_cell(sheet, "Gesamtwert"), text_cell(sheet, "Mittelwert der Kriterienwerte")])
    for number, criterion in enumerate(data.catalog.criteria, 1):
        sheet.append([text_cell(sheet, f"{number}. {criterion.title}"), text_cell(sheet, "Mittelwert der Indikatoren")])
        for position, indicator in enumerate(criterion.indicators):
            sheet.append([text_cell(sheet, f"{number}{indicator_letter(position)})"), text_cell(sheet, indicator.text)])
    scale = data.catalog.scale
    note = f"Skala {scale.min} bis {scale.max}. Werte nur für abgeschlossene Bewertungen. Quelle: {data.catalog.title}."
    sheet.append([])
    sheet.append([text_cell(sheet, "Hinweis"), text_cell(sheet, note)])
