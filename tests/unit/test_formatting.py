"""Numbers and dates as German readers expect them."""

from datetime import UTC, datetime

import pytest

from selfeval.views.formatting import format_datetime, format_percent, format_score, indicator_letter


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, "–"), (0, "0,0"), (10, "10,0"), (6.25, "6,3"), (6.75, "6,8"), (71 / 18, "3,9"), (2.05, "2,1"), (-1.25, "-1,3"),
     (-0.04, "0,0")],
)  # fmt: skip
def test_scores_have_one_decimal_german_comma_and_round_half_up(value, shown):
    assert format_score(value) == shown


def test_dates_are_shown_in_german_local_time():
    assert format_datetime(datetime(2026, 1, 15, 13, 5, tzinfo=UTC)) == "15.01.2026, 14:05 Uhr"
    assert format_datetime(datetime(2026, 7, 15, 13, 5, tzinfo=UTC)) == "15.07.2026, 15:05 Uhr"
    assert format_datetime(None) == "–"


def test_percent_and_indicator_letters():
    assert (format_percent(14 / 23), format_percent(1.0)) == ("61 %", "100 %")
    assert [indicator_letter(i) for i in (0, 1, 3, 25, 26)] == ["a", "b", "d", "z", "27"]
