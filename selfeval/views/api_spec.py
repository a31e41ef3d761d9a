"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

_NUMBER_OR_NULL = {"type": ["number", "null"]}


def _error(description: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {"code": {"type": "integer"}, "message": {"type": "string"}, **(extra or {})}
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": properties}},
                }
            }
        },
    }


_FIELD_ERRORS = {
    "errors": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["location", "message"],
            "properties": {"location": {"type": "string"}, "message": {"type": "string"}},
        },
    }
}
_ASSESSMENT_REF = {"$ref": "#/components/schemas/Assessment"}
_PATH_PARAMETERS = [
    {"name": "schulnummer", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9]{6}$"}},
    {"name": "round", "in": "path", "required": True, "schema": {"type": "string"}, "example": "2025-26"},
]
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": 'The version the change is based on, as an entity tag: "3" (from the ETag of a GET).',
    "schema": {"type": "string"},
}


def _state_ok(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"ETag": {"schema": {"type": "string"}, "description": 'The version, e.g. "4"'}},
        "content": {"application/json": {"schema": _ASSESSMENT_REF}},
    }


def _common_errors() -> dict[str, Any]:
    return {
        "401": _error("Not authenticated"),
        "403": _error("Not this caller's school"),
        "404": _error("Unknown school or round"),
    }


def _write_errors() -> dict[str, Any]:
    return {
        **_common_errors(),
        "409": _error("Submitted, or the round is closed"),
        "412": _error(
            "Stale version: nothing changed",
            {"changed": {"type": "array", "items": {"type": "string"}}, "current": _ASSESSMENT_REF},
        ),
        "428": _error("If-Match missing"),
    }


_ROUND_QUERY = {"name": "round", "in": "query", "required": True, "schema": {"type": "string"}, "example": "2025-26"}
_SELECTION_QUERY = [
    {
        "name": "schulform",
        "in": "query",
        "description": "Two-digit Schulform code; repeatable",
        "schema": {"type": "array", "items": {"type": "string"}},
    },
    {
        "name": "kreis",
        "in": "query",
        "description": "5-digit Kreisschlüssel; repeatable",
        "schema": {"type": "array", "items": {"type": "string"}},
    },
    {
        "name": "bezirk",
        "in": "query",
        "description": "Bezirksregierung; repeatable",
        "schema": {"type": "array", "items": {"type": "string"}},
    },
]
_SCOPE_ERRORS = {
    "401": _error("Not authenticated"),
    "403": _error("Analytics are for supervisors, advisers and admins"),
    "404": _error("Unknown round"),
    "422": _error("Invalid query", _FIELD_ERRORS),
}


