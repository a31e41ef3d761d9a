"""Background report jobs and their parts: the state every app server and every worker reads and writes.

A job is all reports of a selection as one ZIP (selfeval/jobs/report_jobs.py holds the rules). It is cut into
parts of a few dozen schools; each part is rendered by whichever worker takes it and written to shared storage,
and the last part to finish assembles the ZIP. The rows are the only record: any app server can show a job.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

#: queued: no part has started; running: parts are being rendered or the ZIP assembled; done | failed: finished.
JOB_STATES = ("queued", "running", "done", "failed")
#: A part's own progress: queued, running (by a worker, beating), done (its file is in storage), failed.
PART_STATES = ("queued", "running", "done", "failed")


class ReportJobRow(db.Model):
    __tablename__ = "report_jobs"

    #: A random, unguessable id (secrets.token_urlsafe(16)); it is in the job's address.
    id: Mapped[str] = mapped_column(String(22), primary_key=True)
    #: permissions.account_key of the account that started it (not the user id: ids are reused on SQLite).
    owner: Mapped[str] = mapped_column(String(32), index=True)
    #: The id of that account, to render each report as the school shares it with its reader (issue 19); trusted
    #: only together with `owner`, which tells a reused id apart.
    reader_id: Mapped[int] = mapped_column(Integer)
    #: The round's id, name and slug when the job started: a deleted round fails the job, it does not lose it.
    round_id: Mapped[int] = mapped_column(Integer)
    round_name: Mapped[str] = mapped_column(String(40))
    round_slug: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(Integer)
    #: Plain-language problems (a report that could not be made, a part that failed), at most a few dozen.
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The ZIP's key in storage once assembled.
    archive_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: The last sign of life of the job as a whole (creation, assembly, the embedded runner's heartbeat).
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parts = relationship(
        "ReportJobPart",
        back_populates="job",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReportJobPart.position",
    )


class ReportJobPart(db.Model):
    __tablename__ = "report_job_parts"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("report_jobs.id", ondelete="CASCADE"), index=True)
    #: 0, 1, 2, …: the order of the parts is the order of the reports in the ZIP.
    position: Mapped[int] = mapped_column(Integer)
    #: The ids of the part's schools, by Schulnummer.
    school_ids: Mapped[list[int]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    #: Reports written and reports that could not be made in the part's latest attempt (set, never added up).
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    #: How often a worker took the part: more than once after a worker was lost.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: The part's file in storage (a ZIP of its PDFs) once done.
    result_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The worker's last sign of life while it renders the part.
    beat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    job = relationship("ReportJobRow", back_populates="parts")
