"""Entwicklungsfelder never cut a tie arbitrarily: every indicator tied at the cut-off is named (issue 18)."""

from __future__ import annotations

import pytest

from selfeval.reports.content import HIGHLIGHT_COUNT, MAX_AREAS, choose_highlights
from selfeval.reports.model import CriterionLine, IndicatorLine


def criteria(*scores: int | None) -> tuple[CriterionLine, ...]:
    """Criteria of four indicators each, labelled 1a … in Leitfaden order, with these scores."""
    lines = []
    for start in range(0, len(scores), 4):
        number = start // 4 + 1
        indicators = tuple(
            IndicatorLine(f"i{start + pos}", f"{number}{'abcd'[pos]}", f"Indikator {start + pos}", score, "")
            for pos, score in enumerate(scores[start : start + 4])
        )
        lines.append(CriterionLine(f"k{number}", number, f"Kriterium {number}", None, None, None, indicators))
    return tuple(lines)


def labels(items) -> list[str]:
    return [item.indicator.label for item in items]


def test_the_bound_is_three_to_six():
    assert (HIGHLIGHT_COUNT, MAX_AREAS) == (3, 6)


def test_six_indicators_tied_at_the_bottom_are_all_development_areas():
    """The issue's case: six indicators at 1 – the first three in Leitfaden order used to hide the rest."""
    strengths, areas, tied = choose_highlights(criteria(9, 8, 7, 5, 1, 1, 5, 1, 1, 5, 1, 1))
    assert labels(strengths) == ["1a", "1b", "1c"]
    assert labels(areas) == ["2a", "2b", "2d", "3a", "3c", "3d"]
    assert [item.indicator.score for item in areas] == [1] * 6
    assert tied == ()


def test_a_tie_at_the_third_place_brings_in_every_tied_indicator():
    # 0, 2, then three at 3: five areas, in Leitfaden order within a score.
    _, areas, tied = choose_highlights(criteria(10, 9, 8, 3, 0, 3, 2, 3, 7, 7, 7, 7))
    assert labels(areas) == ["2a", "2c", "1d", "2b", "2d"]
    assert tied == ()


def test_no_tie_stops_at_three():
    _, areas, tied = choose_highlights(criteria(10, 9, 8, 1, 2, 3, 4, 5, 6, 6, 6, 6))
    assert (labels(areas), tied) == (["1d", "2a", "2b"], ())


def test_a_tie_that_would_make_more_than_six_is_named_as_a_whole_not_cut():
    # 0 and 1 are areas; seven indicators share 4: taking some would be arbitrary, taking all too many.
    strengths, areas, tied = choose_highlights(criteria(10, 9, 8, 0, 1, 4, 4, 4, 4, 4, 4, 4))
    assert labels(strengths) == ["1a", "1b", "1c"]
    assert labels(areas) == ["1d", "2a"]
    assert labels(tied) == ["2b", "2c", "2d", "3a", "3b", "3c", "3d"]
    assert {item.indicator.score for item in tied} == {4}


def test_when_the_lowest_score_alone_is_too_many_they_are_all_named():
    strengths, areas, tied = choose_highlights(criteria(*([9, 9, 9] + [0] * 9)))
    assert (labels(areas), len(tied)) == ([], 9)
    assert labels(tied) == ["1d", "2a", "2b", "2c", "2d", "3a", "3b", "3c", "3d"]


@pytest.mark.parametrize("count", [3, 4, 5, 6])
def test_three_to_six_tied_at_the_bottom_are_all_areas(count):
    _, areas, tied = choose_highlights(criteria(*([10, 10, 10] + [2] * count + [8] * (9 - count))))
    assert ([item.indicator.score for item in areas], tied) == ([2] * count, ())


@pytest.mark.parametrize("count", [1, 2])
def test_a_few_lowest_then_a_large_tie(count):
    """One or two clearly lowest are areas; the 7 or 8 tied above them are named together."""
    _, areas, tied = choose_highlights(criteria(*([10, 10, 10] + [2] * count + [8] * (9 - count))))
    assert ([item.indicator.score for item in areas], [item.indicator.score for item in tied]) == (
        [2] * count,
        [8] * (9 - count),
    )
