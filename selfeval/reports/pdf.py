"""Render a ReportData as PDF bytes with reportlab (the only module family that imports reportlab)."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from io import BytesIO
from xml.sax.saxutils import escape  # escape() only writes markup, nothing is parsed  # nosec B406

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..display import format_date, format_score, format_signed_score
from ..vocabulary import DRAFT_SHORT
from . import text
from .chart import COMPARISON_LABEL, previous_label, report_radar
from .flowables import RadarChart, ScoreBar, fit_text, numbered_canvas
from .fonts import BOLD, REGULAR, register_fonts
from .model import CriterionLine, Highlight, NextStep, ReportData
from .paragraph import KeptParagraph

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP_MARGIN = 30 * mm
BOTTOM_MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1d2630")
MUTED = colors.HexColor("#4a5561")
RULE = colors.HexColor("#c3cbd3")
HEAD_FILL = colors.HexColor("#eef1f4")

# Characters a PDF text string cannot carry sensibly (C0 controls except tab/newline, DEL, C1, non-characters).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def markup(value: str) -> str:
    """User or catalogue text as Paragraph markup that prints literally: escaped, line breaks kept."""
    cleaned = _UNPRINTABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return escape(cleaned).replace("\n", "<br/>")


@cache
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.8, leading=11.5),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=8.8, leading=11.5, alignment=TA_RIGHT),
        "comment": ParagraphStyle("comment", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
        "kicker": ParagraphStyle("kicker", parent=base, fontSize=10, leading=13, textColor=MUTED),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=18, leading=23, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=13.5, leading=18, spaceBefore=12, spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=9, spaceAfter=4),
        "lead": ParagraphStyle("lead", parent=base, fontName=BOLD, fontSize=12, leading=16, spaceAfter=4),
        "subhead": ParagraphStyle("subhead", parent=base, spaceBefore=5, spaceAfter=2),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=2, bulletFontName=REGULAR),
        "h4": ParagraphStyle("h4", parent=base, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=5.5, spaceAfter=1),
        "compact": ParagraphStyle("compact", parent=base, fontSize=8.3, leading=10),
        "note": ParagraphStyle("note", parent=base, fontSize=7.8, leading=9.4, textColor=MUTED),
        "label": ParagraphStyle("label", parent=base, fontSize=8.3, leading=10, spaceBefore=1.5, textColor=MUTED),
        "compact_bullet": ParagraphStyle(
            "compact_bullet", parent=base, fontSize=8.3, leading=10, leftIndent=10, bulletIndent=1, bulletFontName=REGULAR
        ),
    }


# Short one-line cells are plain strings drawn by the table itself: far cheaper than a Paragraph each.
_PLAIN_CELLS = [
    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
    ("FONTSIZE", (0, 0), (-1, -1), 8.8),
    ("LEADING", (0, 0), (-1, -1), 11.5),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
]


def _p(value: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped here). Most such texts recur in every report (headings, notes), so they
    are parsed and broken into lines once per process, as catalogue texts are."""
    return _catalog_rich(markup(value), style)


def _catalog_p(value: str, style: str = "body", bullet: str | None = None) -> Paragraph:
    """A paragraph of catalogue text (plain), which recurs in every report."""
    return _catalog_rich(markup(value), style, bullet)


def _catalog_rich(value: str, style: str = "body", bullet: str | None = None) -> Paragraph:
    """Catalogue markup is parsed once per process, not once per report (parsing is a third of a paragraph's cost),
    and its lines are broken once per width (paragraph.KeptParagraph)."""
    frags, paragraph_style = _parsed(value, style, bullet), _styles()[style]
    return KeptParagraph(value, paragraph_style, bulletText=bullet, frags=frags, key=(value, paragraph_style, bullet))


@lru_cache(maxsize=4096)
def _parsed(value: str, style: str, bullet: str | None) -> list:
    return Paragraph(value, _styles()[style], bulletText=bullet).frags


def _rich(value: str, style: str = "body", **kwargs) -> Paragraph:
    """A paragraph whose markup the caller built from escaped parts."""
    return KeptParagraph(value, _styles()[style], **kwargs)


