"""The Word document for the school's Medienkonzept (python-docx): the results, the radar chart, the goals with
their measures, last year's goals and the agreements, under real heading styles so that a school can paste the
parts into its own text. Returns bytes; knows nothing of Flask or the database (like the PDF renderer, it adds
one document library: python-docx)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt
from docx.table import Table

from .chart import report_radar
from .plan_document import (
    WITHHELD,
    PlanDocument,
    german_date,
    german_number,
    reached_text,
    status_label,
)
from .radar_png import radar_png

INTRO = (
    "Dieses Dokument fasst die Selbstevaluation der Schule zur digitalen Schulentwicklung und die daraus "
    "abgeleiteten Entwicklungsvorhaben zusammen. Die Abschnitte können in das Medienkonzept der Schule "
    "übernommen und dort ergänzt werden."
)
SCORES_WITHHELD = (
    "Die Bewertung ist noch nicht abgeschlossen; ihre Werte gehören bis zum Abschluss dem Team der Schule und "
    "stehen deshalb nicht in diesem Dokument."
)
MEASURE_HEADERS = ("Was", "Wer", "Bis wann", "Stand", "Angebote")
CHART_WIDTH = Cm(15)


def render_plan_docx(document: PlanDocument) -> bytes:
    """The document as DOCX bytes."""
    doc = Document()
    doc.core_properties.title = document.title
    doc.core_properties.language = "de-DE"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(document.title, level=0)
    school = document.report.school
    doc.add_paragraph(
        f"{school.name}, {school.ort} (Schulnummer {school.schulnummer}) · Erhebungsrunde {document.report.round_name}"
    )
    doc.add_paragraph(INTRO)
    _results(doc, document)
    _goals(doc, document)
    _previous(doc, document)
    _agreements(doc, document)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: DocxDocument, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Table:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    return table


def _results(doc: DocxDocument, document: PlanDocument) -> None:
    report = document.report
    doc.add_heading("Ergebnis der Selbstevaluation", level=1)
    if not document.scores_shown:
        doc.add_paragraph(SCORES_WITHHELD)
        return
    status = "abgeschlossen" if report.is_submitted else "Entwurf, noch nicht abgeschlossen"
    doc.add_paragraph(
        f"Gesamtwert {german_number(report.overall)} auf der Skala von {report.scale_min} bis {report.scale_max} "
        f"({report.rated} von {report.total} Indikatoren bewertet; Bewertung {status})."
    )
    if report.rated:
        doc.add_picture(io.BytesIO(radar_png(report_radar(report))), width=CHART_WIDTH)
        doc.add_paragraph(f"Abbildung: Werte je Kriterium, Skala {report.scale_min} bis {report.scale_max}.")
    rows: list[tuple[str, ...]] = []
    for criterion in report.criteria:
        rows.append((f"{criterion.number}.", criterion.title, german_number(criterion.score)))
        rows += [(line.label, line.text, _score(line.score)) for line in criterion.indicators]
    _table(doc, ("Nr.", "Kriterium / Indikator", "Wert"), rows)


def _score(score: int | None) -> str:
    return "–" if score is None else str(score)


def _goals(doc: DocxDocument, document: PlanDocument) -> None:
    doc.add_heading("Entwicklungsvorhaben", level=1)
    if not document.goals:
        doc.add_paragraph("Für diese Erhebungsrunde sind noch keine Entwicklungsziele festgehalten.")
        return
    for number, goal in enumerate(document.goals, 1):
        doc.add_heading(f"Ziel {number}: Indikatoren {document.indicators_text(goal)}", level=2)
        doc.add_paragraph(f"Zielwert für das nächste Schuljahr: {german_number(goal.target)}")
        if goal.success:
            doc.add_paragraph(f"Woran wir erkennen, dass das Ziel erreicht ist: {goal.success}")
        if goal.measures:
            rows = [
                (m.what, m.who or "–", german_date(m.due), status_label(m), document.offers_text(m) or "–")
                for m in goal.measures
            ]
            _table(doc, MEASURE_HEADERS, rows)
        else:
            doc.add_paragraph("Noch keine Maßnahmen.")


def _previous(doc: DocxDocument, document: PlanDocument) -> None:
    previous = document.previous
    if previous is None:
        return
    doc.add_heading(f"Ziele des Vorjahres ({previous.round_name})", level=1)
    rows = []
    for outcome in previous.outcomes:
        achieved = german_number(outcome.achieved) if previous.achieved_shown else WITHHELD
        before = german_number(outcome.before) if previous.before_shown else WITHHELD
        reached = reached_text(outcome) if previous.achieved_shown else WITHHELD
        goal = outcome.goal
        target = german_number(goal.target)
        rows.append((document.indicators_text(goal), target, before, achieved, reached, str(outcome.open_measures)))
    _table(doc, ("Indikatoren", "Zielwert", "Vorher", "Erreicht", "Ergebnis", "Offene Maßnahmen"), rows)


def _agreements(doc: DocxDocument, document: PlanDocument) -> None:
    doc.add_heading("Vereinbarungen mit der Medienberatung", level=1)
    if not document.agreements:
        doc.add_paragraph("Noch keine Vereinbarungen festgehalten.")
        return
    rows = [
        (
            german_date(a.held_on), a.participants, a.text, german_date(a.next_contact),
            f"bestätigt am {german_date(a.confirmed_on)}" if a.confirmed else "noch nicht bestätigt",
        )
        for a in document.agreements
    ]  # fmt: skip
    _table(doc, ("Datum", "Teilnehmende", "Vereinbart", "Nächster Kontakt", "Bestätigung"), rows)
