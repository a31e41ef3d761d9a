"""The analytics service on one area built once for the module (read only): each role's scope, the statistics, filters."""

from __future__ import annotations

import math

import pytest

from selfeval.services.accounts import find_user
from selfeval.services.analytics import Selection, analyse, school_summaries
from tests.conftest import empty_tables, make_test_app
from tests.support.analytics import COLUMNS, NO_DATA, TWO_FOUR_NINE, plain, stats_rows
from tests.support.catalogue import INDICATORS
from tests.support.factories import all_scores, make_round, make_school, make_user, rated, submitted


@pytest.fixture(scope="module")
def area(migrated_database, tmp_path_factory):
    """Dortmund (Arnsberg): three submitted (2, 4, 9), a draft rated 10, one not started; Bochum (Arnsberg):
    a submitted Grundschule; Gelsenkirchen (Münster) and Düsseldorf: schools no Arnsberg supervisor may see.

    Built once for the module, in an app context kept for its tests: they only read (analyse and school_summaries
    write nothing), so each still meets exactly this area; the tables are emptied after the last one."""
    app = make_test_app(migrated_database, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        yield built_area()
    empty_tables(app)


def built_area():
    round_ = make_round("2025/26")
    schools = {
        "100001": ("15", "05913", 2),
        "100002": ("15", "05913", 4),
        "100003": ("20", "05913", 9),
        "100004": ("02", "05913", "draft"),
        "100005": ("02", "05913", None),
        "200001": ("02", "05911", 1),
        "300001": ("15", "05513", 10),
        "300002": ("20", "05513", None),
        "400001": ("15", "05111", 7),
    }
    made = {}
    for number, (schulform, kreis, value) in schools.items():
        made[number] = school = make_school(number, schulform=schulform, kreis=kreis)
        if value == "draft":
            rated(school, round_, all_scores(10) | {"k6d": None})
        elif value is not None:
            submitted(school, round_, value)
    users = {
        "kreis": make_user("kreis@bezreg.test", "supervisor", kreise=["05913"]),
        "bezirk": make_user("bezirk@bezreg.test", "supervisor", bezirke=["Arnsberg"]),
        "grundschulen": make_user("gs@bezreg.test", "supervisor", bezirke=["Arnsberg"], schulformen=["02"]),
        "mixed": make_user("mixed@bezreg.test", "supervisor", kreise=["05513"], bezirke=["Düsseldorf"]),
        "adviser": make_user("berater@kommune.test", "adviser", kreise=["05911", "05513"]),
        "admin": make_user("admin@land.test", "admin"),
        "team": find_user("leitung-100001@schule.test"),
    }
    return round_, made, users


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("kreis", ["100001", "100002", "100003", "100004", "100005"]),
        ("bezirk", ["100001", "100002", "100003", "100004", "100005", "200001"]),
        ("grundschulen", ["100004", "100005", "200001"]),
        ("mixed", ["300001", "300002", "400001"]),
        ("adviser", ["200001", "300001", "300002"]),
        ("admin", ["100001", "100002", "100003", "100004", "100005", "200001", "300001", "300002", "400001"]),
        ("team", ["100001"]),
    ],
)
def test_each_role_sees_exactly_its_scope(area, who, expected):
    round_, _, users = area
    result = analyse(users[who], round_)
    assert list(result.scope.index) == expected
    assert list(result.schools.index) == expected
    assert list(result.listed.index) == expected
    assert list(school_summaries(users[who], round_).index) == expected