def render_pdf(data: ReportData) -> bytes:
    """The report as a PDF document (A4, German, fonts embedded)."""
    styles = _styles()  # registers the fonts before anything measures text
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=f"{text.TITLE}: {data.school.name}, {data.round_name}",
        author="selfeval",
        subject=data.catalog_title,
        creator="selfeval",
        lang="de-DE",
    )
    from .plan_pdf import development  # the school's plan, or the suggestions (it builds on this module's styles)

    story = [*_title_block(data, styles), *_at_a_glance(data), *_highlights(data), *development(data, _suggestions)]
    story += _criteria(data)
    story += _spread(data)
    # The notes go with the last heading and table before them: they never start a page of their own.
    story[-2:] = [KeepTogether([*story[-2:], *_closing(data)])]
    document.build(story, canvasmaker=numbered_canvas(lambda canvas, n, total: _frame(canvas, data, n, total)))
    return buffer.getvalue()


def _frame(canvas, data: ReportData, number: int, total: int) -> None:
    """Every page: school, Schulnummer, Schulform, Ort, round and submission date on top; page x von y below."""
    school = data.school
    canvas.saveState()
    top = PAGE_HEIGHT - 14 * mm
    right = PAGE_WIDTH - MARGIN
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 9.5)
    canvas.drawString(MARGIN, top, fit_text(school.name, BOLD, 9.5, CONTENT_WIDTH - 150))
    canvas.drawRightString(right, top, f"Erhebungsrunde {data.round_name}")
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(MUTED)
    details = f"Schulnummer {school.schulnummer} · {school.schulform} · {school.ort or school.kreis}"
    canvas.drawString(MARGIN, top - 11, fit_text(details, REGULAR, 8.5, CONTENT_WIDTH - 190))
    canvas.drawRightString(right, top - 11, text.status_line(data) if data.is_submitted else DRAFT_SHORT)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - 17, right, top - 17)
    canvas.line(MARGIN, 13 * mm, right, 13 * mm)
    canvas.drawString(MARGIN, 9 * mm, f"{text.TITLE} · erstellt am {format_date(data.created_on)}")
    canvas.drawRightString(right, 9 * mm, f"Seite {number} von {total}")
    if not data.is_submitted:
        _draft_band(canvas, data)
    canvas.restoreState()


