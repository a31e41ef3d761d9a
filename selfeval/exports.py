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

from .catalog import Catalog, indicator_letter
from .reference import kreis, schulform_label
from .scoring.aggregate import OVERALL
from .vocabulary import STATE_COLUMN, state_label

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
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
    """Sheets: criterion scores, indicator scores (both with school metadata), and what the columns mean."""
    workbook = Workbook(write_only=True)
    criteria_sheet = workbook.create_sheet("Kriterien")
    indicators_sheet = workbook.create_sheet("Indikatoren")
    bold = Font(bold=True)
    criteria_sheet.append([_text_cell(criteria_sheet, h, bold) for h in METADATA_HEADERS + criterion_headers(data.catalog)])
    indicators_sheet.append([_text_cell(indicators_sheet, h, bold) for h in METADATA_HEADERS + indicator_headers(data.catalog)])
    for metadata, criteria, indicators in _rows(data):
        texts = [_text_cell(criteria_sheet, value) for value in metadata]
        criteria_sheet.append(texts + [_number(value) for value in criteria])
        texts = [_text_cell(indicators_sheet, value) for value in metadata]
        indicators_sheet.append(texts + [_number(value) for value in indicators])
    _legend(workbook.create_sheet("Legende"), data, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def _text_cell(sheet, value: str, font: Font | None = None) -> WriteOnlyCell:
    # XML 1.0 cannot carry most control characters; openpyxl refuses them, so they are dropped.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _legend(sheet, data: ExportData, bold: Font) -> None:
    sheet.append([_text_cell(sheet, "Spalte", bold), _text_cell(sheet, "Bedeutung", bold)])
    sheet.append([_text_cell(sheet, "Gesamtwert"), _text_cell(sheet, "Mittelwert der Kriterienwerte")])
    for number, criterion in enumerate(data.catalog.criteria, 1):
        sheet.append([_text_cell(sheet, f"{number}. {criterion.title}"), _text_cell(sheet, "Mittelwert der Indikatoren")])
        for position, indicator in enumerate(criterion.indicators):
            sheet.append([_text_cell(sheet, f"{number}{indicator_letter(position)})"), _text_cell(sheet, indicator.text)])
    scale = data.catalog.scale
    note = f"Skala {scale.min} bis {scale.max}. Werte nur für abgeschlossene Bewertungen. Quelle: {data.catalog.title}."
    sheet.append([])
    sheet.append([_text_cell(sheet, "Hinweis"), _text_cell(sheet, note)])
