"""The individual sheets in a DSGVO export (Art. 15) and in an account's erasure (Art. 17).

Unlike the assessment's ratings (school data, kept with a neutral author), a member's own sheet is that member's
personal opinion: the export lists it in full, the erasure deletes it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ...database import changed_rows
from ...extensions import db
from ...models import Assessment, MemberRating, MemberSheet, User


def sheets_for_export(user: User) -> list[dict[str, Any]]:
    query = (
        select(MemberSheet)
        .where(MemberSheet.user_id == user.id)
        .options(selectinload(MemberSheet.ratings))
        .order_by(MemberSheet.id)
    )
    return [_exported(sheet) for sheet in db.session.scalars(query)]


def _exported(sheet: MemberSheet) -> dict[str, Any]:
    assessment = db.session.get(Assessment, sheet.assessment_id)
    assert assessment is not None  # noqa: S101 - the sheet goes with its assessment  # nosec B101
    return {
        "schulnummer": assessment.school.schulnummer,
        "round": assessment.round.name,
        "version": sheet.version,
        "finished_at": sheet.finished_at.isoformat() if sheet.finished_at else None,
        "ratings": {
            r.indicator_id: {"score": r.score, "comment": r.comment} for r in sorted(sheet.ratings, key=lambda r: r.indicator_id)
        },
    }


def erase_sheets(user: User) -> int:
    """Delete the member's sheets with their ratings; returns how many sheets."""
    sheet_ids = select(MemberSheet.id).where(MemberSheet.user_id == user.id)
    db.session.execute(delete(MemberRating).where(MemberRating.sheet_id.in_(sheet_ids)))
    return changed_rows(db.session, delete(MemberSheet).where(MemberSheet.user_id == user.id))
