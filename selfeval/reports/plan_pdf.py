"""The "Entwicklungsschwerpunkte" of a report as reportlab flowables (issue 18); pdf.render_pdf places them
after "Auf einen Blick" and before the details per criterion."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer, Table, TableStyle

from ..display import format_score
from . import plan_section as words
from .fonts import BOLD, REGULAR
from .model import ReportData
from .paragraph import KeptParagraph
from .pdf import _PLAIN_CELLS, _UNPRINTABLE, CONTENT_WIDTH, HEAD_FILL, RULE, _catalog_p, _p, _styles, markup
from .plan_section import FocusArea, GoalFollowUp, PlanIndicator, PlanMeasure, PlanSection


@cache
def _extra() -> dict[str, ParagraphStyle]:
    body = _styles()["body"]
    return {
        "goal": ParagraphStyle("goal", parent=body, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=3),
        "label": ParagraphStyle("plan_label", parent=body, fontName=BOLD, fontSize=9, leading=12, spaceBefore=5, spaceAfter=2),
        "line": ParagraphStyle("plan_line", parent=body, fontSize=9, leading=12, spaceAfter=1),
        "bullet": ParagraphStyle(
            "plan_bullet", parent=body, fontSize=8.8, leading=11.5, leftIndent=11, bulletIndent=1, spaceAfter=1.5
        ),
    }


def _style(name: str) -> ParagraphStyle:
    return _extra().get(name) or _styles()[name]


@cache
def _fragment(name: str):
    """A one-fragment paragraph's fragment in the style, to be copied with a text (see _x)."""
    return Paragraph("x", _style(name)).frags[0]


def _x(value: str, style: str = "body") -> Paragraph:
    """The school's plain text as a paragraph, without parsing markup: a plan's texts differ in every report, and
    parsing is a third of a paragraph's cost. Text with line breaks goes the ordinary way (escaped)."""
    if "\n" in value:
        return Paragraph(markup(value), _style(style))
    frags = [_fragment(style).clone(text=_UNPRINTABLE.sub("", value))]
    return KeptParagraph("", _style(style), frags=frags, key=("plain", value, _style(style)))


def _labelled(label: str, value: str, style: str) -> Paragraph:
    """ "<b>label</b> value" without parsing the school's text (see _x)."""
    if "\n" in value:
        return Paragraph(f"<b>{markup(label)}</b> {markup(value)}", _style(style))
    bold, plain = _fragment(style).clone(text=f"{label} ", fontName=BOLD), _fragment(style).clone(text=value)
    return KeptParagraph("", _style(style), frags=[bold, plain], key=("labelled", label, value, _style(style)))


def _cell(value: str, width: float):
    """A table cell: a plain string where it fits on one line (drawn by the table, far cheaper), else a paragraph."""
    if "\n" not in value and stringWidth(value, REGULAR, 8.8) <= width - 12:
        return _UNPRINTABLE.sub("", value)
    return _x(value, "cell")


def development(data: ReportData, suggestions: Callable[[ReportData], list]) -> list:
    """The school's Entwicklungsschwerpunkte where it set goals; else the suggestions, with the note that the plan is
    withheld before them, or last year's goals and the agreements after them."""
    plan = plan_story(data)
    if data.has_plan_goals:
        return plan
    return [*plan, *suggestions(data)] if data.plan_withheld else [*suggestions(data), *plan]


def plan_story(data: ReportData) -> list:
    """The section: the focus areas (from a new page unless most of one is left), last year's goals followed up,
    the agreements.
    Without goals it follows the suggestions and holds only last year's goals and the agreements."""
    if data.plan_withheld:
        return [CondPageBreak(30 * mm), _p(words.HEADING, "h2"), _p(words.PLAN_WITHHELD)]
    section = data.plan
    if section is None:
        return []
    out: list = [CondPageBreak(90 * mm) if section.focus else CondPageBreak(45 * mm), _p(words.HEADING, "h2")]
    if section.focus:
        out.append(_p(words.intro(data.round_name), "small"))
        for area in section.focus:
            out += _focus(area)
        if note := words.not_covered_note(section):
            out += [Spacer(1, 6), _p(note, "small")]
    else:
        out.append(_p(words.NO_GOALS))
    out += _previous(section) + _agreements(section)
    return out


