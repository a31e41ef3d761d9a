"""Radar chart: a fixed scale defined once as geometry, and a CSP-safe, escaped SVG rendering of it."""

from __future__ import annotations

import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from selfeval.charts import RadarGeometry, RadarSeries, radar_geometry, render_svg, wrap_label
from selfeval.charts.radar import line_extent

SVG = "{http://www.w3.org/2000/svg}"

DORTMUND_TITLES = (
    "Dauerhafte Implementierung von Konzepten zur digitalen Bildung",
    "Pädagogik und Lernkulturen (Unterrichtsentwicklung)",
    "Qualifizierung der Lehrkräfte",
    "Digitale Schulorganisation",
    "Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen",
    "Zugang zur Technik und Ausstattung der Schule",
)
SIX = tuple(f"Achse {i}" for i in range(6))
HOSTILE = '<script>alert(1)</script> & "x"'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output; parsing it is the well-formedness check


def distance(geometry: RadarGeometry, point: tuple[float, float]) -> float:
    return math.hypot(point[0] - geometry.cx, point[1] - geometry.cy)


def expected_point(geometry: RadarGeometry, axis: int, n: int, fraction: float) -> tuple[float, float]:
    angle = 2 * math.pi * axis / n
    r = geometry.radius * fraction
    return (geometry.cx + r * math.sin(angle), geometry.cy - r * math.cos(angle))


def assert_point(actual: tuple[float, float], expected: tuple[float, float]) -> None:
    assert math.isclose(actual[0], expected[0], abs_tol=1e-9), (actual, expected)
    assert math.isclose(actual[1], expected[1], abs_tol=1e-9), (actual, expected)


def series_points(values, n: int = 6):
    geometry = radar_geometry(tuple(f"A{i}" for i in range(n)), [RadarSeries("s", tuple(values))])
    return geometry, geometry.series[0]


# --- geometry ---------------------------------------------------------------------------------------------------


def test_rings_are_fixed_at_scale_steps():
    geometry = radar_geometry(SIX, [], size=420, scale_min=0, scale_max=10, ring_step=2)
    assert tuple(ring.value for ring in geometry.rings) == (2, 4, 6, 8, 10)
    assert tuple(ring.label for ring in geometry.rings) == ("2", "4", "6", "8", "10")
    outer = geometry.rings[-1]
    assert len(outer.points) == 6
    for point in outer.points:
        assert math.isclose(distance(geometry, point), geometry.radius)
    for ring in geometry.rings:
        assert math.isclose(ring.radius, geometry.radius * ring.value / 10)
        for point in ring.points:
            assert math.isclose(distance(geometry, point), geometry.radius * ring.value / 10)


def test_ring_labels_sit_along_the_first_axis():
    geometry = radar_geometry(SIX, [])
    for ring in geometry.rings:
        x, y = ring.label_position
        assert geometry.cx < x < geometry.cx + 10
        assert math.isclose(y, geometry.cy - ring.radius, abs_tol=10)


def test_outer_ring_is_scale_max_even_if_step_does_not_divide_it():
    geometry = radar_geometry(SIX, [], scale_min=1, scale_max=5, ring_step=1.5)
    assert tuple(ring.value for ring in geometry.rings) == (2.5, 4, 5)
    assert math.isclose(geometry.rings[-1].radius, geometry.radius)


def test_axis_zero_points_up_and_axes_go_clockwise():
    geometry = radar_geometry(SIX, [])
    first, second = geometry.axes[0], geometry.axes[1]
    assert math.isclose(first.end[0], geometry.cx, abs_tol=1e-9)
    assert first.end[1] < geometry.cy
    assert math.isclose(distance(geometry, first.end), geometry.radius)
    assert second.end[0] > geometry.cx
    assert second.end[1] < geometry.cy  # 60 degrees clockwise from straight up is still above the centre
    for i, axis in enumerate(geometry.axes):
        assert axis.index == i
        assert math.isclose(axis.angle, 2 * math.pi * i / 6)
        assert_point(axis.end, expected_point(geometry, i, 6, 1.0))


def test_text_anchor_follows_the_angle():
    geometry = radar_geometry(SIX, [])
    assert [axis.text_anchor for axis in geometry.axes] == ["middle", "start", "start", "middle", "end", "end"]
    top, bottom = geometry.axes[0], geometry.axes[3]
    assert all(y < geometry.cy - geometry.radius for _x, y in top.line_positions)
    assert all(y > geometry.cy + geometry.radius for _x, y in bottom.line_positions)


