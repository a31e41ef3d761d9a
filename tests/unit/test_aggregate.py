"""Aggregation across schools: criterion scores, statistics, selections, change between rounds, sorting."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from selfeval.catalog import Catalog, Criterion, Indicator, Scale, load_catalog
from selfeval.paths import CRITERIA_DIR
from selfeval.scoring import score_assessment
from selfeval.scoring.aggregate import (
    STAT_COLUMNS,
    change,
    change_summary,
    comparison_group,
    criterion_scores,
    describe,
    empty_schools,
    participation,
    select,
    sort_schools,
)

NAN = np.nan
CATALOG = Catalog(
    id="test",
    version="1",
    title="Testkatalog",
    scale=Scale(0, 10),
    criteria=(
        Criterion("k1", "Erstes Kriterium", (Indicator("k1a", "k1", "Eins a"), Indicator("k1b", "k1", "Eins b"))),
        Criterion(
            "k2",
            "Zweites Kriterium",
            (Indicator("k2a", "k2", "Zwei a"), Indicator("k2b", "k2", "Zwei b"), Indicator("k2c", "k2", "Zwei c")),
        ),
    ),
)
INDICATOR_IDS = ["k1a", "k1b", "k2a", "k2b", "k2c"]
DORTMUND = CRITERIA_DIR / "dortmund-leitfaden.yaml"


def index(*numbers: str) -> pd.Index:
    return pd.Index(list(numbers), name="schulnummer", dtype="str")


def frame(data: dict, numbers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(data, index=index(*numbers), dtype="float64")


def stats_frame(rows: dict[str, list]) -> pd.DataFrame:
    """Expected describe() output from {id: [n, mean, median, q1, q3, min, max, std]}."""
    expected = pd.DataFrame.from_dict(rows, orient="index", columns=STAT_COLUMNS)
    expected = expected.astype({c: "float64" for c in STAT_COLUMNS[1:]}).astype({"n": "int64"})
    expected.index = pd.Index(list(rows), name="id")
    return expected


def schools_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
            "schulform": ["02", "20", "02", "15", "20"],
            "kreis": ["05913", "05913", "05911", "05911", "05111"],
            "bezirksregierung": ["Arnsberg", "Arnsberg", "Arnsberg", "Arnsberg", "Düsseldorf"],
            "ort": ["Dortmund", "Dortmund", "Bochum", "Bochum", "Düsseldorf"],
            "status": ["submitted", "draft", "submitted", "not_started", "submitted"],
        },
        index=index("100001", "100002", "100003", "100004", "100005"),
    )


def as_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


# --- criterion_scores ---------------------------------------------------------------------------------


def test_criterion_scores_by_hand():
    indicators = frame(
        {
            "k1a": [7, NAN, NAN, 0],
            "k1b": [8, 5, NAN, 0],
            "k2a": [3, NAN, NAN, 10],
            "k2b": [4, NAN, NAN, NAN],
            "k2c": [10, NAN, NAN, NAN],
        },
        ["1", "2", "3", "4"],
    )
    expected = frame(
        {
            "k1": [7.5, 5.0, NAN, 0.0],
            "k2": [17 / 3, NAN, NAN, 10.0],
            "overall": [(7.5 + 17 / 3) / 2, 5.0, NAN, 5.0],
        },
        ["1", "2", "3", "4"],
    )
    assert_frame_equal(criterion_scores(indicators, CATALOG), expected, check_exact=True)


def test_criterion_scores_ignore_unknown_columns_and_treat_missing_columns_as_unrated():
    indicators = frame({"zz": [10, 10], "k2a": [2, 6], "k1b": [4, NAN], "k1a": [6, NAN]}, ["7", "8"])
    expected = frame({"k1": [5.0, NAN], "k2": [2.0, 6.0], "overall": [3.5, 6.0]}, ["7", "8"])
    assert_frame_equal(criterion_scores(indicators, CATALOG), expected, check_exact=True)


def test_criterion_scores_of_no_schools():
    empty = pd.DataFrame(columns=INDICATOR_IDS, index=index(), dtype="float64")
    expected = pd.DataFrame({"k1": [], "k2": [], "overall": []}, index=index(), dtype="float64")
    assert_frame_equal(criterion_scores(empty, CATALOG), expected)


def random_ratings(rng: random.Random, ids: list[str], scale: Scale) -> dict[str, int | None]:
    empty_share = rng.choice([0.0, 0.3, 0.7, 1.0])
    return {i: None if rng.random() < empty_share else rng.randint(scale.min, scale.max) for i in ids}


@pytest.mark.parametrize("catalog", [CATALOG, load_catalog(DORTMUND)], ids=["small", "dortmund"])
@pytest.mark.parametrize("seed", range(5))
def test_criterion_scores_equal_score_assessment_exactly(catalog, seed):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    ids = [indicator.id for indicator in catalog.indicators]
    ratings = [random_ratings(rng, ids, catalog.scale) for _ in range(200)]
    numbers = [f"{100000 + n}" for n in range(len(ratings))]
    indicators = pd.DataFrame(
        [[NAN if r[i] is None else r[i] for i in ids] for r in ratings], columns=ids, index=index(*numbers), dtype="float64"
    )
    result = criterion_scores(indicators, catalog)
    assert list(result.columns) == [c.id for c in catalog.criteria] + ["overall"]
    for number, rating in zip(numbers, ratings, strict=True):
        expected = score_assessment(catalog, rating)
        row = result.loc[number]
        assert {c.id: as_none(row[c.id]) for c in catalog.criteria} == expected.criteria
        assert as_none(row["overall"]) == expected.overall


# --- describe ---------------------------------------------------------------------------------------


def test_describe_by_hand_ignoring_missing_values():
    scores = frame({"a": [2, NAN, 4, 4, 5, 9], "b": [NAN, NAN, 3, NAN, NAN, NAN], "c": [NAN] * 6}, list("123456"))
    expected = stats_frame(
        {
            "a": [5, 4.8, 4.0, 4.0, 5.0, 2.0, 9.0, math.sqrt(26.8 / 4)],
            "b": [1, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, NAN],
            "c": [0, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
        }
    )
    assert_frame_equal(describe(scores), expected, check_exact=True)


def test_describe_interpolates_quartiles_linearly():
    # positions (n-1)*p for [1, 2, 6, 10]: q1 at 0.75 -> 1.75, median at 1.5 -> 4, q3 at 2.25 -> 7
    result = describe(frame({"a": [10, 1, 6, 2]}, list("1234")))
    assert result.loc["a", ["q1", "median", "q3"]].tolist() == [1.75, 4.0, 7.0]


def test_describe_selects_and_orders_columns():
    scores = frame({"a": [1, 3], "b": [4, 4]}, ["1", "2"])
    expected = stats_frame({"b": [2, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 0.0], "zz": [0, NAN, NAN, NAN, NAN, NAN, NAN, NAN]})
    assert_frame_equal(describe(scores, ["b", "zz"]), expected)


def test_describe_of_empty_frame():
    empty = pd.DataFrame(columns=["k1", "k2", "overall"], index=index(), dtype="float64")
    expected = stats_frame({key: [0] + [NAN] * 7 for key in ["k1", "k2", "overall"]})
    assert_frame_equal(describe(empty), expected)
    assert_frame_equal(describe(pd.DataFrame(index=index()), ["k1", "k2", "overall"]), expected)


# --- participation, select -------------------------------------------------------------------------


def test_participation_counts():
    assert participation(schools_frame()) == {"in_scope": 5, "submitted": 3, "draft": 1, "not_started": 1}


def test_participation_of_no_schools():
    assert participation(empty_schools()) == {"in_scope": 0, "submitted": 0, "draft": 0, "not_started": 0}


def test_empty_schools_shape():
    empty = empty_schools()
    assert (list(empty.columns), empty.index.name, len(empty)) == (
        ["name", "schulform", "kreis", "bezirksregierung", "ort", "status"],
        "schulnummer",
        0,
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["100001", "100002", "100003", "100004", "100005"]),
        ({"schulformen": [], "kreise": (), "bezirke": set(), "statuses": []}, ["100001", "100002", "100003", "100004", "100005"]),
        ({"schulformen": ["20"]}, ["100002", "100005"]),
        ({"schulformen": ["02", "15"]}, ["100001", "100003", "100004"]),
        ({"kreise": ["05911"]}, ["100003", "100004"]),
        ({"bezirke": ["Düsseldorf"]}, ["100005"]),
        ({"statuses": ["submitted"]}, ["100001", "100003", "100005"]),
        ({"statuses": ("draft", "not_started")}, ["100002", "100004"]),
        ({"schulformen": ["02", "20"], "bezirke": ["Arnsberg"]}, ["100001", "100002", "100003"]),
        ({"schulformen": ["02", "20"], "kreise": ["05913"], "statuses": ["submitted"]}, ["100001"]),
        ({"schulformen": ["15"], "statuses": ["submitted"]}, []),
        ({"kreise": ["05315"]}, []),
    ],
)
def test_select(filters, expected):
    schools = schools_frame()
    assert_frame_equal(select(schools, **filters), schools.loc[expected])


def test_select_from_no_schools():
    assert_frame_equal(select(empty_schools(), kreise=["05913"], statuses=["submitted"]), empty_schools())


# --- change between rounds ----------------------------------------------------------------------------


def rounds() -> tuple[pd.DataFrame, pd.DataFrame]:
    current = frame({"k1": [5, 6, NAN, 9], "overall": [4, 8, 7, 6], "only_now": [1, 1, 1, 1]}, ["1", "2", "3", "5"])
    previous = frame({"only_then": [0, 0, 0, 0], "overall": [NAN, 5, 1, 2], "k1": [4, 3, 9, 6]}, ["2", "3", "4", "5"])
    return current, previous


def test_change_only_schools_and_columns_in_both_rounds():
    current, previous = rounds()
    expected = frame({"k1": [2, NAN, 3], "overall": [NAN, 2, 4]}, ["2", "3", "5"])
    assert_frame_equal(change(current, previous), expected, check_exact=True)


def test_change_summary_means_over_schools_rated_in_both_rounds():
    current, previous = rounds()
    expected = pd.DataFrame(
        {"n": [2, 2], "mean_previous": [5.0, 3.5], "mean_current": [7.5, 6.5], "mean_change": [2.5, 3.0]},
        index=pd.Index(["k1", "overall"], name="id"),
    )
    assert_frame_equal(change_summary(current, previous), expected, check_exact=True)


def test_change_without_shared_schools():
    current = frame({"k1": [1.0]}, ["1"])
    previous = frame({"k1": [2.0]}, ["2"])
    assert_frame_equal(change(current, previous), frame({"k1": []}, []))
    expected = pd.DataFrame(
        {"n": [0], "mean_previous": [NAN], "mean_current": [NAN], "mean_change": [NAN]}, index=pd.Index(["k1"], name="id")
    )
    assert_frame_equal(change_summary(current, previous), expected)


# --- comparison group -----------------------------------------------------------------------------------


def group_scores(size: int) -> pd.DataFrame:
    values = [3, 7, 5, NAN, 9, 4][:size]
    return frame({"k1": values, "overall": [v + 1 for v in values]}, [f"{n}" for n in range(size)])


@pytest.mark.parametrize("size", [0, 1, 4])
def test_small_comparison_group_shows_nothing(size):
    group = comparison_group(group_scores(size))
    assert (group.size, group.stats, group.is_shown) == (size, None, False)


def test_comparison_group_of_five_shows_only_its_mean_in_half_points():
    """Issue 15, item 3: at five schools quartiles would be single schools' values; only the rounded mean is shown."""
    group = comparison_group(group_scores(5))
    assert (group.size, group.is_shown, group.has_quartiles) == (5, True, False)
    # values 3, 7, 5, 9 (one missing): mean 6; overall 4, 8, 6, 10: mean 7
    expected = pd.DataFrame({"mean": [6.0, 7.0]}, index=pd.Index(["k1", "overall"], name="id"))
    assert_frame_equal(group.stats, expected)


