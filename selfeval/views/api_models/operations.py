"""The table of API v1's operations: what /api/v1/openapi.json describes, next to the models it names.

One row per operation: method, path, parameters, the request model and the answer per status (a model, or the
content of a download), with the headers the API sends. Errors are shared rows: each status's body is the model from
errors.py, the description says when that status comes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ...catalog import Catalog
from ...reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreise
from . import errors
from .analytics import Analytics, SchoolSummary
from .assessments import Assessment, SchoolHistory
from .catalog import Catalog as CatalogModel
from .common import RoundSlug
from .openapi import Headers, Operation, Response, generate, parameter_schema
from .ratings import model_for as ratings_model

INFO = {
    "title": "selfeval API",
    "version": "1",
    "description": "Self-evaluation of digital school development: catalogue, assessments and, for supervision, "
    "analytics and exports limited to the caller's scope. "
    "Authenticate with `Authorization: Bearer <token>` (from `selfeval users token EMAIL`), or use the "
    "browser session and send the page's CSRF token in `X-CSRFToken` for writes.",
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
}

# --- headers and parameters ------------------------------------------------------------------------------------------

NO_STORE = {"Cache-Control": {"required": True, "description": "Never cached", "schema": {"type": "string", "const": "no-store"}}}
ETAG = {"ETag": {"required": True, "description": 'The version, e.g. "4"', "schema": {"type": "string", "pattern": '^"[0-9]+"$'}}}
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "required": True,
        "description": "The scheme to use: Bearer",
        "schema": {"type": "string", "const": 'Bearer realm="selfeval"'},
    }
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": 'The version the change is based on, as the ETag of a GET sends it: "3" (W/"3" is accepted too). '
    "Without it, or with *, the answer is 428; a stale version or any other value gets 412.",
    "schema": {"type": "string", "pattern": '^(W/)?"[0-9]{1,9}"$'},
    "example": '"3"',
}
ROUND_QUERY = {"name": "round", "in": "query", "required": True, "schema": parameter_schema(RoundSlug), "example": "2025-26"}
SELECTION_QUERY = tuple(
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
) + (
    {
        "name": "traeger",
        "in": "query",
        "description": "Trägernummer of a Schulträger; repeatable, always within the caller's scope; an empty value means all",
        "schema": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{0,10}$"}},
    },
)


def attachment(*extensions: str) -> dict[str, Any]:
    """The Content-Disposition of a download with one of these file extensions."""
    return {
        "Content-Disposition": {
            "required": True,
            "description": 'attachment; filename="…", ending in ' + " or ".join(f".{extension}" for extension in extensions),
            "schema": {"type": "string", "pattern": f'^attachment; filename="[^"/\\\\]+\\.({"|".join(extensions)})"$'},
        }
    }


#: Where the version of an answer goes next: the ETag becomes the If-Match of the following write.
NEXT_WRITES = {
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

# --- answers shared by several operations ----------------------------------------------------------------------------


def refusal(status: int, description: str, model: type[BaseModel] | None = None, headers: Headers | None = None) -> Response:
    """An error answer: the body of errors.error_model(status) unless `model` names a richer one."""
    return Response(description, model or errors.error_model(status), headers=headers or {})


NUL = "NUL character in the address or the query"
#: Refused for every path before any view: a NUL character (request_guard.py; PostgreSQL holds none), a body over 1 MB.
ANY_REQUEST = {400: refusal(400, f"A {NUL}"), 413: refusal(413, "A body larger than 1 MB")}
UNAUTHENTICATED = {401: refusal(401, "No valid token and no session", headers=WWW_AUTHENTICATE)}
READ_ERRORS = {
    **ANY_REQUEST,
    **UNAUTHENTICATED,
    403: refusal(403, "Not this caller's school"),
    404: refusal(404, "Unknown school or round"),
}
SCOPE_ERRORS = {
    **ANY_REQUEST,
    **UNAUTHENTICATED,
    403: refusal(403, "Analytics are for supervisors, advisers and admins"),
    404: refusal(404, "Unknown round"),
    422: refusal(422, "Invalid query: `round` missing, or an unknown format or filter value", errors.invalid_input()),
}


def write_errors(*, reads_body: bool) -> dict[int, Response]:
    causes = f"The body is not JSON (or names a key twice), or a {NUL}" if reads_body else f"A {NUL}"
    return {
        **READ_ERRORS,
        400: refusal(400, f"{causes}; for session calls also: the CSRF token is missing"),
        403: refusal(403, "Only the school's own team writes"),
        409: refusal(409, "Submitted, or the round is closed"),
        412: refusal(
            412,
            "If-Match is not the current version: nothing changed. For a stale version, `changed` names the indicators "
            "changed since and `current` is the current state; a malformed If-Match gets neither.",
            errors.stale_version(),
        ),
        428: refusal(428, "If-Match missing (or *)"),
    }


def state(description: str, *, writable: bool = True) -> Response:
    """An answer with the assessment and its version as ETag; `writable`: links to the writes that may follow."""
    return Response(description, Assessment, headers=ETAG | NO_STORE, links=NEXT_WRITES if writable else {})


# --- the table -------------------------------------------------------------------------------------------------------

ASSESSMENT = "/schools/{schulnummer}/assessments/{round}"
OPERATIONS = [
    Operation(
        "get", "/catalog", "getCatalog", "The active catalogue",
        {200: Response("Catalogue", CatalogModel), **ANY_REQUEST},
        public=True,
    ),
    Operation(
        "get", ASSESSMENT, "getAssessment", "A school's assessment in a round (an empty draft if not started)",
        {200: state("The assessment"), **READ_ERRORS},
    ),
    Operation(
        "put", ASSESSMENT, "putRatings", "Change ratings (partial update, all or nothing)",
        {
            200: state("Saved (or nothing to change); the new state"),
            **write_errors(reads_body=True),
            422: refusal(422, "Invalid ratings: nothing changed; `errors` names every problem", errors.invalid_input()),
        },
        parameters=(IF_MATCH,),
        body=ratings_model,
    ),
    Operation(
        "get", "/schools/{schulnummer}/history", "getSchoolHistory",
        "A school's rounds in school-year order: status, completeness and, once submitted, the scores",
        {200: Response("The history", SchoolHistory, headers=NO_STORE), **READ_ERRORS, 404: refusal(404, "Unknown school")},
        description="Same access as the assessment: the school's own team, supervisors and advisers whose scope "
        "includes the school, and admins. Rounds without an assessment are left out.",
    ),
    Operation(
        "post", ASSESSMENT + "/submit", "submitAssessment",
        "Submit: every indicator rated and a Schulleitung member on the team",
        {
            200: state("Submitted", writable=False),
            **write_errors(reads_body=False),
            422: refusal(
                422,
                "Not ready: `missing` lists the unrated indicators, `has_leadership` whether the team has an active "
                "Schulleitung member who has set a password (an invitation not yet accepted does not count)",
                errors.not_ready(),
            ),
        },
        parameters=(IF_MATCH,),
    ),
    Operation(
        "get", "/schools", "listSchools",
        "The schools in the caller's scope with status and overall score (submitted only)",
        {
            200: Response("Schools, by Schulnummer", SchoolSummary, many=True),
            **ANY_REQUEST,
            **UNAUTHENTICATED,
            404: refusal(404, "Unknown round"),
        },
        description="Before any round exists (and without `round`), the schools alone: `status` and `overall` are null.",
        parameters=(
            ROUND_QUERY
            | {
                "required": False,
                "schema": {"anyOf": [parameter_schema(RoundSlug), {"const": ""}]},
                "description": "Default (also when empty): the current round",
            },
        ),
    ),
    Operation(
        "get", "/analytics", "getAnalytics", "Statistics of the submitted assessments in the caller's scope",
        {200: Response("Statistics per criterion and per indicator", Analytics), **SCOPE_ERRORS},
        parameters=(ROUND_QUERY, *SELECTION_QUERY),
    ),
    Operation(
        "get", "/schools/{schulnummer}/reports/{round}.pdf", "getReportPdf",
        "The improvement report of one school and round as PDF (a draft is marked as such)",
        {
            200: Response(
                "The PDF, as an attachment",
                content={"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                headers=attachment("pdf") | NO_STORE,
            ),
            **ANY_REQUEST,
            **UNAUTHENTICATED,
            403: refusal(403, "The school is not in the caller's scope"),
            404: refusal(404, "Unknown school or round, or nothing rated yet"),
        },
        description="For the school's own team, supervisors and advisers whose scope includes the school, and admins.",
    ),
    Operation(
        "get", "/export", "exportScores",
        "Scores of the schools in the caller's scope as CSV (German Excel) or XLSX, or the monitoring table (long format, "
        "every school year up to the round; see the README)",
        {
            200: Response(
                "The file, as an attachment",
                content={
                    "text/csv": {"schema": {"type": "string"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
                headers=attachment("csv", "xlsx") | NO_STORE,
            ),
            **SCOPE_ERRORS,
        },
        parameters=(
            ROUND_QUERY,
            {"name": "format", "in": "query", "required": True, "schema": {"enum": ["csv", "xlsx", "monitoring"]}},
            *SELECTION_QUERY,
        ),
    ),
]  # fmt: skip


def openapi_document(catalog: Catalog) -> dict[str, Any]:
    """The document of API v1 for the active catalogue `catalog` (its indicators and scale describe a valid rating)."""
    return generate(INFO, OPERATIONS, SECURITY_SCHEMES, catalog)