def _draft_band(canvas, data: ReportData) -> None:
    """A dark band with white bold text under the header of every page: a draft must not pass for a result
    (dark on light paper reads in greyscale and on any printer)."""
    top = PAGE_HEIGHT - 21 * mm
    height = 6.5 * mm
    canvas.setFillColor(INK)
    canvas.rect(MARGIN, top - height, CONTENT_WIDTH, height, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(BOLD, 10)
    note = text.basis_note(data.rated, data.total)
    line = text.DRAFT_MARK + (f" · {note}" if note else "")
    canvas.drawCentredString(PAGE_WIDTH / 2, top - height + 2.2 * mm, fit_text(line, BOLD, 10, CONTENT_WIDTH - 8))


def _title_block(data: ReportData, styles) -> list:
    school = data.school
    place = school.ort if not school.kreis or school.ort == school.kreis else f"{school.ort} ({school.kreis})"
    facts = [f"Schulnummer {school.schulnummer}", school.schulform, place, f"Erhebungsrunde {data.round_name}"]
    facts.append(text.status_line(data))
    return [_p(text.TITLE, "kicker"), _p(school.name, "h1"), _p(" · ".join(part for part in facts if part))]


def _at_a_glance(data: ReportData) -> list:
    out = [_p("Auf einen Blick", "h2"), _p(text.overall_line(data), "lead")]
    facts = []
    if data.has_previous:
        facts.append(
            f"{data.previous_round_name}: {format_score(data.previous_overall)} ({format_signed_score(data.overall_change)})"
        )
    if data.comparison.is_shown:
        facts.append(f"{COMPARISON_LABEL}: {format_score(data.comparison.overall_mean)}")
    if facts:
        out.append(_p(" · ".join(facts)))
    out.append(Spacer(1, 4))
    out.append(RadarChart(report_radar(data), width=CONTENT_WIDTH * 0.74))
    out.append(Spacer(1, 4))
    out.append(
        _p(f"Skala {data.scale_min} bis {data.scale_max}; Ringe in Zweierschritten. Die Werte stehen in der Tabelle.", "small")
    )
    out.append(CondPageBreak(60 * mm))
    out += [_p("Werte je Kriterium", "h3"), _criterion_table(data), Spacer(1, 4)]
    out += [_p(text.comparison_note(data), "small"), _p(text.previous_note(data), "small")]
    return out


def _criterion_table(data: ReportData) -> Table:
    header = ["Kriterium", data.round_name]
    if data.comparison.is_shown:
        header.append("Vergleichs-\ngruppe")
    if data.has_previous:
        header += [f"Vorjahr\n{data.previous_round_name}", "Verände-\nrung"]
    rows: list[list] = [header]
    for c in data.criteria:
        basis = text.criterion_basis(c)
        label = f"{c.number}. {c.title}" + (f" ({basis})" if basis else "")
        rows.append(_criterion_row(label, c.score, c.comparison_mean, c.previous_score, c.change, data))
    rows.append(
        _criterion_row("Gesamtwert", data.overall, data.comparison.overall_mean, data.previous_overall, data.overall_change, data)
    )
    number_width = 23 * mm
    widths = [CONTENT_WIDTH - number_width * (len(header) - 1)] + [number_width] * (len(header) - 1)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *_PLAIN_CELLS,
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LINEABOVE", (0, -1), (-1, -1), 0.9, INK),
                ("FONTNAME", (1, -1), (-1, -1), BOLD),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _criterion_row(label, score, comparison, previous, change, data: ReportData) -> list:
    row: list = [_p(label, "cell"), format_score(score)]
    if data.comparison.is_shown:
        row.append(format_score(comparison))
    if data.has_previous:
        row += [format_score(previous), format_signed_score(change)]
    return row


def _highlights(data: ReportData) -> list:
    out = [CondPageBreak(60 * mm), _p("Stärken und Entwicklungsfelder", "h2")]
    if not data.strengths:
        return [*out, _p("Es ist noch kein Indikator bewertet.")]
    out += [_p("Stärken: die drei am höchsten bewerteten Indikatoren", "h3"), _highlight_table(data.strengths)]
    out.append(_p(text.AREAS_HEADING, "h3"))
    if data.development_areas:
        out.append(_highlight_table(data.development_areas))
    if data.tied_areas:
        out.append(_p(text.tied_note(data)))
    return out


def _highlight_table(items: tuple[Highlight, ...]) -> Table:
    rows: list[list] = [["", "Indikator", "Wert"]]
    for item in items:
        line = item.indicator
        cell = [_catalog_p(line.text, "cell"), _catalog_p(f"Kriterium {item.criterion_number}: {item.criterion_title}", "small")]
        rows.append([line.label, cell, str(line.score)])
    table = Table(rows, colWidths=[10 * mm, CONTENT_WIDTH - 26 * mm, 16 * mm], repeatRows=1)
    table.setStyle(_list_style())
    return table


def _list_style() -> TableStyle:
    return TableStyle(
        [
            *_PLAIN_CELLS,
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ]
    )


def _criteria(data: ReportData) -> list:
    out = [CondPageBreak(60 * mm), _p("Ergebnisse je Kriterium", "h2")]
    if data.texts_withheld:
        out.append(_p(text.TEXTS_WITHHELD, "small"))
    for criterion in data.criteria:
        out += _criterion_section(criterion, data)
    return out


def _criterion_section(criterion: CriterionLine, data: ReportData) -> list:
    basis = text.criterion_basis(criterion)
    title = f"{criterion.number}. {criterion.title} – Wert {format_score(criterion.score)}"
    heading = _p(title + (f" ({basis})" if basis else ""), "h3")
    rows = []
    for line in criterion.indicators:
        cell = [_catalog_p(line.text, "cell")]
        if line.comment:
            cell += _comment(line.comment)
        if line.comment_lines_left_out:
            cell.append(_p(text.comment_cut_note(line.comment_lines_left_out), "comment"))
        score = "nicht bewertet" if line.score is None else str(line.score)
        bar = ScoreBar(line.score, data.scale_min, data.scale_max, width=24 * mm)
        rows.append([line.label, cell, bar, score])
    # splitInRow: a long comment may run over a page break instead of making the row too tall for any page.
    table = Table(rows, colWidths=[10 * mm, CONTENT_WIDTH - 52 * mm, 28 * mm, 14 * mm], splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                *_PLAIN_CELLS,
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (2, 0), (2, -1), 6),
            ]
        )
    )
    # Keep the heading with the first rows; a long criterion may still break across pages between rows.
    return [CondPageBreak(40 * mm), heading, table]


