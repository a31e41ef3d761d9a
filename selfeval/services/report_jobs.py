"""Background jobs that put all reports of a selection into one ZIP, with progress others can poll.

A job lives in the instance folder (report-jobs/<id>/), so every worker process of the web server
sees its progress; the thread that renders it runs in the process that started it. The rules:

- An account has at most one running job; the claim is made under an exclusive file lock, so it
  holds for parallel requests in any worker process.
- A job belongs to the account that started it, named by `permissions.account_key` (id and
  creation time), so a new account that gets an erased one's id inherits nothing; erasing an
  account deletes its jobs.
- "running" is shown while the job's thread lives: it touches job.json every HEARTBEAT seconds,
  however long a single report takes. A job whose heartbeat stopped for STALL_AFTER seconds
  ended with its process and is shown as failed.
- A job and its ZIP (which holds the teams' comments) are deleted JOB_LIFETIME after the job
  finished; a running job whose heartbeat lives is never deleted, however long it runs, and one
  whose heartbeat stopped (failed) goes JOB_LIFETIME after its last heartbeat. Every access
  checks, not only a new job.
- Files are created 0600 and folders 0700: only the server's own account reads them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import Round, School, User
from ..permissions import account_key, can_view_report_job
from ..reports.batch import render_batch, report_filename
from .errors import NotFound, ServiceError
from .reports import NothingToReport, ReportSelection, batch_schools, iter_reports

JOB_LIFETIME = timedelta(hours=2)
JOB_ID = re.compile(r"[A-Za-z0-9_-]{22}")
#: Progress is written at most this often (seconds), and always at the end.
PROGRESS_INTERVAL = 0.5
#: A running job's thread shows it is alive this often (seconds), even while one report takes long.
HEARTBEAT = 10.0
#: A running job whose heartbeat has been silent this long (seconds) has died with its process.
STALL_AFTER = 120
ARCHIVE_NAME = "berichte.zip"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
log = logging.getLogger(__name__)


@dataclass
class ReportJob:
    id: str
    owner: str  # permissions.account_key of the account that started it
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

    def expired(self, now: float, last_beat: float | None) -> bool:
        """Past its lifetime: counted from its end, or for a "running" job from its heartbeat's last sign of life.

        `last_beat` is when job.json was last touched (None if it cannot be read). A job whose
        heartbeat is alive (within STALL_AFTER) never expires.
        """
        if self.state == "running":
            ended_at = last_beat if last_beat is not None else self.started_at
            if now - ended_at <= STALL_AFTER:
                return False
        else:
            ended_at = self.finished_at or self.started_at
        return now - ended_at > JOB_LIFETIME.total_seconds()


class JobAlreadyRunning(ServiceError):
    """The account's previous job is still running; `job` is that job."""

    def __init__(self, job: ReportJob):
        self.job = job
        super().__init__(
            f"Ihre Berichte der Runde {job.round_name} werden gerade erstellt. "
            "Einen weiteren Auftrag können Sie starten, sobald dieser fertig ist."
        )


class _Cancelled(Exception):
    """The job's folder was deleted (expired, or its account erased) while it ran."""


def start_job(app, user: User, round_: Round, selection: ReportSelection) -> ReportJob:
    """Start rendering the reports of the user's submitted schools in the selection.

    NothingToReport if there are none; JobAlreadyRunning if the user's previous job still runs.
    """
    remove_expired(app)
    schools = batch_schools(user, round_, selection)
    if not schools:
        raise NothingToReport(f"In dieser Auswahl hat noch keine Schule ihre Bewertung der Runde {round_.name} abgeschlossen.")
    owner = account_key(user)
    with _exclusive(app):  # check and claim in one step, for every thread and worker process
        running = next((job for job in _jobs(app) if job.owner == owner and _state(app, job) == "running"), None)
        if running is not None:
            raise JobAlreadyRunning(running)
        job = ReportJob(secrets.token_urlsafe(16), owner, round_.name, round_.slug, len(schools), started_at=time.time())
        _folder(app, job.id).mkdir(mode=FOLDER_MODE)
        _save(app, job)
    ids = [school.id for school in schools]
    threading.Thread(target=_run, args=(app, job, round_.id, ids), name=f"report-job-{job.id}", daemon=True).start()
    return job


def load_job(app, job_id: str, user: User) -> ReportJob:
    """The user's own job; NotFound for anyone else's, an expired or a made-up id."""
    remove_expired(app)
    if not JOB_ID.fullmatch(job_id):
        raise NotFound("Dieser Auftrag ist nicht bekannt.")
    job = _read(app, job_id)
    if job is None or job.expired(time.time(), _last_beat(app, job.id)):
        raise NotFound("Dieser Auftrag ist nicht bekannt oder schon gelöscht.")
    if not can_view_report_job(user, job):
        raise NotFound("Dieser Auftrag ist nicht bekannt.")
    job.state = _state(app, job)
    return job


def job_archive(app, job: ReportJob) -> Path:
    path = _folder(app, job.id) / ARCHIVE_NAME
    if job.state != "done" or job.expired(time.time(), None) or not path.is_file():
        raise NotFound("Die Berichte sind noch nicht fertig.")
    return path


