"""A refused request leaves one WARNING on the "selfeval.security" logger: who, what, when, from where."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from tests.support.factories import login, make_round, make_school, make_token, make_user

CLIENT = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def people(app):
    """School A and B with a team member each; their user ids and B's API token."""
    with app.app_context():
        school_a, school_b = make_school("100001"), make_school("100002", kreis="05111")
        make_round("2025/26")
        team_a = make_user("team-a@schule.test", school=school_a)
        team_b = make_user("team-b@schule.test", school=school_b)
        return {"team_a": team_a.id, "team_b": team_b.id, "token_b": make_token(team_b)}


@pytest.fixture
def refusals(caplog):
    caplog.set_level(logging.WARNING, logger="selfeval.security")
    return lambda: [record for record in caplog.records if record.name == "selfeval.security"]


def assert_one_refusal(records, before: datetime, message: str, **fields) -> None:
    """Exactly one WARNING with this message (its time filled in) and these fields, stamped between before and now."""
    assert len(records) == 1
    record = records[0]
    at = record.refusal["at"]
    assert (record.levelno, record.getMessage()) == (logging.WARNING, message.format(at=at))
    assert {key: value for key, value in record.refusal.items() if key != "at"} == fields
    stamped = datetime.fromisoformat(at)
    assert stamped.tzinfo == UTC
    assert before <= stamped <= datetime.now(UTC)


def test_a_page_refused_with_403_is_logged_with_the_user_id_and_role_but_no_name(client, people, refusals):
    login(client, "team-b@schule.test")
    before = datetime.now(UTC)

    response = client.get("/schulen/100001/2025-26/", environ_overrides=CLIENT)

    assert response.status_code == 403
    assert_one_refusal(
        refusals(), before,
        f"refused 403 GET /schulen/100001/2025-26/ (endpoint assessment.overview) for user {people['team_b']} (team) "
        "from 203.0.113.7 at {at}",
        status=403, user_id=people["team_b"], role="team", method="GET", path="/schulen/100001/2025-26/",
        endpoint="assessment.overview", client="203.0.113.7",
    )  # fmt: skip


def test_an_api_call_refused_with_403_names_the_tokens_user(client, people, refusals):
    before = datetime.now(UTC)

    response = client.get(
        "/api/v1/schools/100001/assessments/2025-26",
        headers={"Authorization": f"Bearer {people['token_b']}"},
        environ_overrides=CLIENT,
    )

    assert (response.status_code, response.get_json()["error"]["code"]) == (403, 403)
    assert_one_refusal(
        refusals(), before,
        f"refused 403 GET /api/v1/schools/100001/assessments/2025-26 (endpoint api.get_assessment) for user {people['team_b']} "
        "(team) from 203.0.113.7 at {at}",
        status=403, user_id=people["team_b"], role="team", method="GET", path="/api/v1/schools/100001/assessments/2025-26",
        endpoint="api.get_assessment", client="203.0.113.7",
    )  # fmt: skip


def test_an_invalid_api_token_is_logged_as_anonymous(client, people, refusals):
    before = datetime.now(UTC)

    response = client.put("/api/v1/schools/100001/assessments/2025-26", headers={"Authorization": "Bearer sev_made-up"})

    assert (response.status_code, response.headers["WWW-Authenticate"]) == (401, 'Bearer realm="selfeval"')
    assert_one_refusal(
        refusals(), before,
        "refused 401 PUT /api/v1/schools/100001/assessments/2025-26 (endpoint api.put_assessment) for anonymous "
        "from 127.0.0.1 at {at}",
        status=401, user_id=None, role=None, method="PUT", path="/api/v1/schools/100001/assessments/2025-26",
        endpoint="api.put_assessment", client="127.0.0.1",
    )  # fmt: skip


def test_a_line_break_in_the_path_is_logged_percent_encoded(client, people, refusals):
    """The path is the requester's text: it must not start a forged log line."""
    login(client, "team-a@schule.test")
    before = datetime.now(UTC)

    response = client.get("/verwaltung/schulen/1%0Arefused%20nothing")

    assert response.status_code == 403
    assert_one_refusal(
        refusals(), before,
        f"refused 403 GET /verwaltung/schulen/1%0Arefused%20nothing (endpoint admin.school) for user {people['team_a']} "
        "(team) from 127.0.0.1 at {at}",
        status=403, user_id=people["team_a"], role="team", method="GET", path="/verwaltung/schulen/1%0Arefused%20nothing",
        endpoint="admin.school", client="127.0.0.1",
    )  # fmt: skip


def test_asking_to_log_in_and_things_not_found_are_not_refusals(client, people, refusals):
    """No credentials yet (a redirect to the log-in, an API call without token) and a 404 log nothing."""
    responses = [
        client.get("/verwaltung/"),
        client.get("/api/v1/schools"),
        client.get("/gibt-es-nicht"),
    ]

    assert [(response.status_code, response.headers.get("Location")) for response in responses] == [
        (302, "/anmelden?next=%2Fverwaltung%2F"),
        (401, None),
        (404, None),
    ]
    assert refusals() == []
