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
from dataclasses import dataclass, replace

from .gaps import runs_between_gaps
from .radar_labels import LABEL_MAX_CHARS, format_value, wrap_label
from .radar_labels import gap_labels as gap_labels  # callers (views, reports, tests) import it from here
from .style import STYLES

Point = tuple[float, float]

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
    _check_arguments(len(axis_labels), series, scale_min, scale_max, ring_step, size, label_margin, label_max_chars)
    fonts = _Fonts.for_size(size)
    spokes = _Spokes.around(len(axis_labels), size / 2 - label_margin)
    # Everything is first laid out around (0, 0), then shifted so that the viewBox starts at (0, 0).
    rings = [_ring(value, spokes, fonts, scale_min, scale_max) for value in _ring_values(scale_min, scale_max, ring_step)]
    axes = [_axis(i, label, spokes, fonts, label_max_chars) for i, label in enumerate(axis_labels)]
    placed = [_placed_series(s, spokes, scale_min, scale_max) for s in series]
    half_width, top, bottom = _canvas_extent(rings, axes, spokes.radius, fonts)
    shift = _Shift(dx=half_width, dy=top)
    return RadarGeometry(
        width=2 * half_width,
        height=top + bottom,
        cx=shift.dx,
        cy=shift.dy,
        radius=spokes.radius,
        scale_min=scale_min,
        scale_max=scale_max,
        rings=tuple(shift.ring(ring) for ring in rings),
        axes=tuple(shift.axis(axis) for axis in axes),
        series=tuple(shift.series(s) for s in placed),
        legend=tuple((s.label, s.style) for s in series),
        font_size=fonts.size,
        ring_font_size=fonts.ring_size,
        line_height=fonts.line_height,
        char_width=fonts.char_width,
    )


def _check_arguments(
    n: int,
    series: Sequence[RadarSeries],
    scale_min: float,
    scale_max: float,
    ring_step: float,
    size: float,
    label_margin: float,
    label_max_chars: int,
) -> None:
    """Refuse a chart that cannot be drawn, naming the argument at fault (checked in this order)."""
    if n < 3:
        raise ValueError(f"a radar chart needs at least 3 axes, got {n}")
    _check_scale(scale_min, scale_max, ring_step)
    if not size / 2 - label_margin > 0:
        raise ValueError(f"size ({size}) leaves no room for the chart with label_margin {label_margin}")
    if label_max_chars < 1:
        raise ValueError(f"label_max_chars must be at least 1, got {label_max_chars}")
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"radar series {s.label!r} has {len(s.values)} values but the chart has {n} axes")


def _check_scale(scale_min: float, scale_max: float, ring_step: float) -> None:
    if not scale_max > scale_min:
        raise ValueError(f"scale_max ({scale_max}) must be greater than scale_min ({scale_min})")
    if not ring_step > 0:
        raise ValueError(f"ring_step must be positive, got {ring_step}")
    if (scale_max - scale_min) / ring_step > 1000:
        raise ValueError(f"ring_step {ring_step} gives too many rings for the scale {scale_min}-{scale_max}")


@dataclass(frozen=True)
class _Fonts:
    """Font sizes and text layout estimates, scaled from the reference size to the chart's size."""

    size: float  # axis labels
    ring_size: float  # ring value labels
    line_height: float
    char_width: float

    @classmethod
    def for_size(cls, size: float) -> _Fonts:
        factor = size / REFERENCE_SIZE
        font_size = LABEL_FONT_SIZE * factor
        return cls(font_size, RING_LABEL_FONT_SIZE * factor, LINE_HEIGHT_FACTOR * font_size, CHAR_WIDTH_FACTOR * font_size)


@dataclass(frozen=True)
class _Spokes:
    """The axis directions around a centre at (0, 0), clockwise from straight up, and the outer radius."""

    radius: float
    angles: tuple[float, ...]
    directions: tuple[Point, ...]

    @classmethod
    def around(cls, n: int, radius: float) -> _Spokes:
        angles = tuple(2 * math.pi * i / n for i in range(n))
        return cls(radius, angles, tuple(_direction(a) for a in angles))

    def at(self, fraction: float, i: int) -> Point:
        """The point on axis i at this fraction of the radius."""
        dx, dy = self.directions[i]
        return (fraction * self.radius * dx, fraction * self.radius * dy)


def _ring_values(scale_min: float, scale_max: float, ring_step: float) -> list[float]:
    """A ring every ring_step above scale_min, and always one at scale_max (the outline of the chart)."""
    values: list[float] = []
    k = 1
    while True:
        value = round(scale_min + k * ring_step, 9)
        if value >= scale_max - 1e-9 * (scale_max - scale_min):
            break
        values.append(value)
        k += 1
    values.append(scale_max)
    return values


