"""The work of a report job, in steps any worker can take: render one part, then assemble the ZIP.

Both runners call these (a thread of the web process, or a Celery worker on any machine); each step runs in an
app context with its own session and commits its own progress, because the state is what every server shows.

A step may run twice (a worker lost mid-part: the broker hands its task to another worker), so each is idempotent:
a part renders all its reports again into the same storage key (the file appears whole, replacing any earlier
one) and sets its counts rather than adding to them; a finished part is not rendered again; the ZIP is built from
the parts' files only, so every report is in it exactly once, however often a part ran.
"""

from __future__ import annotations

import logging
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import exists, select, update

from ..extensions import db
from ..models import ReportJobPart, ReportJobRow, User
from ..models.types import utcnow
from ..permissions import account_key
from ..reports.model import ReportData
from ..services.errors import NotFound
from ..services.reports import batch_by_ids, write_reports
from ..storage import Storage, open_storage
from . import state

#: Progress is written at most this often (seconds), and always at the end of a part.
PROGRESS_INTERVAL = 0.5
#: A part's errors kept at most (the job's page lists them; a whole failing Bezirk need not be listed).
MAX_ERRORS = 20
ARCHIVE_NAME = "berichte.zip"
log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The job was deleted (expired, or its account erased) while the part ran."""


def storage() -> Storage:
    return open_storage(current_app.config["SELFEVAL_STORAGE"])


def archive_key(job_id: str) -> str:
    return f"{job_id}/{ARCHIVE_NAME}"


def part_key(job_id: str, position: int) -> str:
    return f"{job_id}/parts/{position:05d}.zip"


def run_part(job_id: str, position: int, heartbeat: float) -> None:
    """Render the part's reports into its file in storage; the last part to finish assembles the ZIP."""
    taken = _take(job_id, position)
    if taken is not None:
        part_id, school_ids = taken
        try:
            with _beating(lambda: state.beat_part(part_id), heartbeat):  # plain values: the beat has its own session
                _render(part_id, job_id, position, school_ids)
        except Cancelled:
            log.info("report job %s stopped: it was deleted", job_id)
            return
    assemble_when_complete(job_id, heartbeat)


def _take(job_id: str, position: int) -> tuple[int, list[int]] | None:
    """The part's id and schools, marked running by this attempt; None when it is finished (done before) or its job is gone."""
    part = db.session.scalar(select(ReportJobPart).where(ReportJobPart.job_id == job_id, ReportJobPart.position == position))
    if part is None or part.state in ("done", "failed"):
        db.session.rollback()
        return None
    taken = part.id, list(part.school_ids)
    claim = (
        update(ReportJobPart)
        .where(ReportJobPart.id == part.id)
        .values(state="running", attempts=ReportJobPart.attempts + 1, beat_at=utcnow())
    )
    if db.session.execute(claim).rowcount == 0:  # type: ignore[attr-defined]
        db.session.rollback()
        return None  # its job was deleted a moment ago
    db.session.execute(
        update(ReportJobRow).where(ReportJobRow.id == job_id, ReportJobRow.state == "queued").values(state="running")
    )
    db.session.commit()
    return taken


def _render(part_id: int, job_id: str, position: int, school_ids: list[int]) -> None:
    job = db.session.get_one(ReportJobRow, job_id)
    counts = {"done": 0, "failed": 0}
    errors: list[str] = []
    last_saved = time.monotonic()

    def progress(data: ReportData, succeeded: bool) -> None:
        nonlocal last_saved
        counts["done" if succeeded else "failed"] += 1
        if not succeeded and len(errors) < MAX_ERRORS:
            errors.append(f"Der Bericht für {data.school.name} ({data.school.schulnummer}) konnte nicht erstellt werden.")
        if time.monotonic() - last_saved >= PROGRESS_INTERVAL:
            _save(part_id, counts)
            last_saved = time.monotonic()

    key = part_key(job_id, position)
    try:
        round_, schools = batch_by_ids(job.round_id, school_ids)  # the round gone meanwhile: the part fails (below)
        reader = _reader(job)  # each report holds what its school shares with whoever started the job (issue 19)
        with storage().writing(key) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
            write_reports(round_, schools, archive.writestr, progress=progress, reader=reader)
    except Cancelled:
        raise
    except Exception:
        db.session.rollback()
        log.exception("report job %s: part %s failed", job_id, position)
        problem = f"Die Berichte von {len(school_ids)} Schulen konnten nicht erstellt werden."
        _save(part_id, {"done": 0, "failed": len(school_ids)}, state="failed", errors=[problem])  # Cancelled if gone
        return
    _save(part_id, counts, state="done", result_key=key, errors=errors)


