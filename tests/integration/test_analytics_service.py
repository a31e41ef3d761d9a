"""The analytics service on the real database: scope, participation, statistics, filters, change, cache, comparison group.

Expected numbers are worked out by hand (or with math/statistics on the raw scores), never with pandas.
"""

from __future__ import annotations

import math

import pytest

from selfeval.extensions import db
from selfeval.services import analytics, assessments
from selfeval.services.analytics import Selection, analyse, comparison_group, parse_selection, school_summaries
from selfeval.services.errors import InvalidInput
from tests.support.analytics import COLUMNS, stats_rows
from tests.support.catalogue import CRITERIA
from tests.support.factories import all_scores, leader, make_round, make_school, make_user, rated, submitted


def test_criterion_and_overall_scores_follow_the_schools_own_scores(app_context):
    round_ = make_round("2025/26")
    school = make_school("100001")
    scores = all_scores(6) | {"k1a": 1, "k1b": 2, "k1c": 3, "k1d": 4, "k3a": 0, "k3b": 0, "k3c": 10}
    submitted(school, round_, scores)
    admin = make_user("admin@land.test", "admin")
    row = analyse(admin, round_).criterion_scores.loc["100001"]
    expected = {"k1": 2.5, "k2": 6.0, "k3": 10 / 3, "k4": 6.0, "k5": 6.0, "k6": 6.0}
    expected["overall"] = math.fsum(expected.values()) / 6
    assert row.to_dict() == expected
    own = assessments.load_state(school, round_).scores
    assert (own.criteria, own.overall) == ({k: expected[k] for k in CRITERIA}, row["overall"])
    assert school_summaries(admin, round_)["overall"].to_dict() == {"100001": expected["overall"]}


def test_change_since_the_previous_round_counts_only_schools_submitted_in_both(app_context):
    before = make_round("2024/25", is_open=False)
    now = make_round("2025/26")
    plan = {  # Schulnummer: (Kreis, previous round, this round); None = nothing, "draft" = a draft rated 10
        "100001": ("05913", 3, 2),
        "100002": ("05913", 5, 9),
        "100003": ("05913", 8, "draft"),
        "100004": ("05913", None, 4),
        "100005": ("05913", "draft", 6),
        "300001": ("05513", 1, 10),  # both rounds, but outside the supervisor's scope
    }
    for number, (kreis, previous, current) in plan.items():
        school = make_school(number, kreis=kreis)
        for round_, value in ((before, previous), (now, current)):
            if value == "draft":
                rated(school, round_, 10)
            elif value is not None:
                submitted(school, round_, value)
    assert (before.is_open, now.is_open) == (False, True)
    supervisor = make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
    result = analyse(supervisor, now)
    assert result.previous_round_name == "2024/25"
    assert list(result.change.index) == ["100001", "100002"]
    assert list(result.change.columns) == COLUMNS
    assert result.change.to_dict("index") == {"100001": dict.fromkeys(COLUMNS, -1.0), "100002": dict.fromkeys(COLUMNS, 4.0)}
    summary = {"n": 2, "mean_previous": 4.0, "mean_current": 5.5, "mean_change": 1.5}
    assert list(result.change_summary.index) == COLUMNS
    assert result.change_summary.to_dict("index") == dict.fromkeys(COLUMNS, summary)
    oldest = analyse(supervisor, before)
    assert (oldest.previous_round_name, oldest.change.empty, oldest.change_summary.empty) == (None, True, True)
    assert oldest.participation == {"in_scope": 5, "submitted": 3, "draft": 1, "not_started": 1}
    assert stats_rows(oldest.criterion_stats)["overall"] == {"n": 3} | _stats([3, 5, 8])


def _stats(values: list[float]) -> dict[str, float]:
    """Linear-interpolation quartiles and the sample standard deviation, by hand."""
    ordered = sorted(values)

    def quantile(q: float) -> float:
        position = q * (len(ordered) - 1)
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    mean = math.fsum(ordered) / len(ordered)
    std = math.sqrt(math.fsum((v - mean) ** 2 for v in ordered) / (len(ordered) - 1))
    return {
        "mean": mean, "median": quantile(0.5), "q1": quantile(0.25), "q3": quantile(0.75),
        "min": ordered[0], "max": ordered[-1], "std": std,
    }  # fmt: skip


