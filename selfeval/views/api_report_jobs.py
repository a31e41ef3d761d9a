"""API v1, report batches: start a job, poll it, download its ZIP (the same jobs as the overview's pages).

The routes join the API's blueprint (views.api), so they share its authentication, CSRF rule and error bodies.
"""

from __future__ import annotations

from flask import g, jsonify, url_for
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..jobs import report_jobs
from ..permissions import can_use_analytics
from ..services.errors import InvalidInput, NotFound
from ..services.reports import NothingToReport, parse_report_selection
from ..services.rounds import get_round
from .api import blueprint
from .api_models.report_jobs import ReportJobRequest, ReportJobStatus
from .api_requests import ApiError, json_body
from .downloads import stored_file_response

INVALID = "Die Angaben sind ungültig; es wurde kein Auftrag gestartet."
PYDANTIC_MESSAGES = {
    "extra_forbidden": "Dieses Feld gibt es nicht.",
    "missing": "Dieses Feld fehlt.",
    "literal_error": "Diesen Wert gibt es nicht.",
    "string_pattern_mismatch": "Das Format ist ungültig.",
    "list_type": "Erwartet wird eine Liste.",
    "string_type": "Erwartet wird ein Text.",
    "too_long": "Zu viele Werte.",
}


@blueprint.post("/report-jobs")
def start_report_job():
    _require_role()
    request_ = _job_request(json_body())
    try:
        round_ = get_round(request_.round)
        selection = parse_report_selection(request_.kreis, request_.schulform, traeger_values=request_.traeger)
        job = report_jobs.start_job(g.api_user, round_, selection)
    except report_jobs.JobAlreadyRunning as exc:
        raise ApiError(409, str(exc)) from None
    except NothingToReport as exc:
        raise ApiError(404, str(exc)) from None
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None
    except InvalidInput as exc:
        raise ApiError(422, INVALID, errors=[{"location": k, "message": v} for k, v in exc.problems.items()]) from None
    response = jsonify(_status(job))
    response.status_code = 202
    response.headers["Location"] = url_for("api.get_report_job", job_id=job.id)
    return response


@blueprint.get("/report-jobs/<job_id>")
def get_report_job(job_id: str):
    return jsonify(_status(_own_job(job_id)))


@blueprint.get("/report-jobs/<job_id>/download")
def download_report_job(job_id: str):
    job = _own_job(job_id)
    try:
        key = report_jobs.job_archive(job)
    except NotFound:
        raise ApiError(409, "Die Berichte sind nicht fertig (oder konnten nicht erstellt werden).") from None
    response = stored_file_response(report_jobs.storage(), key, "application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{job.download_name}"'
    return response


def _require_role() -> None:
    if not can_use_analytics(g.api_user):
        raise ApiError(403, "Berichtsaufträge stehen der Schulaufsicht, den Medienberatungen und der Verwaltung offen.")


def _own_job(job_id: str) -> report_jobs.ReportJob:
    _require_role()
    try:
        return report_jobs.load_job(job_id, g.api_user)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None


def _job_request(body) -> ReportJobRequest:
    try:
        return ReportJobRequest.model_validate(body)
    except ValidationError as exc:
        raise ApiError(422, INVALID, errors=[_field_error(error) for error in exc.errors()]) from None


def _field_error(error: ErrorDetails) -> dict[str, str]:
    location = ".".join(str(part) for part in error["loc"]) or "body"
    return {"location": location, "message": PYDANTIC_MESSAGES.get(error["type"], "Dieser Wert ist ungültig.")}


def _status(job: report_jobs.ReportJob) -> dict:
    status = ReportJobStatus(id=job.id, status=job.state, done=job.done, total=job.total, errors=job.errors)  # type: ignore[arg-type]
    return status.model_dump(mode="json")