def _comment(comment: str) -> list:
    """A team's comment, a paragraph per line: reportlab lays out many one-line paragraphs far faster than one
    paragraph of many <br/> lines (a report of 23 comments of 40 lines took 2.5 s instead of 0.5 s), and a
    cell taller than a page splits between them without laying the comment out again."""
    style = _styles()["comment"]
    lines = comment.split("\n")
    lines[0] = f"Kommentar des Teams: {lines[0]}"
    return [_p(line, "comment") if line else Spacer(1, style.leading) for line in lines]


def _suggestions(data: ReportData) -> list:
    """Vorschläge für Entwicklungsschwerpunkte, on a page of their own: at most two pages even for six tied
    Entwicklungsfelder with many examples and offers (compact lists; offers beyond OFFERS_SHOWN by title only)."""
    out = [PageBreak(), _p(text.SUGGESTIONS_HEADING, "h2")]
    if not data.next_steps:
        return [*out, _p(text.tied_note(data) or text.NO_SUGGESTIONS)]
    out.append(_p(text.suggestions_intro(data), "compact"))
    for step in data.next_steps:
        out += _suggestion(step, data)
    return out


def _suggestion(step: NextStep, data: ReportData) -> list:
    line = step.area.indicator
    head = [
        _p(f"Entwicklungsfeld {line.label} (Wert {line.score}) · Kriterium {step.area.criterion_number}: "
           f"{step.area.criterion_title}", "h4"),
        _catalog_p(line.text, "compact"),
        _rich("<b>Beispiele aus dem Leitfaden</b>", "label"),
    ]  # fmt: skip
    block = [_catalog_p(example, "compact_bullet", "•") for example in step.examples] or [
        _p("Der Leitfaden nennt hier keine Beispiele.", "compact")
    ]
    block.append(_rich("<b>Passende Unterstützungsangebote</b>", "label"))
    if not step.offers:
        block.append(_p(text.no_offers_note(data), "compact"))
    for offer in step.offers:
        entry = f"<b>{markup(offer.title)}</b> – {markup(text.offer_line(offer))}"
        block.append(_catalog_rich(entry, "compact_bullet", "•"))
    if step.more_offers:
        block.append(_p(text.more_offers_note(data, tuple(offer.title for offer in step.more_offers)), "note"))
    return [KeepTogether([*head, block[0]]), *block[1:]]


def _spread(data: ReportData) -> list:
    """The page "Wo wir uns einig und uneinig waren" (issue 21): the team's values per indicator, without names."""
    if not data.spread:
        return []
    out = [PageBreak(), _p(text.SPREAD_HEADING, "h2"), _p(text.SPREAD_INTRO, "small")]
    for criterion in data.spread:
        rows = [[_p("Indikator", "small"), _p("Einzelwerte", "small"), _p("Median", "small"), _p("Spannweite", "small")]]
        for line in criterion.lines:
            rows.append([
                _catalog_p(f"{line.label}) {line.text}", "small"),
                _p(text.spread_values(line.values), "small"),
                _p(format_score(line.median) if line.median is not None else "–", "small"),
                _p(text.spread_range(line.low, line.high, line.disagreement), "small"),
            ])  # fmt: skip
        table = Table(rows, colWidths=[80 * mm, 40 * mm, 20 * mm, 30 * mm], repeatRows=1)
        table.setStyle(_list_style())
        out += [CondPageBreak(40 * mm), _p(f"{criterion.number}. {criterion.title}", "h3"), table]
    return out


def _closing(data: ReportData) -> list:
    out = [_p("Hinweise", "h2"), _p(text.method_note(data), "small")]
    if data.offers_note:
        out.append(_p(f"Zu den Unterstützungsangeboten: {data.offers_note}", "small"))
    if data.catalog_source:
        out.append(_p(f"Grundlage: {data.catalog_title} ({data.catalog_source}).", "small"))
    if not data.texts_withheld:  # without the team's comments, the report is no more private than its scores
        out.append(_p(text.PRIVACY_NOTE, "small"))
    return out


__all__ = ["markup", "previous_label", "render_pdf"]