def _analytics_paths() -> dict[str, Any]:
    return {
        "/schools": {
            "get": {
                "summary": "The schools in the caller's scope with status and overall score (submitted only)",
                "description": "Before any round exists (and without `round`), the schools alone: "
                "`status` and `overall` are null.",
                "parameters": [{**_ROUND_QUERY, "required": False, "description": "Default: the current round"}],
                "responses": {
                    "200": {
                        "description": "Schools, by Schulnummer",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/SchoolSummary"}}
                            }
                        },
                    },
                    "401": _error("Not authenticated"),
                    "404": _error("Unknown round"),
                },
            }
        },
        "/analytics": {
            "get": {
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
                "summary": "The improvement report of one school and round as PDF (a draft is marked as such)",
                "description": "For the school's own team, supervisors and advisers whose scope includes the school, and admins.",
                "responses": {
                    "200": {
                        "description": "The PDF, as an attachment",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "401": _error("Not authenticated"),
                    "403": _error("The school is not in the caller's scope"),
                    "404": _error("Unknown school or round, or nothing rated yet"),
                },
            },
        },
        "/export": {
            "get": {
                "summary": "Scores of the schools in the caller's scope as CSV (German Excel) or XLSX",
                "parameters": [
                    _ROUND_QUERY,
                    {"name": "format", "in": "query", "required": True, "schema": {"enum": ["csv", "xlsx"]}},
                    *_SELECTION_QUERY,
                ],
                "responses": {
                    "200": {
                        "description": "The file, as an attachment",
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


def _analytics_schemas() -> dict[str, Any]:
    stats = {
        "type": "object",
        "required": ["n", "mean", "median", "q1", "q3", "min", "max", "std"],
        "properties": {"n": {"type": "integer", "minimum": 0}}
        | {key: _NUMBER_OR_NULL for key in ("mean", "median", "q1", "q3", "min", "max", "std")},
    }
    return {
        "Stats": stats,
        "SchoolSummary": {
            "type": "object",
            "required": ["schulnummer", "name", "schulform", "kreis", "bezirksregierung", "ort", "status", "overall"],
            "properties": {
                "schulnummer": {"type": "string"},
                "name": {"type": "string"},
                "schulform": {"type": "string"},
                "kreis": {"type": "string"},
                "bezirksregierung": {"type": "string"},
                "ort": {"type": "string"},
                "status": {"enum": ["submitted", "draft", "not_started", None], "description": "null when no round exists"},
                "overall": _NUMBER_OR_NULL,
            },
        },
        "Analytics": {
            "type": "object",
            "required": ["round", "n_schools_in_scope", "n_submitted", "criteria", "indicators"],
            "properties": {
                "round": {"type": "string"},
                "round_name": {"type": "string"},
                "n_schools_in_scope": {"type": "integer"},
                "n_submitted": {"type": "integer"},
                "n_draft": {"type": "integer"},
                "criteria": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Stats"}},
                "overall": {"$ref": "#/components/schemas/Stats"},
                "indicators": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Stats"}},
            },
        },
    }


def openapi_document() -> dict[str, Any]:
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
        "paths": {**_paths(), **_analytics_paths()},
        "components": {"schemas": {**_schemas(), **_analytics_schemas()}, "securitySchemes": _security_schemes()},
    }


def _paths() -> dict[str, Any]:
    assessment_path = "/schools/{schulnummer}/assessments/{round}"
    return {
        "/catalog": {
            "get": {
                "summary": "The active catalogue",
                "security": [],
                "responses": {
                    "200": {
                        "description": "Catalogue",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Catalog"}}},
                    }
                },
            }
        },
        assessment_path: {
            "parameters": _PATH_PARAMETERS,
            "get": {
                "summary": "A school's assessment in a round (an empty draft if not started)",
                "responses": {"200": _state_ok("The assessment"), **_common_errors()},
            },
            "put": {
                "summary": "Change ratings (partial update, all or nothing)",
                "parameters": [_IF_MATCH],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RatingsUpdate"}}},
                },
                "responses": {
                    "200": _state_ok("Saved; the new state"),
                    "400": _error("Body is not valid JSON"),
                    "422": _error("Invalid ratings: nothing changed", _FIELD_ERRORS),
                    **_write_errors(),
                },
            },
        },
        assessment_path + "/submit": {
            "parameters": _PATH_PARAMETERS,
            "post": {
                "summary": "Submit: every indicator rated and a Schulleitung member on the team",
                "parameters": [_IF_MATCH],
                "responses": {
                    "200": _state_ok("Submitted"),
                    "422": _error(
                        "Not ready",
                        {"missing": {"type": "array", "items": {"type": "string"}}, "has_leadership": {"type": "boolean"}},
                    ),
                    **_write_errors(),
                },
            },
        },
    }


def _schemas() -> dict[str, Any]:
    rating_out = {
        "type": "object",
        "required": ["score", "comment"],
        "properties": {"score": {"type": ["integer", "null"]}, "comment": {"type": "string"}},
    }
    rating_in = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"score": {"type": ["integer", "null"]}, "comment": {"type": ["string", "null"], "maxLength": 2000}},
    }
    return {
        "Assessment": {
            "type": "object",
            "required": ["school", "round", "catalog", "status", "version", "ratings", "scores", "completeness"],
            "properties": {
                "school": {"type": "string"},
                "round": {"type": "string"},
                "catalog": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
                },
                "status": {"enum": ["draft", "submitted"]},
                "version": {"type": "integer"},
                "ratings": {"type": "object", "additionalProperties": rating_out},
                "scores": {
                    "type": "object",
                    "properties": {
                        "overall": _NUMBER_OR_NULL,
                        "criteria": {"type": "object", "additionalProperties": _NUMBER_OR_NULL},
                    },
                },
                "completeness": {"type": "number", "minimum": 0, "maximum": 1},
                "submitted_at": {"type": ["string", "null"], "format": "date-time"},
            },
        },
        "RatingsUpdate": {
            "type": "object",
            "required": ["ratings"],
            "additionalProperties": False,
            "properties": {"ratings": {"type": "object", "additionalProperties": rating_in}},
        },
        "Catalog": {
            "type": "object",
            "required": ["id", "version", "title", "scale", "criteria"],
            "properties": {
                "id": {"type": "string"},
                "version": {"type": "string"},
                "title": {"type": "string"},
                "scale": {"type": "object", "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}}},
                "criteria": {"type": "array", "items": {"type": "object"}},
            },
        },
    }


def _security_schemes() -> dict[str, Any]:
    return {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": "session"},
    }
