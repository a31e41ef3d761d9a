"""What the contract test (test_api_contract.py) found, pinned down one by one: Allow on a 405, a JSON number with
no fractional part as an integer, and an OpenAPI document that names the active catalogue's indicators and scale."""

from __future__ import annotations

import pytest

from selfeval.extensions import catalogs
from tests.support.factories import make_round, make_school, make_token, make_user

URL = "/api/v1/schools/123456/assessments/2025-26"


@pytest.fixture
def token(app) -> str:
    """A team member of school 123456 in the open round 2025/26."""
    with app.app_context():
        school = make_school("123456")
        make_round("2025/26")
        return make_token(make_user("mitglied@schule.test", school=school))


def put_score(client, token: str, written: str):
    """PUT the score exactly as written in the JSON text, on the version of a new assessment (0)."""
    headers = {"Authorization": f"Bearer {token}", "If-Match": '"0"'}
    body = '{"ratings": {"k1a": {"score": ' + written + "}}}"
    return client.put(URL, data=body, headers=headers, content_type="application/json")


def allowed(response) -> set[str]:
    """The methods an Allow header names (werkzeug lists them in no fixed order)."""
    return {method.strip() for method in response.headers.get("Allow", "").split(",") if method.strip()}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/catalog", {"GET", "HEAD", "OPTIONS"}),
        ("TRACE", URL, {"GET", "HEAD", "OPTIONS", "PUT"}),
        ("GET", URL + "/submit", {"OPTIONS", "POST"}),
    ],
)
def test_a_method_the_api_path_lacks_answers_405_naming_the_allowed_ones(client, method, path, allow):
    response = client.open(path, method=method)

    error = response.get_json()["error"]
    assert (response.status_code, allowed(response), response.mimetype, error["code"]) == (405, allow, "application/json", 405)
    assert sorted(error) == ["code", "message"]
    assert error["message"].strip() != ""


def test_a_page_answers_405_with_allow_too(client):
    response = client.put("/anmelden")

    assert (response.status_code, allowed(response), response.mimetype) == (405, {"GET", "HEAD", "OPTIONS", "POST"}, "text/html")


@pytest.mark.parametrize(("written", "stored"), [("7.0", 7), ("0.0", 0), ("-0.0", 0), ("1e1", 10), ("7", 7)])
def test_a_score_without_fractional_part_is_an_integer(client, token, written, stored):
    response = put_score(client, token, written)

    assert (response.status_code, response.get_json()["ratings"]["k1a"]) == (200, {"score": stored, "comment": ""})


@pytest.mark.parametrize("written", ["7.5", "1e-1", "1e400", "1e308"])
def test_a_score_with_a_fraction_or_out_of_range_is_still_refused(client, token, written):
    response = put_score(client, token, written)

    assert (response.status_code, response.get_json()["error"]["errors"]) == (
        422,
        [{"location": "ratings.k1a.score", "message": "Die Bewertung muss eine ganze Zahl von 0 bis 10 sein oder leer bleiben."}],
    )


def test_the_document_names_the_active_catalogues_indicators_and_scale(app, client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]

    with app.app_context():
        indicators = [indicator.id for indicator in catalogs.active.indicators]
    assert len(indicators) == 23
    assert schemas["RatingsUpdate"]["properties"]["ratings"]["propertyNames"] == {"enum": indicators}
    assert schemas["RatingChange"]["properties"]["score"] == {
        "type": ["integer", "null"],
        "minimum": 0,
        "maximum": 10,
        "description": "null removes the rating",
    }
