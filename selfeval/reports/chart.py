"""The report's radar chart: one definition, drawn into the PDF and as SVG on the HTML report."""

from __future__ import annotations

from ..charts import RadarGeometry, RadarSeries, gap_labels, radar_geometry
from .model import ReportData

COMPARISON_LABEL = "Mittelwert der Vergleichsgruppe"


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
