"""Box plots: geometry on the fixed scale, and an accessible, escaped, style-free SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from selfeval.charts import BoxPlotGeometry, BoxStats, boxplot_geometry, render_boxplot_svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & Co"
FULL = BoxStats("1. Konzept", 5, minimum=2.0, q1=4.0, median=4.0, q3=5.0, maximum=9.0, mean=4.8)
EMPTY = BoxStats("2. Leer", 0)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output; parsing it is the well-formedness check


def x_at(geometry: BoxPlotGeometry, value: float, low: float = 0, high: float = 10) -> float:
    return geometry.plot_left + (value - low) / (high - low) * (geometry.plot_right - geometry.plot_left)


def geometry_of(*rows: BoxStats) -> BoxPlotGeometry:
    return boxplot_geometry(list(rows), scale_min=0, scale_max=10, tick_step=2)


def svg_of(*rows: BoxStats, title: str = "Verteilung", description: str = "Beschreibung", id_prefix: str = "verteilung"):
    return render_boxplot_svg(geometry_of(*rows), title=title, description=description, id_prefix=id_prefix)


def row_groups(root: ET.Element) -> list[ET.Element]:
    """The <g> of each row with data: the one carrying the row's <title> tooltip."""
    return [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]


# --- geometry ------------------------------------------------------------------------------------------


def test_scale_is_fixed_and_linear():
    g = geometry_of(BoxStats("a", 3, minimum=0.0, q1=0.0, median=5.0, q3=10.0, maximum=10.0, mean=5.0))
    row = g.rows[0]
    assert g.plot_left < g.plot_right
    assert row.whisker == (g.plot_left, g.plot_right)
    assert row.median_x == (g.plot_left + g.plot_right) / 2
    assert row.mean_x == (g.plot_left + g.plot_right) / 2
    assert row.box[0] == g.plot_left
    assert row.box[2] == g.plot_right - g.plot_left


def test_scale_does_not_follow_the_data():
    narrow = geometry_of(BoxStats("a", 2, minimum=6.0, q1=6.0, median=6.5, q3=7.0, maximum=7.0, mean=6.5))
    row = narrow.rows[0]
    assert row.whisker == (x_at(narrow, 6), x_at(narrow, 7))
    assert row.median_x == x_at(narrow, 6.5)


def test_box_median_whiskers_and_mean_positions():
    g = geometry_of(FULL)
    row = g.rows[0]
    x, y, width, height = row.box
    assert (x, width) == (x_at(g, 4), x_at(g, 5) - x_at(g, 4))
    assert (y + height / 2, height) == (row.center_y, 20)
    assert row.median_x == x_at(g, 4)
    assert row.whisker == (x_at(g, 2), x_at(g, 9))
    assert row.mean_x == pytest.approx(x_at(g, 4.8), abs=1e-9)
    assert row.stats == FULL


def test_values_outside_the_scale_are_clamped():
    g = geometry_of(BoxStats("a", 4, minimum=-3.0, q1=-1.0, median=4.0, q3=11.0, maximum=14.0, mean=12.5))
    row = g.rows[0]
    assert row.whisker == (g.plot_left, g.plot_right)
    assert (row.box[0], row.box[0] + row.box[2]) == (g.plot_left, g.plot_right)
    assert row.mean_x == g.plot_right


def test_offset_scale():
    g = boxplot_geometry([BoxStats("a", 1, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0)], scale_min=1, scale_max=5, tick_step=1)
    assert g.rows[0].median_x == (g.plot_left + g.plot_right) / 2
    assert [label for _, label in g.ticks] == ["1", "2", "3", "4", "5"]
    assert [x for x, _ in g.ticks] == [x_at(g, v, 1, 5) for v in range(1, 6)]


def test_ticks_from_zero_to_ten_in_steps_of_two():
    g = geometry_of(FULL)
    assert g.ticks == tuple((x_at(g, v), str(v)) for v in (0, 2, 4, 6, 8, 10))
    assert (g.ticks[0][0], g.ticks[-1][0]) == (g.plot_left, g.plot_right)


