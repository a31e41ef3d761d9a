"""Read-only figures for the administration pages: rounds with their assessments, schools by Kreis.

Account figures are services.accounts.queries'.

Nothing here writes; every function is one or two grouped queries, whatever the number of schools.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Assessment, School
from ..reference import BEZIRKSREGIERUNGEN, kreis
from .rounds import all_rounds


@dataclass(frozen=True)
class RoundSummary:
    name: str
    slug: str
    is_open: bool
    catalog_title: str
    catalog_version: str
    drafts: int
    submitted: int


def round_summaries() -> list[RoundSummary]:
    """Every round, latest school year first, with its catalogue version and its assessments by status."""
    counts = Counter(
        {
            (round_id, status): number
            for round_id, status, number in db.session.execute(
                select(Assessment.round_id, Assessment.status, func.count()).group_by(Assessment.round_id, Assessment.status)
            )
        }
    )
    rounds = reversed(all_rounds())
    return [
        RoundSummary(
            name=r.name,
            slug=r.slug,
            is_open=r.is_open,
            catalog_title=r.catalog_snapshot.content.get("title", r.catalog_snapshot.catalog_id),
            catalog_version=r.catalog_snapshot.version,
            drafts=counts[(r.id, "draft")],
            submitted=counts[(r.id, "submitted")],
        )
        for r in rounds
    ]


@dataclass(frozen=True)
class KreisCount:
    key: str
    name: str
    bezirksregierung: str  # "" for a Kreisschlüssel the reference list does not know
    schools: int


def schools_by_kreis() -> list[KreisCount]:
    """The Kreise that have schools, by Bezirksregierung (in the usual order), then by name."""
    rows = db.session.execute(select(School.kreis, func.count()).group_by(School.kreis))
    found = []
    for key, number in rows:
        known = kreis(key)
        found.append(KreisCount(key, known.name if known else key, known.bezirksregierung if known else "", number))
    order = {name: position for position, name in enumerate(BEZIRKSREGIERUNGEN)}
    return sorted(found, key=lambda k: (order.get(k.bezirksregierung, len(order)), k.name.casefold()))
