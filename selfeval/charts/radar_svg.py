"""Render a RadarGeometry as a standalone, accessible SVG element (no styles: the CSP allows none)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr  # escape() only writes XML, nothing is parsed  # nosec B406

from .radar import (
    BACKGROUND_COLOR,
    FONT_FAMILY,
    GRID_COLOR,
    SERIES_STYLES,
    TEXT_COLOR,
    Point,
    RadarGeometry,
    RadarSeriesGeometry,
    format_value,
)

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_STYLE_ORDER = {"comparison": 0, "secondary": 1, "primary": 2}


def _text(value: str) -> str:
    """Escape text content; characters XML cannot carry at all are dropped."""
    return escape(_XML_INVALID.sub("", value))


def _attr(value: str) -> str:
    """Escape and quote an attribute value."""
    return quoteattr(_XML_INVALID.sub("", value), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _points(points: Sequence[Point]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


def _german_value(value: float | None) -> str:
    if value is None:
        return "nicht bewertet"
    return format_value(value).replace(".", ",")


def _outline(series: RadarSeriesGeometry) -> list[str]:
    """A closed, filled polygon when every axis has a value; else one open line per run of rated axes."""
    style = SERIES_STYLES[series.style]
    dash = f' stroke-dasharray="{" ".join(_num(d) for d in style.dasharray)}"' if style.dasharray else ""
    stroke = f' stroke="{style.stroke}" stroke-width="{_num(style.stroke_width)}"{dash} stroke-linejoin="round"'
    classes = f"radar-series radar-series--{series.style}"
    if series.is_closed:
        fill = f'fill="{style.fill}" fill-opacity="{_num(style.fill_opacity)}"' if style.fill else 'fill="none"'
        return [f'<polygon class="{classes}" points="{_points(series.points)}" {fill}{stroke}/>']
    return [
        f'<polyline class="{classes} radar-series--gap" points="{_points([series.points[i] for i in run])}"'
        f' fill="none"{stroke}/>'
        for run in series.runs
        if len(run) > 1
    ]


def _series(series: RadarSeriesGeometry, axis_titles: list[str]) -> list[str]:
    """One series: its outline and a point with a tooltip per rated axis (unrated axes stay empty)."""
    style = SERIES_STYLES[series.style]
    out = [f'<g class="radar-series-group radar-series-group--{series.style}">', f"<title>{_text(series.label)}</title>"]
    out += _outline(series)
    for i, (x, y) in enumerate(series.points):
        if i in series.missing:
            continue
        tooltip = f"{series.label} – {axis_titles[i]}: {_german_value(series.values[i])}"
        out.append(
            f'<circle class="radar-point" cx="{_num(x)}" cy="{_num(y)}" r="{_num(style.point_radius)}"'
            f' fill="{style.stroke}" stroke="{BACKGROUND_COLOR}" stroke-width="1">'
            f"<title>{_text(tooltip)}</title></circle>"
        )
    out.append("</g>")
    return out


def render_svg(geometry: RadarGeometry, *, title: str, description: str, id_prefix: str = "radar") -> str:
    """Render the geometry as a standalone, CSP-safe <svg> element string (no XML prolog, no styles)."""
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must start with a letter and contain only letters, digits, - and _: {id_prefix!r}")
    g = geometry
    title_id = f"{id_prefix}-title"
    desc_id = f"{id_prefix}-desc"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" viewBox="0 0 {_num(g.width)} {_num(g.height)}"'
        f' width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{title_id} {desc_id}"'
        f' font-family="{FONT_FAMILY}">',
        f'<title id="{title_id}">{_text(title)}</title>',
        f'<desc id="{desc_id}">{_text(description)}</desc>',
    ]

    out.append(f'<g class="radar-grid" fill="none" stroke="{GRID_COLOR}" stroke-width="1">')
    for ring in g.rings:
        out.append(f'<polygon class="radar-ring" points="{_points(ring.points)}"/>')
    for axis in g.axes:
        out.append(
            f'<line class="radar-axis" x1="{_num(g.cx)}" y1="{_num(g.cy)}"'
            f' x2="{_num(axis.end[0])}" y2="{_num(axis.end[1])}"/>'
        )
    out.append("</g>")

    axis_titles = [axis.label for axis in g.axes]
    for series in sorted(g.series, key=lambda s: _STYLE_ORDER[s.style]):
        out.extend(_series(series, axis_titles))

    out.append(
        f'<g class="radar-ring-labels" fill="{TEXT_COLOR}" font-size="{_num(g.ring_font_size)}"'
        f' stroke="{BACKGROUND_COLOR}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
    )
    for ring in g.rings:
        x, y = ring.label_position
        out.append(
            f'<text class="radar-ring-label" x="{_num(x)}" y="{_num(y)}" text-anchor="{ring.label_anchor}">'
            f"{_text(ring.label)}</text>"
        )
    out.append("</g>")

    out.append(f'<g class="radar-axis-labels" fill="{TEXT_COLOR}" font-size="{_num(g.font_size)}">')
    for axis in g.axes:
        if not axis.label_lines:
            continue
        out.append(f'<text class="radar-axis-label" text-anchor="{axis.text_anchor}">')
        for line, (x, y) in zip(axis.label_lines, axis.line_positions, strict=True):
            out.append(f'<tspan x="{_num(x)}" y="{_num(y)}">{_text(line)}</tspan>')
        out.append("</text>")
    out.append("</g>")

    out.append("</svg>")
    return "\n".join(out)
