"""The team's own results and plan as a spreadsheet (XLSX, openpyxl as in selfeval.exports): sheet "Ergebnis" with
the criteria and indicators, their scores and comments where the reader may see them, sheet "Plan" with the goals
and their measures. Text people typed is stored as text, never as a formula (exports.text_cell)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..exports import ONE_DECIMAL, WHOLE, number_cell, text_cell
from .plan_document import WITHHELD, PlanDocument, german_date, status_label

RESULT_HEADERS = ["Nr.", "Kriterium / Indikator", "Wert", "Anmerkung"]
PLAN_HEADERS = ["Ziel", "Indikatoren", "Zielwert", "Woran erkennbar", "Maßnahme", "Wer", "Bis wann", "Stand", "Angebote"]
RESULT_WIDTHS = [6, 70, 8, 60]
PLAN_WIDTHS = [6, 14, 9, 40, 40, 22, 11, 11, 40]


def render_plan_xlsx(document: PlanDocument) -> bytes:
    workbook = Workbook(write_only=True)
    _results(workbook.create_sheet("Ergebnis"), document)
    _plan(workbook.create_sheet("Plan"), document)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _start(sheet, headers: list[str], widths: list[int]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, header, bold) for header in headers])


def _results(sheet, document: PlanDocument) -> None:
    _start(sheet, RESULT_HEADERS, RESULT_WIDTHS)
    shown = document.scores_shown
    for criterion in document.report.criteria:
        score = number_cell(sheet, criterion.score, ONE_DECIMAL) if shown else text_cell(sheet, WITHHELD)
        sheet.append([text_cell(sheet, f"{criterion.number}."), text_cell(sheet, criterion.title), score])
        for line in criterion.indicators:
            rated = None if line.score is None else float(line.score)
            value = number_cell(sheet, rated, WHOLE) if shown else text_cell(sheet, WITHHELD)
            comment = document.comments.get(line.id, "")
            sheet.append([text_cell(sheet, line.label), text_cell(sheet, line.text), value, text_cell(sheet, comment)])


def _plan(sheet, document: PlanDocument) -> None:
    """One row per measure (a goal without measures gets one row of its own); the goal's cells on each of its rows,
    so that a filter on a column keeps whole rows."""
    _start(sheet, PLAN_HEADERS, PLAN_WIDTHS)
    for number, goal in enumerate(document.goals, 1):
        goal_cells = [
            number_cell(sheet, float(number), WHOLE),
            text_cell(sheet, document.indicators_text(goal)),
            number_cell(sheet, goal.target, ONE_DECIMAL),
            text_cell(sheet, goal.success),
        ]
        if not goal.measures:
            sheet.append(goal_cells)
        for measure in goal.measures:
            sheet.append([
                *[_copy(sheet, cell) for cell in goal_cells],
                text_cell(sheet, measure.what),
                text_cell(sheet, measure.who),
                text_cell(sheet, german_date(measure.due) if measure.due else ""),
                text_cell(sheet, status_label(measure)),
                text_cell(sheet, document.offers_text(measure)),
            ])  # fmt: skip


def _copy(sheet, cell):
    """A write-only cell is written once: each row gets its own."""
    if cell.data_type == "n":
        return number_cell(sheet, None if cell.value is None else float(cell.value), cell.number_format)
    return text_cell(sheet, cell.value)
