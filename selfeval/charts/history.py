"""A school's history: one small line chart per criterion (or the overall score) over the school years.

The y axis is the fixed scale (0–10 for the Leitfaden), never fitted to the data; the x axis has one
slot per school year, in the order given. A year without a value (no submitted assessment) is a gap
in the line, not a drop to 0. Each point carries its value as text, so nothing depends on colour.
Like the other charts: plain-number geometry first (origin top left, y down), then an accessible SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..display import format_score
from .gaps import runs_between_gaps
from .style import BACKGROUND_COLOR, GRID_COLOR, SERIES_STYLES, TEXT_COLOR
from .svg import number, svg_start, text

WIDTH = 320.0
HEIGHT = 200.0
LEFT = 34.0  # room for the scale labels
RIGHT = 16.0
TOP = 22.0  # room for the value label above a point at the top of the scale
BOTTOM = 30.0  # room for the school-year labels
FONT_SIZE = 12.0
#: A school-year label ("2025/26") needs about this much room; with less, only every k-th year is labelled.
YEAR_LABEL_WIDTH = 54.0
LINE = SERIES_STYLES["primary"]


@dataclass(frozen=True)
class HistoryPoint:
    year: str
    value: float | None
    x: float
    y: float | None  # None: no value in this year


@dataclass(frozen=True)
class HistoryGeometry:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    ticks: tuple[tuple[float, str], ...]  # y, label of each grid line of the scale
    points: tuple[HistoryPoint, ...]
    labelled_years: tuple[int, ...]  # indices of the points whose year is written below the axis

    @property
    def runs(self) -> tuple[tuple[int, ...], ...]:
        """Stretches of consecutive years with a value: each is one line; a gap separates them."""
        return runs_between_gaps(range(len(self.points)), lambda index: self.points[index].y is None)


def history_geometry(
    years: Sequence[str], values: Sequence[float | None], *, scale_min: int, scale_max: int, tick_step: int
) -> HistoryGeometry:
    """Lay out one line chart: a slot per year, values on the fixed scale (clamped to it)."""
    if len(years) != len(values):
        raise ValueError(f"{len(years)} school years but {len(values)} values")
    if scale_max <= scale_min or tick_step <= 0:
        raise ValueError("scale_max must be greater than scale_min and tick_step positive")
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    slot = (right - left) / max(len(years), 1)

    def y_of(value: float) -> float:
        clamped = min(max(value, scale_min), scale_max)
        return bottom - (clamped - scale_min) / (scale_max - scale_min) * (bottom - top)

    points = tuple(
        HistoryPoint(year, value, left + slot * (index + 0.5), None if value is None else y_of(value))
        for index, (year, value) in enumerate(zip(years, values, strict=True))
    )
    ticks = tuple((y_of(v), str(v)) for v in range(scale_min, scale_max + 1, tick_step))
    every = max(1, math.ceil(YEAR_LABEL_WIDTH / slot))
    # The newest year is always labelled: it is the one the page is about.
    labelled = tuple(i for i in range(len(points)) if (len(points) - 1 - i) % every == 0)
    return HistoryGeometry(WIDTH, HEIGHT, left, right, top, bottom, ticks, points, labelled)


def render_history_svg(geometry: HistoryGeometry, *, title: str, description: str, id_prefix: str) -> str:
    """A standalone <svg> (no style attributes, every text escaped) with a title and a description."""
    g = geometry
    out = svg_start(
        "history-chart", g.width, g.height, id_prefix=id_prefix, title=title, description=description, font_size=FONT_SIZE
    )
    out += _axes(g)
    out += _line(g)
    out.append("</svg>")
    return "\n".join(out)


def _axes(g: HistoryGeometry) -> list[str]:
    out = [f'<g class="history-grid" stroke="{GRID_COLOR}" stroke-width="1">']
    out += [
        f'<line x1="{number(g.plot_left)}" y1="{number(y)}" x2="{number(g.plot_right)}" y2="{number(y)}"/>' for y, _ in g.ticks
    ]
    out.append("</g>")
    out.append(f'<g class="history-scale" fill="{TEXT_COLOR}" text-anchor="end">')
    out += [f'<text x="{number(g.plot_left - 6)}" y="{number(y + 4)}">{text(label)}</text>' for y, label in g.ticks]
    out.append("</g>")
    out.append(f'<g class="history-years" fill="{TEXT_COLOR}" text-anchor="middle">')
    out += [
        f'<text x="{number(g.points[i].x)}" y="{number(g.plot_bottom + 20)}">{text(g.points[i].year)}</text>'
        for i in g.labelled_years
    ]
    out.append("</g>")
    return out


def _line_point(point: HistoryPoint) -> str:
    """`x,y` of a point on a line: a run holds only the points that have a value."""
    if point.y is None:
        raise ValueError(f"{point.year} has no value: it cannot be on a line")
    return f"{number(point.x)},{number(point.y)}"


def _line(g: HistoryGeometry) -> list[str]:
    out = [f'<g class="history-series" fill="none" stroke="{LINE.stroke}" stroke-width="{number(LINE.stroke_width)}">']
    for run in g.runs:
        if len(run) > 1:
            points = " ".join(_line_point(g.points[i]) for i in run)
            out.append(f'<polyline class="history-line" points="{points}" stroke-linejoin="round"/>')
    out.append("</g>")
    out.append(f'<g class="history-points" fill="{TEXT_COLOR}" text-anchor="middle">')
    for point in g.points:
        if point.y is None:
            continue
        value = format_score(point.value)  # one decimal, German comma, half up: as the table prints it
        out.append(
            f'<circle class="history-point" cx="{number(point.x)}" cy="{number(point.y)}" r="4" fill="{LINE.stroke}"'
            f' stroke="{BACKGROUND_COLOR}" stroke-width="1"><title>{text(f"{point.year}: {value}")}</title></circle>'
        )
        out.append(
            f'<text class="history-value" x="{number(point.x)}" y="{number(point.y - 9)}" stroke="{BACKGROUND_COLOR}"'
            f' stroke-width="3" paint-order="stroke">{text(value)}</text>'
        )
    out.append("</g>")
    return out