def test_series_values_map_linearly_onto_the_fixed_scale():
    values = (10, 5, 0, 2.5, 7.5, 10)
    geometry, series = series_points(values)
    fractions = (1.0, 0.5, 0.0, 0.25, 0.75, 1.0)
    for i, fraction in enumerate(fractions):
        assert math.isclose(distance(geometry, series.points[i]), geometry.radius * fraction, abs_tol=1e-9)
        assert_point(series.points[i], expected_point(geometry, i, 6, fraction))
    assert series.missing == ()
    assert series.values == values


def test_scale_is_not_normalised_to_the_data():
    geometry, series = series_points((4, 2, 1, 3, 4, 0))
    assert math.isclose(distance(geometry, series.points[0]), 0.4 * geometry.radius)
    assert math.isclose(max(distance(geometry, p) for p in series.points), 0.4 * geometry.radius)
    assert_point(series.points[0], expected_point(geometry, 0, 6, 0.4))


def test_scale_with_offset_minimum():
    geometry = radar_geometry(SIX, [RadarSeries("s", (1, 3, 5, 2, 4, 1))], scale_min=1, scale_max=5, ring_step=1)
    assert tuple(ring.value for ring in geometry.rings) == (2, 3, 4, 5)
    points = geometry.series[0].points
    assert math.isclose(distance(geometry, points[0]), 0)
    assert math.isclose(distance(geometry, points[1]), 0.5 * geometry.radius)
    assert math.isclose(distance(geometry, points[2]), geometry.radius)


def test_values_outside_the_scale_are_clamped():
    geometry, series = series_points((12, -3, 10.5, 5, math.inf, -math.inf))
    expected = (1.0, 0.0, 1.0, 0.5, 1.0, 0.0)
    for i, fraction in enumerate(expected):
        assert_point(series.points[i], expected_point(geometry, i, 6, fraction))
    assert series.values == (12, -3, 10.5, 5, math.inf, -math.inf)
    assert series.missing == ()


def test_none_is_drawn_at_the_centre_and_listed_as_missing():
    geometry, series = series_points((None, 5, None, 5, 5, 5))
    assert_point(series.points[0], geometry.centre)
    assert_point(series.points[2], geometry.centre)
    assert series.missing == (0, 2)
    assert len(series.points) == 6


@pytest.mark.parametrize("n", [3, 4, 5, 8, 12])
def test_any_number_of_axes_from_three(n):
    labels = [f"Kriterium {i}" for i in range(n)]
    values = tuple(float(i % 11) for i in range(n))
    geometry = radar_geometry(labels, [RadarSeries("s", values)])
    assert len(geometry.axes) == n
    assert all(len(ring.points) == n for ring in geometry.rings)
    assert_point(geometry.axes[0].end, (geometry.cx, geometry.cy - geometry.radius))
    for i, point in enumerate(geometry.series[0].points):
        assert_point(point, expected_point(geometry, i, n, values[i] / 10))
    parse(render_svg(geometry, title="t", description="d"))


@pytest.mark.parametrize("n", [0, 1, 2])
def test_fewer_than_three_axes_is_an_error(n):
    with pytest.raises(ValueError, match=f"at least 3 axes, got {n}"):
        radar_geometry([f"A{i}" for i in range(n)], [])


def test_series_length_must_match_the_axes():
    with pytest.raises(ValueError, match=r"'Vorjahr' has 5 values but the chart has 6 axes"):
        radar_geometry(SIX, [RadarSeries("Vorjahr", (1, 2, 3, 4, 5))])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale_min": 10, "scale_max": 10}, "scale_max"),
        ({"scale_min": 5, "scale_max": 1}, "scale_max"),
        ({"ring_step": 0}, "ring_step"),
        ({"ring_step": -2}, "ring_step"),
        ({"size": 80}, "no room"),
    ],
)
def test_invalid_scale_or_size_is_an_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        radar_geometry(SIX, [], **kwargs)


def test_series_rejects_unknown_style_and_non_numbers():
    with pytest.raises(ValueError, match="unknown radar series style 'bold'"):
        RadarSeries("s", (1, 2, 3), style="bold")
    with pytest.raises(ValueError, match="NaN"):
        RadarSeries("s", (1, math.nan, 3))
    with pytest.raises(ValueError, match="not a number"):
        RadarSeries("s", (1, "2", 3))  # type: ignore[arg-type]


