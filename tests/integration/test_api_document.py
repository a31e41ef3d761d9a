"""The generated OpenAPI document (views.api_models) describes what the hand-written one described.

fixtures/openapi_operations_v1.json was taken from the hand-written document before it was replaced: every operation
with its parameters, and per status the response headers, content types and links. The generated document must
describe exactly these; a change to the API's operations changes the fixture on purpose, in the same commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval.catalog.loader import load_catalog
from selfeval.config import resolve_catalog_path
from selfeval.paths import DEFAULT_CATALOG
from selfeval.services.rating_input import RatingChange
from selfeval.views.api_models import openapi_document
from selfeval.views.api_models.ratings import InvalidBody, rating_changes

BEFORE = json.loads((Path(__file__).parent / "fixtures" / "openapi_operations_v1.json").read_text(encoding="utf-8"))
CATALOG = load_catalog(resolve_catalog_path(DEFAULT_CATALOG))


def operations(document: dict) -> list[dict]:
    """The fixture's summary of a document: per operation its parameters and, per status, headers, content and links."""
    summary = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            parameters = item.get("parameters", []) + operation.get("parameters", [])
            summary.append(
                {
                    "path": path,
                    "method": method,
                    "operationId": operation["operationId"],
                    "security": operation.get("security"),
                    "requestBody": sorted(operation.get("requestBody", {}).get("content", {})),
                    "parameters": sorted([p["in"], p["name"], p.get("required", False)] for p in parameters),
                    "responses": {status: _answer(answer) for status, answer in sorted(operation["responses"].items())},
                }
            )
    return sorted(summary, key=lambda operation: (operation["path"], operation["method"]))


def _answer(response: dict) -> dict:
    headers = response.get("headers", {})
    return {
        "headers": sorted([name, header.get("required", False)] for name, header in headers.items()),
        "content": sorted(response.get("content", {})),
        "links": sorted(response.get("links", {})),
    }


def test_the_served_document_has_the_operations_statuses_and_headers_of_the_hand_written_one(client):
    document = client.get("/api/v1/openapi.json").get_json()

    assert operations(document) == BEFORE
    statuses = {(o["path"], o["method"], status) for o in operations(document) for status in o["responses"]}
    assert statuses == {(o["path"], o["method"], status) for o in BEFORE for status in o["responses"]}


def test_every_schema_the_paths_name_is_a_component_and_every_component_is_named():
    document = openapi_document(CATALOG)
    text = json.dumps(document)
    named = {ref.split('"')[0] for ref in text.split('"$ref": "#/components/schemas/')[1:]}

    assert named == set(document["components"]["schemas"])


def test_the_ratings_body_in_the_document_is_the_one_the_api_validates_with():
    schema = openapi_document(CATALOG)["components"]["schemas"]
    ratings = schema["RatingsUpdate"]["properties"]["ratings"]

    assert (schema["RatingsUpdate"]["required"], schema["RatingsUpdate"]["additionalProperties"]) == (["ratings"], False)
    assert ratings["propertyNames"] == {"enum": [indicator.id for indicator in CATALOG.indicators]}
    score = schema["RatingChange"]["properties"]["score"]
    assert (score["type"], score["minimum"], score["maximum"]) == (["integer", "null"], CATALOG.scale.min, CATALOG.scale.max)


def test_a_valid_body_becomes_the_services_changes_fields_left_out_unchanged():
    body = {"ratings": {"k1a": {"score": 7}, "k1b": {"comment": "a\r\nb"}, "k1c": {"score": None, "comment": None}}}

    assert rating_changes(body, CATALOG) == {
        "k1a": RatingChange(score=7),
        "k1b": RatingChange(comment="a\nb"),
        "k1c": RatingChange(score=None, comment=""),
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([], [("", "Erwartet wird ein JSON-Objekt mit dem Feld „ratings“.")]),
        (
            {"z": 1, "a": 2},
            [("ratings", "Das Feld „ratings“ fehlt."), ("a", "Unbekanntes Feld „a“."), ("z", "Unbekanntes Feld „z“.")],
        ),
        (
            {"ratings": {"k1b": {"x": 1, "comment": 5, "score": True}, "nope": {"score": "x"}, "k1a": 3}, "b": 0},
            [
                ("b", "Unbekanntes Feld „b“."),
                ("ratings.k1b.x", "Unbekanntes Feld „x“; erlaubt sind „score“ und „comment“."),
                ("ratings.k1b.score", "Die Bewertung muss eine ganze Zahl von 0 bis 10 sein oder leer bleiben."),
                ("ratings.k1b.comment", "Der Kommentar muss Text sein."),
                ("ratings.nope", "Unbekannter Indikator „nope“."),
                ("ratings.k1a", "Erwartet wird ein Objekt mit „score“ und/oder „comment“."),
            ],
        ),
        (
            {"ratings": {"k1a": {"comment": "\x07"}}},
            [("ratings.k1a.comment", "Der Kommentar enthält unzulässige Steuerzeichen.")],
        ),
        ({"ratings": [1]}, [("ratings", "Erwartet wird ein Objekt: Indikator → Bewertung.")]),
    ],
)
def test_an_invalid_body_names_every_problem_in_the_order_of_the_body(body, expected):
    with pytest.raises(InvalidBody) as refused:
        rating_changes(body, CATALOG)

    assert [(error.location, error.message) for error in refused.value.errors] == expected