def remove_expired(app) -> None:
    """Delete every job (and ZIP) past its lifetime; a folder without a readable job.json goes by its age."""
    root = _root(app)
    if not root.is_dir():
        return
    now = time.time()
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        job = _read(app, folder.name)
        try:
            stale = (
                job.expired(now, _last_beat(app, job.id)) if job else now - folder.stat().st_mtime > JOB_LIFETIME.total_seconds()
            )
        except OSError:
            continue  # removed meanwhile
        if stale:
            _delete(folder)


def remove_jobs_of(app, user: User) -> int:
    """Delete the account's jobs and ZIPs (when the account is erased); a running one stops. Returns how many."""
    owner = account_key(user)
    removed = 0
    for job in _jobs(app):
        if job.owner == owner:
            _delete(_folder(app, job.id))
            removed += 1
    return removed


def _delete(folder: Path) -> None:
    """Take the folder away in one step, then empty it: a job still running finds its path gone at once
    and cannot write into the folder while it is being emptied."""
    doomed = folder.with_name(f".deleted-{folder.name}-{secrets.token_hex(4)}")
    try:
        os.rename(folder, doomed)
    except OSError:
        return  # already gone
    shutil.rmtree(doomed, ignore_errors=True)


def _state(app, job: ReportJob) -> str:
    """What the job really is: a "running" job whose heartbeat stopped ended with its process."""
    if job.state != "running":
        return job.state
    last_beat = _last_beat(app, job.id)
    if last_beat is None:
        return "failed"
    return "failed" if time.time() - last_beat > STALL_AFTER else "running"


def _last_beat(app, job_id: str) -> float | None:
    """When the job's heartbeat (or its last progress) last touched job.json; None if it is gone."""
    try:
        return (_folder(app, job_id) / "job.json").stat().st_mtime
    except OSError:
        return None


def _run(app, job: ReportJob, round_id: int, school_ids: list[int]) -> None:
    folder = _folder(app, job.id)
    partial = folder / (ARCHIVE_NAME + ".part")
    last_saved = 0.0

    def progress(_data, succeeded: bool) -> None:
        nonlocal last_saved
        if not folder.is_dir():
            raise _Cancelled
        job.done += 1
        job.failed += 0 if succeeded else 1
        if time.monotonic() - last_saved >= PROGRESS_INTERVAL:
            _save(app, job)
            last_saved = time.monotonic()

    with app.app_context(), _heartbeat(folder / "job.json"):
        try:
            round_ = db.session.get_one(Round, round_id)  # gone meanwhile: the job fails (below)
            schools = list(db.session.scalars(select(School).where(School.id.in_(school_ids)).order_by(School.schulnummer)))
            with open(partial, "xb", opener=_private) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:

                def sink(data, pdf: bytes) -> None:
                    archive.writestr(report_filename(data, round_.slug), pdf)

                render_batch(iter_reports(round_, schools, today=None), sink, workers=1, progress=progress)
            os.replace(partial, folder / ARCHIVE_NAME)
            job.state = "done" if job.failed < job.total else "failed"
        except _Cancelled:
            log.info("report job %s stopped: its folder was deleted", job.id)
            return
        except Exception:
            if not folder.is_dir():
                return  # deleted while it ran (expired or erased): nothing to tell anyone
            log.exception("report job %s failed", job.id)
            job.state = "failed"
        finally:
            db.session.remove()
        job.finished_at = time.time()
        _save(app, job)


@contextlib.contextmanager
def _heartbeat(path: Path) -> Iterator[None]:
    """Touch the job's file every HEARTBEAT seconds while the block runs: the job is alive, however slow."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT):
            try:
                os.utime(path)
            except OSError:
                return  # the job was deleted

    thread = threading.Thread(target=beat, name=f"{threading.current_thread().name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextlib.contextmanager
def _exclusive(app) -> Iterator[None]:
    """An exclusive lock across threads and processes (flock on a file beside the job folder)."""
    root = _root(app)
    root.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    descriptor = os.open(root.with_name("report-jobs.lock"), os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _jobs(app) -> list[ReportJob]:
    root = _root(app)
    if not root.is_dir():
        return []
    folders = [folder for folder in root.iterdir() if folder.is_dir() and JOB_ID.fullmatch(folder.name)]  # not .deleted-…
    return [job for folder in folders if (job := _read(app, folder.name)) is not None]


def _read(app, job_id: str) -> ReportJob | None:
    try:
        return ReportJob(**json.loads((_folder(app, job_id) / "job.json").read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _root(app) -> Path:
    return Path(app.instance_path) / "report-jobs"


def _folder(app, job_id: str) -> Path:
    return _root(app) / job_id


def _private(path: str, flags: int) -> int:
    """An opener for open(): the file is created readable by the server's account only."""
    return os.open(path, flags, FILE_MODE)


def _save(app, job: ReportJob) -> None:
    """Write the job's state atomically, so that a poll never reads half a file."""
    path = _folder(app, job.id) / "job.json"
    temporary = path.with_name(f".job.{threading.get_ident()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", opener=_private) as file:
            json.dump(asdict(job), file)
        os.replace(temporary, path)
    except FileNotFoundError:
        log.info("report job %s was deleted while it ran", job.id)
