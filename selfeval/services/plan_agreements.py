"""Agreements with the Medienberatung on a school's plan: recorded by the adviser in scope, confirmed by the team.

The caller commits (unit_of_work) and has checked permissions.can_record_agreement / can_edit_plan.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from ..database import changed_rows, insert_or_ignore
from ..extensions import db
from ..models import Assessment, Plan, PlanAgreement, Round, School, User
from ..models.types import utcnow
from ..planning import check_agreement
from . import audit
from .errors import NotFound, ServiceError
from .plans import NO_ASSESSMENT


class AlreadyConfirmed(ServiceError):
    pass


def record_agreement(school: School, round_: Round, adviser: User, raw: Any) -> PlanAgreement:
    """Keep what was agreed (date, participants as functions, text, next contact); PlanInvalid names problems.

    An agreement may come before the team has written goals: the plan is made for it then, empty."""
    values = check_agreement(raw if isinstance(raw, dict) else {})
    plan = _plan_made_if_missing(school, round_)
    row = PlanAgreement(plan_id=plan.id, recorded_by_id=adviser.id, recorded_by_name=adviser.display_name, **values)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "plan.agreement_recorded", actor=adviser, school=school, round_=round_, subject=values["held_on"].isoformat(),
        changes={"vereinbarung": [None, values["text"][:200]]},
    )  # fmt: skip
    return row


def confirm_agreement(school: School, round_: Round, user: User, agreement_id: int) -> PlanAgreement:
    """The team confirms an agreement (once: a second confirmation, also from a colleague at the same moment, is
    refused with AlreadyConfirmed)."""
    row = _agreement(school, round_, agreement_id)
    claimed = changed_rows(
        db.session,
        update(PlanAgreement)
        .where(PlanAgreement.id == row.id, PlanAgreement.confirmed_at.is_(None))
        .values(confirmed_at=utcnow(), confirmed_by_id=user.id)
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        raise AlreadyConfirmed("Diese Vereinbarung ist schon bestätigt.")
    db.session.expire_all()
    audit.record(
        "plan.agreement_confirmed", actor=user, school=school, round_=round_, subject=row.held_on.isoformat()
    )  # fmt: skip
    return row


def _agreement(school: School, round_: Round, agreement_id: int) -> PlanAgreement:
    query = (
        select(PlanAgreement)
        .join(Plan, Plan.id == PlanAgreement.plan_id)
        .join(Assessment, Assessment.id == Plan.assessment_id)
        .where(PlanAgreement.id == agreement_id, Assessment.school_id == school.id, Assessment.round_id == round_.id)
    )
    row = db.session.scalars(query).first()
    if row is None:
        raise NotFound("Diese Vereinbarung gibt es nicht.")
    return row


def _plan_made_if_missing(school: School, round_: Round) -> Plan:
    query = select(Assessment.id).where(Assessment.school_id == school.id, Assessment.round_id == round_.id)
    assessment_id = db.session.scalars(query).first()
    if assessment_id is None:
        raise NotFound(NO_ASSESSMENT)
    values = {"assessment_id": assessment_id, "version": 0, "goals": [], "updated_at": utcnow()}
    insert_or_ignore(db.session, Plan, values, ["assessment_id"])
    return db.session.scalars(select(Plan).where(Plan.assessment_id == assessment_id)).one()
