"""What the consensus modules share: the assessment of a school and round, its members, its sheets."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ...database import changed_rows, insert_or_ignore
from ...extensions import db
from ...models import Assessment, MemberSheet, Membership, Round, School, User
from ...models.types import utcnow
from ...vocabulary import INDIVIDUAL_PHASE, SHARED_PHASE
from ..assessments import AssessmentLocked
from ..errors import NotFound


class NotInIndividualPhase(AssessmentLocked):
    """An own sheet is written only while the team rates individually (answered like a locked assessment: 409)."""


def find_assessment(school: School, round_: Round, *, for_update: bool = False) -> Assessment | None:
    query = select(Assessment).where(Assessment.school_id == school.id, Assessment.round_id == round_.id)
    if for_update:  # PostgreSQL: waits for whoever holds the row; SQLite's single writer does the same
        query = query.with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one_or_none()


def ensure_assessment(school: School, round_: Round) -> Assessment:
    """The assessment; a phase change before the first save creates the draft (as a first save would)."""
    now = utcnow()
    values = {
        "school_id": school.id, "round_id": round_.id, "catalog_snapshot_id": round_.catalog_snapshot_id,
        "status": "draft", "version": 0, "phase": SHARED_PHASE, "created_at": now, "updated_at": now,
    }  # fmt: skip
    insert_or_ignore(db.session, Assessment, values, ["school_id", "round_id"])
    assessment = find_assessment(school, round_)
    if assessment is None:  # deleted in between, with its school or round
        raise NotFound("Diese Bewertung gibt es nicht mehr.")
    return assessment


def ensure_editable(assessment: Assessment) -> None:
    if assessment.status == "submitted":
        raise AssessmentLocked("Die Bewertung ist abgeschlossen und kann nicht mehr geändert werden.")
    if not assessment.round.is_open:
        raise AssessmentLocked(f"Die Erhebungsrunde {assessment.round.name} ist geschlossen.")


def rating_members(school: School) -> list[User]:
    """Who rates: the team's active members who have set a password (an open invitation does not count)."""
    query = (
        select(User)
        .join(Membership)
        .where(Membership.school_id == school.id, User.active.is_(True), User.password_hash.is_not(None))
        .order_by(User.display_name, User.id)
    )
    return list(db.session.scalars(query))


def sheets_of(assessment: Assessment) -> list[MemberSheet]:
    query = (
        select(MemberSheet)
        .where(MemberSheet.assessment_id == assessment.id)
        .options(selectinload(MemberSheet.ratings), selectinload(MemberSheet.user))
        .order_by(MemberSheet.id)
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(query))


def finished_count(assessment: Assessment | None, members: list[User]) -> int:
    if assessment is None:
        return 0
    ids = {member.id for member in members}
    return sum(1 for sheet in sheets_of(assessment) if sheet.finished_at is not None and sheet.user_id in ids)


def change_phase(assessment: Assessment, base_version: int, phase: str, **values) -> bool:
    """Compare-and-set on the assessment's version: False when someone changed it first."""
    claimed = changed_rows(
        db.session,
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.version == base_version)
        .values(version=base_version + 1, phase=phase, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False),
    )
    db.session.expire(assessment)
    return claimed == 1


def require_individual_phase(assessment: Assessment | None) -> Assessment:
    if assessment is None or assessment.phase != INDIVIDUAL_PHASE:
        raise NotInIndividualPhase("Die Einzelbewertung ist gerade nicht geöffnet; Ihr Blatt kann nicht geändert werden.")
    ensure_editable(assessment)
    return assessment


def reopen_sheets(assessment: Assessment) -> None:
    """Nobody counts as finished any more (the team went back from the consensus to the individual phase)."""
    db.session.execute(
        update(MemberSheet).where(MemberSheet.assessment_id == assessment.id).values(finished_at=None),
        execution_options={"synchronize_session": False},
    )
