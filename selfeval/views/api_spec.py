"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.

tests/integration/test_api_contract.py holds the API to it with schemathesis: every status, header and body the
API answers must be described here, and every request described as valid must be accepted.
"""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog
from ..reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreise
from .api_schemas import (
    FIELD_ERRORS,
    NO_STORE,
    ROUND_SLUG,
    SCHULNUMMER,
    STRINGS,
    WWW_AUTHENTICATE,
    attachment,
    error,
    schemas,
)

_ASSESSMENT_REF = {"$ref": "#/components/schemas/Assessment"}
_ETAG = '^"[0-9]+"$'
_PATH_PARAMETERS = [
    {"name": "schulnummer", "in": "path", "required": True, "schema": SCHULNUMMER, "example": "199001"},
    {"name": "round", "in": "path", "required": True, "schema": ROUND_SLUG, "example": "2025-26"},
]
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": 'The version the change is based on, as the ETag of a GET sends it: "3" (W/"3" is accepted too). '
    "Without it, or with *, the answer is 428; a stale version or any other value gets 412.",
    "schema": {"type": "string", "pattern": '^(W/)?"[0-9]{1,9}"$'},
    "example": '"3"',
}
#: Where the version of an answer goes next: the ETag becomes the If-Match of the following write.
_NEXT_WRITES = {
    name: {
        "operationId": operation,
        "description": description,
        "parameters": {
            "path.schulnummer": "$request.path.schulnummer",
            "path.round": "$request.path.round",
            "header.If-Match": "$response.header.ETag",
        },
    }
    for name, operation, description in (
        ("ChangeRatings", "putRatings", "Change ratings on top of this version"),
        ("Submit", "submitAssessment", "Submit this version"),
    )
}
_NUL = "NUL character in the address or the query"
#: Refused for every path before any view: a NUL character (request_guard.py; PostgreSQL holds none), a body over 1 MB.
_ANY_REQUEST = {"400": error(400, f"A {_NUL}"), "413": error(413, "A body larger than 1 MB")}
_UNAUTHENTICATED = error(401, "No valid token and no session", headers={"WWW-Authenticate": WWW_AUTHENTICATE})
_ROUND_QUERY = {"name": "round", "in": "query", "required": True, "schema": ROUND_SLUG, "example": "2025-26"}
_SELECTION_QUERY = [
    {
        "name": name,
        "in": "query",
        "description": f"{description}; repeatable, always within the caller's scope; an empty value means all",
        "schema": {"type": "array", "items": {"enum": ["", *values]}},
    }
    for name, description, values in (
        ("schulform", "Two-digit Schulform code", sorted(SCHULFORMEN)),
        ("kreis", "5-digit Kreisschlüssel", sorted(kreise())),
        ("bezirk", "Bezirksregierung", list(BEZIRKSREGIERUNGEN)),
    )
] + [
    {
        "name": "traeger",
        "in": "query",
        "description": "Trägernummer of a Schulträger; repeatable, always within the caller's scope; an empty value means all",
        "schema": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{0,10}$"}},
    }
]
_SCOPE_ERRORS = {
    **_ANY_REQUEST,
    "401": _UNAUTHENTICATED,
    "403": error(403, "Analytics are for supervisors, advisers and admins"),
    "404": error(404, "Unknown round"),
    "422": error(422, "Invalid query: `round` missing, or an unknown format or filter value", FIELD_ERRORS),
}


def openapi_document(catalog: Catalog) -> dict[str, Any]:
    """The document for the active catalogue `catalog` (its indicators and scale describe a valid rating)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "selfeval API",
            "version": "1",
            "description": "Self-evaluation of digital school development: catalogue, assessments and, for supervision, "
            "analytics and exports limited to the caller's scope. "
            "Authenticate with `Authorization: Bearer <token>` (from `selfeval users token EMAIL`), or use the "
            "browser session and send the page's CSRF token in `X-CSRFToken` for writes.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": {**_assessment_paths(), **_analytics_paths()},
        "components": {
            "schemas": schemas(catalog),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def _state_ok(description: str, *, writable: bool = True) -> dict[str, Any]:
    response = {
        "description": description,
        "headers": {
            "ETag": {"required": True, "description": 'The version, e.g. "4"', "schema": {"type": "string", "pattern": _ETAG}},
            "Cache-Control": NO_STORE,
        },
        "content": {"application/json": {"schema": _ASSESSMENT_REF}},
    }
    return response | {"links": _NEXT_WRITES} if writable else response


def _read_errors() -> dict[str, Any]:
    return {
        **_ANY_REQUEST,
        "401": _UNAUTHENTICATED,
        "403": error(403, "Not this caller's school"),
        "404": error(404, "Unknown school or round"),
    }


def _write_errors(*, reads_body: bool) -> dict[str, Any]:
    causes = f"The body is not JSON (or names a key twice), or a {_NUL}" if reads_body else f"A {_NUL}"
    return {
        **_read_errors(),
        "400": error(400, f"{causes}; for session calls also: the CSRF token is missing"),
        "403": error(403, "Only the school's own team writes"),
        "409": error(409, "Submitted, or the round is closed"),
        "412": error(
            412,
            "If-Match is not the current version: nothing changed. For a stale version, `changed` names the indicators "
            "changed since and `current` is the current state; a malformed If-Match gets neither.",
            sometimes={"changed": STRINGS, "current": _ASSESSMENT_REF},
        ),
        "428": error(428, "If-Match missing (or *)"),
    }


def _assessment_paths() -> dict[str, Any]:
    assessment_path = "/schools/{schulnummer}/assessments/{round}"
    return {
        "/catalog": {
            "get": {
                "operationId": "getCatalog",
                "summary": "The active catalogue",
                "security": [],
                "responses": {
                    "200": {
                        "description": "Catalogue",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Catalog"}}},
                    },
                    **_ANY_REQUEST,
                },
            }
        },
        assessment_path: {
            "parameters": _PATH_PARAMETERS,
            "get": {
                "operationId": "getAssessment",
                "summary": "A school's assessment in a round (an empty draft if not started)",
                "responses": {"200": _state_ok("The assessment"), **_read_errors()},
            },
            "put": {
                "operationId": "putRatings",
                "summary": "Change ratings (partial update, all or nothing)",
                "parameters": [_IF_MATCH],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RatingsUpdate"}}},
                },
                "responses": {
                    "200": _state_ok("Saved (or nothing to change); the new state"),
                    **_write_errors(reads_body=True),
                    "422": error(422, "Invalid ratings: nothing changed; `errors` names every problem", FIELD_ERRORS),
                },
            },
        },
        "/schools/{schulnummer}/history": {
            "parameters": _PATH_PARAMETERS[:1],
            "get": {
                "operationId": "getSchoolHistory",
                "summary": "A school's rounds in school-year order: status, completeness and, once submitted, the scores",
                "description": "Same access as the assessment: the school's own team, supervisors and advisers whose "
                "scope includes the school, and admins. Rounds without an assessment are left out.",
                "responses": {
                    "200": {
                        "description": "The history",
                        "headers": {"Cache-Control": NO_STORE},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SchoolHistory"}}},
                    },
                    **_read_errors(),
                    "404": error(404, "Unknown school"),
                },
            },
        },
        assessment_path + "/submit": {
            "parameters": _PATH_PARAMETERS,
            "post": {
                "operationId": "submitAssessment",
                "summary": "Submit: every indicator rated and a Schulleitung member on the team",
                "parameters": [_IF_MATCH],
                "responses": {
                    "200": _state_ok("Submitted", writable=False),
                    **_write_errors(reads_body=False),
                    "422": error(
                        422,
                        "Not ready: `missing` lists the unrated indicators, `has_leadership` whether the team has an active "
                        "Schulleitung member who has set a password (an invitation not yet accepted does not count)",
                        {"missing": STRINGS, "has_leadership": {"type": "boolean"}},
                    ),
                },
            },
        },
    }


