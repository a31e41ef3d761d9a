"""The plans a batch of reports shows (issue 18): each school's plan with its agreements, and last school year's
plan to follow up, read for a whole chunk of schools in two statements (no query per school).

Who may read a plan is decided by the caller (services.reports with permissions.can_view_plan).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, Plan, PlanAgreement, Round, School
from ..planning import Agreement
from ..planning.model import goals_from_json
from ..reports.plan_section import PlanInput, PreviousPlanInput


@dataclass
class ChunkPlans:
    """The plans of a chunk's schools: this round's (with agreements) and the previous round's, by school id."""

    current: dict[int, tuple[int, list]] = field(default_factory=dict)  # school id -> (plan id, goals JSON)
    previous: dict[int, tuple[int, list]] = field(default_factory=dict)  # school id -> (assessment id, goals JSON)
    agreements: dict[int, list[Agreement]] = field(default_factory=dict)  # plan id -> agreements by date

    @property
    def previous_assessment_ids(self) -> list[int]:
        """The assessments whose ratings say what last year's goals started from ("vorher")."""
        return [assessment_id for assessment_id, _goals in self.previous.values()]

    def input_for(self, school_id: int, earlier: Round | None, ratings: Mapping[int, Mapping[str, tuple]]) -> PlanInput | None:
        """What the report shows of the school's plan; None where it has neither a plan nor last year's."""
        plan_id, goals = self.current.get(school_id, (None, []))
        before_id, before_goals = self.previous.get(school_id, (None, []))
        previous = None
        if earlier is not None and before_id is not None and before_goals:
            scores = {key: score for key, (score, _comment) in ratings.get(before_id, {}).items()}
            previous = PreviousPlanInput(earlier.name, goals_from_json(before_goals), scores)
        agreements = tuple(self.agreements.get(plan_id, ())) if plan_id is not None else ()
        plan = PlanInput(goals_from_json(goals), agreements, previous)
        return None if plan.is_empty else plan


def chunk_plans(round_: Round, earlier: Round | None, schools: Sequence[School]) -> ChunkPlans:
    """The plans of the schools' assessments in the round and the previous one (any status, as the plan page
    follows up), and the agreements of this round's plans: two statements."""
    found = ChunkPlans()
    rounds = [round_.id] + ([earlier.id] if earlier else [])
    query = (
        select(Assessment.school_id, Assessment.round_id, Assessment.id, Plan.id, Plan.goals)
        .join(Plan, Plan.assessment_id == Assessment.id)
        .where(Assessment.round_id.in_(rounds), Assessment.school_id.in_([school.id for school in schools]))
    )
    for school_id, round_id, assessment_id, plan_id, goals in db.session.execute(query):
        if round_id == round_.id:
            found.current[school_id] = (plan_id, goals or [])
        else:
            found.previous[school_id] = (assessment_id, goals or [])
    plan_ids = [plan_id for plan_id, _goals in found.current.values()]
    if plan_ids:
        rows = select(
            PlanAgreement.plan_id, PlanAgreement.id, PlanAgreement.held_on, PlanAgreement.participants,
            PlanAgreement.text, PlanAgreement.next_contact, PlanAgreement.recorded_by_name, PlanAgreement.confirmed_at,
        ).where(PlanAgreement.plan_id.in_(plan_ids)).order_by(PlanAgreement.held_on, PlanAgreement.id)  # fmt: skip
        for row in db.session.execute(rows):
            found.agreements.setdefault(row.plan_id, []).append(
                Agreement(
                    id=row.id, held_on=row.held_on, participants=row.participants, text=row.text,
                    next_contact=row.next_contact, recorded_by=row.recorded_by_name,
                    confirmed=row.confirmed_at is not None,
                    confirmed_on=row.confirmed_at.date() if row.confirmed_at else None,
                )  # fmt: skip
            )
    return found