def test_series_values_given_as_a_list_become_a_tuple():
    series = RadarSeries("s", [1, None, 3])  # type: ignore[arg-type]
    assert series.values == (1, None, 3)
    hash(series)


def test_legend_lists_series_in_input_order():
    geometry = radar_geometry(
        SIX,
        [
            RadarSeries("2025/26", (1,) * 6),
            RadarSeries("Vorjahr 2024/25", (2,) * 6, "secondary"),
            RadarSeries("Vergleich", (3,) * 6, "comparison"),
        ],
    )
    assert geometry.legend == (("2025/26", "primary"), ("Vorjahr 2024/25", "secondary"), ("Vergleich", "comparison"))


def all_points(geometry: RadarGeometry):
    yield geometry.centre
    for ring in geometry.rings:
        yield from ring.points
        yield ring.label_position
    for axis in geometry.axes:
        yield axis.end
        yield axis.label_anchor_point
        yield from axis.line_positions
        for line, (x, y) in zip(axis.label_lines, axis.line_positions, strict=True):
            x0, y0, x1, y1 = line_extent(x, y, line, axis.text_anchor, geometry.font_size, 0.6 * geometry.font_size)
            yield (x0, y0)
            yield (x1, y1)
    for series in geometry.series:
        yield from series.points


@pytest.mark.parametrize("size", [300, 420, 600])
def test_everything_fits_in_the_viewbox_for_the_dortmund_titles(size):
    series = [RadarSeries("a", (10,) * 6), RadarSeries("b", (0,) * 6, "secondary")]
    geometry = radar_geometry(DORTMUND_TITLES, series, size=size)
    assert math.isclose(geometry.font_size, 13.5 * size / 420)
    for x, y in all_points(geometry):
        assert 0 <= x <= geometry.width, (x, geometry.width)
        assert 0 <= y <= geometry.height, (y, geometry.height)
    # The label block is outside the outer ring, never on top of it.
    for axis in geometry.axes:
        assert axis.label_lines
        assert distance(geometry, axis.label_anchor_point) > geometry.radius


@pytest.mark.parametrize("n", [3, 8])
def test_long_labels_fit_for_other_axis_counts(n):
    labels = [DORTMUND_TITLES[i % 6] for i in range(n)]
    geometry = radar_geometry(labels, [])
    for x, y in all_points(geometry):
        assert 0 <= x <= geometry.width
        assert 0 <= y <= geometry.height


def test_labels_do_not_overlap_each_other_for_the_dortmund_titles():
    geometry = radar_geometry(DORTMUND_TITLES, [])
    boxes = []
    for axis in geometry.axes:
        extents = [
            line_extent(x, y, line, axis.text_anchor, geometry.font_size, geometry.char_width)
            for line, (x, y) in zip(axis.label_lines, axis.line_positions, strict=True)
        ]
        boxes.append(
            (
                min(e[0] for e in extents),
                min(e[1] for e in extents),
                max(e[2] for e in extents),
                max(e[3] for e in extents),
            )
        )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_geometry_is_frozen():
    geometry = radar_geometry(SIX, [])
    with pytest.raises(AttributeError):
        geometry.radius = 1  # type: ignore[misc]


# --- label wrapping ---------------------------------------------------------------------------------------------


def test_long_label_wraps_at_word_boundaries():
    text = "Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen"
    lines = wrap_label(text)
    assert len(lines) > 1
    for line in lines:
        assert len(line) <= 22 or " " not in line, line
    assert [line for line in lines if len(line) > 22] == ["zivilgesellschaftlichen"]
    assert " ".join(lines) == text


@pytest.mark.parametrize("text", DORTMUND_TITLES)
def test_every_dortmund_title_wraps_losslessly(text):
    lines = wrap_label(text)
    assert " ".join(lines) == text
    assert all(len(line) <= 22 or " " not in line for line in lines)


def test_wrap_uses_as_few_lines_as_greedy_wrapping_and_short_labels_stay_whole():
    assert wrap_label("Qualifizierung") == ("Qualifizierung",)
    assert wrap_label("Digitale Schulorganisation") == ("Digitale", "Schulorganisation")
    assert wrap_label("  a   b  ") == ("a b",)
    assert wrap_label("") == ()
    assert wrap_label("eins zwei drei", max_chars=4) == ("eins", "zwei", "drei")


