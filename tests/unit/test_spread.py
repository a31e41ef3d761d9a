"""scoring.spread: the team's spread per indicator equals a computation by hand."""

from __future__ import annotations

import pytest

from selfeval.scoring.spread import DISAGREEMENT_RANGE, IndicatorSpread, by_disagreement, indicator_spread, team_spread


def test_four_members_spread_by_hand():
    # Values 7, 3, None (keine Angabe), 8, 5: n = 4; sorted 3, 5, 7, 8; median (5 + 7) / 2 = 6; range 8 - 3 = 5 ≥ 4.
    spread = indicator_spread([7, 3, None, 8, 5])
    assert spread == IndicatorSpread(n=4, values=(3, 5, 7, 8), median=6.0, min=3, max=8)
    assert (spread.range, spread.disagreement, spread.suggested_score) == (5, True, 6)


def test_odd_count_median_is_the_middle_value_and_a_range_of_three_is_no_disagreement():
    spread = indicator_spread([6, 4, 7])
    assert (spread.values, spread.median, spread.range, spread.disagreement) == ((4, 6, 7), 6.0, 3, False)


@pytest.mark.parametrize(
    ("values", "median", "suggested"),
    [([7, 8], 7.5, 8), ([2, 3], 2.5, 3), ([0, 1], 0.5, 1), ([9, 10], 9.5, 10), ([4, 4], 4.0, 4), ([1, 2, 2, 9], 2.0, 2)],
)
def test_the_consensus_starts_at_the_median_rounded_half_up(values, median, suggested):
    spread = indicator_spread(values)
    assert (spread.median, spread.suggested_score) == (median, suggested)


def test_nobody_rated_and_one_value():
    assert indicator_spread([None, None]) == IndicatorSpread(0, (), None, None, None)
    assert indicator_spread([None, None]).disagreement is False
    assert indicator_spread([None, None]).suggested_score is None
    one = indicator_spread([10])
    assert (one.n, one.median, one.range, one.disagreement) == (1, 10.0, 0, False)


def test_the_rule_is_a_range_of_four():
    assert DISAGREEMENT_RANGE == 4
    assert indicator_spread([2, 6]).disagreement is True
    assert indicator_spread([2, 5]).disagreement is False


def test_team_spread_and_the_order_of_the_meeting():
    sheets = [{"a": 1, "b": 5, "c": 4}, {"a": 2, "b": 10, "c": 4}, {"a": 3, "b": 5}, {}]
    spreads = team_spread(["a", "b", "c", "d"], sheets)
    assert {key: (s.n, s.values, s.median) for key, s in spreads.items()} == {
        "a": (3, (1, 2, 3), 2.0),
        "b": (3, (5, 5, 10), 5.0),
        "c": (2, (4, 4), 4.0),
        "d": (0, (), None),
    }
    # b disagrees (range 5); then the widest ranges: a (2), c (0); d nobody rated.
    assert by_disagreement(spreads) == ["b", "a", "c", "d"]
