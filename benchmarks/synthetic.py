"""Synthetic but plausible data at state scale, written with bulk inserts (benchmarks only).

The shares follow NRW's school landscape roughly (about 45 % Grundschulen, then Gymnasien,
Gesamtschulen, Realschulen, Förderschulen, Berufskollegs …), schools are spread over all 53
Kreise in proportion to a rough population weight, and per round most schools submit, some keep
a draft, a few have not started. A school's level rises a little from round to round.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert

from selfeval.catalog import Catalog
from selfeval.extensions import db
from selfeval.models import Assessment, Rating, School
from selfeval.models.types import utcnow
from selfeval.reference import kreise
from selfeval.services.rounds import create_round

SCHULFORM_SHARES = {"02": 45, "20": 10, "15": 6, "10": 6, "08": 9, "30": 6, "04": 4, "14": 3, "25": 1}
STATUS_SHARES = {"submitted": 85, "draft": 9, "none": 6}
BATCH = 5000


@dataclass(frozen=True)
class Filled:
    schools: int
    rounds: list[str]  # slugs, oldest first
    assessments: int
    ratings: int


def fill(catalog: Catalog, schools: int, rounds: int, seed: int = 4711) -> Filled:
    """Add `schools` schools and `rounds` rounds with assessments; the caller commits."""
    chance = random.Random(seed)  # noqa: S311 - synthetic data, not security  # nosec B311
    school_ids, levels = _schools(schools, chance)
    slugs, assessment_count, rating_count = [], 0, 0
    first_year = 2026 - rounds
    for number in range(rounds):
        year = first_year + number
        round_ = create_round(f"{year}/{str(year + 1)[-2:]}", catalog)
        round_.is_open = number == rounds - 1
        db.session.flush()
        made, rated = _round(round_, catalog, school_ids, [level + 0.5 * number for level in levels], chance)
        slugs.append(round_.slug)
        assessment_count += made
        rating_count += rated
    return Filled(schools, slugs, assessment_count, rating_count)


def _schools(count: int, chance: random.Random) -> tuple[list[int], list[float]]:
    keys = list(kreise())
    weights = [3 if kreise()[key].kind == "Kreis" else 2 for key in keys]
    forms, form_weights = zip(*SCHULFORM_SHARES.items(), strict=True)
    now = utcnow()
    rows = [
        {
            "schulnummer": f"{100000 + index:06d}",
            "name": f"Synthetische Schule {index + 1}",
            "schulform": chance.choices(forms, form_weights)[0],
            "ort": "",
            "kreis": chance.choices(keys, weights)[0],
            "created_at": now,
        }
        for index in range(count)
    ]
    for start in range(0, count, BATCH):
        db.session.execute(insert(School), rows[start : start + BATCH])
    ids = [row.id for row in db.session.query(School.id).order_by(School.schulnummer)]
    return ids[-count:], [chance.uniform(2.0, 7.5) for _ in range(count)]


def _round(round_, catalog: Catalog, school_ids: list[int], levels: list[float], chance: random.Random) -> tuple[int, int]:
    statuses, status_weights = zip(*STATUS_SHARES.items(), strict=True)
    now = utcnow()
    assessments = []
    for school_id, level in zip(school_ids, levels, strict=True):
        status = chance.choices(statuses, status_weights)[0]
        if status != "none":
            assessments.append((school_id, status, level))
    rows = [
        {
            "school_id": school_id,
            "round_id": round_.id,
            "catalog_snapshot_id": round_.catalog_snapshot_id,
            "status": status,
            "version": 2 if status == "submitted" else 1,
            "created_at": now - timedelta(days=30),
            "updated_at": now,
            "submitted_at": now if status == "submitted" else None,
        }
        for school_id, status, _ in assessments
    ]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Assessment), rows[start : start + BATCH])
    ids = dict(db.session.query(Assessment.school_id, Assessment.id).filter(Assessment.round_id == round_.id))
    indicators = catalog.indicators
    ratings = []
    for school_id, status, level in assessments:
        rated = indicators if status == "submitted" else indicators[: chance.randint(1, len(indicators) - 1)]
        for indicator in rated:
            score = min(max(round(chance.gauss(level, 1.4)), catalog.scale.min), catalog.scale.max)
            ratings.append(
                {
                    "assessment_id": ids[school_id],
                    "indicator_id": indicator.id,
                    "score": score,
                    "comment": "",
                    "changed_in_version": 1,
                    "updated_at": now,
                }
            )
    for start in range(0, len(ratings), BATCH):
        db.session.execute(insert(Rating), ratings[start : start + BATCH])
    return len(rows), len(ratings)
