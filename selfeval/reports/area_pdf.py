"""Render an AreaReport as PDF bytes (A4, German, fonts embedded): a document a Schulausschuss can read on paper."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from ..charts import boxplot_geometry, history_geometry
from ..display import format_date, format_score
from .area import HIDDEN, SMALL_CAUTION, AreaReport, StatLine, needs_intro, needs_left_out
from .area_charts import BoxPlotChart, TrendChart
from .flowables import fit_text, numbered_canvas
from .fonts import BOLD, REGULAR
from .pdf import (
    BOTTOM_MARGIN,
    CONTENT_WIDTH,
    HEAD_FILL,
    INK,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    _p,
    _rich,
    _styles,
    markup,
)


def render_area_pdf(report: AreaReport) -> bytes:
    _styles()  # registers the fonts before anything measures text
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=26 * mm,
        bottomMargin=BOTTOM_MARGIN,
        title=report.title,
        author="selfeval",
        subject=f"Erhebungsrunde {report.round_name}",
        creator="selfeval",
        lang="de-DE",
    )
    story = [*_title(report), *_participation(report), *_criteria(report), *_trend(report), *_needs(report)]
    story += [*_indicators(report), *_schools(report), *_closing(report)]
    document.build(story, canvasmaker=numbered_canvas(lambda canvas, n, total: _frame(canvas, report, n, total)))
    return buffer.getvalue()


def _frame(canvas, report: AreaReport, number: int, total: int) -> None:
    canvas.saveState()
    top, right = PAGE_HEIGHT - 14 * mm, PAGE_WIDTH - MARGIN
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 9.5)
    canvas.drawString(MARGIN, top, fit_text(f"Gebietsbericht · {report.area}", BOLD, 9.5, CONTENT_WIDTH - 150))
    canvas.drawRightString(right, top, f"Erhebungsrunde {report.round_name}")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - 6, right, top - 6)
    canvas.line(MARGIN, 13 * mm, right, 13 * mm)
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, 9 * mm, f"Gebietsbericht selfeval · erstellt am {format_date(report.created_on)}")
    canvas.drawRightString(right, 9 * mm, f"Seite {number} von {total}")
    canvas.restoreState()


def _table(rows: list[list], widths: list[float], *, numeric_from: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 8.8),
                ("LEADING", (0, 0), (-1, -1), 11.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _title(report: AreaReport) -> list:
    flow = [_p("Bericht zur digitalen Schulentwicklung", "kicker"), _p(report.area, "h1")]
    flow.append(_p(f"Erhebungsrunde {report.round_name} · erstellt am {format_date(report.created_on)}", "lead"))
    flow += [_p(words, "small") for words in report.filters]
    flow.append(_p(f"Grundlage: {report.catalog_title}, Skala {report.scale_min} bis {report.scale_max}.", "small"))
    flow.append(Spacer(1, 6))
    flow.append(_rule_box(report.rule))
    return flow


def _rule_box(rule: str) -> Table:
    box = Table([[_p(rule, "body")]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, MUTED), ("BACKGROUND", (0, 0), (-1, -1), HEAD_FILL),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))  # fmt: skip
    return box


def _participation(report: AreaReport) -> list:
    counts = report.participation
    rows = [
        ["Schulen", "Anzahl"],
        ["in der Auswahl", str(counts["in_scope"])],
        ["Bewertung abgeschlossen", str(counts["submitted"])],
        ["Entwurf", str(counts["draft"])],
        ["nicht begonnen", str(counts["not_started"])],
    ]
    intro = "Ausgewertet werden nur abgeschlossene Bewertungen; Entwürfe zählen hier nur mit."
    return [_p("Beteiligung", "h2"), _p(intro, "body"), Spacer(1, 4), _table(rows, [70 * mm, 30 * mm])]


def stat_cells(line: StatLine, spread: bool) -> list[str]:
    """n, mean (and median, quartiles, standard deviation when `spread`) as the rule lets them be shown, and a note."""
    cells = [str(line.n), format_score(line.mean)]
    if spread:
        quartiles = "–" if line.q1 is None else f"{format_score(line.q1)} bis {format_score(line.q3)}"
        cells += [format_score(line.median), quartiles, format_score(line.std)]
    return [*cells, short_note(line)]


def short_note(line: StatLine) -> str:
    return "n < 5: nicht gezeigt" if line.is_hidden else "kleine Gruppe" if line.is_small else ""


def has_spread(lines) -> bool:
    """Whether any line shows median and quartiles (else the table leaves those columns out)."""
    return any(line.q1 is not None for line in lines)


def _stat_table(lines: list[StatLine], first: str) -> Table:
    spread = has_spread(lines)
    rows: list[list] = [[first, "n", "Mittelwert", *(["Median", "Quartile", "Std.-Abw."] if spread else []), "Hinweis"]]
    rows += [[_p(line.label, "cell"), *stat_cells(line, spread)] for line in lines]
    numbers = [10 * mm, 20 * mm, *([16 * mm, 26 * mm, 18 * mm] if spread else []), 32 * mm]
    table = _table(rows, [CONTENT_WIDTH - sum(numbers), *numbers])
    table.setStyle(TableStyle([("ALIGN", (-1, 0), (-1, -1), "LEFT")]))
    return table


def _caution(lines: list[StatLine]) -> list:
    notes = []
    if any(line.is_small for line in lines):
        notes.append(f"„kleine Gruppe“: {SMALL_CAUTION}.")
    if any(line.is_hidden for line in lines):
        notes.append(f"„n < 5“: {HIDDEN}.")
    if lines and not has_spread(lines):
        notes.append("Median, Quartile und Standardabweichung fehlen, weil keine Zeile 10 Schulen erreicht.")
    return [_p(" ".join(notes), "small")] if notes else []


def _criteria(report: AreaReport) -> list:
    lines = [report.overall, *report.criteria]
    chart = BoxPlotChart(boxplot_geometry(report.boxes(), scale_min=report.scale_min, scale_max=report.scale_max), CONTENT_WIDTH)
    legend = (
        "Kasten: mittlere Hälfte der Schulen (Quartile), Strich: Median, Raute: Mittelwert. Bei weniger als "
        "10 Schulen steht nur die Raute, bei weniger als 5 nichts."
    )
    return [
        CondPageBreak(60 * mm),
        _p("Gesamtwert und Kriterien", "h2"),
        _stat_table(lines, "Kriterium"),
        *_caution(lines),
        CondPageBreak(chart.height + 30),
        _p("Verteilung", "h3"),
        KeepTogether([chart, _p(legend, "small")]),
    ]


def _trend(report: AreaReport) -> list:
    points = report.trend
    geometry = history_geometry(
        [p.round_name for p in points], [p.overall for p in points], scale_min=report.scale_min,
        scale_max=report.scale_max, tick_step=2 if report.scale_max - report.scale_min == 10 else 1,
    )  # fmt: skip
    rows = [["Schuljahr", "abgeschlossen (n)", "Mittelwert Gesamtwert"]]
    rows += [[p.round_name, str(p.n), "nicht gezeigt (n < 5)" if p.overall is None else format_score(p.overall)] for p in points]
    note = "Jedes Schuljahr zählt die Schulen der Auswahl, die in ihm abgeschlossen haben; das können andere sein."
    return [
        CondPageBreak(90 * mm),
        _p("Entwicklung über die Schuljahre", "h2"),
        KeepTogether([TrendChart(geometry, 100 * mm), Spacer(1, 4), _table(rows, [30 * mm, 35 * mm, 50 * mm])]),
        _p(note, "small"),
    ]


def _needs(report: AreaReport) -> list:
    flow = [CondPageBreak(50 * mm), _p("Fortbildungsbedarf", "h2"), _p(needs_intro(report), "body")]
    if not report.needs:
        return [*flow, _p("Kein Indikator erfüllt diese Bedingung.", "body")]
    rows: list[list] = [["Indikator", f"Schulen unter {report.weak_below}", "von"]]
    rows += [[_p(need.label, "cell"), str(need.weak), str(need.n)] for need in report.needs]
    flow += [Spacer(1, 4), _table(rows, [CONTENT_WIDTH - 50 * mm, 30 * mm, 20 * mm])]
    if report.needs_left_out:
        flow.append(_p(needs_left_out(report), "small"))
    offered = [need for need in report.needs if need.statewide or need.regional]
    if offered:
        flow.append(_p("Passende Angebote", "h3"))
    for need in offered:
        items = [_rich(f"<b>{markup(need.label)}</b>", "subhead")]
        for kind, offers in (("landesweit", need.statewide), ("regional", need.regional)):
            items += [_rich(markup(f"{offer.title} – {offer.provider} ({kind})"), "bullet", bulletText="•") for offer in offers]
        flow.append(KeepTogether(items))
    flow.append(_p("Die Quellen der Angebote nennt der Leitfaden bei jedem Indikator.", "small"))
    return flow


def _indicators(report: AreaReport) -> list:
    flow = [CondPageBreak(60 * mm), _p("Indikatoren", "h2")]
    for criterion, indicators in report.indicators:
        flow.append(CondPageBreak(40 * mm))
        flow += [_p(criterion.label, "h3"), _stat_table(list(indicators), "Indikator"), *_caution(list(indicators))]
    return flow


def _schools(report: AreaReport) -> list:
    if report.schools is None:
        return [_p("Schulen", "h2"), _p("Werte einzelner Schulen enthält dieser Bericht nicht.", "body")]
    rows: list[list] = [["Schule", "Schulnummer", "Schulform", "Stand", "Gesamtwert"]]
    rows += [[_p(s.name, "cell"), s.schulnummer, s.schulform, s.state, format_score(s.overall)] for s in report.schools]
    widths = [CONTENT_WIDTH - 118 * mm, 28 * mm, 36 * mm, 30 * mm, 24 * mm]
    return [CondPageBreak(50 * mm), _p("Schulen", "h2"), _table(rows, widths, numeric_from=4)]


def _closing(report: AreaReport) -> list:
    text = (
        "Die Werte sind Selbsteinschätzungen der Schulen mit dem Leitfaden; sie sind kein Ranking und kein Urteil "
        "über eine Schule. Werte mit einer Nachkommastelle, kaufmännisch gerundet."
    )
    return [Spacer(1, 10), _p(text, "small")]