def _reader(job: ReportJobRow) -> User:
    """The account that started the job; never anyone else, not even a later account with the same id."""
    user = db.session.get(User, job.reader_id)
    if user is None or account_key(user) != job.owner:
        raise NotFound("the account that started the job is gone")
    return user


def _save(part_id: int, counts: dict[str, int], **finished) -> None:
    """Write the part's progress (and, at its end, its outcome); Cancelled when the part is gone (its job deleted)."""
    statement = update(ReportJobPart).where(ReportJobPart.id == part_id, ReportJobPart.state == "running")
    found = db.session.execute(statement.values(**counts, beat_at=utcnow(), **finished)).rowcount > 0  # type: ignore[attr-defined]
    db.session.commit()
    if not found:
        raise Cancelled


def assemble_when_complete(job_id: str, heartbeat: float) -> None:
    """Build the ZIP once every part has finished; exactly one step claims that, or a repeated one redoes it."""
    unfinished = exists().where(ReportJobPart.job_id == job_id, ReportJobPart.state.not_in(("done", "failed")))
    claim = (
        update(ReportJobRow)
        .where(ReportJobRow.id == job_id, ReportJobRow.archive_key.is_(None), ~unfinished)
        .values(archive_key=archive_key(job_id), beat_at=utcnow())
    )
    claimed = db.session.execute(claim).rowcount > 0  # type: ignore[attr-defined]
    db.session.commit()
    job = db.session.get(ReportJobRow, job_id)
    if job is None or job.state in ("done", "failed") or job.archive_key is None:
        return
    if not claimed:
        if state.last_beats([job_id])[job_id].timestamp() > time.time() - 2 * heartbeat:
            return  # another step assembles it right now
        log.warning("report job %s: assembling again, the first assembly stopped", job_id)
    with _beating(lambda: state.beat_job(job_id), heartbeat):
        assemble(job_id)


def assemble(job_id: str) -> None:
    """The parts' reports, in the parts' order, into the job's ZIP; the job is finished."""
    parts = list(db.session.scalars(select(ReportJobPart).where(ReportJobPart.job_id == job_id).order_by(ReportJobPart.position)))
    store = storage()
    with store.writing(archive_key(job_id)) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            if part.state == "done" and part.result_key:
                _copy_entries(store, part.result_key, archive)
    done, failed = sum(part.done for part in parts), sum(part.failed for part in parts)
    errors = [error for part in parts for error in part.errors][:MAX_ERRORS]
    outcome = "done" if done > 0 or failed == 0 else "failed"
    db.session.execute(
        update(ReportJobRow)
        .where(ReportJobRow.id == job_id)
        .values(state=outcome, errors=errors, finished_at=utcnow(), beat_at=utcnow())
    )
    db.session.commit()
    for part in parts:
        if part.result_key:
            _remove_quietly(store, part.result_key)


def _copy_entries(store: Storage, key: str, archive: zipfile.ZipFile) -> None:
    with store.reading(key) as source, _seekable(source) as readable, zipfile.ZipFile(readable) as part:
        for entry in part.infolist():
            with part.open(entry) as pdf, archive.open(entry.filename, "w") as target:
                while piece := pdf.read(256 * 1024):
                    target.write(piece)


@contextmanager
def _seekable(source) -> Iterator:
    """zipfile needs to seek; an object store's stream cannot: a part (a few MB) is spooled to a temporary file."""
    if getattr(source, "seekable", lambda: False)():
        yield source
        return
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as copy:
        while piece := source.read(256 * 1024):
            copy.write(piece)
        copy.seek(0)
        yield copy


def _remove_quietly(store: Storage, key: str) -> None:
    """A part's file is not needed once it is in the ZIP; the job's folder goes at expiry anyway."""
    try:
        store.delete_tree(key.rsplit("/", 1)[0])
    except Exception:  # noqa: BLE001 - a leftover part file is harmless and removed with its job
        log.warning("could not remove the parts of %s", key, exc_info=True)


@contextmanager
def _beating(beat: Callable[[], bool], every: float) -> Iterator[None]:
    """Call `beat` every `every` seconds, in a thread with its own app context and session, while the block runs."""
    stop = threading.Event()
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def beating() -> None:
        with app.app_context():
            try:
                while not stop.wait(every) and beat():
                    pass
            finally:
                db.session.remove()

    thread = threading.Thread(target=beating, name=f"{threading.current_thread().name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
