"""All reports of a selection as one ZIP, made in the background, with progress every app server can show.

The rules (the tables keep the state, see state.py; parts.py does the work; runner.py hands it to a thread of
this process or, with a broker, to Celery workers on any machine):

- An account has at most one queued or running job; the claim is made under the jobs table's write lock, so it
  holds for parallel requests on any app server.
- A job belongs to the account that started it, named by `permissions.account_key` (id and creation time), so a
  new account that gets an erased one's id inherits nothing; erasing an account deletes its jobs and files.
- A job is cut into parts of PART_SIZE schools (SELFEVAL_REPORT_PART_SIZE); each part beats every HEARTBEAT
  seconds while a worker renders it, however long a single report takes.
- "running" is shown while the job's work lives. A job whose every sign of life (its own, its parts') has been
  silent for longer than it may be ended with its process and is shown as failed: STALL_AFTER seconds for the
  embedded runner; with a broker, a lost worker's part comes back after the broker's visibility timeout, so that
  is added.
- A job and its ZIP (which holds the teams' comments) are deleted JOB_LIFETIME after the job finished; a job whose
  work lives is never deleted, however long it runs, and one that stalled goes JOB_LIFETIME after its last sign
  of life. Every access checks, not only a new job.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from ..extensions import db
from ..models import ReportJobPart, ReportJobRow, Round, User
from ..permissions import account_key, can_view_report_job
from ..services.errors import NotFound, ServiceError
from ..services.reports import NothingToReport, ReportSelection, batch_schools
from ..storage import Storage
from ..unit_of_work import commit_now
from . import parts, state
from .runner import runner

JOB_LIFETIME = timedelta(hours=2)
#: A part being rendered shows it is alive this often (seconds), even while one report takes long.
HEARTBEAT = 10.0
#: A job whose signs of life have been silent this long (seconds, plus a broker's visibility timeout) has died.
STALL_AFTER = 120
ARCHIVE_NAME = parts.ARCHIVE_NAME
THREAD_PREFIX = "report-job-"
log = logging.getLogger(__name__)


@dataclass
class ReportJob:
    """A job as the pages and the API show it."""

    id: str
    owner: str  # permissions.account_key of the account that started it
    round_name: str
    round_slug: str
    total: int
    done: int = 0
    failed: int = 0
    state: str = "queued"  # queued | running | done | failed
    started_at: float = 0.0  # time.time()
    finished_at: float | None = None
    errors: list[str] = field(default_factory=list)
    archive_key: str | None = None
    last_beat: float | None = None  # the last sign of life of the job or any of its parts

    @property
    def download_name(self) -> str:
        return f"berichte-{self.round_slug}.zip"

    def expired(self, now: float, last_beat: float | None) -> bool:
        """Past its lifetime: counted from its end, or for an unfinished job from its last sign of life.

        `last_beat` is when the job last showed life (None if that is unknown). A job whose work is alive (within
        the stall limit) never expires.
        """
        if self.state in ("queued", "running"):
            ended_at = last_beat if last_beat is not None else self.started_at
            if now - ended_at <= stall_limit():
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


def storage() -> Storage:
    """Where the jobs' files are (SELFEVAL_STORAGE)."""
    return parts.storage()


def stall_limit() -> float:
    """Seconds of silence after which an unfinished job has died (see the module's rules)."""
    if current_app.config.get("SELFEVAL_BROKER_URL"):
        return STALL_AFTER + current_app.config["SELFEVAL_BROKER_VISIBILITY_TIMEOUT"]
    return STALL_AFTER


