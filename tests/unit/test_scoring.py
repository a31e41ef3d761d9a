"""Scores by hand: criterion mean of rated indicators, overall mean of rated criteria."""

import pytest

from selfeval.catalog import parse_catalog
from selfeval.scoring import AssessmentScores, missing_indicators, score_assessment

CATALOG = parse_catalog(
    b"""\
id: t
version: 1
title: T
scale: {min: 0, max: 10}
criteria:
  - {id: a, title: A, indicators: [{id: a1, text: x}, {id: a2, text: x}, {id: a3, text: x}]}
  - {id: b, title: B, indicators: [{id: b1, text: x}, {id: b2, text: x}]}
  - {id: c, title: C, indicators: [{id: c1, text: x}]}
"""
)


def test_nothing_rated_gives_empty_scores():
    assert score_assessment(CATALOG, {}) == AssessmentScores(None, {"a": None, "b": None, "c": None}, 0, 6)
    assert score_assessment(CATALOG, {}).completeness == 0.0


def test_complete_assessment_by_hand():
    scores = score_assessment(CATALOG, {"a1": 7, "a2": 8, "a3": 10, "b1": 3, "b2": 4, "c1": 0})
    # a = 25/3, b = 7/2, c = 0; overall = (25/3 + 7/2 + 0) / 3 = (50/6 + 21/6) / 3 = 71/18
    assert scores == AssessmentScores(71 / 18, {"a": 25 / 3, "b": 3.5, "c": 0.0}, 6, 6)
    assert (scores.completeness, scores.is_complete) == (1.0, True)


def test_partial_assessment_skips_unrated_indicators_and_criteria():
    scores = score_assessment(CATALOG, {"a1": 5, "a2": None, "b2": 10, "c1": None})
    assert scores == AssessmentScores(7.5, {"a": 5.0, "b": 10.0, "c": None}, 2, 6)
    assert scores.completeness == pytest.approx(1 / 3)
    assert missing_indicators(CATALOG, {"a1": 5, "a2": None, "b2": 10}) == ["a2", "a3", "b1", "c1"]


def test_overall_is_mean_of_criteria_not_of_indicators():
    scores = score_assessment(CATALOG, {"a1": 10, "a2": 10, "a3": 10, "b1": 0})
    assert (scores.overall, scores.criteria) == (5.0, {"a": 10.0, "b": 0.0, "c": None})


def test_unknown_indicator_ids_are_ignored():
    assert score_assessment(CATALOG, {"zz": 10, "c1": 4}).criteria == {"a": None, "b": None, "c": 4.0}
