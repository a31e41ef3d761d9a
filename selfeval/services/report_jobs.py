"""Background jobs that put all reports of a selection into one ZIP, with progress others can poll.

A job lives in the instance folder (report-jobs/<id>/), so every worker process of the web server
sees its progress; the thread that renders it runs in the process that started it. Jobs and their
ZIPs (which hold the teams' comments) are deleted after JOB_LIFETIME.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import zipfile
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import Round, School, User
from ..permissions import can_view_report_job
from ..reports.batch import render_batch, report_filename
from .errors import NotFound
from .reports import NothingToReport, ReportSelection, batch_schools, iter_reports

JOB_LIFETIME = timedelta(hours=2)
JOB_ID = re.compile(r"[A-Za-z0-9_-]{22}")
#: Progress is written at most this often (seconds), and always at the end.
PROGRESS_INTERVAL = 0.5
#: A running job whose progress has not changed for this long (seconds) has died with its process.
STALL_AFTER = 120
ARCHIVE_NAME = "berichte.zip"
log = logging.getLogger(__name__)


@dataclass
class ReportJob:
    id: str
    user_id: int
    round_name: str
    round_slug: str
    total: int
    done: int = 0
    failed: int = 0
    state: str = "running"  # running | done | failed
    started_at: float = 0.0  # time.time()
    finished_at: float | None = None

    @property
    def download_name(self) -> str:
        return f"berichte-{self.round_slug}.zip"


def start_job(app, user: User, round_: Round, selection: ReportSelection) -> ReportJob:
    """Start rendering the reports of the user's submitted schools in the selection; NothingToReport if none."""
    remove_expired(app)
    schools = batch_schools(user, round_, selection)
    if not schools:
        raise NothingToReport(f"In dieser Auswahl hat noch keine Schule ihre Bewertung der Runde {round_.name} abgeschlossen.")
    job = ReportJob(secrets.token_urlsafe(16), user.id, round_.name, round_.slug, len(schools), started_at=time.time())
    _folder(app, job.id).mkdir(parents=True)
    _save(app, job)
    ids = [school.id for school in schools]
    threading.Thread(target=_run, args=(app, job, round_.id, ids), name=f"report-job-{job.id}", daemon=True).start()
    return job


def load_job(app, job_id: str, user: User) -> ReportJob:
    """The user's own job; NotFound for anyone else's, an expired or a made-up id."""
    if not JOB_ID.fullmatch(job_id):
        raise NotFound("Dieser Auftrag ist nicht bekannt.")
    path = _folder(app, job_id) / "job.json"
    try:
        job = ReportJob(**json.loads(path.read_text("utf-8")))
        silent_for = time.time() - path.stat().st_mtime
    except (OSError, ValueError, TypeError) as exc:
        raise NotFound("Dieser Auftrag ist nicht bekannt oder schon gelöscht.") from exc
    if not can_view_report_job(user, job):
        raise NotFound("Dieser Auftrag ist nicht bekannt.")
    if job.state == "running" and silent_for > STALL_AFTER:
        # A running job writes its progress at least every PROGRESS_INTERVAL; silence means its
        # process ended (a restart of the web server), so say so instead of waiting forever.
        job.state = "failed"
    return job


def job_archive(app, job: ReportJob) -> Path:
    path = _folder(app, job.id) / ARCHIVE_NAME
    if job.state != "done" or not path.is_file():
        raise NotFound("Die Berichte sind noch nicht fertig.")
    return path


def remove_expired(app) -> None:
    root = _root(app)
    if not root.is_dir():
        return
    limit = time.time() - JOB_LIFETIME.total_seconds()
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def _run(app, job: ReportJob, round_id: int, school_ids: list[int]) -> None:
    folder = _folder(app, job.id)
    partial = folder / (ARCHIVE_NAME + ".part")
    last_saved = 0.0

    def progress(_data, succeeded: bool) -> None:
        nonlocal last_saved
        job.done += 1
        job.failed += 0 if succeeded else 1
        if time.monotonic() - last_saved >= PROGRESS_INTERVAL:
            _save(app, job)
            last_saved = time.monotonic()

    with app.app_context():
        try:
            round_ = db.session.get(Round, round_id)
            schools = list(db.session.scalars(select(School).where(School.id.in_(school_ids)).order_by(School.schulnummer)))
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:

                def sink(data, pdf: bytes) -> None:
                    archive.writestr(report_filename(data, round_.slug), pdf)

                render_batch(iter_reports(round_, schools, today=None), sink, workers=1, progress=progress)
            os.replace(partial, folder / ARCHIVE_NAME)
            job.state = "done" if job.failed < job.total else "failed"
        except Exception:
            log.exception("report job %s failed", job.id)
            job.state = "failed"
        finally:
            db.session.remove()
            job.finished_at = time.time()
            _save(app, job)


def _root(app) -> Path:
    return Path(app.instance_path) / "report-jobs"


def _folder(app, job_id: str) -> Path:
    return _root(app) / job_id


def _save(app, job: ReportJob) -> None:
    """Write the job's state atomically, so that a poll never reads half a file."""
    path = _folder(app, job.id) / "job.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(job)), "utf-8")
    os.replace(temporary, path)
