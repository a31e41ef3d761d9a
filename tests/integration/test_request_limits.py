"""Bodies over the limit (1 MB; 20 MB for the directory upload) are refused with 413 before anything is read."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.limits import MAX_COMMENT_LENGTH
from selfeval.models import Assessment
from tests.support.factories import make_round, make_school, make_token, make_user

URL = "/api/v1/schools/100001/assessments/2025-26"


@pytest.fixture
def token(app):
    with app.app_context():
        school = make_school("100001")
        make_round()
        return make_token(make_user("lehrer@schule.de", school=school))


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "If-Match": '"0"'}


def test_the_limit_is_one_megabyte(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024


def test_an_api_body_over_the_limit_gets_a_json_413_and_changes_nothing(app, client, token):
    body = json.dumps({"ratings": {"k1a": {"score": 5, "comment": "x" * (1024 * 1024)}}})
    response = client.put(URL, data=body, content_type="application/json", headers=headers(token))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == 413
    with app.app_context():
        assert db.session.scalars(select(Assessment)).all() == []


def test_an_api_body_just_under_the_limit_is_read(client, token):
    comment = "x" * MAX_COMMENT_LENGTH  # the longest comment allowed; the body stays far below 1 MB
    body = json.dumps({"ratings": {"k1a": {"score": 5, "comment": comment}}})
    response = client.put(URL, data=body, content_type="application/json", headers=headers(token))
    assert (response.status_code, response.get_json()["ratings"]["k1a"]["comment"]) == (200, comment)


def test_a_form_over_the_limit_gets_the_german_413_page(client):
    response = client.post("/anmelden", data={"email": "a@b.de", "password": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "Die gesendeten Daten sind zu groß." in response.get_data(as_text=True)
