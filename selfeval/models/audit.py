"""The audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..limits import MAX_AUDIT_TEXT_LENGTH
from .types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One recorded change. Names are copied in, so the record stays readable when things change later."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_school_id_round_id", "school_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: Who did it; NULL for the command line, and after the account was erased.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    #: The actor's name at the time ("Kommandozeile" for the CLI, a neutral marker after erasure).
    actor_name: Mapped[str] = mapped_column(String(MAX_AUDIT_TEXT_LENGTH))
    #: What kind of change, e.g. "rating.changed", "user.deactivated" (see services.audit.ACTIONS).
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: What was changed, readable: an indicator id, an e-mail address, a Schulnummer, a file name.
    subject: Mapped[str] = mapped_column(String(MAX_AUDIT_TEXT_LENGTH))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"), nullable=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), nullable=True)
    #: The account the change is about, so that erasing it can find every mention.
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: {field: [old, new]}; old is null for something new, new is null for something removed.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    school = relationship("School")
    round = relationship("Round")
