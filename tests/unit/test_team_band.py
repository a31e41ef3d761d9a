"""The team's band on the radar chart: the members' criterion scores per criterion (scoring.spread.criterion_bands),
placed on the chart's fixed scale (charts.radar_band) and drawn as a hatched area with a stroke per axis."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from selfeval.charts import RadarBand, RadarSeries, band_geometry, radar_geometry, render_svg
from selfeval.charts.radar_band import band_area_path
from selfeval.charts.svg import number
from selfeval.scoring.spread import CriterionBand, criterion_bands
from tests.support.catalogue import CRITERIA, LEITFADEN

SVG = "{http://www.w3.org/2000/svg}"


def sheet(**criteria: list[int | None]) -> dict[str, int | None]:
    """A member's sheet from per-criterion score lists in the catalogue's order ("k1": [2, 4, 6, 8])."""
    return {key: value for criterion, values in criteria.items() for key, value in zip(CRITERIA[criterion], values, strict=False)}


def test_each_member_is_scored_like_the_consensus_and_the_band_spans_their_criterion_scores():
    # k1: A = (2 + 4 + 6 + 8) / 4 = 5, B = 6, C = (1 + 1 + 1) / 3 = 1 (C gave "keine Angabe" once) → 1, 5, 6.
    # k2: A = (3 + 3) / 2 = 3, B rated nothing there and does not count, C = (7 + 8 + 9 + 10) / 4 = 8.5 → median 5.75.
    sheets = [
        sheet(k1=[2, 4, 6, 8], k2=[3, 3, None, None]),
        sheet(k1=[6, 6, 6, 6]),
        sheet(k1=[1, 1, 1, None], k2=[7, 8, 9, 10]),
    ]
    bands = criterion_bands(LEITFADEN, sheets)
    assert list(bands) == list(CRITERIA)
    assert bands["k1"] == CriterionBand(n=3, values=(1.0, 5.0, 6.0), median=5.0, min=1.0, max=6.0)
    assert bands["k2"] == CriterionBand(n=2, values=(3.0, 8.5), median=5.75, min=3.0, max=8.5)
    assert bands["k3"] == CriterionBand(n=0, values=(), median=None, min=None, max=None)


def test_a_band_of_thirds_keeps_full_precision():
    # k3 has three indicators: 5, 5, 6 → 16 / 3; 4, 4, 4 → 4. The display rounds, the scoring does not.
    bands = criterion_bands(LEITFADEN, [sheet(k3=[5, 5, 6]), sheet(k3=[4, 4, 4])])
    assert bands["k3"] == CriterionBand(2, (4.0, 16 / 3), (4.0 + 16 / 3) / 2, 4.0, 16 / 3)


def chart():
    return radar_geometry(["A", "B", "C", "D"], [RadarSeries("Konsens", (5, 5, 5, 5))])


def test_the_band_lies_on_the_charts_fixed_scale():
    geometry = chart()
    band = band_geometry(geometry, RadarBand("Spannweite", (2, None, 5, 0), (6, None, 10, 4)))
    cx, cy, r = geometry.cx, geometry.cy, geometry.radius
    # Axis 0 points up, axis 1 right, axis 2 down, axis 3 left; a value v lies at r * v / 10 from the centre.
    assert band.inner[0] == pytest.approx((cx, cy - 0.2 * r))
    assert band.outer[0] == pytest.approx((cx, cy - 0.6 * r))
    assert band.inner[2] == pytest.approx((cx, cy + 0.5 * r))
    assert band.outer[2] == pytest.approx((cx, cy + r))
    assert band.inner[3] == pytest.approx((cx, cy))
    assert band.outer[3] == pytest.approx((cx - 0.4 * r, cy))
    assert (band.inner[1], band.outer[1]) == ((cx, cy), (cx, cy))
    assert (band.missing, band.runs) == ((1,), ((2, 3, 0),))


def test_a_gap_splits_the_area_into_runs_out_along_the_highs_and_back_along_the_lows():
    band = band_geometry(chart(), RadarBand("Spannweite", (2, None, 5, 0), (6, None, 10, 4)))

    def p(point):
        return f"{number(point[0])},{number(point[1])}"

    outer, inner = band.outer, band.inner
    assert band_area_path(band) == (
        f"M{p(outer[2])} L{p(outer[3])} L{p(outer[0])} L{p(inner[0])} L{p(inner[3])} L{p(inner[2])} Z"
    )


def test_a_complete_band_is_the_ring_between_both_polygons():
    band = band_geometry(chart(), RadarBand("Spannweite", (1, 2, 3, 4), (5, 6, 7, 8)))
    path = band_area_path(band)
    assert path.count("M") == 2 and path.count("Z") == 2
    assert band.runs == ((0, 1, 2, 3),)


def test_a_single_axis_between_gaps_has_no_area_but_keeps_its_stroke():
    geometry = chart()
    band = band_geometry(geometry, RadarBand("Spannweite", (None, 3, None, None), (None, 7, None, None)))
    assert band_area_path(band) == ""
    svg = ET.fromstring(render_svg(geometry, title="T", description="D", id_prefix="team", band=band))  # noqa: S314
    assert svg.findall(f".//{SVG}path") == []
    ranges = svg.findall(f".//{SVG}line[@class='radar-band__range']")
    assert [line.find(f"{SVG}title").text for line in ranges] == ["Spannweite – B: 3,0 bis 7,0"]


def test_the_svg_draws_the_hatched_band_below_the_lines_with_a_tooltip_per_axis():
    geometry = radar_geometry(
        ["A", "B", "C"], [RadarSeries("Konsens", (5, 6, 7)), RadarSeries("Median", (4.5, 6, 16 / 3), "median")]
    )
    band = band_geometry(geometry, RadarBand("Spannweite", (4, 5, 5.25), (6, 8, 16 / 3)))
    svg = ET.fromstring(render_svg(geometry, title="T", description="D", id_prefix="team", band=band))  # noqa: S314
    pattern = svg.find(f"{SVG}defs/{SVG}pattern")
    assert (pattern.get("id"), pattern.get("patternTransform")) == ("team-band-hatch", "rotate(45)")
    area = svg.find(f".//{SVG}path[@class='radar-band__area']")
    assert (area.get("fill"), area.get("fill-rule")) == ("url(#team-band-hatch)", "evenodd")
    tooltips = [line.find(f"{SVG}title").text for line in svg.findall(f".//{SVG}line[@class='radar-band__range']")]
    assert tooltips == ["Spannweite – A: 4,0 bis 6,0", "Spannweite – B: 5,0 bis 8,0", "Spannweite – C: 5,3 bis 5,3"]
    groups = [g.get("class") for g in svg.findall(f"{SVG}g")]
    assert groups.index("radar-band") < groups.index("radar-series-group radar-series-group--median")
    assert groups.index("radar-series-group radar-series-group--median") < groups.index(
        "radar-series-group radar-series-group--primary"
    )
    median = svg.find(f".//{SVG}g[@class='radar-series-group radar-series-group--median']/{SVG}polygon")
    assert (median.get("stroke-dasharray"), median.get("fill")) == ("9 3 2 3", "none")


@pytest.mark.parametrize(
    ("lows", "highs", "message"),
    [
        ((1, 2), (3,), "2 lows but 1 highs"),
        ((1, None), (3, 4), "a range needs both ends or neither"),
        ((5,), (4,), "low 5 is above high 4"),
        ((math.nan,), (4,), "nan is not a number"),
        ((True,), (4,), "True is not a number"),
    ],
)
def test_a_band_that_cannot_be_drawn_is_refused(lows, highs, message):
    with pytest.raises(ValueError, match=message):
        RadarBand("Spannweite", lows, highs)


def test_a_band_must_have_a_range_per_axis_of_the_chart():
    with pytest.raises(ValueError, match="radar band 'S' has 3 ranges but the chart has 4 axes"):
        band_geometry(chart(), RadarBand("S", (1, 2, 3), (4, 5, 6)))
