"""The comparison group from the per-round criterion scores cached beside the indicator scores (issue 20).

The cache changes no figure and no byte of the results page, and it checks itself against the database on every
request: a school that submits later is in the group of the very next page, in any process.
"""

from __future__ import annotations

import pandas as pd
import pytest

from selfeval.extensions import db
from selfeval.models import School
from selfeval.scoring import aggregate
from selfeval.services import analytics
from selfeval.services.rounds import current_round
from tests.support.factories import all_scores, login, make_round, make_school, rated, submitted

RESULTS = "/schulen/100001/2025-26/ergebnis"


@pytest.fixture
def group(app):
    """School 100001 and eleven other Gesamtschulen submitted (quartiles from ten on), two Gymnasien, a draft."""
    with app.app_context():
        round_ = make_round("2025/26")
        own = make_school("100001")
        submitted(own, round_, 6)
        for number in range(11):
            other = make_school(str(100100 + number))
            scores = {key: (number * 7 + position) % 11 for position, key in enumerate(all_scores())}
            submitted(other, round_, scores)
        for number in range(2):
            submitted(make_school(str(100200 + number), schulform="20"), round_, 9)
        rated(make_school("100300"), round_, 2)
    return None


def _direct(round_) -> dict[str, pd.DataFrame]:
    """The groups as they were computed before the cache: criterion scores of each group's own rows."""
    scores, catalog = analytics._round_scores(round_), analytics.round_catalog(round_)
    groups: dict[str, list[int]] = {}
    for school in db.session.query(School).order_by(School.id):
        if school.id in scores.index:
            groups.setdefault(school.schulform, []).append(school.id)
    return {
        schulform: aggregate.criterion_scores(scores.loc[scores.index.intersection(pd.Index(ids), sort=False)], catalog)
        for schulform, ids in groups.items()
    }


def test_the_cached_groups_equal_the_groups_computed_from_their_own_rows(app, group):
    with app.app_context():
        round_ = current_round()
        cached = analytics.comparison_scores(round_)
        direct = _direct(round_)

        assert sorted(cached) == sorted(direct) == ["15", "20"]
        for schulform in direct:
            pd.testing.assert_frame_equal(cached[schulform], direct[schulform], check_exact=True)


def test_the_results_page_is_the_same_with_a_cold_and_a_warm_cache_and_follows_a_new_submission(app, client, group):
    assert login(client, "leitung-100001@schule.test").status_code == 302
    analytics._cache = analytics._ScoreCache()  # cold: as the first request of a new process
    cold = client.get(RESULTS)
    warm = client.get(RESULTS)

    assert (cold.status_code, warm.status_code) == (200, 200)
    assert warm.get_data(as_text=True) == cold.get_data(as_text=True)
    assert "Mittelwert der Vergleichsgruppe" in cold.get_data(as_text=True)

    with app.app_context():
        submitted(db.session.query(School).filter_by(schulnummer="100300").one(), current_round(), 2)
    later = client.get(RESULTS)
    analytics._cache = analytics._ScoreCache()
    rebuilt = client.get(RESULTS)

    assert later.get_data(as_text=True) != warm.get_data(as_text=True)  # one more school: other figures
    assert later.get_data(as_text=True) == rebuilt.get_data(as_text=True)
