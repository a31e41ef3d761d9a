"""The plan as the API answers it, built as views.api_models.plans.Plan (what is sent is what the document says)."""

from __future__ import annotations

from typing import Any

from ..planning import Agreement, Goal, GoalOutcome
from ..services.plan_documents import ReadablePlan
from .api_models import plans as models


def plan_to_json(readable: ReadablePlan) -> dict[str, Any]:
    state, previous = readable.state, readable.state.previous
    model = models.Plan(
        version=state.version,
        goals=[_goal(goal) for goal in state.goals],
        agreements=[_agreement(agreement) for agreement in state.agreements],
        previous=models.PreviousPlan(
            round=previous.round_slug,
            goals=[_outcome(outcome, readable) for outcome in previous.outcomes],
            scores_withheld=not readable.achieved_shown,
        )
        if previous
        else None,
    )
    return model.model_dump(mode="json")


def _goal_fields(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.id,
        "indicators": list(goal.indicators),
        "target": goal.target,
        "success": goal.success,
        "measures": [
            models.PlanMeasure(
                id=m.id, what=m.what, who=m.who, due=m.due.isoformat() if m.due else None, status=m.status,
                offers=list(m.offers),
            )  # fmt: skip
            for m in goal.measures
        ],
    }


def _goal(goal: Goal) -> models.PlanGoal:
    return models.PlanGoal(**_goal_fields(goal))


def _outcome(outcome: GoalOutcome, readable: ReadablePlan) -> models.PreviousGoal:
    shown = readable.achieved_shown
    return models.PreviousGoal(
        **_goal_fields(outcome.goal),
        achieved=outcome.achieved if shown else None,
        before=outcome.before if readable.before_shown else None,
        reached=outcome.reached if shown else None,
    )


def _agreement(agreement: Agreement) -> models.PlanAgreement:
    return models.PlanAgreement(
        id=agreement.id,
        date=agreement.held_on.isoformat(),
        participants=agreement.participants,
        text=agreement.text,
        next_contact=agreement.next_contact.isoformat() if agreement.next_contact else None,
        confirmed=agreement.confirmed,
    )
