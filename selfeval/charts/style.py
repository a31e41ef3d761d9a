"""The look every chart shares (the radar, the box plots, the history lines; in SVG and in the PDF): font, colours,
and how each kind of series is drawn."""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "system-ui, sans-serif"
TEXT_COLOR = "#1d2630"
GRID_COLOR = "#c3cbd3"
BACKGROUND_COLOR = "#ffffff"

#: The series styles, in legend order: the school's own values, its previous round, its comparison group, and the
#: median of the team's members (only on the team's own pages, beside the band of their range).
STYLES = ("primary", "secondary", "comparison", "median")
#: The order series are drawn in: the school's own values last, on top.
DRAWING_ORDER = {"comparison": 0, "secondary": 1, "median": 2, "primary": 3}


@dataclass(frozen=True)
class SeriesStyle:
    """How one series style is drawn: shared by all renderers."""

    stroke: str
    stroke_width: float
    fill: str | None
    fill_opacity: float
    dasharray: tuple[float, ...] = ()
    point_radius: float = 3.5


SERIES_STYLES: dict[str, SeriesStyle] = {
    "primary": SeriesStyle(stroke="#1f4e79", stroke_width=2.5, fill="#1f4e79", fill_opacity=0.25),
    "secondary": SeriesStyle(stroke="#b35900", stroke_width=2, fill="#b35900", fill_opacity=0.08, dasharray=(6, 4)),
    "comparison": SeriesStyle(
        stroke="#0b6e4f", stroke_width=2, fill=None, fill_opacity=0, dasharray=(1.5, 3.5), point_radius=3
    ),
    "median": SeriesStyle(stroke="#6a1b9a", stroke_width=2, fill=None, fill_opacity=0, dasharray=(9, 3, 2, 3), point_radius=3),
}
#: The band of a range (charts/radar_band.py): hatched in the stroke colour over a light fill, a thick stroke per axis.
BAND_STYLE = SeriesStyle(stroke="#5c6f82", stroke_width=5, fill="#5c6f82", fill_opacity=0.12)