def _ring(value: float, spokes: _Spokes, fonts: _Fonts, scale_min: float, scale_max: float) -> RadarRing:
    """A grid ring around (0, 0); its value label sits just above where it crosses axis 0."""
    fraction = value_fraction(value, scale_min, scale_max)
    return RadarRing(
        value=value,
        radius=fraction * spokes.radius,
        points=tuple(spokes.at(fraction, i) for i in range(len(spokes.directions))),
        label=format_value(value),
        label_position=(0.3 * fonts.ring_size, -fraction * spokes.radius - 0.25 * fonts.ring_size),
        label_anchor="start",
    )


def _axis(i: int, label: str, spokes: _Spokes, fonts: _Fonts, label_max_chars: int) -> RadarAxis:
    """Axis i around (0, 0), with its label wrapped and placed as a block just outside the outer ring."""
    dx, dy = spokes.directions[i]
    # Axis 0 also carries the ring value labels ("10" sits just above the outer ring): keep clear of them.
    gap = 0.8 * fonts.size + (fonts.ring_size if i == 0 else 0.0)
    anchor = ((spokes.radius + gap) * dx, (spokes.radius + gap) * dy)
    lines = wrap_label(label, label_max_chars)
    text_anchor = _text_anchor(dx)
    block_height = (len(lines) - 1) * fonts.line_height + fonts.size if lines else 0.0
    # dy = -1 (up): block sits above the anchor; dy = +1 (down): below it; 0: centred on it.
    block_top = anchor[1] - block_height * (1 - dy) / 2
    # Side labels get a small extra nudge away from the ring vertex they are next to.
    x = anchor[0] + (0.25 * fonts.size * math.copysign(1, dx) if text_anchor != "middle" else 0.0)
    return RadarAxis(
        index=i,
        angle=spokes.angles[i],
        end=spokes.at(1.0, i),
        label=label,
        label_lines=lines,
        label_anchor_point=anchor,
        text_anchor=text_anchor,
        line_positions=tuple((x, block_top + 0.8 * fonts.size + j * fonts.line_height) for j in range(len(lines))),
    )


def _placed_series(series: RadarSeries, spokes: _Spokes, scale_min: float, scale_max: float) -> RadarSeriesGeometry:
    """The series' vertices around (0, 0); an unrated axis keeps a placeholder at the centre and is listed as missing."""
    points = tuple(
        (0.0, 0.0) if value is None else spokes.at(value_fraction(value, scale_min, scale_max), i)
        for i, value in enumerate(series.values)
    )
    missing = tuple(i for i, value in enumerate(series.values) if value is None)
    return RadarSeriesGeometry(label=series.label, style=series.style, values=series.values, points=points, missing=missing)


def _canvas_extent(
    rings: Sequence[RadarRing], axes: Sequence[RadarAxis], radius: float, fonts: _Fonts
) -> tuple[float, float, float]:
    """Half the width, the height above and the height below the centre that every label fits into, padded.

    Horizontally symmetric around the centre so that the chart sits in the middle of a column; vertically tight.
    """
    half_width = radius
    top = bottom = radius
    for ring in rings:
        x, y = ring.label_position
        half_width = max(half_width, abs(x) + 3 * fonts.ring_size * CHAR_WIDTH_FACTOR)
        top = max(top, -y + fonts.ring_size)
    for axis in axes:
        for line, (x, y) in zip(axis.label_lines, axis.line_positions, strict=True):
            x0, y0, x1, y1 = line_extent(x, y, line, axis.text_anchor, fonts.size, fonts.char_width)
            half_width = max(half_width, abs(x0), abs(x1))
            top = max(top, -y0)
            bottom = max(bottom, y1)
    pad = 0.6 * fonts.size
    return half_width + pad, top + pad, bottom + pad


@dataclass(frozen=True)
class _Shift:
    """Moves what was laid out around (0, 0) so that the centre lands at (dx, dy)."""

    dx: float
    dy: float

    def point(self, p: Point) -> Point:
        return (p[0] + self.dx, p[1] + self.dy)

    def ring(self, ring: RadarRing) -> RadarRing:
        return replace(
            ring, points=tuple(self.point(p) for p in ring.points), label_position=self.point(ring.label_position)
        )

    def axis(self, axis: RadarAxis) -> RadarAxis:
        return replace(
            axis,
            end=self.point(axis.end),
            label_anchor_point=self.point(axis.label_anchor_point),
            line_positions=tuple(self.point(p) for p in axis.line_positions),
        )

    def series(self, series: RadarSeriesGeometry) -> RadarSeriesGeometry:
        return replace(series, points=tuple(self.point(p) for p in series.points))