# --- SVG --------------------------------------------------------------------------------------------------------


def render(series=None, labels=DORTMUND_TITLES, **kwargs):
    if series is None:
        series = [
            RadarSeries("2025/26", (7, 5.5, 8, 3, 6, 9)),
            RadarSeries("Vorjahr 2024/25", (5, 4, 6, 2, 5, 7), "secondary"),
        ]
    geometry = radar_geometry(labels, series)
    svg = render_svg(
        geometry,
        title=kwargs.pop("title", "Profil der Schule"),
        description=kwargs.pop("description", "Sechs Kriterien, Skala 0 bis 10"),
        **kwargs,
    )
    return geometry, svg, parse(svg)


def classes(element) -> set[str]:
    return set(element.get("class", "").split())


def by_class(root, name: str):
    return [e for e in root.iter() if name in classes(e)]


def test_svg_is_an_accessible_standalone_element():
    geometry, svg, root = render()
    assert svg.startswith("<svg ")
    assert not svg.startswith("<?xml")
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "radar-title radar-desc"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "radar-title" and title.text == "Profil der Schule"
    assert desc is not None and desc.get("id") == "radar-desc" and desc.text == "Sechs Kriterien, Skala 0 bis 10"
    assert root.get("viewBox") == f"0 0 {round(geometry.width, 2):g} {round(geometry.height, 2):g}"
    assert root.get("height") is None
    assert root.get("width") in (None, "100%")
    assert root.get("font-family") == "system-ui, sans-serif"


def test_svg_id_prefix_makes_ids_unique():
    _geometry, _svg, root = render(id_prefix="vorjahr-chart")
    assert root.get("aria-labelledby") == "vorjahr-chart-title vorjahr-chart-desc"
    assert root.find(f"{SVG}title").get("id") == "vorjahr-chart-title"
    assert root.find(f"{SVG}desc").get("id") == "vorjahr-chart-desc"
    with pytest.raises(ValueError, match="id_prefix"):
        render(id_prefix='x" onload="alert(1)')


def test_svg_grid_rings_and_ring_labels():
    _geometry, _svg, root = render()
    rings = by_class(root, "radar-ring")
    assert len(rings) == 5
    assert all(ring.tag == f"{SVG}polygon" for ring in rings)
    assert all(ring.get("stroke") == "#c3cbd3" or ring.get("stroke") is None for ring in rings)
    assert [label.text for label in by_class(root, "radar-ring-label")] == ["2", "4", "6", "8", "10"]
    assert len(by_class(root, "radar-axis")) == 6


def test_svg_grid_colour_is_set_on_the_group():
    _geometry, _svg, root = render()
    grid = by_class(root, "radar-grid")[0]
    assert grid.get("stroke") == "#c3cbd3"
    assert grid.get("fill") == "none"


def test_svg_axis_labels_are_wrapped_into_tspans():
    geometry, _svg, root = render()
    labels = by_class(root, "radar-axis-label")
    assert len(labels) == 6
    for axis, text in zip(geometry.axes, labels, strict=True):
        tspans = text.findall(f"{SVG}tspan")
        assert [t.text for t in tspans] == list(axis.label_lines)
        assert " ".join(t.text for t in tspans) == axis.label
        assert text.get("text-anchor") == axis.text_anchor


def test_svg_one_polygon_per_series_with_style_class_and_vertex_circles():
    series = [
        RadarSeries("2025/26", (7, 5.5, 8, 3, 6, 9)),
        RadarSeries("Vorjahr 2024/25", (5, 4, 6, 2, 5, 7), "secondary"),
        RadarSeries("Vergleich", (6, 6, 6, 6, 6, None), "comparison"),
    ]
    _geometry, _svg, root = render(series)
    polygons = by_class(root, "radar-series")
    assert len(polygons) == 3
    # A series with an unrated axis is an open line with a gap there (issue 16), not a polygon through the centre.
    assert [p.tag for p in polygons] == [f"{SVG}polyline", f"{SVG}polygon", f"{SVG}polygon"]
    by_style = {style: by_class(root, f"radar-series--{style}") for style in ("primary", "secondary", "comparison")}
    assert all(len(found) == 1 for found in by_style.values())
    primary, secondary, comparison = (by_style[s][0] for s in ("primary", "secondary", "comparison"))
    assert primary.get("stroke") == "#1f4e79"
    assert primary.get("fill") == "#1f4e79"
    assert float(primary.get("fill-opacity")) == 0.25
    assert float(primary.get("stroke-width")) == 2.5
    assert primary.get("stroke-dasharray") is None
    assert secondary.get("stroke") == "#b35900"
    assert secondary.get("stroke-dasharray")
    assert comparison.get("stroke") == "#0b6e4f"
    assert comparison.get("stroke-dasharray")
    assert comparison.get("stroke-dasharray") != secondary.get("stroke-dasharray")
    assert len(by_class(root, "radar-point")) == 17
    assert len(by_class(root, "radar-point--missing")) == 0
    assert len(primary.get("points").split()) == 6


