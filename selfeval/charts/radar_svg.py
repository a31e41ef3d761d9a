"""Render a RadarGeometry as a standalone, accessible SVG element (no styles: the CSP allows none)."""

from __future__ import annotations

from collections.abc import Sequence

from .radar import Point, RadarGeometry, RadarSeriesGeometry, format_value
from .radar_band import RadarBandGeometry, render_band_svg
from .style import BACKGROUND_COLOR, DRAWING_ORDER, GRID_COLOR, SERIES_STYLES, TEXT_COLOR
from .svg import number, svg_start, text


def _points(points: Sequence[Point]) -> str:
    return " ".join(f"{number(x)},{number(y)}" for x, y in points)


def _german_value(value: float | None) -> str:
    if value is None:
        return "nicht bewertet"
    return format_value(value).replace(".", ",")


def _outline(series: RadarSeriesGeometry) -> list[str]:
    """A closed, filled polygon when every axis has a value; else one open line per run of rated axes."""
    style = SERIES_STYLES[series.style]
    dash = f' stroke-dasharray="{" ".join(number(d) for d in style.dasharray)}"' if style.dasharray else ""
    stroke = f' stroke="{style.stroke}" stroke-width="{number(style.stroke_width)}"{dash} stroke-linejoin="round"'
    classes = f"radar-series radar-series--{series.style}"
    if series.is_closed:
        fill = f'fill="{style.fill}" fill-opacity="{number(style.fill_opacity)}"' if style.fill else 'fill="none"'
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
    out = [f'<g class="radar-series-group radar-series-group--{series.style}">', f"<title>{text(series.label)}</title>"]
    out += _outline(series)
    for i, (x, y) in enumerate(series.points):
        if i in series.missing:
            continue
        tooltip = f"{series.label} – {axis_titles[i]}: {_german_value(series.values[i])}"
        out.append(
            f'<circle class="radar-point" cx="{number(x)}" cy="{number(y)}" r="{number(style.point_radius)}"'
            f' fill="{style.stroke}" stroke="{BACKGROUND_COLOR}" stroke-width="1">'
            f"<title>{text(tooltip)}</title></circle>"
        )
    out.append("</g>")
    return out


def render_svg(
    geometry: RadarGeometry,
    *,
    title: str,
    description: str,
    id_prefix: str = "radar",
    band: RadarBandGeometry | None = None,
) -> str:
    """Render the geometry as a standalone, CSP-safe <svg> element string (no XML prolog, no styles).

    A band (radar_band.band_geometry on this geometry) is drawn above the grid and below every series."""
    g = geometry
    out = svg_start("radar-chart", g.width, g.height, id_prefix=id_prefix, title=title, description=description)

    out.append(f'<g class="radar-grid" fill="none" stroke="{GRID_COLOR}" stroke-width="1">')
    for ring in g.rings:
        out.append(f'<polygon class="radar-ring" points="{_points(ring.points)}"/>')
    for axis in g.axes:
        out.append(
            f'<line class="radar-axis" x1="{number(g.cx)}" y1="{number(g.cy)}"'
            f' x2="{number(axis.end[0])}" y2="{number(axis.end[1])}"/>'
        )
    out.append("</g>")

    axis_titles = [axis.label for axis in g.axes]
    if band is not None:
        out.extend(render_band_svg(band, axis_titles, id_prefix))
    for series in sorted(g.series, key=lambda s: DRAWING_ORDER[s.style]):
        out.extend(_series(series, axis_titles))

    out.append(
        f'<g class="radar-ring-labels" fill="{TEXT_COLOR}" font-size="{number(g.ring_font_size)}"'
        f' stroke="{BACKGROUND_COLOR}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
    )
    for ring in g.rings:
        x, y = ring.label_position
        out.append(
            f'<text class="radar-ring-label" x="{number(x)}" y="{number(y)}" text-anchor="{ring.label_anchor}">'
            f"{text(ring.label)}</text>"
        )
    out.append("</g>")

    out.append(f'<g class="radar-axis-labels" fill="{TEXT_COLOR}" font-size="{number(g.font_size)}">')
    for axis in g.axes:
        if not axis.label_lines:
            continue
        out.append(f'<text class="radar-axis-label" text-anchor="{axis.text_anchor}">')
        for line, (x, y) in zip(axis.label_lines, axis.line_positions, strict=True):
            out.append(f'<tspan x="{number(x)}" y="{number(y)}">{text(line)}</tspan>')
        out.append("</text>")
    out.append("</g>")

    out.append("</svg>")
    return "\n".join(out)
