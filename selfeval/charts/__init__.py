"""Charts (radar, box plot, history lines): renderer-independent geometry plus renderers (SVG; the PDF reuses it).

Pure Python, no Flask, no database, no third-party imports.
"""

from .boxplot import BoxPlotGeometry, BoxStats, boxplot_geometry, render_boxplot_svg
from .history import HistoryGeometry, history_geometry, render_history_svg
from .radar import RadarAxis, RadarGeometry, RadarRing, RadarSeries, RadarSeriesGeometry, gap_labels, radar_geometry, wrap_label
from .radar_band import RadarBand, RadarBandGeometry, band_geometry
from .radar_svg import render_svg
from .style import SERIES_STYLES, SeriesStyle

__all__ = [
    "BoxPlotGeometry",
    "BoxStats",
    "boxplot_geometry",
    "render_boxplot_svg",
    "HistoryGeometry",
    "history_geometry",
    "render_history_svg",
    "SERIES_STYLES",
    "RadarAxis",
    "RadarBand",
    "RadarBandGeometry",
    "band_geometry",
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