def test_svg_coordinates_are_rounded_to_two_decimals():
    _geometry, svg, root = render()
    for element in root.iter():
        for name in ("x", "y", "cx", "cy", "x1", "y1", "x2", "y2"):
            value = element.get(name)
            if value is not None:
                assert len(value.partition(".")[2]) <= 2, (name, value)
        for pair in (element.get("points") or "").split():
            for number in pair.split(","):
                assert len(number.partition(".")[2]) <= 2, pair
    assert svg == render()[1]  # stable output


def test_svg_escapes_every_piece_of_text():
    labels = (HOSTILE, *DORTMUND_TITLES[1:])
    series = [RadarSeries(HOSTILE, (1, 2, 3, 4, 5, 6))]
    _geometry, svg, root = render(series, labels=labels, title=HOSTILE, description=HOSTILE)
    assert "<script" not in svg
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text == HOSTILE
    label = by_class(root, "radar-axis-label")[0]
    assert " ".join(t.text for t in label.findall(f"{SVG}tspan")) == HOSTILE
    group_title = by_class(root, "radar-series-group")[0].find(f"{SVG}title")
    assert group_title.text == HOSTILE


def test_svg_drops_characters_xml_cannot_carry():
    _geometry, _svg, root = render(title="A\x00B\x1fC", description="ok")
    assert root.find(f"{SVG}title").text == "ABC"


def test_svg_has_no_style_element_and_no_style_attributes():
    _geometry, svg, root = render()
    assert not [e for e in root.iter() if e.tag == f"{SVG}style"]
    assert not [e for e in root.iter() if "style" in e.attrib]
    assert "style=" not in svg
    assert "<style" not in svg


def test_svg_text_colour_and_readable_font_size():
    _geometry, _svg, root = render()
    group = by_class(root, "radar-axis-labels")[0]
    assert group.get("fill") == "#1d2630"
    assert 13 <= float(group.get("font-size")) <= 14


def test_charts_import_no_framework():
    code = (
        "import sys, selfeval.charts; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy', 'reportlab', 'werkzeug'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"


# --- unrated criteria are gaps, not zeros (issue 16) ------------------------------------------------------------


def test_runs_are_the_stretches_of_rated_axes_around_the_circle():
    assert series_points((None, 5, None, 5, 5, 5))[1].runs == ((1,), (3, 4, 5))
    assert series_points((5, None, 5, 5, 5, 5))[1].runs == ((2, 3, 4, 5, 0),)
    assert series_points((5, 5, 5, 5, 5, 5))[1].runs == ((0, 1, 2, 3, 4, 5),)
    assert series_points((None,) * 6)[1].runs == ()


def test_svg_draws_an_unrated_axis_as_a_gap_not_as_a_point_at_zero():
    geometry, _svg, root = render([RadarSeries("2025/26", (9, None, None, None, 8, 7))])
    lines = by_class(root, "radar-series")
    assert [(line.tag, line.get("fill")) for line in lines] == [(f"{SVG}polyline", "none")]
    drawn = [tuple(float(n) for n in pair.split(",")) for pair in lines[0].get("points").split()]
    expected = [geometry.series[0].points[i] for i in (4, 5, 0)]
    assert [(round(x, 2), round(y, 2)) for x, y in drawn] == [(round(x, 2), round(y, 2)) for x, y in expected]
    assert len(by_class(root, "radar-point")) == 3
    assert by_class(root, "radar-point--missing") == []
    centre = (round(geometry.cx, 2), round(geometry.cy, 2))
    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    assert centre not in circles


def test_gap_labels_name_the_unrated_axes():
    from selfeval.charts.radar import gap_labels

    assert gap_labels(["A", "B", "C"], (1.0, None, 3.0)) == ["A", "B (nicht bewertet)", "C"]
