"""Radar (spider) chart with a fixed scale: geometry computed once, rendered to SVG (and later to PDF).

The geometry is renderer-independent: plain numbers in a coordinate system with the origin at the
top left, y pointing down, and ``width`` x ``height`` user units. A renderer only has to draw what
``RadarGeometry`` describes; a reportlab renderer flips y (``height - y``) and otherwise draws the
same points, lines and text positions.

The scale is never normalised to the data: a value v always lies at
``radius * (v - scale_min) / (scale_max - scale_min)`` from the centre, clamped to the scale.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

from .gaps import runs_between_gaps
from .radar_labels import LABEL_MAX_CHARS, format_value, wrap_label
from .radar_labels import gap_labels as gap_labels  # callers (views, reports, tests) import it from here

Point = tuple[float, float]

STYLES = ("primary", "secondary", "comparison")

#: Reference size the font metrics below are tuned for.
REFERENCE_SIZE = 420.0
#: Axis label font size at the reference size.
LABEL_FONT_SIZE = 13.5
#: Ring value label font size at the reference size.
RING_LABEL_FONT_SIZE = 11.0
#: Line height of wrapped axis labels, relative to the font size.
LINE_HEIGHT_FACTOR = 1.25
#: Conservative estimate of a character's advance width, relative to the font size (used for layout).
CHAR_WIDTH_FACTOR = 0.6

FONT_FAMILY = "system-ui, sans-serif"
TEXT_COLOR = "#1d2630"
GRID_COLOR = "#c3cbd3"
BACKGROUND_COLOR = "#ffffff"


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
}


@dataclass(frozen=True)
class RadarSeries:
    """One data series: a legend label, one value per axis (None = not rated) and a style."""

    label: str
    values: tuple[float | None, ...]
    style: str = "primary"

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown radar series style {self.style!r}; expected one of {', '.join(STYLES)}")
        values = tuple(self.values)
        for value in values:
            if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
                raise ValueError(f"radar series {self.label!r}: value {value!r} is not a number or None")
            if value is not None and math.isnan(value):
                raise ValueError(f"radar series {self.label!r}: value is NaN")
        object.__setattr__(self, "values", values)


@dataclass(frozen=True)
class RadarRing:
    """A grid ring at one scale value, with the position of its value label along axis 0."""

    value: float
    radius: float
    points: tuple[Point, ...]
    label: str
    label_position: Point
    label_anchor: str


@dataclass(frozen=True)
class RadarAxis:
    """One axis: the line from the centre to ``end`` and its wrapped label."""

    index: int
    angle: float  # radians, clockwise from straight up
    end: Point
    label: str
    label_lines: tuple[str, ...]
    label_anchor_point: Point  # the point the label block is attached to, just outside the outer ring
    text_anchor: str  # "start" | "middle" | "end" (horizontal alignment of every line at its x)
    line_positions: tuple[Point, ...]  # baseline position of each label line


@dataclass(frozen=True)
class RadarSeriesGeometry:
    """A series placed on the chart: one vertex per axis.

    Missing (None) values keep a placeholder point at the centre so that indices line up, but renderers draw
    only the ``runs``: an unrated criterion is a gap in the outline, never a point at 0.
    """

    label: str
    style: str
    values: tuple[float | None, ...]  # the original values, unclamped
    points: tuple[Point, ...]
    missing: tuple[int, ...]  # indices of axes whose value is None

    @property
    def is_closed(self) -> bool:
        """Every axis has a value: the outline is one closed, filled polygon."""
        return not self.missing

    @property
    def runs(self) -> tuple[tuple[int, ...], ...]:
        """The stretches of consecutive rated axes around the circle, each in drawing order."""
        n = len(self.points)
        if not self.missing:
            return (tuple(range(n)),)
        if len(self.missing) == n:
            return ()
        start = (self.missing[-1] + 1) % n  # a run never starts in the middle: begin just after a gap
        order = [(start + k) % n for k in range(n)]
        return tuple(sorted(runs_between_gaps(order, lambda index: index in self.missing)))


@dataclass(frozen=True)
class RadarGeometry:
    """Everything a renderer needs to draw a radar chart; origin top left, y down."""

    width: float
    height: float
    cx: float
    cy: float
    radius: float
    scale_min: float
    scale_max: float
    rings: tuple[RadarRing, ...]
    axes: tuple[RadarAxis, ...]
    series: tuple[RadarSeriesGeometry, ...]
    legend: tuple[tuple[str, str], ...]  # (label, style) per series, in input order
    font_size: float
    ring_font_size: float
    line_height: float
    char_width: float  # layout estimate of one character's width at font_size

    @property
    def centre(self) -> Point:
        """The centre of the chart."""
        return (self.cx, self.cy)


def value_fraction(value: float, scale_min: float, scale_max: float) -> float:
    """Map a value onto [0, 1] of the fixed scale, clamping values outside it."""
    fraction = (value - scale_min) / (scale_max - scale_min)
    return min(1.0, max(0.0, fraction))


def _direction(angle: float) -> Point:
    """Unit vector for an angle measured clockwise from straight up, in y-down coordinates."""
    return (math.sin(angle), -math.cos(angle))


def _text_anchor(dx: float) -> str:
    if abs(dx) < 0.1:
        return "middle"
    return "start" if dx > 0 else "end"


def line_extent(
    x: float, baseline: float, text: str, text_anchor: str, font_size: float, char_width: float
) -> tuple[float, float, float, float]:
    """Estimated bounding box (x0, y0, x1, y1) of one text line; generous on purpose."""
    width = len(text) * char_width
    if text_anchor == "start":
        x0 = x
    elif text_anchor == "end":
        x0 = x - width
    else:
        x0 = x - width / 2
    return (x0, baseline - font_size, x0 + width, baseline + 0.3 * font_size)


def radar_geometry(
    axis_labels: Sequence[str],
    series: Sequence[RadarSeries],
    *,
    scale_min: float = 0,
    scale_max: float = 10,
    ring_step: float = 2,
    size: float = REFERENCE_SIZE,
    label_margin: float = 50,
    label_max_chars: int = LABEL_MAX_CHARS,
) -> RadarGeometry:
    """Lay out a fixed-scale radar chart (radius = size/2 - label_margin); the canvas grows to fit the labels."""
    n = len(axis_labels)
    if n < 3:
        raise ValueError(f"a radar chart needs at least 3 axes, got {n}")
    if not scale_max > scale_min:
        raise ValueError(f"scale_max ({scale_max}) must be greater than scale_min ({scale_min})")
    if not ring_step > 0:
        raise ValueError(f"ring_step must be positive, got {ring_step}")
    if (scale_max - scale_min) / ring_step > 1000:
        raise ValueError(f"ring_step {ring_step} gives too many rings for the scale {scale_min}-{scale_max}")
    radius = size / 2 - label_margin
    if not radius > 0:
        raise ValueError(f"size ({size}) leaves no room for the chart with label_margin {label_margin}")
    if label_max_chars < 1:
        raise ValueError(f"label_max_chars must be at least 1, got {label_max_chars}")
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"radar series {s.label!r} has {len(s.values)} values but the chart has {n} axes")

    factor = size / REFERENCE_SIZE
    font_size = LABEL_FONT_SIZE * factor
    ring_font_size = RING_LABEL_FONT_SIZE * factor
    line_height = LINE_HEIGHT_FACTOR * font_size
    char_width = CHAR_WIDTH_FACTOR * font_size
    label_gap = 0.8 * font_size
    pad = 0.6 * font_size

    angles = [2 * math.pi * i / n for i in range(n)]
    directions = [_direction(a) for a in angles]

    def at(fraction: float, i: int) -> Point:
        dx, dy = directions[i]
        return (fraction * radius * dx, fraction * radius * dy)

    # Everything is first laid out around (0, 0), then shifted so that the viewBox starts at (0, 0).
    ring_values: list[float] = []
    k = 1
    while True:
        value = round(scale_min + k * ring_step, 9)
        if value >= scale_max - 1e-9 * (scale_max - scale_min):
            break
        ring_values.append(value)
        k += 1
    ring_values.append(scale_max)

    rings_local = []
    for value in ring_values:
        fraction = value_fraction(value, scale_min, scale_max)
        points = tuple(at(fraction, i) for i in range(n))
        label_position = (0.3 * ring_font_size, -fraction * radius - 0.25 * ring_font_size)
        rings_local.append((value, fraction * radius, points, label_position))

    axes_local = []
    for i, label in enumerate(axis_labels):
        dx, dy = directions[i]
        end = at(1.0, i)
        # Axis 0 also carries the ring value labels ("10" sits just above the outer ring): keep clear of them.
        gap = label_gap + (ring_font_size if i == 0 else 0.0)
        anchor = ((radius + gap) * dx, (radius + gap) * dy)
        lines = wrap_label(label, label_max_chars)
        text_anchor = _text_anchor(dx)
        block_height = (len(lines) - 1) * line_height + font_size if lines else 0.0
        # dy = -1 (up): block sits above the anchor; dy = +1 (down): below it; 0: centred on it.
        block_top = anchor[1] - block_height * (1 - dy) / 2
        # Side labels get a small extra nudge away from the ring vertex they are next to.
        x = anchor[0] + (0.25 * font_size * math.copysign(1, dx) if text_anchor != "middle" else 0.0)
        positions = tuple((x, block_top + 0.8 * font_size + j * line_height) for j in range(len(lines)))
        axes_local.append((i, angles[i], end, label, lines, anchor, text_anchor, positions))

    series_local = []
    for s in series:
        series_points: list[Point] = []
        missing: list[int] = []
        for i, series_value in enumerate(s.values):
            if series_value is None:
                missing.append(i)
                series_points.append((0.0, 0.0))
            else:
                series_points.append(at(value_fraction(series_value, scale_min, scale_max), i))
        series_local.append((s, tuple(series_points), tuple(missing)))

    # Bounding box: horizontally symmetric around the centre so that the chart sits in the middle of a
    # column; vertically tight.
    half_w = radius
    top = bottom = radius
    for _value, _r, _points, (lx, ly) in rings_local:
        half_w = max(half_w, abs(lx) + 3 * ring_font_size * CHAR_WIDTH_FACTOR)
        top = max(top, -ly + ring_font_size)
    for _i, _angle, _end, _label, lines, _anchor, text_anchor, positions in axes_local:
        for line, (x, y) in zip(lines, positions, strict=True):
            x0, y0, x1, y1 = line_extent(x, y, line, text_anchor, font_size, char_width)
            half_w = max(half_w, abs(x0), abs(x1))
            top = max(top, -y0)
            bottom = max(bottom, y1)
    half_w += pad
    top += pad
    bottom += pad
    cx, cy = half_w, top

    def shift(p: Point) -> Point:
        return (p[0] + cx, p[1] + cy)

    rings = tuple(
        RadarRing(
            value=value,
            radius=r,
            points=tuple(shift(p) for p in points),
            label=format_value(value),
            label_position=shift(label_position),
            label_anchor="start",
        )
        for value, r, points, label_position in rings_local
    )
    axes = tuple(
        RadarAxis(
            index=i,
            angle=angle,
            end=shift(end),
            label=label,
            label_lines=lines,
            label_anchor_point=shift(anchor),
            text_anchor=text_anchor,
            line_positions=tuple(shift(p) for p in positions),
        )
        for i, angle, end, label, lines, anchor, text_anchor, positions in axes_local
    )
    series_geometry = tuple(
        RadarSeriesGeometry(
            label=s.label,
            style=s.style,
            values=s.values,
            points=tuple(shift(p) for p in points),
            missing=missing,
        )
        for s, points, missing in series_local
    )
    return RadarGeometry(
        width=2 * half_w,
        height=top + bottom,
        cx=cx,
        cy=cy,
        radius=radius,
        scale_min=scale_min,
        scale_max=scale_max,
        rings=rings,
        axes=axes,
        series=series_geometry,
        legend=tuple((s.label, s.style) for s in series),
        font_size=font_size,
        ring_font_size=ring_font_size,
        line_height=line_height,
        char_width=char_width,
    )
