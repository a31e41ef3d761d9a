"""Issue 16: GET /api/v1/schools/{schulnummer}/history and the assessment's previous_round."""

from __future__ import annotations

import pytest

from tests.support.catalogue import LEITFADEN
from tests.support.factories import all_scores, make_round, make_school, make_token, make_user, rate, submitted

CRITERIA = [criterion.id for criterion in LEITFADEN.criteria]
URL = "/api/v1/schools/100001/history"


@pytest.fixture
def world(app):
    """School 100001: 2023/24 submitted (all 4), 2024/25 not started, 2025/26 a draft with one rating.

    The rounds are created out of school-year order: the history must follow the school years, not the creation.
    """
    with app.app_context():
        school = make_school("100001")
        current = make_round("2025/26")
        first = make_round("2023/24", is_open=False)
        make_round("2024/25", is_open=False)
        member = make_user("team@schule.test", school=school)
        submitted(school, first, all_scores(4))
        rate(school, current, member, {"k1a": 9})
        other = make_school("100002", kreis="05911")
        return {
            "team": make_token(member),
            "other_team": make_token(make_user("team@andere.test", school=other)),
            "supervisor": make_token(make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])),
            "supervisor_out": make_token(make_user("aufsicht@anders.test", "supervisor", kreise=["05911"])),
        }


def get(client, token: str, url: str = URL):
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


def test_the_history_lists_the_started_rounds_in_school_year_order_with_scores_once_submitted(client, world):
    response = get(client, world["team"])
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
    assert response.get_json() == {
        "schulnummer": "100001",
        "rounds": [
            {
                "round": "2023-24",
                "status": "submitted",
                "completeness": 1.0,
                "scores": {"overall": 4.0, "criteria": dict.fromkeys(CRITERIA, 4.0)},
            },
            {
                "round": "2025-26",
                "status": "draft",
                "completeness": 1 / 23,
                "scores": {"overall": None, "criteria": dict.fromkeys(CRITERIA)},
            },
        ],
    }


def test_the_history_follows_the_access_rules_of_the_assessment(client, world):
    assert get(client, world["supervisor"]).get_json()["schulnummer"] == "100001"
    for token in ("other_team", "supervisor_out"):
        response = get(client, world[token])
        assert (response.status_code, response.get_json()["error"]["message"]) == (
            403,
            "Kein Zugriff auf die Bewertung dieser Schule.",
        )
    response = get(client, world["team"], "/api/v1/schools/999999/history")
    assert (response.status_code, response.get_json()["error"]["message"]) == (404, "Schule 999999 nicht gefunden")
    response = client.get(URL)
    assert (response.status_code, response.get_json()["error"]["code"]) == (401, 401)


def test_the_assessment_names_the_round_before_it(app, client):
    with app.app_context():
        school = make_school("100001")
        make_round("2024/25", is_open=False)
        make_round("2025/26")
        token = make_token(make_user("team@schule.test", school=school))
    current = get(client, token, "/api/v1/schools/100001/assessments/2025-26").get_json()
    first = get(client, token, "/api/v1/schools/100001/assessments/2024-25").get_json()
    assert (current["previous_round"], first["previous_round"]) == ("2024-25", None)
