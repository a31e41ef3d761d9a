"""Delete the individual sheets when the assessment is submitted, if the team chose so (called by assessments.submit)."""

from __future__ import annotations

from sqlalchemy import delete, select

from ...database import changed_rows
from ...extensions import db
from ...models import Assessment, MemberRating, MemberSheet


def delete_sheets_if_chosen(assessment: Assessment) -> int:
    """The number of sheets deleted (0 when the team keeps them)."""
    if not assessment.delete_sheets_on_submit:
        return 0
    return delete_sheets(assessment.id)


def delete_sheets(assessment_id: int) -> int:
    sheet_ids = select(MemberSheet.id).where(MemberSheet.assessment_id == assessment_id)
    db.session.execute(delete(MemberRating).where(MemberRating.sheet_id.in_(sheet_ids)))
    return changed_rows(db.session, delete(MemberSheet).where(MemberSheet.assessment_id == assessment_id))
