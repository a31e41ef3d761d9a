"""A school's self-evaluation in one round and its ratings (its history is in the audit trail)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import ASSESSMENT_PHASES, ASSESSMENT_STATUSES, DRAFT_STATUS, SHARED_PHASE
from .types import UTCDateTime, utcnow


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("school_id", "round_id"),
        CheckConstraint("status IN (" + ", ".join(map(repr, ASSESSMENT_STATUSES)) + ")", name="status"),
        CheckConstraint("phase IN (" + ", ".join(map(repr, ASSESSMENT_PHASES)) + ")", name="phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    #: The catalogue version this assessment was started with; later YAML edits never change it.
    catalog_snapshot_id: Mapped[int] = mapped_column(ForeignKey("catalog_snapshots.id"))
    status: Mapped[str] = mapped_column(String(20), default=DRAFT_STATUS)
    #: Optimistic locking: every accepted change increments it; a save names the version it saw.
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    #: How the team rates: one shared form, or each member alone first and then together (services/consensus).
    phase: Mapped[str] = mapped_column(String(20), default=SHARED_PHASE, server_default=SHARED_PHASE)
    #: The team's choices for the individual way, made by a Schulleitung member with the phase:
    #: members' names beside their values in the spread (default: no names) …
    spread_names_visible: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: … the individual sheets deleted when the assessment is submitted …
    delete_sheets_on_submit: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: … and the page "Wo wir uns einig und uneinig waren" in the report.
    spread_in_report: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The team released its comments (Belege/Anmerkungen) to supervision and the Schulträger (permissions.can_view_shared_texts).
    comments_released: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    school = relationship("School")
    round = relationship("Round")
    catalog_snapshot = relationship("CatalogSnapshot")
    submitted_by = relationship("User")
    ratings = relationship("Rating", back_populates="assessment", cascade="all, delete-orphan")


class Rating(db.Model):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("assessment_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(64))
    #: On the catalogue's scale (0–10 for the Leitfaden); None while not rated.
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: "Belege/Anmerkungen", at most limits.MAX_COMMENT_LENGTH characters in limits.MAX_COMMENT_LINES lines (LF only).
    comment: Mapped[str] = mapped_column(Text, default="")
    #: The assessment version in which this rating last changed: tells a late saver what changed.
    changed_in_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    assessment = relationship("Assessment", back_populates="ratings")
    updated_by = relationship("User")


class MemberSheet(db.Model):
    """One team member's own ratings of an assessment in the individual phase: the member's alone, never shown
    to anyone else (the team sees only the spread), never in exports; deleted with the account."""

    __tablename__ = "member_sheets"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Optimistic locking of this sheet alone: a member's two tabs conflict, two members never do.
    version: Mapped[int] = mapped_column(Integer, default=0)
    #: When the member said "fertig"; None while still rating (a later change keeps it finished).
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    ratings = relationship("MemberRating", back_populates="sheet", cascade="all, delete-orphan")


class MemberRating(db.Model):
    __tablename__ = "member_ratings"
    __table_args__ = (UniqueConstraint("sheet_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("member_sheets.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet = relationship("MemberSheet", back_populates="ratings")
