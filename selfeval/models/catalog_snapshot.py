"""A stored copy of each catalogue version in use, so later YAML edits never alter past data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class CatalogSnapshot(db.Model):
    __tablename__ = "catalog_snapshots"
    __table_args__ = (UniqueConstraint("catalog_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The catalogue's own id, e.g. "dortmund-leitfaden".
    catalog_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the normalized content: detects edits made without a version bump.
    digest: Mapped[str] = mapped_column(String(64))
    #: The normalized catalogue, in the shape of `selfeval catalog check --json`.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
