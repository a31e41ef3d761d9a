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


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "selfeval API",
            "version": "1",
            "description": "Self-evaluation of digital school development: catalogue and assessments. "
            "Authenticate with `Authorization: Bearer <token>` (from `selfeval users token EMAIL`), or use the "
            "browser session and send the page's CSRF token in `X-CSRFToken` for writes.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": _paths(),
        "components": {"schemas": _schemas(), "securitySchemes": _security_schemes()},
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
