"""Charts (radar, box plot): renderer-independent geometry plus renderers (SVG now; the PDF report reuses the geometry).

Pure Python, no Flask, no database, no third-party imports.
"""

from .boxplot import BoxPlotGeometry, BoxStats, boxplot_geometry, render_boxplot_svg
from .radar import (
    SERIES_STYLES,
    RadarAxis,
    RadarGeometry,
    RadarRing,
    RadarSeries,
    RadarSeriesGeometry,
    SeriesStyle,
    gap_labels,
    radar_geometry,
    wrap_label,
)
from .radar_svg import render_svg

__all__ = [
    "BoxPlotGeometry",
    "BoxStats",
    "boxplot_geometry",
    "render_boxplot_svg",
    "SERIES_STYLES",
    "RadarAxis",
    "RadarGeometry",
    "RadarRing",
    "RadarSeries",
    "RadarSeriesGeometry",
    "SeriesStyle",
    "gap_labels",
    "radar_geometry",
    "render_svg",
    "wrap_label",
]
