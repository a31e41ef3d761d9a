"""Advisers and supervisors: all reports of a selection as one ZIP, made in the background with progress."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..jobs import report_jobs
from ..services.errors import InvalidInput, NotFound
from ..services.reports import NothingToReport, parse_report_selection
from ..services.rounds import get_round
from .downloads import stored_file_response
from .guards import analytics_audience

blueprint = Blueprint("report_jobs", __name__, url_prefix="/auswertung/berichte")
blueprint.before_request(analytics_audience)  # the overview's audience: supervisors, advisers and admins


@blueprint.post("/")
def start():
    """Start a job for the round and filters of the overview; its page shows the progress."""
    form = request.form
    back = url_for("supervision.overview", **{k: form.getlist(k) for k in ("runde", "schulform", "kreis", "bezirk", "traeger")})
    try:
        round_ = get_round(form.get("runde", ""))
        selection = parse_report_selection(
            form.getlist("kreis"), form.getlist("schulform"), form.getlist("bezirk"), form.getlist("traeger")
        )
        job = report_jobs.start_job(current_user, round_, selection)
    except report_jobs.JobAlreadyRunning as exc:  # one at a time: show the one that runs
        flash(str(exc), "info")
        return redirect(url_for("report_jobs.show", job_id=exc.job.id), code=303)
    except InvalidInput as exc:
        flash(f"Die Auswahl ist ungültig ({'; '.join(exc.problems.values())}). Es wurden keine Berichte erstellt.", "error")
        return redirect(back)
    except NotFound as exc:  # an unknown round, or nothing submitted in the selection
        flash(str(exc) if isinstance(exc, NothingToReport) else "Diese Erhebungsrunde gibt es nicht.", "error")
        return redirect(back)
    return redirect(url_for("report_jobs.show", job_id=job.id), code=303)


@blueprint.get("/<job_id>")
def show(job_id: str):
    job = _job_or_404(job_id)
    return render_template("supervision/report_job.html", job=job, state=_page_state(job))


@blueprint.get("/<job_id>/stand")
def status(job_id: str):
    """The progress as JSON, polled by the job page's script."""
    job = _job_or_404(job_id)
    download = url_for("report_jobs.download", job_id=job.id) if job.state == "done" else None
    response = jsonify(
        {"state": _page_state(job), "done": job.done, "total": job.total, "failed": job.failed, "download_url": download}
    )
    return response


@blueprint.get("/<job_id>/berichte.zip")
def download(job_id: str):
    job = _job_or_404(job_id)
    try:
        key = report_jobs.job_archive(job)
    except NotFound:
        abort(404)
    response = stored_file_response(report_jobs.storage(), key, "application/zip")
    response.headers.set("Content-Disposition", "attachment", filename=job.download_name)
    return response


def _page_state(job: report_jobs.ReportJob) -> str:
    """The page knows running, done and failed: a job waiting for a worker is, to its reader, being made."""
    return "running" if job.state == "queued" else job.state


def _job_or_404(job_id: str) -> report_jobs.ReportJob:
    try:
        return report_jobs.load_job(job_id, current_user)
    except NotFound:
        abort(404)
