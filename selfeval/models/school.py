"""Schools and rounds (Erhebungsrunden)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..limits import MAX_ORT_LENGTH, MAX_ROUND_NAME_LENGTH, MAX_SCHOOL_NAME_LENGTH, SCHULNUMMER_DIGITS
from .types import UTCDateTime, utcnow


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The 6-digit Schulnummer, the key of a school in NRW.
    schulnummer: Mapped[str] = mapped_column(String(SCHULNUMMER_DIGITS), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_SCHOOL_NAME_LENGTH))
    #: Two-digit code of the school directory, e.g. "02" Grundschule.
    schulform: Mapped[str] = mapped_column(String(2))
    ort: Mapped[str] = mapped_column(String(MAX_ORT_LENGTH), default="")
    #: 5-digit Kreisschlüssel; the Bezirksregierung is derived from it (selfeval.reference).
    kreis: Mapped[str] = mapped_column(String(5), index=True)
    #: The 8-digit official municipality key (AGS, "Gemeindeschlüssel"), e.g. "05978036" Stadt Unna; its first five
    #: digits are `kreis`. None for a school added by hand without it.
    gemeindeschluessel: Mapped[str | None] = mapped_column(String(8), index=True, nullable=True)
    #: The directory's number of the Schulträger (the municipality or private body that runs the school).
    traeger_nummer: Mapped[str | None] = mapped_column(String(10), index=True, nullable=True)
    #: The Schulträger's name where it is known (the directory file has only the number; admins fill it in).
    traeger_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: The directory's Rechtsform key: "1" öffentlich, "2" privat (selfeval.reference.RECHTSFORMEN).
    rechtsform: Mapped[str | None] = mapped_column(String(1), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships = relationship("Membership", back_populates="school", cascade="all, delete-orphan")


class Round(db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_ROUND_NAME_LENGTH), unique=True)  # e.g. "2025/26"
    slug: Mapped[str] = mapped_column(String(MAX_ROUND_NAME_LENGTH), unique=True)  # e.g. "2025-26"
    #: The school year's first calendar year (2025 for "2025/26"): rounds are ordered by it, and
    #: "the previous round" is the one with the next lower school year. None only for rounds stored
    #: before names had to be school years and whose name is none (see migration c5f126c3663d).
    school_year: Mapped[int | None] = mapped_column(Integer, unique=True, index=True, nullable=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The catalogue version every assessment of this round is made with.
    catalog_snapshot_id: Mapped[int] = mapped_column(ForeignKey("catalog_snapshots.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    catalog_snapshot = relationship("CatalogSnapshot")
