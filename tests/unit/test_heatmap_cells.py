"""The heatmap's colour follows the number shown, not the unrounded value."""

from selfeval.views.heatmap import _cell, heat_legend


def test_colour_bin_follows_the_rounded_number():
    assert [_cell(value, 0, 10)["heat"] for value in (1.94, 1.958, 2.0, 5.99, 7.96, 10.0)] == [0, 1, 1, 3, 4, 4]


def test_missing_value_has_no_colour():
    assert _cell(float("nan"), 0, 10) == {"value": None, "heat": None}


def test_legend_names_the_bins_in_german():
    assert heat_legend(0, 10) == [
        (0, "0 bis unter 2"), (1, "2 bis unter 4"), (2, "4 bis unter 6"), (3, "6 bis unter 8"), (4, "8 bis 10"),
    ]  # fmt: skip
