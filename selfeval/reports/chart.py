"""The report's radar chart: one definition, drawn into the PDF and as SVG on the HTML report."""

from __future__ import annotations

from dataclasses import dataclass

from ..charts import RadarGeometry, RadarSeries, gap_labels, radar_geometry
from .model import ReportData

COMPARISON_LABEL = "Mittelwert der Vergleichsgruppe"


@dataclass(frozen=True)
class PrintMark:
    """How a series is told apart in the PDF when it is printed in greyscale, where the colours alone look alike:
    line weight, dash pattern (points at the chart's own scale) and marker shape, the same in the legend."""

    line_width: float
    dash: tuple[float, ...]  # empty: solid
    marker: str  # "circle" (filled), "square" (filled), "triangle" (open, white inside)
    marker_size: float  # radius of the marker's circumscribed circle


#: The school's line solid and heavy with filled dots; the previous round dashed with squares; the comparison group
#: thin, short-dashed, with open triangles. The web SVG keeps its colour styles (charts.style.SERIES_STYLES).
PRINT_MARKS: dict[str, PrintMark] = {
    "primary": PrintMark(line_width=2.8, dash=(), marker="circle", marker_size=3.6),
    "secondary": PrintMark(line_width=1.8, dash=(7, 3.5), marker="square", marker_size=3.4),
    "comparison": PrintMark(line_width=1.5, dash=(2.5, 2.5), marker="triangle", marker_size=4.2),
}


def previous_label(data: ReportData) -> str:
    return f"Vorjahr {data.previous_round_name}"


def report_series(data: ReportData) -> list[RadarSeries]:
    """This round, the previous round if the school submitted one, and the comparison group's mean if shown."""
    series = [RadarSeries(data.round_name, tuple(c.score for c in data.criteria), "primary")]
    if data.has_previous:
        series.append(RadarSeries(previous_label(data), tuple(c.previous_score for c in data.criteria), "secondary"))
    if data.comparison.is_shown:
        series.append(RadarSeries(COMPARISON_LABEL, tuple(c.comparison_mean for c in data.criteria), "comparison"))
    return series


def report_radar(data: ReportData) -> RadarGeometry:
    """Fixed scale from the catalogue (rings every 2 points on 0–10), numbered criterion labels; unrated ones say so."""
    span = data.scale_max - data.scale_min
    return radar_geometry(
        gap_labels([f"{c.number}. {c.title}" for c in data.criteria], [c.score for c in data.criteria]),
        report_series(data),
        scale_min=data.scale_min,
        scale_max=data.scale_max,
        ring_step=2 if span == 10 else max(1, span // 5),
        label_max_chars=24,
    )