def _analytics_paths() -> dict[str, Any]:
    return {
        "/schools": {
            "get": {
                "operationId": "listSchools",
                "summary": "The schools in the caller's scope with status and overall score (submitted only)",
                "description": "Before any round exists (and without `round`), the schools alone: "
                "`status` and `overall` are null.",
                "parameters": [
                    {
                        **_ROUND_QUERY,
                        "required": False,
                        "schema": {"anyOf": [ROUND_SLUG, {"const": ""}]},
                        "description": "Default (also when empty): the current round",
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Schools, by Schulnummer",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/SchoolSummary"}}
                            }
                        },
                    },
                    **_ANY_REQUEST,
                    "401": _UNAUTHENTICATED,
                    "404": error(404, "Unknown round"),
                },
            }
        },
        "/analytics": {
            "get": {
                "operationId": "getAnalytics",
                "summary": "Statistics of the submitted assessments in the caller's scope",
                "parameters": [_ROUND_QUERY, *_SELECTION_QUERY],
                "responses": {
                    "200": {
                        "description": "Statistics per criterion and per indicator",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Analytics"}}},
                    },
                    **_SCOPE_ERRORS,
                },
            }
        },
        "/schools/{schulnummer}/reports/{round}.pdf": {
            "parameters": _PATH_PARAMETERS,
            "get": {
                "operationId": "getReportPdf",
                "summary": "The improvement report of one school and round as PDF (a draft is marked as such)",
                "description": "For the school's own team, supervisors and advisers whose scope includes the school, and admins.",
                "responses": {
                    "200": {
                        "description": "The PDF, as an attachment",
                        "headers": {"Content-Disposition": attachment("pdf"), "Cache-Control": NO_STORE},
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **_ANY_REQUEST,
                    "401": _UNAUTHENTICATED,
                    "403": error(403, "The school is not in the caller's scope"),
                    "404": error(404, "Unknown school or round, or nothing rated yet"),
                },
            },
        },
        "/export": {
            "get": {
                "operationId": "exportScores",
                "summary": "Scores of the schools in the caller's scope as CSV (German Excel) or XLSX, or the monitoring "
                "table (long format, every school year up to the round; see the README)",
                "parameters": [
                    _ROUND_QUERY,
                    {"name": "format", "in": "query", "required": True, "schema": {"enum": ["csv", "xlsx", "monitoring"]}},
                    *_SELECTION_QUERY,
                ],
                "responses": {
                    "200": {
                        "description": "The file, as an attachment",
                        "headers": {"Content-Disposition": attachment("csv", "xlsx"), "Cache-Control": NO_STORE},
                        "content": {
                            "text/csv": {"schema": {"type": "string"}},
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                "schema": {"type": "string", "format": "binary"}
                            },
                        },
                    },
                    **_SCOPE_ERRORS,
                },
            }
        },
    }
