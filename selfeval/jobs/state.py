"""Where a job's state lives: the tables report_jobs and report_job_parts, which every app server and worker shares.

The rules the store keeps:

- "check, then claim" holds across threads, processes and machines: `claiming()` locks the jobs table for writing
  until the transaction ends (PostgreSQL: a table lock readers pass; SQLite: its single write lock);
- a job's last sign of life is the latest beat of the job or any of its parts (`last_beat`);
- deleting a job deletes its parts with it: work still running finds its part's row gone and stops;
- callbacks registered with `after_commit` run once the transaction that created a job is committed, so a worker
  never looks for a job that another transaction has not yet stored (or that was rolled back).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from ..database import lock_for_writing
from ..extensions import db
from ..models import ReportJobPart, ReportJobRow
from ..models.types import utcnow

_AFTER_COMMIT = "selfeval_after_commit"


def new_job_id() -> str:
    return secrets.token_urlsafe(16)


def claiming() -> None:
    """Hold the right to create jobs until this transaction ends: parallel starts of one account wait here."""
    lock_for_writing(db.session, ReportJobRow)


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the session's current transaction is committed; never if it is rolled back."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        callback()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def jobs_of(owner: str) -> list[ReportJobRow]:
    return list(db.session.scalars(select(ReportJobRow).where(ReportJobRow.owner == owner)))


def all_jobs() -> list[ReportJobRow]:
    return list(db.session.scalars(select(ReportJobRow)))


def get_job(job_id: str) -> ReportJobRow | None:
    return db.session.get(ReportJobRow, job_id) if len(job_id) == 22 else None


def last_beats(job_ids: list[str]) -> dict[str, datetime]:
    """job id -> the latest sign of life of the job or any of its parts."""
    if not job_ids:
        return {}
    beats = {row.id: row.beat_at for row in db.session.execute(
        select(ReportJobRow.id, ReportJobRow.beat_at).where(ReportJobRow.id.in_(job_ids))
    )}  # fmt: skip
    parts = select(ReportJobPart.job_id, func.max(ReportJobPart.beat_at)).where(ReportJobPart.job_id.in_(job_ids))
    for job_id, beat in db.session.execute(parts.group_by(ReportJobPart.job_id)):
        if beat is not None:
            beat = _aware(beat)
            beats[job_id] = max(beats[job_id], beat)
    return beats


def progress(job_ids: list[str]) -> dict[str, tuple[int, int]]:
    """job id -> (reports made, reports that could not be made), summed over the parts."""
    if not job_ids:
        return {}
    query = (
        select(ReportJobPart.job_id, func.sum(ReportJobPart.done), func.sum(ReportJobPart.failed))
        .where(ReportJobPart.job_id.in_(job_ids))
        .group_by(ReportJobPart.job_id)
    )
    return {job_id: (int(done or 0), int(failed or 0)) for job_id, done, failed in db.session.execute(query)}


def delete_jobs(job_ids: list[str]) -> None:
    if job_ids:
        db.session.execute(delete(ReportJobPart).where(ReportJobPart.job_id.in_(job_ids)))
        db.session.execute(delete(ReportJobRow).where(ReportJobRow.id.in_(job_ids)))


def beat_job(job_id: str) -> bool:
    """The job shows it is alive; False once it is gone."""
    return _updated(update(ReportJobRow).where(ReportJobRow.id == job_id).values(beat_at=utcnow()))


def beat_part(part_id: int) -> bool:
    """The part's worker shows it is alive; False once the part is gone (its job deleted)."""
    return _updated(update(ReportJobPart).where(ReportJobPart.id == part_id).values(beat_at=utcnow()))


def _updated(statement) -> bool:
    found = db.session.execute(statement).rowcount > 0  # type: ignore[attr-defined]
    db.session.commit()  # a beat is its own transaction, in the worker's own session
    return found


def _aware(moment: datetime) -> datetime:
    """A max() over a column comes back without the column's type on SQLite: naive, in UTC."""
    from datetime import UTC

    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
