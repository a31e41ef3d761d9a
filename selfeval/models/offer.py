"""Support offers a Medienberatung keeps for the schools of its Kreis, maintained on the page /angebote.

They join the catalogue's state-wide offers and the regional offer files in every report of a school of
that Kreis (services/offers.py turns the rows into an offer list). One row is one offer of one Kreis.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class KreisOffer(db.Model):
    __tablename__ = "kreis_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Kreisschlüssel whose schools the offer is for; the Medienberatung of this Kreis maintains it.
    kreis: Mapped[str] = mapped_column(String(5), index=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    #: Schulform codes and Schulstufen (selfeval.reference); both empty: every school of the Kreis.
    schulformen: Mapped[list[str]] = mapped_column(JSON, default=list)
    schulstufen: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Ids of the indicators and criteria of the catalogue the offer fits (ids the catalogue does not know never match).
    fits: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Optimistic locking: the ORM updates only the version the editor saw, and every save increments it.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}
