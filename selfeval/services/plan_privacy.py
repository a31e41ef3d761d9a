"""The development plan (issue 18) in a DSGVO export (Art. 15) and in an account's erasure (Art. 17).

A plan and its agreements are school data, like the ratings: they stay when an account is erased. What is the
person's is the authorship: the agreements a Medienberater:in recorded (with their name beside them), the plans a
team member changed last, the agreements a team member confirmed. The export lists these (the changes themselves
are in the audit trail the export holds anyway: "plan.changed", "plan.agreement_recorded",
"plan.agreement_confirmed"); the erasure replaces the recorder's name by the neutral marker and drops the links
to the account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from ..database import changed_rows
from ..extensions import db
from ..models import Assessment, Plan, PlanAgreement, Round, School, User
from .audit import ERASED_ACCOUNT


def plans_for_export(user: User) -> dict[str, list[dict[str, Any]]]:
    """The account's traces in plans, by kind; kinds without any are left out."""
    found = {
        "plan_agreements_recorded": [
            {
                "schulnummer": schulnummer, "school": school, "round": round_name,
                "held_on": row.held_on.isoformat(), "participants": row.participants, "text": row.text,
                "next_contact": _iso(row.next_contact), "recorded_at": _iso(row.recorded_at),
                "confirmed_at": _iso(row.confirmed_at),
            }
            for row, schulnummer, school, round_name in _agreements(PlanAgreement.recorded_by_id == user.id)
        ],
        "plan_agreements_confirmed": [
            {"schulnummer": schulnummer, "round": round_name, "held_on": row.held_on.isoformat(),
             "confirmed_at": _iso(row.confirmed_at)}
            for row, schulnummer, _, round_name in _agreements(PlanAgreement.confirmed_by_id == user.id)
        ],
        "plans_last_changed": [
            {"schulnummer": schulnummer, "round": round_name, "version": plan.version, "updated_at": _iso(plan.updated_at)}
            for plan, schulnummer, round_name in db.session.execute(
                _with_school_and_round(select(Plan, School.schulnummer, Round.name), Plan.assessment_id)
                .where(Plan.updated_by_id == user.id)
                .order_by(Plan.id)
            )
        ],
    }  # fmt: skip
    return {kind: entries for kind, entries in found.items() if entries}


def erase_plan_traces(user: User) -> int:
    """Before the account is deleted: its agreements name the marker, nothing links to it. Returns how many
    agreements it had recorded. (Explicit rather than ON DELETE SET NULL, which SQLite enforces only with a pragma;
    and the name beside the link would stay.)"""
    recorded = changed_rows(
        db.session,
        update(PlanAgreement)
        .where(PlanAgreement.recorded_by_id == user.id)
        .values(recorded_by_id=None, recorded_by_name=ERASED_ACCOUNT)
        .execution_options(synchronize_session=False),
    )
    db.session.execute(
        update(PlanAgreement)
        .where(PlanAgreement.confirmed_by_id == user.id)
        .values(confirmed_by_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Plan).where(Plan.updated_by_id == user.id).values(updated_by_id=None).execution_options(synchronize_session=False)
    )
    return recorded


def count_recorded(user: User) -> int:
    query = select(func.count()).select_from(PlanAgreement).where(PlanAgreement.recorded_by_id == user.id)
    return db.session.scalar(query) or 0


def _agreements(condition) -> list[Any]:
    query = select(PlanAgreement, School.schulnummer, School.name, Round.name).join(Plan, Plan.id == PlanAgreement.plan_id)
    query = _with_school_and_round(query, Plan.assessment_id).where(condition)
    return list(db.session.execute(query.order_by(PlanAgreement.held_on, PlanAgreement.id)))


def _with_school_and_round(query, assessment_id):
    return (
        query.join(Assessment, Assessment.id == assessment_id)
        .join(School, School.id == Assessment.school_id)
        .join(Round, Round.id == Assessment.round_id)
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