def test_comparison_group_minimum_can_be_changed():
    assert comparison_group(group_scores(2), minimum=2).is_shown is True
    assert comparison_group(group_scores(5), minimum=6).stats is None


# --- sorting ----------------------------------------------------------------------------------------------


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["b", "A", None, "a", "C", "B"],
            "overall": [5.0, NAN, 7.0, 5.0, 2.0, 5.0],
        },
        index=index("100006", "100002", "100005", "100001", "100004", "100003"),
    )


@pytest.mark.parametrize(
    ("column", "descending", "expected"),
    [
        ("overall", False, ["100004", "100001", "100003", "100006", "100005", "100002"]),
        ("overall", True, ["100005", "100001", "100003", "100006", "100004", "100002"]),
        ("name", False, ["100001", "100002", "100003", "100006", "100004", "100005"]),
        ("name", True, ["100004", "100003", "100006", "100001", "100002", "100005"]),
    ],
)
def test_sort_schools(column, descending, expected):
    assert sort_schools(table(), column, descending=descending).index.tolist() == expected


def test_sort_schools_keeps_rows_intact():
    result = sort_schools(table(), "name", descending=False)
    assert_frame_equal(result, table().loc[["100001", "100002", "100003", "100006", "100004", "100005"]])


def test_sort_no_schools():
    empty = pd.DataFrame({"name": pd.Series(dtype="object"), "overall": pd.Series(dtype="float64")}, index=index())
    assert_frame_equal(sort_schools(empty, "name", descending=True), empty)
    assert_frame_equal(sort_schools(empty, "overall", descending=False), empty)
