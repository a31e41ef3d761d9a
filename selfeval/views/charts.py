"""Charts for the pages: scores become a radar chart or box plots (SVG markup)."""

from __future__ import annotations

import math

from markupsafe import Markup

from ..charts import (
    BoxStats,
    RadarBand,
    RadarSeries,
    band_geometry,
    boxplot_geometry,
    gap_labels,
    history_geometry,
    radar_geometry,
    render_boxplot_svg,
    render_history_svg,
    render_svg,
)
from ..reports.chart import report_radar, report_series
from ..reports.model import ReportData
from ..scoring.aggregate import OVERALL, ComparisonGroup
from ..services.analytics import RoundAnalytics
from ..services.assessments import AssessmentState
from ..services.consensus.spread import TeamBand
from ..services.history import RoundResult


def results_chart(state: AssessmentState, previous: AssessmentState | None, group: ComparisonGroup | None = None) -> Markup:
    """This round, the previous one (if rated) and the comparison group's mean, on the catalogue's fixed scale."""
    catalog = state.catalog
    series = [_series(state, f"{state.round_name}", "primary")]
    if previous is not None:
        series.append(_series(previous, f"Vorjahr {previous.round_name}", "secondary"))
    if group is not None and group.is_shown:
        means = tuple(_number(group.stats.loc[c.id, "mean"]) for c in catalog.criteria)
        series.append(RadarSeries("Mittelwert der Vergleichsgruppe", means, "comparison"))
    geometry = radar_geometry(
        gap_labels([criterion.title for criterion in catalog.criteria], series[0].values),
        series,
        scale_min=catalog.scale.min,
        scale_max=catalog.scale.max,
        ring_step=_ring_step(catalog.scale.max - catalog.scale.min),
    )
    names = ", ".join(s.label for s in series)
    description = f"Netzdiagramm der Kriterienwerte ({names}) auf der Skala {catalog.scale.min} bis {catalog.scale.max}."
    # render_svg escapes every text it writes, so the markup is safe to embed.
    return Markup(render_svg(geometry, title="Ergebnis je Kriterium", description=description, id_prefix="ergebnis"))  # noqa: S704  # nosec B704


#: The labels of the team's band chart (its legend on the page repeats them).
CONSENSUS_LABEL = "Konsens des Teams"
MEDIAN_LABEL = "Median der Einzelbewertungen"
BAND_LABEL = "Spannweite der Einzelbewertungen"


def team_band_chart(state: AssessmentState, band: TeamBand) -> Markup:
    """The consensus per criterion beside the members' median and range (scoring/spread.py, criterion_bands).

    For the team's own pages only: the caller checks that the reader is a member of the school's team."""
    criteria = state.catalog.criteria
    ranges = [band.criteria[c.id] for c in criteria]
    series = [
        RadarSeries(CONSENSUS_LABEL, tuple(state.scores.criteria[c.id] for c in criteria), "primary"),
        RadarSeries(MEDIAN_LABEL, tuple(r.median for r in ranges), "median"),
    ]
    scale = state.catalog.scale
    geometry = radar_geometry(
        [f"{number}. {criterion.title}" for number, criterion in enumerate(criteria, 1)],
        series,
        scale_min=scale.min,
        scale_max=scale.max,
        ring_step=_ring_step(scale.max - scale.min),
    )
    placed = band_geometry(geometry, RadarBand(BAND_LABEL, tuple(r.min for r in ranges), tuple(r.max for r in ranges)))
    description = (
        f"Netzdiagramm je Kriterium auf der Skala {scale.min} bis {scale.max}: der Konsens des Teams als durchgezogene "
        "Linie, der Median der Einzelbewertungen als gestrichelte Linie und die Spannweite der Einzelbewertungen als "
        "schraffiertes Band. Die Werte stehen in der Tabelle „Spannweite je Kriterium“."
    )
    svg = render_svg(geometry, title="Konsens und Spannweite des Teams", description=description, id_prefix="team", band=placed)
    return Markup(svg)  # noqa: S704 - render_svg escapes every text it writes  # nosec B704


