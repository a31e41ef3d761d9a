"""A school's history over the school years: each round's status, completeness and, once submitted, its scores."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, Round, School
from . import assessments
from .rounds import all_rounds


@dataclass(frozen=True)
class RoundResult:
    """One round of one school. Scores only of a submitted assessment: a draft's numbers are not a result yet."""

    round_slug: str
    round_name: str
    status: str  # "submitted", "draft" or "not_started"
    rated: int
    total: int
    overall: float | None
    criteria: dict[str, float | None]  # criterion id -> score, in the round's catalogue order

    @property
    def completeness(self) -> float:
        return self.rated / self.total if self.total else 0.0

    @property
    def is_submitted(self) -> bool:
        return self.status == "submitted"


def school_history(school: School, *, until: Round | None = None) -> list[RoundResult]:
    """Every round in school-year order (up to and including `until`), also those the school has not started."""
    rounds = all_rounds()
    if until is not None:
        rounds = rounds[: next(i for i, r in enumerate(rounds) if r.id == until.id) + 1]
    started = set(db.session.scalars(select(Assessment.round_id).where(Assessment.school_id == school.id)))
    return [_result(school, round_, round_.id in started) for round_ in rounds]


def _result(school: School, round_: Round, started: bool) -> RoundResult:
    state = assessments.load_state(school, round_)
    scores = state.scores
    status = state.status if started else "not_started"
    submitted = status == "submitted"
    criteria = {key: value if submitted else None for key, value in scores.criteria.items()}
    overall = scores.overall if submitted else None
    return RoundResult(round_.slug, round_.name, status, scores.rated, scores.total, overall, criteria)
