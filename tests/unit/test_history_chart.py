"""Issue 16: a school's history as small line charts on the fixed scale, with gaps for years without a value."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from selfeval.charts.history import history_geometry, render_history_svg

SVG = "{http://www.w3.org/2000/svg}"
YEARS = ("2022/23", "2023/24", "2024/25", "2025/26")


def geometry(values, years=YEARS):
    return history_geometry(years, values, scale_min=0, scale_max=10, tick_step=2)


def svg_root(values, years=YEARS, title="Gesamtwert"):
    svg = render_history_svg(geometry(values, years), title=title, description="Verlauf", id_prefix="verlauf-gesamt")
    return svg, ET.fromstring(svg)  # noqa: S314 - our own output; parsing it is the well-formedness check


def test_the_scale_is_fixed_from_0_to_10_whatever_the_values():
    low, high = geometry((1, 2, 2, 1)), geometry((9, 10, 9, 8))
    assert [label for _y, label in low.ticks] == ["0", "2", "4", "6", "8", "10"]
    assert low.ticks == high.ticks
    assert (low.ticks[0][0], low.ticks[-1][0]) == (low.plot_bottom, low.plot_top)
    point = low.points[0]
    assert point.y == pytest.approx(low.plot_bottom - 0.1 * (low.plot_bottom - low.plot_top))


def test_a_year_without_a_value_is_a_gap_not_a_zero():
    g = geometry((6.0, None, 7.5, 8.0))
    assert [p.y is None for p in g.points] == [False, True, False, False]
    assert g.runs == ((0,), (2, 3))
    _svg, root = svg_root((6.0, None, 7.5, 8.0))
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "history-value"] == ["6,0", "7,5", "8,0"]


def test_the_chart_is_an_accessible_image_with_school_year_labels():
    svg, root = svg_root((6.25, 7, 7, 8), title='Kriterium <1> & "2"')
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "verlauf-gesamt-title verlauf-gesamt-desc"
    assert root.find(f"{SVG}title").text == 'Kriterium <1> & "2"'
    assert root.find(f"{SVG}desc").text == "Verlauf"
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "history-years")
    years = [t.text for t in group]
    assert years == list(YEARS)
    assert [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")] == [
        "2022/23: 6,3", "2023/24: 7,0", "2024/25: 7,0", "2025/26: 8,0",
    ]  # fmt: skip
    assert "style=" not in svg


def test_many_years_label_every_other_year_ending_with_the_newest():
    years = tuple(f"{2015 + i}/{16 + i}" for i in range(11))
    g = geometry((5,) * 11, years)
    assert g.labelled_years[-1] == 10
    assert len(g.labelled_years) < 11
    spacing = g.points[g.labelled_years[1]].x - g.points[g.labelled_years[0]].x
    assert spacing >= 54


def test_mismatched_input_is_refused():
    with pytest.raises(ValueError, match="2 school years but 1 values"):
        history_geometry(("a", "b"), (1,), scale_min=0, scale_max=10, tick_step=2)