def history_charts(results: list[RoundResult], state: AssessmentState) -> list[tuple[str, Markup]]:
    """One line chart for the overall score, then one per criterion, over the school years (submitted rounds only)."""
    years = [result.round_name for result in results]
    rows = [("gesamt", "Gesamtwert", [result.overall for result in results])]
    rows += [
        (criterion.id, f"{number}. {criterion.title}", [result.criteria.get(criterion.id) for result in results])
        for number, criterion in enumerate(state.catalog.criteria, 1)
    ]
    scale = state.catalog.scale
    charts = []
    for key, title, values in rows:
        geometry = history_geometry(
            years, values, scale_min=scale.min, scale_max=scale.max, tick_step=_ring_step(scale.max - scale.min)
        )
        description = (
            f"Liniendiagramm: {title} je Schuljahr von {years[0]} bis {years[-1]} auf der Skala {scale.min} bis "
            f"{scale.max}; nur abgeschlossene Bewertungen, Lücken für Schuljahre ohne. Die Werte stehen in der Tabelle "
            "„Werte je Schuljahr“."
        )
        svg = render_history_svg(geometry, title=title, description=description, id_prefix=f"verlauf-{key}")
        charts.append((title, Markup(svg)))  # noqa: S704 - render_history_svg escapes every text it writes  # nosec B704
    return charts


def report_chart(data: ReportData) -> Markup:
    """The report's radar chart as SVG: the very geometry the PDF draws."""
    names = ", ".join(series.label for series in report_series(data))
    description = (
        f"Netzdiagramm der Kriterienwerte ({names}) auf der Skala {data.scale_min} bis {data.scale_max}. "
        "Die Werte stehen in der Tabelle „Werte je Kriterium“."
    )
    svg = render_svg(report_radar(data), title="Auf einen Blick", description=description, id_prefix="bericht")
    return Markup(svg)  # noqa: S704 - render_svg escapes every text it writes  # nosec B704


def distribution_chart(analytics: RoundAnalytics) -> Markup:
    """Box plots of the criterion scores and the overall score of the submitted schools."""
    catalog, stats = analytics.catalog, analytics.criterion_stats
    labels = [(c.id, f"{n}. {c.title}") for n, c in enumerate(catalog.criteria, 1)] + [(OVERALL, "Gesamtwert")]
    rows = [_box(label, stats.loc[key]) for key, label in labels]
    scale = catalog.scale
    geometry = boxplot_geometry(rows, scale_min=scale.min, scale_max=scale.max, tick_step=_ring_step(scale.max - scale.min))
    description = (
        f"Verteilung der Kriterienwerte von {analytics.participation['submitted']} abgeschlossenen Bewertungen: "
        "Kasten vom unteren bis zum oberen Quartil, Strich beim Median, Linien bis zum kleinsten und größten Wert, "
        "Raute beim Mittelwert. Die Werte stehen in der Tabelle „Statistik je Kriterium“."
    )
    svg = render_boxplot_svg(geometry, title="Verteilung je Kriterium", description=description)
    return Markup(svg)  # noqa: S704 - render_boxplot_svg escapes every text it writes  # nosec B704


def _box(label: str, row) -> BoxStats:
    n = int(row["n"])
    if n == 0:
        return BoxStats(label, 0)
    return BoxStats(label, n, *(_number(row[key]) for key in ("min", "q1", "median", "q3", "max", "mean")))


def _number(value) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _series(state: AssessmentState, label: str, style: str) -> RadarSeries:
    criteria = state.scores.criteria
    return RadarSeries(label, tuple(criteria[c.id] for c in state.catalog.criteria), style)


def _ring_step(span: int) -> int:
    return 2 if span == 10 else max(1, span // 5)
