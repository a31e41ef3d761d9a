"""A band on the radar chart: per axis a range from a low to a high value (the team's spread per criterion).

The band is placed on an already laid-out RadarGeometry (same centre, radius, scale and axis angles), so it adds
nothing to the layout of the chart itself. Drawn as a hatched area between the polygon of the highs and the polygon
of the lows, plus one thick stroke along each axis from its low to its high (so that a single axis between two gaps
still shows its range). Hatching and strokes keep it apart from the lines in greyscale too.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .gaps import runs_between_gaps
from .radar import Point, RadarGeometry, value_fraction
from .style import BAND_STYLE
from .svg import number, text


@dataclass(frozen=True)
class RadarBand:
    """A legend label and per axis the low and the high end of the range (both None = no range on that axis)."""

    label: str
    lows: tuple[float | None, ...]
    highs: tuple[float | None, ...]

    def __post_init__(self) -> None:
        lows, highs = tuple(self.lows), tuple(self.highs)
        if len(lows) != len(highs):
            raise ValueError(f"radar band {self.label!r}: {len(lows)} lows but {len(highs)} highs")
        for low, high in zip(lows, highs, strict=True):
            if (low is None) != (high is None):
                raise ValueError(f"radar band {self.label!r}: a range needs both ends or neither")
            if low is None or high is None:
                continue
            for value in (low, high):
                if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
                    raise ValueError(f"radar band {self.label!r}: {value!r} is not a number")
            if low > high:
                raise ValueError(f"radar band {self.label!r}: low {low} is above high {high}")
        object.__setattr__(self, "lows", lows)
        object.__setattr__(self, "highs", highs)


@dataclass(frozen=True)
class RadarBandGeometry:
    """The band placed on a chart: per axis the point of its low (`inner`) and of its high (`outer`)."""

    label: str
    lows: tuple[float | None, ...]
    highs: tuple[float | None, ...]
    inner: tuple[Point, ...]
    outer: tuple[Point, ...]
    missing: tuple[int, ...]  # axes without a range; their points are the centre, never drawn

    @property
    def runs(self) -> tuple[tuple[int, ...], ...]:
        """The stretches of consecutive axes with a range, around the circle (one run of all axes if none is missing)."""
        n = len(self.inner)
        if not self.missing:
            return (tuple(range(n)),)
        start = (self.missing[-1] + 1) % n
        return runs_between_gaps([(start + k) % n for k in range(n)], lambda index: index in self.missing)


def band_geometry(geometry: RadarGeometry, band: RadarBand) -> RadarBandGeometry:
    """Place the band on the chart's fixed scale; values outside the scale are clamped like a series'."""
    if len(band.lows) != len(geometry.axes):
        raise ValueError(f"radar band {band.label!r} has {len(band.lows)} ranges but the chart has {len(geometry.axes)} axes")

    def at(value: float | None, angle: float) -> Point:
        if value is None:
            return geometry.centre
        reach = value_fraction(value, geometry.scale_min, geometry.scale_max) * geometry.radius
        return (geometry.cx + reach * math.sin(angle), geometry.cy - reach * math.cos(angle))

    angles = [axis.angle for axis in geometry.axes]
    return RadarBandGeometry(
        label=band.label,
        lows=band.lows,
        highs=band.highs,
        inner=tuple(at(low, angle) for low, angle in zip(band.lows, angles, strict=True)),
        outer=tuple(at(high, angle) for high, angle in zip(band.highs, angles, strict=True)),
        missing=tuple(i for i, low in enumerate(band.lows) if low is None),
    )


def _path(points: list[Point]) -> str:
    return "M" + " L".join(f"{number(x)},{number(y)}" for x, y in points) + " Z"


def band_area_path(band: RadarBandGeometry) -> str:
    """The hatched area: the ring between both polygons when every axis has a range (even-odd fill), else one
    closed shape per run of two or more axes (its highs out, its lows back)."""
    if not band.missing:
        return f"{_path(list(band.outer))} {_path(list(band.inner))}"
    shapes = [[band.outer[i] for i in run] + [band.inner[i] for i in reversed(run)] for run in band.runs if len(run) > 1]
    return " ".join(_path(shape) for shape in shapes)


def render_band_svg(band: RadarBandGeometry, axis_titles: list[str], id_prefix: str) -> list[str]:
    """SVG elements of the band (a <defs> with its hatch, the area, a stroke per axis with a tooltip)."""
    style, hatch = BAND_STYLE, f"{id_prefix}-band-hatch"
    out = [
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{style.fill}" fill-opacity="{number(style.fill_opacity)}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{style.stroke}" stroke-width="1.5"/></pattern></defs>',
        f'<g class="radar-band"><title>{text(band.label)}</title>',
    ]
    area = band_area_path(band)
    if area:
        out.append(
            f'<path class="radar-band__area" d="{area}" fill="url(#{hatch})" fill-rule="evenodd"'
            f' stroke="{style.stroke}" stroke-width="1"/>'
        )
    for i, (low, high) in enumerate(zip(band.lows, band.highs, strict=True)):
        if low is None or high is None:
            continue
        (x1, y1), (x2, y2) = band.inner[i], band.outer[i]
        tooltip = f"{band.label} – {axis_titles[i]}: {_german(low)} bis {_german(high)}"
        out.append(
            f'<line class="radar-band__range" x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" y2="{number(y2)}"'
            f' stroke="{style.stroke}" stroke-width="{number(style.stroke_width)}" stroke-linecap="round">'
            f"<title>{text(tooltip)}</title></line>"
        )
    out.append("</g>")
    return out


def _german(value: float) -> str:
    """One decimal rounded half up, German style, like the scores on the pages (a member's score may be 5.333…)."""
    return f"{Decimal(repr(float(value))).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",")
