"""Rating input kept safe across a new log-in: a save that arrived after the session had ended.

A short-lived row, found only through a random token held in a cookie of the browser that sent the
input (the row keeps the token's SHA-256, never the token). See services/unsaved_input.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class UnsavedInput(db.Model):
    __tablename__ = "unsaved_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(64))
    #: The team member whose page sent the input (the page's signed owner field): only they get it back.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: {"base_version": "3", "fields": {"k1a-score": "7", "k1a-comment": "…", "k1a-seen_score": "", …}}
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
