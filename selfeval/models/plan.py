"""A school's development plan for one assessment (goals and measures as one document) and its agreements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..limits import MAX_DISPLAY_NAME_LENGTH
from ..planning.model import MAX_PARTICIPANTS_LENGTH
from .types import UTCDateTime, utcnow


class Plan(db.Model):
    """The goals are one JSON document (planning.model.goals_as_json): the team replaces them as a whole, with
    optimistic locking on `version` like the ratings, and nothing reads a single measure from SQL."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    assessment = relationship("Assessment")
    updated_by = relationship("User")
    agreements = relationship(
        "PlanAgreement", back_populates="plan", cascade="all, delete-orphan", order_by="PlanAgreement.held_on"
    )


class PlanAgreement(db.Model):
    """A consultation with the Medienberatung: recorded by the adviser in scope, confirmed by a team member."""

    __tablename__ = "plan_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[str] = mapped_column(String(MAX_PARTICIPANTS_LENGTH))
    text: Mapped[str] = mapped_column(Text)
    next_contact: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    #: Kept beside the id: the agreement says who advised even after that account is gone.
    recorded_by_name: Mapped[str] = mapped_column(String(MAX_DISPLAY_NAME_LENGTH), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    plan = relationship("Plan", back_populates="agreements")