def test_participation_and_statistics_count_only_submitted_assessments(area):
    round_, _, users = area
    result = analyse(users["kreis"], round_)
    assert result.participation == {"in_scope": 5, "submitted": 3, "draft": 1, "not_started": 1}
    assert list(result.schools["status"]) == ["submitted", "submitted", "submitted", "draft", "not_started"]
    assert list(result.indicator_scores.index) == ["100001", "100002", "100003"]  # the draft (all 10) is not there
    assert list(result.criterion_stats.index) == COLUMNS
    assert stats_rows(result.criterion_stats) == plain(dict.fromkeys(COLUMNS, TWO_FOUR_NINE))
    assert list(result.indicator_stats.index) == INDICATORS
    assert stats_rows(result.indicator_stats) == plain(dict.fromkeys(INDICATORS, TWO_FOUR_NINE))


def test_a_single_school_has_no_spread_and_an_empty_selection_no_numbers(area):
    round_, _, users = area
    single = analyse(users["bezirk"], round_, Selection(kreise=("05911",)))
    assert single.participation == {"in_scope": 1, "submitted": 1, "draft": 0, "not_started": 0}
    one = {"n": 1, "mean": 1.0, "median": 1.0, "q1": 1.0, "q3": 1.0, "min": 1.0, "max": 1.0, "std": math.nan}
    assert stats_rows(single.criterion_stats) == plain(dict.fromkeys(COLUMNS, one))
    nothing = analyse(users["grundschulen"], round_, Selection(kreise=("05913",)))
    assert nothing.participation == {"in_scope": 2, "submitted": 0, "draft": 1, "not_started": 1}
    assert stats_rows(nothing.criterion_stats) == plain(dict.fromkeys(COLUMNS, NO_DATA))
    assert stats_rows(nothing.indicator_stats) == plain(dict.fromkeys(INDICATORS, NO_DATA))


@pytest.mark.parametrize(
    ("who", "selection", "expected", "participation"),
    [
        ("bezirk", Selection(schulformen=("02",)), ["100004", "100005", "200001"], (3, 1, 1, 1)),
        ("bezirk", Selection(kreise=("05911",)), ["200001"], (1, 1, 0, 0)),
        ("bezirk", Selection(bezirke=("Arnsberg",), schulformen=("15", "20")), ["100001", "100002", "100003"], (3, 3, 0, 0)),
        ("bezirk", Selection(bezirke=("Münster",)), [], (0, 0, 0, 0)),  # outside the scope: nothing, not Münster's schools
        ("kreis", Selection(kreise=("05513",)), [], (0, 0, 0, 0)),
        ("grundschulen", Selection(schulformen=("15",)), [], (0, 0, 0, 0)),
        ("adviser", Selection(bezirke=("Münster",)), ["300001", "300002"], (2, 1, 0, 1)),
        ("admin", Selection(bezirke=("Münster", "Düsseldorf")), ["300001", "300002", "400001"], (3, 2, 0, 1)),
        ("team", Selection(kreise=("05513",)), [], (0, 0, 0, 0)),
    ],
)
def test_filters_narrow_within_the_scope_and_never_widen_it(area, who, selection, expected, participation):
    round_, _, users = area
    result = analyse(users[who], round_, selection)
    assert list(result.schools.index) == expected
    assert result.participation == dict(zip(("in_scope", "submitted", "draft", "not_started"), participation, strict=True))
    assert list(result.indicator_scores.index) == [nr for nr in expected if result.schools.loc[nr, "status"] == "submitted"]


def test_the_status_filter_lists_fewer_schools_but_leaves_participation_and_statistics(area):
    round_, _, users = area
    result = analyse(users["kreis"], round_, Selection(statuses=("draft", "not_started")))
    assert list(result.listed.index) == ["100004", "100005"]
    assert list(result.schools.index) == ["100001", "100002", "100003", "100004", "100005"]
    assert result.participation == {"in_scope": 5, "submitted": 3, "draft": 1, "not_started": 1}
    assert stats_rows(result.criterion_stats) == plain(dict.fromkeys(COLUMNS, TWO_FOUR_NINE))
    submitted_only = analyse(users["kreis"], round_, Selection(statuses=("submitted",)))
    assert list(submitted_only.listed.index) == ["100001", "100002", "100003"]
