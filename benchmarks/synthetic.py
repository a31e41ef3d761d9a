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
from selfeval.models import Assessment, Plan, PlanAgreement, Rating, School
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


#: A plan as a school might write it (issue 18): three goals of three measures each, two agreements.
MEASURE_TEXTS = (
    "Fortbildungsbedarf im Kollegium mit einer kurzen Umfrage erheben und auswerten",
    "Pädagogischen Tag zur Medienbildung mit der Medienberatung vorbereiten",
    "Erfahrungen in der Lehrerkonferenz vorstellen und ins Medienkonzept aufnehmen",
)
MEASURE_WHO = ("Medienkoordination", "Schulleitung", "Steuergruppe Digitalisierung")
AGREEMENT_TEXT = (
    "Die Schule bereitet einen pädagogischen Tag zur Medienbildung vor; die Medienberatung unterstützt bei der "
    "Auswahl der Fortbildungen. Die WLAN-Ausleuchtung wird mit dem Schulträger abgestimmt.\n"
    "Beim nächsten Termin: Stand der Maßnahmen und Entwurf des Medienkonzepts."
)


def plan_goals(catalog: Catalog, offset: int) -> list[dict]:
    """Three goals on three indicators each a few places apart, three measures each, with state-wide offers."""
    indicators = catalog.indicators
    offers = [offer.id for offer in catalog.offers if not offer.kreise][:4]
    goals = []
    for number in range(3):
        chosen = [indicators[(offset + number * 7 + k) % len(indicators)].id for k in range(2 if number == 0 else 1)]
        measures = [
            {"id": 10 * number + k + 2, "what": MEASURE_TEXTS[k], "who": MEASURE_WHO[k],
             "due": f"2026-0{3 + k}-15" if k < 2 else None, "status": ("erledigt", "begonnen", "geplant")[k],
             "offers": offers[k : k + 2] if k < 2 else [], "carried_from": None}
            for k in range(3)
        ]  # fmt: skip
        goals.append({"id": 10 * number + 1, "indicators": chosen, "target": 6.0, "success": MEASURE_TEXTS[2][:60],
                      "measures": measures})  # fmt: skip
    return goals


def fill_plans(catalog: Catalog, round_ids: list[int]) -> int:
    """A plan for every assessment of the rounds, and two agreements for each plan of the newest; the caller commits."""
    now = utcnow()
    assessments = db.session.query(Assessment.id, Assessment.round_id).filter(Assessment.round_id.in_(round_ids)).all()
    rows = [
        {"assessment_id": a_id, "version": 1, "goals": plan_goals(catalog, a_id % 5), "updated_at": now}
        for a_id, _round in assessments
    ]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(Plan), rows[start : start + BATCH])
    newest = db.session.query(Plan.id).join(Assessment, Plan.assessment_id == Assessment.id)
    plan_ids = [plan_id for (plan_id,) in newest.filter(Assessment.round_id == round_ids[-1])]
    agreements = [
        {"plan_id": plan_id, "held_on": (now - timedelta(days=60 - 30 * k)).date(),
         "participants": "Schulleitung, Medienkoordination, Medienberatung", "text": AGREEMENT_TEXT,
         "next_contact": (now + timedelta(days=30 * (k + 1))).date(), "recorded_at": now, "recorded_by_name": "",
         "confirmed_at": now if k == 0 else None}
        for plan_id in plan_ids
        for k in range(2)
    ]  # fmt: skip
    for start in range(0, len(agreements), BATCH):
        db.session.execute(insert(PlanAgreement), agreements[start : start + BATCH])
    return len(rows)
