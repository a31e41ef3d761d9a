"""Issue 15, item 3: what a school sees of the other schools of its Schulform cannot be turned back into their values.

The rule (selfeval.scoring.aggregate.comparison_group, used by the results page, the report and its HTML twin):
the group is the *other* submitted schools; below 5 nothing, from 5 the mean, from 10 also quartiles and median;
every value rounded to half points. Before, a group of exactly 5 showed q1, median and q3, which are the exact values
of its 2nd, 3rd and 4th school, and the mean gave away the sum of the other two.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval.scoring.aggregate import MIN_GROUP_SIZE, MIN_QUARTILE_GROUP_SIZE, comparison_group, round_to_step


def scores(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"k1": values, "overall": values}, index=pd.Index(range(len(values)), name="schulnummer"))


def published(values: list[float]) -> dict | None:
    group = comparison_group(scores(values))
    return None if group.stats is None else group.stats.to_dict()


def test_the_thresholds_are_five_for_the_mean_and_ten_for_quartiles():
    assert (MIN_GROUP_SIZE, MIN_QUARTILE_GROUP_SIZE) == (5, 10)
    assert published([1, 2, 4, 7]) is None
    assert published([1, 2, 4, 7, 9]) == {"mean": {"k1": 4.5, "overall": 4.5}}  # 4.6, rounded to half points
    group = comparison_group(scores([1, 2, 4, 7, 9, 3, 3, 8, 6, 10]))
    assert (group.size, group.is_shown, group.has_quartiles) == (10, True, True)
    assert group.stats.loc["k1"].to_dict() == {"mean": 5.5, "q1": 3.0, "median": 5.0, "q3": 8.0}  # 5.3; 3.0; 5.0; 7.75


def test_at_five_schools_the_old_quartiles_named_three_schools_exactly_and_now_nothing_but_a_rounded_mean_is_shown():
    group = comparison_group(scores([1, 2, 4, 7, 9]))
    assert list(group.stats.columns) == ["mean"]
    assert group.has_quartiles is False


def test_two_different_groups_of_five_look_exactly_the_same():
    """Every school's value differs between these groups, yet a school sees the same numbers for both."""
    assert published([1, 2, 4, 7, 9]) == published([2, 3, 3, 6, 9.2]) == published([0, 0, 4.5, 10, 8])


@given(
    values=st.lists(st.integers(0, 40).map(lambda quarter: quarter / 4), min_size=5, max_size=9),
    data=st.data(),
)
def test_at_the_threshold_no_schools_value_follows_from_what_is_shown(values, data):
    """For any school of a small group there is another group, in which that school's value is a whole point
    different, that shows exactly the same: what is shown cannot tell the two apart, so it cannot reveal the value.

    (Exception: a mean at the scale's very end, 0 or 10, says every school is there; the docs name it.)"""
    target = data.draw(st.integers(0, len(values) - 1))
    up = [j for j, v in enumerate(values) if j != target and v >= 1] if values[target] <= 9 else []
    down = [j for j, v in enumerate(values) if j != target and v <= 9] if values[target] >= 1 else []
    if not up and not down:
        return  # every other school at the same end of the scale as this one: the exception above
    other, step = (data.draw(st.sampled_from(up)), 1) if up else (data.draw(st.sampled_from(down)), -1)
    twin = list(values)
    twin[target] += step
    twin[other] -= step
    assert published(twin) == published(values)


@pytest.mark.parametrize(("value", "rounded"), [(4.24, 4.0), (4.25, 4.5), (4.74, 4.5), (4.75, 5.0), (0.0, 0.0), (10.0, 10.0)])
def test_values_are_rounded_half_up_to_half_points(value, rounded):
    assert round_to_step(value) == rounded