def _focus(area: FocusArea) -> list:
    head = [_x(words.focus_heading(area), "goal"), _indicator_table(area.indicators), Spacer(1, 3)]
    head.append(_x(words.target_line(area), "line"))
    if area.success:
        head.append(_labelled("Woran wir es merken:", area.success, "line"))
    out = [KeepTogether(head)]
    if area.measures:
        # The heading keeps to the table's first rows; a long table runs on, its header repeated.
        out += [CondPageBreak(35 * mm), _x(words.MEASURES_HEADING, "label"), _measure_table(area.measures)]
    if area.offers:
        offers = [_offer(f"<b>{markup(offer.title)}</b> – {markup(words.offer_line(offer))}") for offer in area.offers]
        out += [KeepTogether([_x(words.OFFERS_HEADING, "label"), offers[0]]), *offers[1:]]
    if note := words.offers_above_note(area):
        out += [Spacer(1, 3), _x(note, "small")]
    return out


def _offer(entry: str) -> Paragraph:
    """A chosen offer: catalogue text, whose markup is parsed once per process."""
    style = _style("bullet")
    return KeptParagraph(entry, style, bulletText="•", frags=_offer_fragments(entry), key=(entry, style, "•"))


@lru_cache(maxsize=1024)
def _offer_fragments(entry: str) -> list:
    return Paragraph(entry, _style("bullet"), bulletText="•").frags


def _indicator_table(indicators: tuple[PlanIndicator, ...]) -> Table:
    rows = [[i.label, _catalog_p(i.text, "cell"), "–" if i.score is None else f"Wert {i.score}"] for i in indicators]
    table = Table(rows, colWidths=[10 * mm, CONTENT_WIDTH - 30 * mm, 20 * mm])
    table.setStyle(TableStyle([*_PLAIN_CELLS, ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("ALIGN", (-1, 0), (-1, -1), "RIGHT")]))
    return table


def _measure_table(measures: tuple[PlanMeasure, ...]) -> Table:
    # "Wer" holds a long function such as "Fachkonferenzvorsitzende" on one line.
    widths = [CONTENT_WIDTH - 94 * mm, 48 * mm, 20 * mm, 26 * mm]
    rows: list[list] = [["Was", "Wer", "Bis wann", "Stand"]]
    rows += [
        [_cell(m.what, widths[0]), _cell(words.who_text(m.who), widths[1]), words.due_text(m.due),
         _cell(words.status_text(m), widths[3])]
        for m in measures
    ]  # fmt: skip
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(_head_style())
    return table


def _head_style() -> TableStyle:
    return TableStyle([*_PLAIN_CELLS, ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)])


def _previous(section: PlanSection) -> list:
    if not section.previous:
        return []
    rows: list[list] = [["Schwerpunkt", "Ziel", "vorher", "jetzt", "Ergebnis"]]
    rows += [_outcome_row(goal) for goal in section.previous]
    table = Table(rows, colWidths=[CONTENT_WIDTH - 84 * mm, 15 * mm, 15 * mm, 15 * mm, 39 * mm], repeatRows=1, splitInRow=1)
    style = _head_style()
    style.add("ALIGN", (1, 0), (3, -1), "RIGHT")
    for row, goal in enumerate(section.previous, 1):
        if goal.reached is not None:  # "erreicht" / "noch nicht erreicht" stand out; "kein Zielwert" does not
            style.add("FONTNAME", (4, row), (4, row), BOLD)
    table.setStyle(style)
    heading = _p(words.previous_heading(section), "h3")
    return [CondPageBreak(45 * mm), heading, table]


def _outcome_row(goal: GoalFollowUp) -> list:
    """Last year's goal: its indicators (shortened: the details stand under "Ergebnisse je Kriterium"), what was to
    show it, its measures; target, before, now and the outcome."""
    cell = [_catalog_p(f"{i.label} {words.shortened(i.text, words.FOLLOW_UP_TEXT + 30)}", "cell") for i in goal.indicators]
    if goal.success:
        cell.append(_x(words.success_line(goal), "comment"))
    cell.append(_x(words.measures_line(goal.measures), "comment"))
    outcome = words.outcome_text(goal)
    return [cell, format_score(goal.target), format_score(goal.before), format_score(goal.achieved), outcome]


def _agreements(section: PlanSection) -> list:
    if not section.agreements:
        return []
    out: list = [CondPageBreak(35 * mm), _p(words.AGREEMENTS_HEADING, "h3")]
    for agreement in section.agreements:
        lines = agreement.text.split("\n")
        block = [_x(words.agreement_line(agreement), "label"), _x(lines[0])]
        rest = [_x(line) if line else Spacer(1, 6) for line in lines[1:]]
        out += [KeepTogether(block), *rest, _x(words.confirmation_text(agreement), "small"), Spacer(1, 4)]
    return out
