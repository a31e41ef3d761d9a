"""The components of the OpenAPI document (api_spec.py): request and response bodies, errors and headers.

Response objects are closed (`additionalProperties: false`): a field the API sends must be described here.
"""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog
from ..limits import CONTROL_CHARACTER_CLASS, MAX_COMMENT_LENGTH

NUMBER_OR_NULL = {"type": ["number", "null"]}
SCHULNUMMER = {"type": "string", "pattern": "^[0-9]{6}$"}
#: A round's short name as services.rounds.slugify makes it, e.g. "2025-26".
ROUND_SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
#: The control characters that services.rating_input refuses in a comment (tab and line breaks are fine).
COMMENT_PATTERN = f"^[^{CONTROL_CHARACTER_CLASS}]*$"
STRINGS = {"type": "array", "items": {"type": "string"}}


def closed(required: list[str], properties: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object with exactly these fields: the required ones always, the optional ones sometimes."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": {**properties, **(optional or {})},
    }


def error(
    status: int,
    description: str,
    extra: dict[str, Any] | None = None,
    *,
    sometimes: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The response for one error status: {"error": {"code": status, "message", …extra, …sometimes}}."""
    extra = extra or {}
    details = closed(
        ["code", "message", *extra],
        {"code": {"const": status}, "message": {"type": "string", "minLength": 1}, **extra},
        sometimes,
    )
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": closed(["error"], {"error": details})}},
    }
    if headers:
        response["headers"] = headers
    return response


FIELD_ERRORS = {
    "errors": {
        "type": "array",
        "minItems": 1,
        "items": closed(["location", "message"], {"location": {"type": "string"}, "message": {"type": "string"}}),
    }
}
WWW_AUTHENTICATE = {
    "required": True,
    "description": "The scheme to use: Bearer",
    "schema": {"type": "string", "const": 'Bearer realm="selfeval"'},
}
NO_STORE = {"required": True, "description": "Never cached", "schema": {"type": "string", "const": "no-store"}}


def attachment(*extensions: str) -> dict[str, Any]:
    """The Content-Disposition of a download with one of these file extensions."""
    return {
        "required": True,
        "description": 'attachment; filename="…", ending in ' + " or ".join(f".{extension}" for extension in extensions),
        "schema": {"type": "string", "pattern": f'^attachment; filename="[^"/\\\\]+\\.({"|".join(extensions)})"$'},
    }


def schemas(catalog: Catalog) -> dict[str, Any]:
    """Every schema of the document; the rating update names the indicators and the scale of `catalog`."""
    return {
        **_assessment_schemas(catalog),
        "Catalog": _catalog_schema(),
        **_analytics_schemas(),
    }


def _assessment_schemas(catalog: Catalog) -> dict[str, Any]:
    rating_out = closed(["score", "comment"], {"score": {"type": ["integer", "null"]}, "comment": {"type": "string"}})
    rating_in = closed(
        [],
        {
            "score": {
                "type": ["integer", "null"],
                "minimum": catalog.scale.min,
                "maximum": catalog.scale.max,
                "description": "null removes the rating",
            },
            "comment": {
                "type": ["string", "null"],
                "maxLength": MAX_COMMENT_LENGTH,
                "pattern": COMMENT_PATTERN,
                "description": "null empties the comment; no control characters other than tab and line breaks",
            },
        },
    )
    return {
        "Assessment": closed(
            [
                "school", "round", "previous_round", "catalog", "status", "version", "ratings", "scores", "completeness",
                "submitted_at",
            ],
            {
                "school": SCHULNUMMER,
                "round": ROUND_SLUG,
                "previous_round": {
                    "anyOf": [ROUND_SLUG, {"type": "null"}],
                    "description": "The round of the school year before (null for the first round)",
                },
                "catalog": closed(["id", "version"], {"id": {"type": "string"}, "version": {"type": "string"}}),
                "status": {"enum": ["draft", "submitted"]},
                "version": {"type": "integer", "minimum": 0, "description": "0 before the first save"},
                "ratings": {
                    "type": "object",
                    "description": "Every indicator of the round's catalogue, rated or not",
                    "additionalProperties": rating_out,
                },
                "scores": _scores_schema(),
                "completeness": {"type": "number", "minimum": 0, "maximum": 1},
                "submitted_at": {"type": ["string", "null"], "format": "date-time"},
            },
        ),
        "SchoolHistory": _history_schema(),
        "RatingChange": rating_in,
        "RatingsUpdate": closed(
            ["ratings"],
            {
                "ratings": {
                    "type": "object",
                    "description": "Only the indicators to change, each with `score` and/or `comment`. The indicators and "
                    "the scale are those of the active catalogue (GET /catalog); a round keeps the catalogue version it "
                    "was opened with, so an older round may answer 422 for them.",
                    "propertyNames": {"enum": [indicator.id for indicator in catalog.indicators]},
                    "additionalProperties": {"$ref": "#/components/schemas/RatingChange"},
                }
            },
        ),
    }


def _scores_schema() -> dict[str, Any]:
    return closed(
        ["overall", "criteria"],
        {"overall": NUMBER_OR_NULL, "criteria": {"type": "object", "additionalProperties": NUMBER_OR_NULL}},
    )


def _history_schema() -> dict[str, Any]:
    entry = closed(
        ["round", "status", "completeness", "scores"],
        {
            "round": ROUND_SLUG,
            "status": {"enum": ["draft", "submitted"]},
            "completeness": {"type": "number", "minimum": 0, "maximum": 1},
            "scores": {**_scores_schema(), "description": "Of a submitted assessment only; null for a draft"},
        },
    )
    return closed(
        ["schulnummer", "rounds"],
        {
            "schulnummer": SCHULNUMMER,
            "rounds": {
                "type": "array",
                "items": entry,
                "description": "Each round in which the school has an assessment, in school-year order",
            },
        },
    )


def _catalog_schema() -> dict[str, Any]:
    text = {"type": "string"}
    indicator = closed(["id", "text", "examples"], {"id": text, "text": text, "examples": STRINGS}, {"offers": STRINGS})
    criterion = closed(
        ["id", "title", "description", "indicators"],
        {"id": text, "title": text, "description": text, "indicators": {"type": "array", "items": indicator}},
        {"offers": STRINGS},
    )
    offer = closed(
        ["id", "title", "provider", "description", "source", "url"],
        {key: text for key in ("id", "title", "provider", "description", "source", "url")},
        # Present only when the offer is limited: Kreisschlüssel, Schulform codes, Schulstufen; target groups as text.
        {key: STRINGS for key in ("kreise", "schulformen", "schulstufen", "target_groups")},
    )
    source = closed(
        ["title", "publisher", "year", "url", "note"],
        {"title": text, "publisher": text, "year": {"type": ["integer", "null"]}, "url": text, "note": text},
    )
    scale = closed(
        ["min", "max", "labels"],
        {
            "min": {"type": "integer"},
            "max": {"type": "integer"},
            "labels": {"type": "object", "propertyNames": {"pattern": "^-?[0-9]+$"}, "additionalProperties": text},
        },
    )
    return closed(
        ["id", "version", "title", "description", "source", "scale", "criteria"],
        {
            "id": text,
            "version": text,
            "title": text,
            "description": text,
            "source": {"oneOf": [{"type": "null"}, source]},
            "scale": scale,
            "criteria": {"type": "array", "items": criterion},
        },
        {"offers": {"type": "array", "items": offer}, "offers_note": text, "offers_note_kreise": STRINGS},
    )


def _analytics_schemas() -> dict[str, Any]:
    stats_ref = {"$ref": "#/components/schemas/Stats"}
    count = {"type": "integer", "minimum": 0}
    return {
        "Stats": closed(
            ["n", "mean", "median", "q1", "q3", "min", "max", "std"],
            {"n": count} | {key: NUMBER_OR_NULL for key in ("mean", "median", "q1", "q3", "min", "max", "std")},
        ),
        "SchoolSummary": closed(
            ["schulnummer", "name", "schulform", "kreis", "bezirksregierung", "ort", "status", "overall"],
            {
                "schulnummer": SCHULNUMMER,
                "name": {"type": "string"},
                "schulform": {"type": "string"},
                "kreis": {"type": "string"},
                "bezirksregierung": {"type": "string"},
                "ort": {"type": "string"},
                "status": {"enum": ["submitted", "draft", "not_started", None], "description": "null when no round exists"},
                "overall": NUMBER_OR_NULL,
            },
        ),
        "Analytics": closed(
            ["round", "round_name", "n_schools_in_scope", "n_submitted", "n_draft", "criteria", "overall", "indicators"],
            {
                "round": ROUND_SLUG,
                "round_name": {"type": "string"},
                "n_schools_in_scope": count,
                "n_submitted": count,
                "n_draft": count,
                "criteria": {"type": "object", "additionalProperties": stats_ref},
                "overall": stats_ref,
                "indicators": {"type": "object", "additionalProperties": stats_ref},
            },
        ),
    }