def test_the_cache_follows_every_submit_and_reopen(app_context):
    round_ = make_round("2025/26")
    schools = [make_school(number) for number in ("100001", "100002", "100003")]
    supervisor = make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
    submitted(schools[0], round_, 2)
    submitted(schools[1], round_, 4)

    def overall() -> tuple[dict, dict]:
        result = analyse(supervisor, round_)
        return result.participation, {k: result.criterion_stats.loc["overall", k] for k in ("n", "mean", "max")}

    assert overall() == ({"in_scope": 3, "submitted": 2, "draft": 0, "not_started": 1}, {"n": 2, "mean": 3.0, "max": 4.0})
    frame = analytics._round_scores(round_)
    assert analytics._round_scores(round_) is frame  # unchanged data: served from the cache

    submitted(schools[2], round_, 9)
    assert analytics._round_scores(round_) is not frame
    assert overall() == ({"in_scope": 3, "submitted": 3, "draft": 0, "not_started": 0}, {"n": 3, "mean": 5.0, "max": 9.0})

    assessments.reopen(schools[2], round_, leader(schools[2]))
    db.session.commit()
    assert overall() == ({"in_scope": 3, "submitted": 2, "draft": 1, "not_started": 0}, {"n": 2, "mean": 3.0, "max": 4.0})

    submitted(schools[2], round_, 3)  # the same school again, with other scores
    assert overall() == ({"in_scope": 3, "submitted": 3, "draft": 0, "not_started": 0}, {"n": 3, "mean": 3.0, "max": 4.0})
    assert comparison_group(schools[0], round_).size == 2  # the others; the school itself is never in its group


def test_the_cache_keeps_rounds_apart(app_context):
    first = make_round("2024/25", is_open=False)
    second = make_round("2025/26")
    school = make_school("100001")
    submitted(school, first, 3)
    admin = make_user("admin@land.test", "admin")
    assert analyse(admin, first).criterion_stats.loc["overall", "mean"] == 3.0
    assert analyse(admin, second).criterion_stats.loc["overall", "n"] == 0
    submitted(school, second, 7)
    assert analyse(admin, second).criterion_stats.loc["overall", "mean"] == 7.0
    assert analyse(admin, first).criterion_stats.loc["overall", "mean"] == 3.0


def test_comparison_group_needs_five_other_submitted_schools_of_the_same_schulform(app_context):
    round_ = make_round("2025/26")
    own = make_school("100001", schulform="15")
    submitted(own, round_, 4)
    for number, kreis, value in (("100002", "05913", 1), ("100003", "05913", 2), ("400001", "05111", 9)):  # all Kreise count
        submitted(make_school(number, schulform="15", kreis=kreis), round_, value)
    submitted(make_school("100010", schulform="20"), round_, 10)  # another Schulform
    submitted(make_school("100011", schulform="02"), round_, 10)
    rated(make_school("100012", schulform="15"), round_, 10)  # a draft of the same Schulform

    submitted(make_school("300001", schulform="15", kreis="05513"), round_, 7)
    group = comparison_group(own, round_)  # 1, 2, 9, 7: four others, the school itself (4) not counted
    assert (group.size, group.stats, group.is_shown) == (4, None, False)

    submitted(make_school("300002", schulform="15", kreis="05513"), round_, 5)
    group = comparison_group(own, round_)
    assert (group.size, group.is_shown, group.has_quartiles) == (5, True, False)
    assert list(group.stats.index) == COLUMNS
    # 1, 2, 9, 7, 5: mean 4.8, shown in half points
    assert group.stats.to_dict() == {"mean": dict.fromkeys(COLUMNS, 5.0)}
    gymnasium = comparison_group(make_school("100013", schulform="20"), round_)
    assert (gymnasium.size, gymnasium.stats) == (1, None)


def test_parse_selection_keeps_known_values_once_and_in_order():
    selection = parse_selection(
        {"schulform": ["20", "02", "20"], "kreis": ["05913"], "bezirk": ["Münster", "Arnsberg"], "status": ["draft"]}
    )
    assert selection == Selection(("20", "02"), ("05913",), ("Münster", "Arnsberg"), ("draft",))
    assert parse_selection({}) == Selection()


@pytest.mark.parametrize(
    ("values", "problems"),
    [
        ({"schulform": ["99"]}, {"schulform": "unbekannter Wert „99“"}),
        ({"kreis": ["05913", "99999"]}, {"kreis": "unbekannter Wert „99999“"}),
        ({"bezirk": ["arnsberg"]}, {"bezirk": "unbekannter Wert „arnsberg“"}),
        ({"status": ["submitted", "abgeschlossen"]}, {"status": "unbekannter Wert „abgeschlossen“"}),
        (
            {"schulform": ["2"], "kreis": ["5913"], "bezirk": ["Köln"], "status": ["x" * 60]},
            {"schulform": "unbekannter Wert „2“", "kreis": "unbekannter Wert „5913“", "status": f"unbekannter Wert „{'x' * 40}“"},
        ),
    ],
)
def test_parse_selection_names_every_field_with_an_unknown_value(values, problems):
    with pytest.raises(InvalidInput) as caught:
        parse_selection(values)
    assert caught.value.problems == problems
