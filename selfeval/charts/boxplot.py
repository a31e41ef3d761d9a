"""Horizontal box plots on a fixed scale, one row per criterion: geometry, then an accessible SVG.

Box from the first to the third quartile, a bar at the median, whiskers to the smallest and the
largest value, a diamond at the mean. The scale is fixed (0–10 for the Leitfaden), never fitted to
the data. Like the radar chart, the geometry is plain numbers (origin top left, y down) so that a
PDF renderer can draw the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .radar_labels import wrap_label
from .style import BACKGROUND_COLOR, GRID_COLOR, TEXT_COLOR
from .svg import number, svg_start, text

BOX_FILL = "#c9d9ea"
BOX_STROKE = "#1f4e79"
MEAN_FILL = "#b35900"
ROW_HEIGHT = 56.0
LABEL_WIDTH = 300.0
PLOT_WIDTH = 440.0
RIGHT_MARGIN = 20.0
TOP_MARGIN = 12.0
AXIS_HEIGHT = 34.0
FONT_SIZE = 13.0


@dataclass(frozen=True)
class BoxStats:
    """One row: its label and the five numbers plus the mean; n = 0 means no data (row shows a note)."""

    label: str
    n: int
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None
    mean: float | None = None
    #: Said instead of the box when there is none ("" : "keine abgeschlossenen Bewertungen").
    note: str = ""


@dataclass(frozen=True)
class BoxRow:
    stats: BoxStats
    label_lines: tuple[str, ...]
    label_x: float
    center_y: float
    box: tuple[float, float, float, float] | None  # x, y, width, height
    median_x: float | None
    whisker: tuple[float, float] | None  # x of minimum, x of maximum; None where they are not shown (area report)
    mean_x: float | None


@dataclass(frozen=True)
class BoxPlotGeometry:
    width: float
    height: float
    plot_left: float
    plot_right: float
    axis_y: float
    ticks: tuple[tuple[float, str], ...]  # x, label
    rows: tuple[BoxRow, ...]


def _five_numbers(stats: BoxStats) -> tuple[float, float, float, float, float] | None:
    """Minimum, quartiles, median and maximum, or None when the row has no data to draw."""
    if stats.n == 0:
        return None
    if stats.minimum is None or stats.q1 is None or stats.median is None or stats.q3 is None or stats.maximum is None:
        return None
    return stats.minimum, stats.q1, stats.median, stats.q3, stats.maximum


def boxplot_geometry(rows: Sequence[BoxStats], *, scale_min: int, scale_max: int, tick_step: int = 2) -> BoxPlotGeometry:
    if scale_max <= scale_min:
        raise ValueError("scale_max must be greater than scale_min")
    left, right = LABEL_WIDTH, LABEL_WIDTH + PLOT_WIDTH

    def x_of(value: float) -> float:
        clamped = min(max(value, scale_min), scale_max)
        return left + (clamped - scale_min) / (scale_max - scale_min) * PLOT_WIDTH

    laid_out = []
    for index, stats in enumerate(rows):
        center = TOP_MARGIN + ROW_HEIGHT * index + ROW_HEIGHT / 2
        numbers = _five_numbers(stats)
        box, median_x, whisker = None, None, None
        if numbers is not None:
            minimum, q1, median, q3, maximum = numbers
            box = (x_of(q1), center - 10, x_of(q3) - x_of(q1), 20)
            median_x, whisker = x_of(median), (x_of(minimum), x_of(maximum))
        elif stats.n and stats.q1 is not None and stats.median is not None and stats.q3 is not None:
            box, median_x = (x_of(stats.q1), center - 10, x_of(stats.q3) - x_of(stats.q1), 20), x_of(stats.median)
        mean_x = x_of(stats.mean) if stats.mean is not None and stats.n else None
        laid_out.append(
            BoxRow(
                stats=stats,
                label_lines=wrap_label(stats.label, 36),
                label_x=left - 10,
                center_y=center,
                box=box,
                median_x=median_x,
                whisker=whisker,
                mean_x=mean_x,
            )
        )
    axis_y = TOP_MARGIN + ROW_HEIGHT * len(rows) + 4
    ticks = tuple((x_of(v), str(v)) for v in range(scale_min, scale_max + 1, tick_step))
    return BoxPlotGeometry(right + RIGHT_MARGIN, axis_y + AXIS_HEIGHT, left, right, axis_y, ticks, tuple(laid_out))


def render_boxplot_svg(geometry: BoxPlotGeometry, *, title: str, description: str, id_prefix: str = "verteilung") -> str:
    """A standalone <svg> (no style attributes, every text escaped) with a title and a description."""
    g = geometry
    out = svg_start(
        "boxplot-chart",
        g.width,
        g.height,
        id_prefix=id_prefix,
        title=title,
        description=description,
        align="xMinYMin",
        font_size=FONT_SIZE,
    )
    out.append(f'<g stroke="{GRID_COLOR}" stroke-width="1">')
    for x, _ in g.ticks:
        out.append(f'<line x1="{number(x)}" y1="{number(TOP_MARGIN)}" x2="{number(x)}" y2="{number(g.axis_y)}"/>')
    out.append("</g>")
    out.append(f'<g fill="{TEXT_COLOR}" text-anchor="middle">')
    for x, label in g.ticks:
        out.append(f'<text x="{number(x)}" y="{number(g.axis_y + 18)}">{text(label)}</text>')
    out.append("</g>")
    for row in g.rows:
        out.extend(_row(row))
    out.append("</svg>")
    return "\n".join(out)


def _row(row: BoxRow) -> list[str]:
    lines = row.label_lines
    first_y = row.center_y - (len(lines) - 1) * FONT_SIZE * 0.6 + FONT_SIZE * 0.35
    out = [f'<text fill="{TEXT_COLOR}" text-anchor="end">']
    out += [
        f'<tspan x="{number(row.label_x)}" y="{number(first_y + i * FONT_SIZE * 1.2)}">{text(line)}</tspan>'
        for i, line in enumerate(lines)
    ]
    out.append("</text>")
    if row.box is None or row.median_x is None:  # both are None together
        if row.mean_x is None:
            out.append(
                f'<text x="{number(row.label_x + 20)}" y="{number(row.center_y + FONT_SIZE * 0.35)}" fill="{TEXT_COLOR}">'
                f"{text(row.stats.note or 'keine abgeschlossenen Bewertungen')}</text>"
            )
            return out
        return out + _mean_mark(row)
    x, y, width, height = row.box
    out.append(f'<g stroke="{BOX_STROKE}" stroke-width="1.5"><title>{text(_summary(row.stats))}</title>')
    if row.whisker is not None:
        low, high = row.whisker
        out += [
            f'<line x1="{number(low)}" y1="{number(row.center_y)}" x2="{number(high)}" y2="{number(row.center_y)}"/>',
            f'<line x1="{number(low)}" y1="{number(row.center_y - 7)}" x2="{number(low)}" y2="{number(row.center_y + 7)}"/>',
            f'<line x1="{number(high)}" y1="{number(row.center_y - 7)}" x2="{number(high)}" y2="{number(row.center_y + 7)}"/>',
        ]
    out += [
        f'<rect x="{number(x)}" y="{number(y)}" width="{number(max(width, 1.5))}" height="{number(height)}" fill="{BOX_FILL}"/>',
        f'<line x1="{number(row.median_x)}" y1="{number(y)}" x2="{number(row.median_x)}" y2="{number(y + height)}"'
        ' stroke-width="3"/>',
        "</g>",
    ]
    return out + _mean_mark(row)


def _mean_mark(row: BoxRow) -> list[str]:
    out = []
    if row.mean_x is not None:
        m, c = row.mean_x, row.center_y
        out.append(
            f'<polygon points="{number(m)},{number(c - 6)} {number(m + 6)},{number(c)}'
            f' {number(m)},{number(c + 6)} {number(m - 6)},{number(c)}"'
            f' fill="{MEAN_FILL}" stroke="{BACKGROUND_COLOR}" stroke-width="1"/>'
        )
    return out


def _summary(stats: BoxStats) -> str:
    def german(value: float | None) -> str:
        if value is None:
            return "–"
        return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")

    return (
        f"{stats.label}: n = {stats.n}, Minimum {german(stats.minimum)}, unteres Quartil {german(stats.q1)}, "
        f"Median {german(stats.median)}, oberes Quartil {german(stats.q3)}, Maximum {german(stats.maximum)}, "
        f"Mittelwert {german(stats.mean)}"
    )

