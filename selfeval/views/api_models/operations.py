"""The table of API v1's operations: what /api/v1/openapi.json describes, next to the models it names.

One row per operation: method, path, parameters, the request model and the answer per status (a model, or the
content of a download), with the headers the API sends. Errors are shared rows: each status's body is the model from
errors.py, the description says when that status comes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ...reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreise
from . import errors
from .analytics import Analytics, SchoolSummary
from .assessments import Assessment, SchoolHistory
from .catalog import Catalog as CatalogModel
from .common import RoundSlug
from .consensus import PhaseChange, Sheet, Spread
from .openapi import Headers, Operation, Response, parameter_schema
from .ratings import model_for as ratings_model
from .report_jobs import ReportJobRequest, ReportJobStatus

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
PAGED = {
    "X-Total-Count": {"required": True, "description": "How many schools there are on all pages", "schema": {"type": "integer"}},
    "Link": {
        "required": True,
        "description": 'RFC 8288: first, previous, next and last page, e.g. </api/v1/schools?page=2&per_page=500>; rel="next"',
        "schema": {"type": "string"},
    },
}
PAGE_QUERY = {
    "name": "page", "in": "query", "required": False, "description": "The page, from 1 (default 1)",
    "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1},
}  # fmt: skip
PER_PAGE_QUERY = {
    "name": "per_page", "in": "query", "required": False, "description": "Schools per page (default 500)",
    "schema": {"type": "integer", "minimum": 1, "maximum": 2000, "default": 500},
}  # fmt: skip
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


TEAM_ONLY = "Not a member of the school's own team (only the team has individual sheets and a spread)"


def sheet(description: str) -> Response:
    """An answer with the caller's own sheet and the sheet's own version as ETag."""
    return Response(description, Sheet, headers=ETAG | NO_STORE)


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
        "put", ASSESSMENT + "/phase", "putPhase",
        "How the team rates: each member alone (individual), then together on the spread (consensus)",
        {
            200: state("Changed; the assessment with its new phase and version"),
            **write_errors(reads_body=True),
            403: refusal(403, "Not the school's team, or not a Schulleitung member of it"),
            409: refusal(409, "Submitted, the round is closed, or not a change the team can make now"),
            422: refusal(422, "Invalid body: nothing changed", errors.invalid_input()),
        },
        description="A Schulleitung member of the team. From shared to individual, from individual to consensus "
        "(the last member finishing does that too), from consensus back to individual. Options left out stay as they are.",
        parameters=(IF_MATCH,),
        body=lambda catalog: PhaseChange,
    ),
    Operation(
        "get", ASSESSMENT + "/mine", "getMySheet", "The caller's own sheet of the individual phase",
        {200: sheet("The sheet (empty before its first save)"), **READ_ERRORS, 403: refusal(403, TEAM_ONLY)},
        description="Nobody but its member sees a sheet: not the team, not supervision, advisers or admins.",
    ),
    Operation(
        "put", ASSESSMENT + "/mine", "putMySheet", "Change the caller's own sheet (partial update, all or nothing)",
        {
            200: sheet("Saved (or nothing to change); the sheet"),
            **write_errors(reads_body=True),
            403: refusal(403, TEAM_ONLY),
            409: refusal(409, "Not in the individual phase, submitted, or the round is closed"),
            412: refusal(412, "If-Match is not the sheet's current version (the caller's other tab saved): nothing changed"),
            422: refusal(422, "Invalid ratings: nothing changed; `errors` names every problem", errors.invalid_input()),
        },
        description="Same body as PUT on the assessment. Each member's sheet has its own version: members never conflict.",
        parameters=(IF_MATCH,),
        body=ratings_model,
    ),
    Operation(
        "get", ASSESSMENT + "/spread", "getSpread", "The team's spread per indicator, without names",
        {
            200: Response("The spread", Spread, headers=NO_STORE),
            **READ_ERRORS,
            403: refusal(403, TEAM_ONLY),
            409: refusal(409, "The individual phase is still on, or the team rates in one shared form"),
        },
        description="For the team's own members once the consensus phase has begun. disagreement: max - min >= 4.",
    ),
    Operation(
        "get", "/schools", "listSchools",
        "The schools in the caller's scope with status and overall score (submitted only)",
        {
            200: Response(
                "One page of the schools, by Schulnummer (`page`, `per_page`); `X-Total-Count` counts the schools on all "
                "pages, `Link` names the first, previous, next and last page; a page beyond the last is empty",
                SchoolSummary,
                many=True,
                headers=PAGED,
            ),
            **ANY_REQUEST,
            **UNAUTHENTICATED,
            404: refusal(404, "Unknown round"),
            422: refusal(422, "Invalid query: `page` or `per_page` is no whole number in its range", errors.invalid_input()),
        },
        description="Before any round exists (and without `round`), the schools alone: `status` and `overall` are null.",
        parameters=(
            PAGE_QUERY,
            PER_PAGE_QUERY,
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


REPORT_JOB = "/report-jobs/{job_id}"
LOCATION = {"Location": {"required": True, "description": "The job's address", "schema": {"type": "string"}}}
JOB_ERRORS = {
    **ANY_REQUEST,
    **UNAUTHENTICATED,
    403: refusal(403, "Report batches are for supervisors, advisers and admins"),
    404: refusal(404, "Unknown job, someone else's, or deleted (two hours after it finished)"),
}
REPORT_JOB_OPERATIONS = [
    Operation(
        "post", "/report-jobs", "startReportJob",
        "Start a batch: the reports of the submitted schools of the selection (within the caller's scope) as one ZIP",
        {
            202: Response(
                "Started; poll the job at Location",
                ReportJobStatus,
                headers=NO_STORE | LOCATION,
            ),
            **JOB_ERRORS,
            400: write_errors(reads_body=True)[400],
            404: refusal(404, "Unknown round, or no school of the selection has submitted in it"),
            409: refusal(409, "The caller's previous batch is still running: one at a time"),
            422: refusal(422, "Invalid body: `errors` names every problem", errors.invalid_input()),
        },
        description="The job belongs to the caller alone. Its reports are made in the background (by the workers when a "
        "broker is configured); the ZIP is kept for two hours after the job finished.",
        body=lambda _catalog: ReportJobRequest,
    ),
    Operation(
        "get", REPORT_JOB, "getReportJob", "A batch's progress and outcome",
        {200: Response("The job", ReportJobStatus, headers=NO_STORE), **JOB_ERRORS},
    ),
    Operation(
        "get", REPORT_JOB + "/download", "downloadReportJob", "A finished batch's ZIP of PDFs",
        {
            200: Response(
                "The ZIP, as an attachment",
                content={"application/zip": {"schema": {"type": "string", "format": "binary"}}},
                headers=attachment("zip") | NO_STORE,
            ),
            **JOB_ERRORS,
            409: refusal(409, "The job has not finished, or it failed: there is no ZIP"),
        },
    ),
]  # fmt: skip
OPERATIONS += REPORT_JOB_OPERATIONS

