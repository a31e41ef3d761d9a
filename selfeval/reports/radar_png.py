"""The radar chart as a PNG image (for the Word document of the Medienkonzept): the same RadarGeometry the PDF and
the HTML report draw, painted with Pillow.

Pillow is already there (reportlab draws its images with it) and needs no system library, where reportlab's own
bitmap renderer (renderPM) would be another compiled package and SVG rasterizers need Cairo. Pillow draws without
anti-aliasing, so the chart is painted at SUPERSAMPLE times its size and scaled down; dashes are drawn segment by
segment, the translucent fill on a layer of its own.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from ..charts import SERIES_STYLES, RadarGeometry
from ..charts.radar import Point
from ..charts.style import BACKGROUND_COLOR, GRID_COLOR, TEXT_COLOR
from ..paths import PACKAGE_DIR

FONT_FILE = PACKAGE_DIR / "reports" / "fonts" / "DejaVuSans.ttf"
SUPERSAMPLE = 3
LEGEND_ROW = 26.0  # geometry units per legend row
_STYLE_ORDER = {"comparison": 0, "secondary": 1, "primary": 2}


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size)


def _rgb(hex_color: str, alpha: int = 255) -> tuple[int, int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha


class _Painter:
    def __init__(self, geometry: RadarGeometry, pixels_per_unit: float):
        self.g, self.k = geometry, pixels_per_unit * SUPERSAMPLE
        height = geometry.height + 12 + LEGEND_ROW * len(geometry.legend)
        self.size = (round(geometry.width * self.k), round(height * self.k))
        self.image = Image.new("RGBA", self.size, _rgb(BACKGROUND_COLOR))
        self.draw = ImageDraw.Draw(self.image)

    def xy(self, point: Point) -> tuple[float, float]:
        return point[0] * self.k, point[1] * self.k

    def line(self, points: Sequence[Point], color: str, width: float, dash: tuple[float, ...] = ()) -> None:
        placed = [self.xy(p) for p in points]
        pixels = max(1, round(width * self.k))
        if not dash:
            self.draw.line(placed, fill=_rgb(color), width=pixels, joint="curve")
            return
        for start, end in zip(placed, placed[1:], strict=False):
            self._dashed(start, end, color, pixels, [d * self.k for d in dash])

    def _dashed(self, start, end, color: str, pixels: int, dash: list[float]) -> None:
        length = math.dist(start, end)
        if length == 0:
            return
        ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
        at, index = 0.0, 0
        while at < length:
            step = dash[index % len(dash)]
            if index % 2 == 0:
                stop = min(length, at + step)
                self.draw.line(
                    [(start[0] + ux * at, start[1] + uy * at), (start[0] + ux * stop, start[1] + uy * stop)],
                    fill=_rgb(color), width=pixels,
                )  # fmt: skip
            at, index = at + step, index + 1

    def fill(self, points: Sequence[Point], color: str, opacity: float) -> None:
        layer = Image.new("RGBA", self.size, (0, 0, 0, 0))
        ImageDraw.Draw(layer).polygon([self.xy(p) for p in points], fill=_rgb(color, round(255 * opacity)))
        self.image.alpha_composite(layer)
        self.draw = ImageDraw.Draw(self.image)

    def dot(self, point: Point, radius: float, color: str) -> None:
        x, y = self.xy(point)
        r = radius * self.k
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=_rgb(color))

    def text(self, point: Point, line: str, size: float, anchor: str, *, halo: bool = False) -> None:
        horizontal = {"start": "l", "middle": "m", "end": "r"}[anchor]
        font = _font(max(1, round(size * self.k)))
        halo_width = round(2 * self.k / SUPERSAMPLE) if halo else 0
        self.draw.text(
            self.xy(point), line, font=font, fill=_rgb(TEXT_COLOR), anchor=horizontal + "s",
            stroke_width=halo_width, stroke_fill=_rgb(BACKGROUND_COLOR),
        )  # fmt: skip

    def png(self) -> bytes:
        final = (self.size[0] // SUPERSAMPLE, self.size[1] // SUPERSAMPLE)
        out = io.BytesIO()
        self.image.convert("RGB").resize(final, Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
        return out.getvalue()


def radar_png(geometry: RadarGeometry, *, width_pixels: int = 1200) -> bytes:
    """The chart with its legend below, `width_pixels` wide (15 cm at about 200 dpi)."""
    painter = _Painter(geometry, width_pixels / geometry.width)
    g = geometry
    for ring in g.rings:
        painter.line([*ring.points, ring.points[0]], GRID_COLOR, 1)
    for axis in g.axes:
        painter.line([g.centre, axis.end], GRID_COLOR, 1)
    for series in sorted(g.series, key=lambda s: _STYLE_ORDER[s.style]):
        _series(painter, series)
    for ring in g.rings:
        painter.text(ring.label_position, ring.label, g.ring_font_size, ring.label_anchor, halo=True)
    for axis in g.axes:
        for line, position in zip(axis.label_lines, axis.line_positions, strict=True):
            painter.text(position, line, g.font_size, axis.text_anchor)
    _legend(painter)
    return painter.png()


def _series(painter: _Painter, series) -> None:
    style = SERIES_STYLES[series.style]
    if series.is_closed:
        if style.fill:
            painter.fill(series.points, style.fill, style.fill_opacity)
        painter.line([*series.points, series.points[0]], style.stroke, style.stroke_width, style.dasharray)
    else:  # an unrated criterion is a gap in the outline, never a point at 0
        for run in series.runs:
            if len(run) > 1:
                painter.line([series.points[i] for i in run], style.stroke, style.stroke_width, style.dasharray)
    for index, point in enumerate(series.points):
        if index not in series.missing:
            painter.dot(point, style.point_radius, style.stroke)


def _legend(painter: _Painter) -> None:
    g = painter.g
    x, y = g.width / 2 - 170, g.height + 12 + LEGEND_ROW / 2
    for label, style_name in g.legend:
        style = SERIES_STYLES[style_name]
        painter.line([(x, y), (x + 44, y)], style.stroke, style.stroke_width, style.dasharray)
        painter.dot((x + 22, y), style.point_radius, style.stroke)
        painter.text((x + 56, y + g.font_size * 0.35), label, g.font_size, "start")
        y += LEGEND_ROW