def test_row_without_data_has_no_box():
    row = geometry_of(EMPTY).rows[0]
    assert (row.box, row.median_x, row.whisker, row.mean_x) == (None, None, None, None)
    assert row.label_lines == ("2. Leer",)


def test_row_with_missing_quartile_has_no_box_and_missing_mean_no_diamond():
    g = geometry_of(
        BoxStats("a", 3, minimum=1.0, q1=None, median=2.0, q3=3.0, maximum=4.0, mean=2.0),
        BoxStats("b", 3, minimum=1.0, q1=2.0, median=2.0, q3=3.0, maximum=4.0, mean=None),
    )
    assert (g.rows[0].box, g.rows[0].whisker) == (None, None)
    assert (g.rows[1].box is None, g.rows[1].mean_x) == (False, None)


def test_rows_stack_top_to_bottom_above_the_axis():
    g = geometry_of(FULL, EMPTY, FULL)
    centers = [row.center_y for row in g.rows]
    assert centers == sorted(centers)
    assert centers[1] - centers[0] == centers[2] - centers[1] > 20
    assert g.axis_y > centers[-1] + 10
    assert g.height > g.axis_y
    assert g.width > g.plot_right


def test_no_rows():
    g = geometry_of()
    assert g.rows == ()
    assert [label for _, label in g.ticks] == ["0", "2", "4", "6", "8", "10"]
    assert len(parse(render_boxplot_svg(g, title="t", description="d")).findall(f"{SVG}rect")) == 0


@pytest.mark.parametrize(("low", "high"), [(10, 10), (10, 0)])
def test_empty_scale_is_refused(low, high):
    with pytest.raises(ValueError, match="scale_max must be greater than scale_min"):
        boxplot_geometry([FULL], scale_min=low, scale_max=high)


# --- SVG ---------------------------------------------------------------------------------------------------


