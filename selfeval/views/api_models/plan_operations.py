"""The plan's rows of the operations table (issue 18): read and replace the goals, record and confirm agreements,
the document for the school's Medienkonzept. Same pattern as operations.py, whose shared rows they use."""

from __future__ import annotations

from . import errors
from .openapi import Operation, Response
from .operations import ANY_REQUEST, ETAG, IF_MATCH, NO_STORE, READ_ERRORS, UNAUTHENTICATED, attachment, refusal, write_errors
from .plans import AgreementInput, Plan, goals_model_for

PLAN = "/schools/{schulnummer}/plans/{round}"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOT_FOUND = refusal(404, "Unknown school or round, or the school has no assessment in the round")
READERS = (
    "The school's own team and the Medienberatung whose scope includes the school (also while the assessment is a "
    "draft, then without its scores); supervision, the Schulträger and admins once the assessment is submitted and the "
    "team released its texts."
)
NEXT_PLAN_WRITE = {
    "ReplaceGoals": {
        "operationId": "putPlan",
        "description": "Replace the goals on top of this version",
        "parameters": {
            "path.schulnummer": "$request.path.schulnummer",
            "path.round": "$request.path.round",
            "header.If-Match": "$response.header.ETag",
        },
    }
}


def plan(description: str, *, links: bool = True) -> Response:
    """An answer with the plan (as the caller may read it) and its version as ETag."""
    return Response(description, Plan, headers=ETAG | NO_STORE, links=NEXT_PLAN_WRITE if links else {})


def _write_refusals(forbidden: str, *, versioned: bool = True) -> dict[int, Response]:
    """A write's refusals; nothing is locked (the plan is written in a closed round too), so never 409."""
    refusals = {**write_errors(reads_body=True), 403: refusal(403, forbidden), 404: NOT_FOUND}
    for status in (409,) if versioned else (409, 412, 428):
        refusals.pop(status)
    return refusals


PLAN_OPERATIONS = [
    Operation(
        "get", PLAN, "getPlan", "A school's development plan in a round: goals, measures, agreements, last year's goals",
        {200: plan("The plan (version 0 and no goals before the first save)"), **READ_ERRORS,
         403: refusal(403, "The caller may not read this school's plan"), 404: NOT_FOUND},
        description=READERS + " A reader who may not see the round's scores gets last year's goals without "
        "`achieved` and `reached` (`previous.scores_withheld`).",
    ),
    Operation(
        "put", PLAN, "putPlan", "Replace the plan's goals (all or nothing)",
        {
            200: plan("Saved; the plan with its new version"),
            **_write_refusals("Only the school's own team writes its plan"),
            412: refusal(
                412,
                "If-Match is not the plan's current version: nothing changed; `current` is the current plan (a "
                "malformed If-Match gets none)",
                errors.stale_plan(),
            ),
            422: refusal(
                422,
                "Invalid goals: nothing changed; `errors` names every problem, e.g. at goals[0].measures[1].due (also an "
                "offer that does not fit the school, an id not of this plan, an indicator in two goals)",
                errors.invalid_input(),
            ),
        },
        description="The team, while the assessment is a draft and after it was submitted, also in a closed round. "
        "Goals and measures sent with their id keep it; new ones get one.",
        parameters=(IF_MATCH,),
        body=goals_model_for,
    ),
    Operation(
        "get", PLAN + ".docx", "getPlanDocx",
        "The plan for the school's Medienkonzept as a Word document (DOCX): scores, radar chart, goals, agreements",
        {
            200: Response(
                "The DOCX, as an attachment",
                content={DOCX: {"schema": {"type": "string", "format": "binary"}}},
                headers=attachment("docx") | NO_STORE,
            ),
            **ANY_REQUEST,
            **UNAUTHENTICATED,
            403: refusal(403, "The caller may not read this school's plan"),
            404: NOT_FOUND,
        },
        description=READERS + " Scores and the chart only for a reader who may see them.",
    ),
    Operation(
        "post", PLAN + "/agreements", "recordAgreement", "Record an agreement with the Medienberatung",
        {
            201: plan("Recorded; the plan with the new agreement (its id is what the team confirms)", links=False),
            **_write_refusals("Only a Medienberater:in whose scope includes the school records agreements", versioned=False),
            422: refusal(422, "Invalid agreement: nothing recorded; `errors` names every problem", errors.invalid_input()),
        },
        description="The answer is the plan rather than the agreement alone: an agreement has no address of its own; "
        "it is listed in the plan.",
        body=lambda _catalog: AgreementInput,
    ),
    Operation(
        "post", PLAN + "/agreements/{agreement_id}/confirm", "confirmAgreement", "The team confirms an agreement",
        {
            200: plan("Confirmed; the plan", links=False),
            **ANY_REQUEST,
            **UNAUTHENTICATED,
            400: write_errors(reads_body=False)[400],
            403: refusal(403, "Only the school's own team confirms"),
            404: refusal(404, "Unknown school, round or agreement, or the school has no assessment in the round"),
            409: refusal(409, "Already confirmed"),
        },
    ),
]  # fmt: skip
