"""A school's plan as one reader may see it: for the API's answer and the downloads for the Medienkonzept.

Whether the reader may see the plan at all is the view's question (permissions.can_view_plan, on the assessment
this module hands it); what of the scores the reader sees is decided here, as services.reports does for a report:
a draft's scores stay the team's, so last year's goals come without "achieved" for the Medienberatung then.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, Rating, Round, School, User
from ..permissions import can_view_scores, can_view_shared_texts
from ..reports.plan_document import PlanDocument, PreviousGoals
from .errors import NotFound
from .plans import NO_ASSESSMENT, PlanState, load_plan
from .reports import iter_reports
from .rounds import previous_round


@dataclass(frozen=True)
class ReadablePlan:
    state: PlanState
    #: The reader may see this round's scores: last year's goals with what they achieved.
    achieved_shown: bool
    #: The reader may see last round's scores: last year's goals with where they stood before.
    before_shown: bool


def plan_assessment(school: School, round_: Round) -> Assessment | None:
    """The assessment a plan belongs to (None: the school has none in the round, so no plan either)."""
    query = select(Assessment).where(Assessment.school_id == school.id, Assessment.round_id == round_.id)
    return db.session.scalars(query).first()


def readable_plan(school: School, round_: Round, reader: User, assessment: Assessment) -> ReadablePlan:
    earlier = previous_round(round_)
    before = plan_assessment(school, earlier) if earlier else None
    return ReadablePlan(
        load_plan(school, round_),
        achieved_shown=can_view_scores(reader, school, assessment),
        before_shown=can_view_scores(reader, school, before),
    )


def plan_document(school: School, round_: Round, reader: User, assessment: Assessment) -> PlanDocument:
    """The scores as the report shows them to `reader` (none of a draft outside the team), the comments whole where
    the team shares them, the plan with last year's goals."""
    readable = readable_plan(school, round_, reader, assessment)
    reports = list(iter_reports(round_, [school], statuses=("submitted", "draft"), reader=reader))
    if not reports:
        raise NotFound(NO_ASSESSMENT)
    state, previous = readable.state, readable.state.previous
    texts_shown = can_view_scores(reader, school, assessment) and can_view_shared_texts(reader, school, assessment)
    return PlanDocument(
        report=reports[0],
        goals=state.goals,
        agreements=state.agreements,
        offers=state.offers,
        previous=PreviousGoals(previous.round_name, previous.outcomes, readable.achieved_shown, readable.before_shown)
        if previous
        else None,
        comments=_comments(assessment.id) if texts_shown else {},
    )


def _comments(assessment_id: int) -> dict[str, str]:
    query = select(Rating.indicator_id, Rating.comment).where(Rating.assessment_id == assessment_id, Rating.comment != "")
    return {indicator: comment for indicator, comment in db.session.execute(query)}