def test_svg_is_accessible_image():
    root = parse(svg_of(FULL, title="Verteilung je Kriterium", description="Kasten vom unteren bis zum oberen Quartil"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    assert ids == ["verteilung-title", "verteilung-desc"]
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    assert (by_id[ids[0]].tag, by_id[ids[0]].text) == (f"{SVG}title", "Verteilung je Kriterium")
    assert (by_id[ids[1]].tag, by_id[ids[1]].text) == (f"{SVG}desc", "Kasten vom unteren bis zum oberen Quartil")


def test_svg_id_prefix():
    root = parse(svg_of(FULL, id_prefix="vergleich"))
    assert root.get("aria-labelledby") == "vergleich-title vergleich-desc"
    assert [e.get("id") for e in root.iter() if e.get("id")] == ["vergleich-title", "vergleich-desc"]


def test_svg_has_no_style_anywhere():
    svg = svg_of(FULL, EMPTY, BoxStats(HOSTILE, 1, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0))
    root = parse(svg)
    assert [element.tag for element in root.iter() if "style" in element.attrib] == []
    assert root.findall(f".//{SVG}style") == []
    assert "style=" not in svg


def test_svg_draws_the_geometry():
    g = geometry_of(FULL)
    row = g.rows[0]
    root = parse(render_boxplot_svg(g, title="t", description="d"))
    (rect,) = root.iter(f"{SVG}rect")
    assert [float(rect.get(k)) for k in ("x", "y", "width", "height")] == [pytest.approx(v, abs=0.005) for v in row.box]
    lines = row_groups(root)[0].findall(f"{SVG}line")
    assert [float(lines[0].get("x1")), float(lines[0].get("x2"))] == [pytest.approx(v, abs=0.005) for v in row.whisker]
    assert float(lines[-1].get("x1")) == pytest.approx(row.median_x, abs=0.005)
    (diamond,) = root.iter(f"{SVG}polygon")
    xs = [float(point.split(",")[0]) for point in diamond.get("points").split()]
    assert xs == [pytest.approx(v, abs=0.005) for v in (row.mean_x, row.mean_x + 6, row.mean_x, row.mean_x - 6)]


def test_svg_tick_labels_and_grid():
    g = geometry_of(FULL)
    root = parse(render_boxplot_svg(g, title="t", description="d"))
    (labels,) = [group for group in root.iter(f"{SVG}g") if group.get("text-anchor") == "middle"]
    texts = labels.findall(f"{SVG}text")
    assert [t.text for t in texts] == ["0", "2", "4", "6", "8", "10"]
    assert [float(t.get("x")) for t in texts] == [pytest.approx(x, abs=0.005) for x, _ in g.ticks]
    (grid,) = [group for group in root.iter(f"{SVG}g") if group.get("stroke-width") == "1" and group.get("stroke")]
    assert [float(line.get("x1")) for line in grid.findall(f"{SVG}line")] == [pytest.approx(x, abs=0.005) for x, _ in g.ticks]


def test_svg_row_without_data_says_so():
    root = parse(svg_of(FULL, EMPTY))
    notes = [t.text for t in root.iter(f"{SVG}text") if t.text == "keine abgeschlossenen Bewertungen"]
    assert notes == ["keine abgeschlossenen Bewertungen"]
    assert len(root.findall(f".//{SVG}rect")) == 1
    assert len(row_groups(root)) == 1


def test_svg_without_any_data():
    root = parse(svg_of(EMPTY, EMPTY))
    notes = [t.text for t in root.iter(f"{SVG}text") if t.text == "keine abgeschlossenen Bewertungen"]
    assert (len(notes), root.findall(f".//{SVG}rect"), root.findall(f".//{SVG}polygon")) == (2, [], [])


def labels_of(root: ET.Element) -> list[str]:
    """Each row's label: the text of the end-anchored <text>, its lines joined by a space."""
    return [
        " ".join(span.text for span in t.findall(f"{SVG}tspan")) for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"
    ]


def test_svg_escapes_hostile_text():
    hostile_title = 'Titel <b onload="x">&amp;'
    svg = svg_of(
        BoxStats(HOSTILE, 2, 1.0, 2.0, 3.0, 4.0, 5.0, 3.0), EMPTY, BoxStats("A & B", 0), title=hostile_title, description=HOSTILE
    )
    assert "<script>" not in svg
    assert "<b " not in svg
    root = parse(svg)
    assert labels_of(root) == [HOSTILE, "2. Leer", "A & B"]
    assert root.find(f"{SVG}title").text == hostile_title
    assert root.find(f"{SVG}desc").text == HOSTILE
    assert row_groups(root)[0].find(f"{SVG}title").text.startswith(HOSTILE + ": n = 2,")
    assert [e.tag for e in root.iter() if e.tag.endswith("script") or e.tag.endswith("}b")] == []


def test_long_label_is_wrapped_into_lines():
    label = "5. Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen"
    g = geometry_of(BoxStats(label, 0))
    assert len(g.rows[0].label_lines) > 1
    assert all(len(line) <= 36 for line in g.rows[0].label_lines)
    assert labels_of(parse(render_boxplot_svg(g, title="t", description="d"))) == [label]


def test_tooltip_in_german_rounded_half_up():
    stats = BoxStats("3. Qualifizierung", 12, minimum=0.05, q1=2.25, median=6.25, q3=6.35, maximum=10.0, mean=7.0 / 3)
    (group,) = row_groups(parse(svg_of(stats)))
    assert group.find(f"{SVG}title").text == (
        "3. Qualifizierung: n = 12, Minimum 0,1, unteres Quartil 2,3, Median 6,3, oberes Quartil 6,4, "
        "Maximum 10,0, Mittelwert 2,3"
    )


def test_tooltip_without_mean():
    stats = BoxStats("Gesamtwert", 1, minimum=4.0, q1=4.0, median=4.0, q3=4.0, maximum=4.0, mean=None)
    (group,) = row_groups(parse(svg_of(stats)))
    assert group.find(f"{SVG}title").text == (
        "Gesamtwert: n = 1, Minimum 4,0, unteres Quartil 4,0, Median 4,0, oberes Quartil 4,0, Maximum 4,0, Mittelwert –"
    )
