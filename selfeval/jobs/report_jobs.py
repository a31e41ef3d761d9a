"""All reports of a selection as one ZIP, made in the background, with progress others can poll.

The rules (the store and the runner keep the mechanics, see state.py and runner.py):

- An account has at most one running job; the claim is made under the store's exclusive lock, so it
  holds for parallel requests in any worker process.
- A job belongs to the account that started it, named by `permissions.account_key` (id and
  creation time), so a new account that gets an erased one's id inherits nothing; erasing an
  account deletes its jobs.
- "running" is shown while the job's work lives: it beats every HEARTBEAT seconds, however long a
  single report takes. A job whose heartbeat stopped for STALL_AFTER seconds ended with its process
  and is shown as failed.
- A job and its ZIP (which holds the teams' comments) are deleted JOB_LIFETIME after the job
  finished; a running job whose heartbeat lives is never deleted, however long it runs, and one
  whose heartbeat stopped (failed) goes JOB_LIFETIME after its last heartbeat. Every access
  checks, not only a new job.
"""

from __future__ import annotations

import logging
import time
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from flask import current_app

from ..models import Round, User
from ..permissions import account_key, can_view_report_job
from ..services.accounts.queries import get_user
from ..services.errors import NotFound, ServiceError
from ..services.reports import NothingToReport, ReportSelection, batch_by_ids, batch_schools, write_reports
from .runner import Runner, ThreadRunner
from .state import FileJobStore, JobStore, new_job_id

JOB_LIFETIME = timedelta(hours=2)
#: Progress is written at most this often (seconds), and always at the end.
PROGRESS_INTERVAL = 0.5
#: A running job shows it is alive this often (seconds), even while one report takes long.
HEARTBEAT = 10.0
#: A running job whose heartbeat has been silent this long (seconds) has died with its process.
STALL_AFTER = 120
ARCHIVE_NAME = "berichte.zip"
THREAD_PREFIX = "report-job-"
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

        `last_beat` is when the job last showed life (None if that is unknown). A job whose heartbeat is
        alive (within STALL_AFTER) never expires.
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
    """The job was deleted (expired, or its account erased) while it ran."""


def start_job(user: User, round_: Round, selection: ReportSelection) -> ReportJob:
    """Start rendering the reports of the user's submitted schools in the selection.

    NothingToReport if there are none; JobAlreadyRunning if the user's previous job still runs.
    """
    remove_expired()
    schools = batch_schools(user, round_, selection)
    if not schools:
        raise NothingToReport(f"In dieser Auswahl hat noch keine Schule ihre Bewertung der Runde {round_.name} abgeschlossen.")
    owner, store = account_key(user), _store()
    with store.locked():  # check and claim in one step, for every thread and worker process
        running = next((job for job in store.all() if job.owner == owner and _state(job) == "running"), None)
        if running is not None:
            raise JobAlreadyRunning(running)
        job = ReportJob(new_job_id(), owner, round_.name, round_.slug, len(schools), started_at=time.time())
        store.create(job)
    work = partial(_render, job, round_.id, [school.id for school in schools], user.id)
    _runner().start(f"{THREAD_PREFIX}{job.id}", work, beat=partial(store.beat, job.id))
    return job


def load_job(job_id: str, user: User) -> ReportJob:
    """The user's own job; NotFound for anyone else's, an expired or a made-up id."""
    remove_expired()
    store = _store()
    job = store.get(job_id)
    if job is None or job.expired(time.time(), store.last_beat(job.id)):
        raise NotFound("Dieser Auftrag ist nicht bekannt oder schon gelöscht.")
    if not can_view_report_job(user, job):
        raise NotFound("Dieser Auftrag ist nicht bekannt.")
    job.state = _state(job)
    return job


def job_archive(job: ReportJob) -> Path:
    """The finished job's ZIP; NotFound while it is being made, or once it is gone."""
    path = _store().result(job.id)
    if job.state != "done" or job.expired(time.time(), None) or path is None:
        raise NotFound("Die Berichte sind noch nicht fertig.")
    return path


def remove_expired() -> None:
    """Delete every job (and ZIP) past its lifetime; a job whose state cannot be read goes by its age."""
    now = time.time()
    _store().sweep(lambda job, last_beat: job.expired(now, last_beat), orphans_after=JOB_LIFETIME.total_seconds())


def remove_jobs_of(user: User) -> int:
    """Delete the account's jobs and ZIPs (when the account is erased); a running one stops. Returns how many."""
    owner, store = account_key(user), _store()
    mine = [job for job in store.all() if job.owner == owner]
    for job in mine:
        store.delete(job.id)
    return len(mine)


def _state(job: ReportJob) -> str:
    """What the job really is: a "running" job whose heartbeat stopped ended with its process."""
    if job.state != "running":
        return job.state
    last_beat = _store().last_beat(job.id)
    if last_beat is None:
        return "failed"
    return "failed" if time.time() - last_beat > STALL_AFTER else "running"


def _render(job: ReportJob, round_id: int, school_ids: list[int], reader_id: int) -> None:
    """The job's work (run by the runner, in an app context): the reports into the job's ZIP, progress into its state."""
    store = _store()
    last_saved = 0.0

    def progress(_data, succeeded: bool) -> None:
        nonlocal last_saved
        if not store.exists(job.id):
            raise _Cancelled
        job.done += 1
        job.failed += 0 if succeeded else 1
        if time.monotonic() - last_saved >= PROGRESS_INTERVAL:
            store.save(job)
            last_saved = time.monotonic()

    try:
        round_, schools = batch_by_ids(round_id, school_ids)  # the round gone meanwhile: the job fails (below)
        # Each report holds what its school shares with whoever started the job (their comments only if released).
        reader = get_user(reader_id)
        if reader is None:  # erased meanwhile (its jobs go with it): never render as if for the operator
            raise NotFound("the account that started the job is gone")
        with store.writing_result(job.id) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
            write_reports(round_, schools, archive.writestr, progress=progress, reader=reader)
        job.state = "done" if job.failed < job.total else "failed"
    except _Cancelled:
        log.info("report job %s stopped: it was deleted", job.id)
        return
    except Exception:
        if not store.exists(job.id):
            return  # deleted while it ran (expired or erased): nothing to tell anyone
        log.exception("report job %s failed", job.id)
        job.state = "failed"
    job.finished_at = time.time()
    store.save(job)


def _store() -> JobStore[ReportJob]:
    """Where report jobs are kept: the instance folder, which every worker process of the server shares."""
    return FileJobStore(Path(current_app.instance_path) / "report-jobs", ReportJob, ARCHIVE_NAME)


def _runner() -> Runner:
    return ThreadRunner(current_app._get_current_object(), heartbeat=HEARTBEAT)  # type: ignore[attr-defined]