def start_job(user: User, round_: Round, selection: ReportSelection) -> ReportJob:
    """Start rendering the reports of the user's submitted schools in the selection; the work starts at the commit.

    NothingToReport if there are none; JobAlreadyRunning if the user's previous job still runs.
    """
    state.claiming()  # first: on SQLite the write lock must come before this transaction reads anything
    remove_expired()
    schools = batch_schools(user, round_, selection)
    if not schools:
        raise NothingToReport(f"In dieser Auswahl hat noch keine Schule ihre Bewertung der Runde {round_.name} abgeschlossen.")
    owner = account_key(user)
    running = next((job for job in _shown(state.jobs_of(owner)) if job.state in ("queued", "running")), None)
    if running is not None:
        raise JobAlreadyRunning(running)
    size = current_app.config["SELFEVAL_REPORT_PART_SIZE"]
    ids = [school.id for school in schools]
    row = ReportJobRow(
        id=state.new_job_id(), owner=owner, reader_id=user.id,
        round_id=round_.id, round_name=round_.name, round_slug=round_.slug,
        state="queued", total=len(ids), errors=[],
        parts=[_part(position, ids[start : start + size]) for position, start in enumerate(range(0, len(ids), size))],
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    job_id, positions = row.id, list(range(len(row.parts)))
    work = runner(current_app._get_current_object())  # type: ignore[attr-defined]
    state.after_commit(lambda: work.dispatch(job_id, positions, HEARTBEAT))
    return _shown([row])[0]


def _part(position: int, school_ids: list[int]) -> ReportJobPart:
    return ReportJobPart(position=position, school_ids=school_ids, state="queued", done=0, failed=0, attempts=0, errors=[])


def load_job(job_id: str, user: User) -> ReportJob:
    """The user's own job; NotFound for anyone else's, an expired or a made-up id."""
    if remove_expired():
        commit_now()  # the expired jobs go even though this request may end in a refusal (which discards its writes)
    row = state.get_job(job_id)
    if row is None:
        raise NotFound("Dieser Auftrag ist nicht bekannt oder schon gelöscht.")
    job = _shown([row])[0]
    if not can_view_report_job(user, job):
        raise NotFound("Dieser Auftrag ist nicht bekannt.")
    return job


def job_archive(job: ReportJob) -> str:
    """The finished job's ZIP, as a key in storage; NotFound while it is being made, or once it is gone."""
    key = job.archive_key
    if job.state != "done" or key is None or job.expired(time.time(), None) or not parts.storage().exists(key):
        raise NotFound("Die Berichte sind noch nicht fertig.")
    return key


def remove_expired() -> bool:
    """Delete every job past its lifetime, with its files wherever they are; whether there was one."""
    now = time.time()
    expired = [job.id for job in _shown(state.all_jobs()) if job.expired(now, job.last_beat)]
    _delete(expired)
    return bool(expired)


def remove_jobs_of(user: User) -> int:
    """Delete the account's jobs and ZIPs (when the account is erased); a running one stops. Returns how many."""
    mine = [row.id for row in state.jobs_of(account_key(user))]
    _delete(mine)
    return len(mine)


def _delete(job_ids: list[str]) -> None:
    """Delete the jobs' rows; their files go once that is committed (a rolled-back deletion keeps both)."""
    if not job_ids:
        return
    state.delete_jobs(job_ids)
    store = parts.storage()

    def remove_files() -> None:
        for job_id in job_ids:
            try:
                store.delete_tree(job_id)
            except Exception:  # noqa: BLE001 - the row is gone; a file left behind is logged, not the caller's error
                log.exception("could not remove the files of report job %s", job_id)

    state.after_commit(remove_files)


def _shown(rows: list[ReportJobRow]) -> list[ReportJob]:
    """The jobs as they really are: progress summed over their parts, a silent unfinished job shown as failed."""
    ids = [row.id for row in rows]
    beats, counts, now = state.last_beats(ids), state.progress(ids), time.time()
    shown = []
    for row in rows:
        made, failed = counts.get(row.id, (0, 0))
        job = ReportJob(
            row.id, row.owner, row.round_name, row.round_slug, row.total, made + failed, failed, row.state,
            started_at=row.created_at.timestamp(), finished_at=_seconds(row.finished_at),
            errors=list(row.errors or []), archive_key=row.archive_key, last_beat=_seconds(beats.get(row.id)),
        )  # fmt: skip
        last_beat = job.last_beat
        if job.state in ("queued", "running") and (last_beat is None or now - last_beat > stall_limit()):
            job.state, job.finished_at = "failed", last_beat  # its lifetime counts from its last sign of life
            job.errors = [*job.errors, "Die Erstellung wurde unterbrochen (der Server wurde neu gestartet)."]
        shown.append(job)
    return shown


def _seconds(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()
