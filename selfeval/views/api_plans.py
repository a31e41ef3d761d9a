"""API v1, the development plan (issue 18): read it, replace its goals, record and confirm agreements, download the
Word document for the Medienkonzept.

The routes join the API's blueprint (views.api), so they share its authentication, CSRF rule and error bodies.
Refusals come in the order of the assessment's routes: unknown school 404, a caller who may not 403, unknown round
404, then 404 when the school has no assessment (and so no plan) in the round.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g, jsonify, make_response
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..models import Assessment, Round, School
from ..permissions import can_edit_plan, can_record_agreement, can_view_assessment, can_view_plan
from ..planning import PlanInvalid
from ..services import plan_agreements, plans
from ..services.catalog_snapshots import catalog_of_snapshot
from ..services.errors import NotFound
from ..services.plan_documents import ReadablePlan, plan_assessment, readable_plan
from ..services.rounds import get_round
from ..services.schools import get_school
from .api import blueprint
from .api_models.plans import AgreementInput, goals_model_for
from .api_requests import ApiError, if_match_version, json_body
from .plan_files import docx_response
from .plan_json import plan_to_json

INVALID = "Die Eingaben sind ungültig; nichts wurde gespeichert."
NOT_READABLE = "Kein Zugriff auf den Plan dieser Schule."
MESSAGES = {
    "missing": "Dieses Feld fehlt.",
    "extra_forbidden": "Dieses Feld gibt es nicht.",
    "string_too_short": "Bitte ausfüllen.",
    "list_type": "Erwartet wird eine Liste.",
    "string_type": "Erwartet wird ein Text.",
    "int_type": "Die id ist eine ganze Zahl (oder fehlt bei Neuem).",
    "model_type": "Erwartet wird ein Objekt.",
    "dict_type": "Erwartet wird ein Objekt.",
    "float_type": "Der Zielwert ist eine Zahl (oder null).",
    "greater_than_equal": "Der Zielwert liegt außerhalb der Skala.",
    "less_than_equal": "Der Zielwert liegt außerhalb der Skala.",
    "too_short": "Bitte mindestens einen Indikator wählen.",
}
DATE_FIELDS = ("due", "date", "next_contact")


@blueprint.get("/schools/<schulnummer>/plans/<word:round_slug>")
def get_plan(schulnummer: str, round_slug: str):
    school, round_, assessment = _readable(schulnummer, round_slug)
    return _plan_response(readable_plan(school, round_, g.api_user, assessment))


@blueprint.get("/schools/<schulnummer>/plans/<round_slug>.docx")
def plan_docx(schulnummer: str, round_slug: str):
    school, round_, assessment = _readable(schulnummer, round_slug)
    return docx_response(school, round_, g.api_user, assessment)


@blueprint.put("/schools/<schulnummer>/plans/<word:round_slug>")
def put_plan(schulnummer: str, round_slug: str):
    body = json_body()
    school, round_, assessment = _writable(schulnummer, round_slug, can_edit_plan)
    base_version = if_match_version()
    _validated(goals_model_for(catalog_of_snapshot(assessment.catalog_snapshot_id)), body)
    try:
        state = plans.replace_goals(school, round_, g.api_user, base_version, body["goals"])
    except plans.PlanConflict as conflict:
        current = plan_to_json(ReadablePlan(conflict.current, achieved_shown=True, before_shown=True))
        raise ApiError(412, "Der Plan wurde inzwischen geändert; nichts wurde gespeichert.", current=current) from None
    except PlanInvalid as exc:
        raise _invalid(exc) from None
    return _plan_response(ReadablePlan(state, achieved_shown=True, before_shown=True))


@blueprint.post("/schools/<schulnummer>/plans/<word:round_slug>/agreements")
def record_agreement(schulnummer: str, round_slug: str):
    """The adviser in scope records a consultation; the answer is the plan with it (an agreement has no own address)."""
    body = json_body()
    school, round_, assessment = _writable(schulnummer, round_slug, can_record_agreement)
    _validated(AgreementInput, body)
    try:
        plan_agreements.record_agreement(school, round_, g.api_user, body)
    except PlanInvalid as exc:
        raise _invalid(exc) from None
    response = _plan_response(readable_plan(school, round_, g.api_user, assessment))
    response.status_code = 201
    return response


@blueprint.post("/schools/<schulnummer>/plans/<word:round_slug>/agreements/<int:agreement_id>/confirm")
def confirm_agreement(schulnummer: str, round_slug: str, agreement_id: int):
    school, round_, assessment = _writable(schulnummer, round_slug, can_edit_plan)
    try:
        plan_agreements.confirm_agreement(school, round_, g.api_user, agreement_id)
    except plan_agreements.AlreadyConfirmed as exc:
        raise ApiError(409, str(exc)) from None
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None
    return _plan_response(readable_plan(school, round_, g.api_user, assessment))


def _school_and_round(schulnummer: str, round_slug: str, allowed: Callable[[School], bool]) -> tuple[School, Round]:
    try:
        school = get_school(schulnummer)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None
    if not allowed(school):
        raise ApiError(403, NOT_READABLE)
    try:
        return school, get_round(round_slug)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None


def _readable(schulnummer: str, round_slug: str) -> tuple[School, Round, Assessment]:
    """A reader of the plan (permissions.can_view_plan: the Medienberatung in scope also reads a draft's plan)."""
    school, round_ = _school_and_round(schulnummer, round_slug, lambda school: can_view_assessment(g.api_user, school))
    assessment = plan_assessment(school, round_)
    if not can_view_plan(g.api_user, school, assessment):
        raise ApiError(403, NOT_READABLE)
    if assessment is None:
        raise ApiError(404, plans.NO_ASSESSMENT)
    return school, round_, assessment


def _writable(schulnummer: str, round_slug: str, allowed: Callable) -> tuple[School, Round, Assessment]:
    school, round_ = _school_and_round(schulnummer, round_slug, lambda school: allowed(g.api_user, school))
    assessment = plan_assessment(school, round_)
    if assessment is None:
        raise ApiError(404, plans.NO_ASSESSMENT)
    return school, round_, assessment


def _plan_response(readable: ReadablePlan):
    response = make_response(jsonify(plan_to_json(readable)))
    response.headers["ETag"] = f'"{readable.state.version}"'
    return response


def _validated(model: type[BaseModel], body) -> None:
    """The body's shape (types, lengths, the catalogue's indicators and scale); 422 naming every problem."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            location, message = _explained(error)
            errors.setdefault(location, message)
        raise ApiError(422, INVALID, errors=[{"location": k, "message": v} for k, v in errors.items()]) from None


def _explained(error: ErrorDetails) -> tuple[str, str]:
    """Pydantic's error at the place planning.validate names it ("goals[0].measures[1].due"), in German."""
    location = ""
    for part in error["loc"]:
        location += f"[{part}]" if isinstance(part, int) else f".{part}" if location else str(part)
    field, kind, context = str(error["loc"][-1]) if error["loc"] else "", error["type"], error.get("ctx", {})
    if kind == "string_pattern_mismatch":
        message = "Bitte ein Datum als JJJJ-MM-TT angeben." if field in DATE_FIELDS else "Der Text enthält Steuerzeichen."
    elif kind == "string_too_long":
        message = f"Höchstens {context.get('max_length')} Zeichen."
    elif kind == "too_long":
        message = f"Höchstens {context.get('max_length')} Einträge."
    elif kind == "literal_error" and "indicators" in error["loc"]:
        message = "Diesen Indikator gibt es im Katalog der Runde nicht."
    elif kind == "literal_error":
        message = "Der Stand ist einer von geplant, begonnen, erledigt, verworfen."
    else:
        message = MESSAGES.get(kind, "Dieser Wert ist ungültig.")
    return location or "body", message


def _invalid(exc: PlanInvalid) -> ApiError:
    return ApiError(422, INVALID, errors=[{"location": k, "message": v} for k, v in exc.problems.items()])
