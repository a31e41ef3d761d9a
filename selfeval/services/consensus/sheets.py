"""A member's own sheet in the individual phase: read, save (optimistic locking per sheet), finish.

Each sheet has its own version, so two members saving at the same moment never conflict; only the same member in
two tabs does (412 / the page's conflict notice). The first save creates the sheet (INSERT … ON CONFLICT DO NOTHING:
two tabs' first saves both use the one sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from ...catalog import Catalog, Criterion
from ...database import changed_rows, insert_or_ignore
from ...extensions import db
from ...models import MemberRating, MemberSheet, Round, School, User
from ...models.types import utcnow
from ...vocabulary import CONSENSUS_PHASE, INDIVIDUAL_PHASE, SHARED_PHASE
from ..catalog_snapshots import snapshot_catalog
from ..errors import ServiceError
from ..rating_input import UNCHANGED, RatingChange
from .team import change_phase, find_assessment, finished_count, rating_members, require_individual_phase


@dataclass(frozen=True)
class SheetRating:
    score: int | None = None
    comment: str = ""


EMPTY = SheetRating()


@dataclass(frozen=True)
class SheetState:
    """One member's sheet and the team's progress, detached from the session."""

    schulnummer: str
    round_slug: str
    catalog: Catalog
    phase: str
    is_editable: bool  # the individual phase is open and the assessment is a draft in an open round
    version: int
    finished_at: datetime | None
    members: int  # how many of the team rate
    finished: int  # how many of them have finished
    ratings: dict[str, SheetRating] = field(default_factory=dict)

    def rating(self, indicator_id: str) -> SheetRating:
        return self.ratings.get(indicator_id, EMPTY)

    @property
    def rated(self) -> int:
        return sum(1 for r in self.ratings.values() if r.score is not None)

    def rated_in(self, criterion: Criterion) -> int:
        return sum(1 for indicator in criterion.indicators if self.rating(indicator.id).score is not None)


class SheetConflict(ServiceError):
    """The member's own sheet was saved meanwhile (another tab): nothing changed; `current` is the sheet now."""

    def __init__(self, current: SheetState, base_version: int):
        self.current = current
        super().__init__(f"Ihr Blatt wurde inzwischen gespeichert (Version {current.version}, nicht {base_version}).")


def load_sheet(school: School, round_: Round, user: User) -> SheetState:
    assessment = find_assessment(school, round_)
    members = rating_members(school)
    sheet = _sheet(assessment.id, user.id) if assessment is not None else None
    ratings = {r.indicator_id: SheetRating(r.score, r.comment) for r in sheet.ratings} if sheet else {}
    editable = assessment is not None and assessment.phase == INDIVIDUAL_PHASE and assessment.status == "draft" and round_.is_open
    return SheetState(
        schulnummer=school.schulnummer,
        round_slug=round_.slug,
        catalog=snapshot_catalog(assessment.catalog_snapshot if assessment else round_.catalog_snapshot),
        phase=assessment.phase if assessment else SHARED_PHASE,
        is_editable=editable,
        version=sheet.version if sheet else 0,
        finished_at=sheet.finished_at if sheet else None,
        members=len(members),
        finished=finished_count(assessment, members),
        ratings=ratings,
    )


def save_sheet(school: School, round_: Round, user: User, base_version: int, changes: dict[str, RatingChange]) -> SheetState:
    """Apply a partial update of the member's own sheet made on `base_version`, all or nothing; the caller commits."""
    assessment = require_individual_phase(find_assessment(school, round_))
    sheet = _ensure_sheet(assessment.id, user.id)
    if sheet.version != base_version:
        raise SheetConflict(load_sheet(school, round_, user), base_version)
    stored = {r.indicator_id: r for r in sheet.ratings}
    effective = {key: change for key, change in changes.items() if _changes_something(stored.get(key), change)}
    if not effective:
        return load_sheet(school, round_, user)
    _claim(sheet, base_version, school, round_, user)
    for indicator_id, change in effective.items():
        rating = stored.get(indicator_id) or MemberRating(sheet_id=sheet.id, indicator_id=indicator_id, comment="")
        if change.score is not UNCHANGED:
            rating.score = change.score
        if change.comment is not UNCHANGED:
            rating.comment = change.comment
        db.session.add(rating)
    db.session.flush()
    return load_sheet(school, round_, user)


def finish_sheet(school: School, round_: Round, user: User) -> SheetState:
    """The member is done ("fertig"); when the last member finishes, the consensus phase opens by itself.

    The assessment row is locked before counting, so that of two members finishing at the same moment the second
    counts the first (PostgreSQL: FOR UPDATE waits for the first's commit; SQLite: one writer at a time).
    """
    assessment = require_individual_phase(find_assessment(school, round_, for_update=True))
    sheet = _ensure_sheet(assessment.id, user.id)
    if sheet.finished_at is None:
        sheet.finished_at = utcnow()
        db.session.flush()
    members = rating_members(school)
    if members and finished_count(assessment, members) == len(members):
        change_phase(assessment, assessment.version, CONSENSUS_PHASE)
    db.session.flush()
    return load_sheet(school, round_, user)


def _sheet(assessment_id: int, user_id: int) -> MemberSheet | None:
    query = (
        select(MemberSheet)
        .where(MemberSheet.assessment_id == assessment_id, MemberSheet.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).one_or_none()


def _ensure_sheet(assessment_id: int, user_id: int) -> MemberSheet:
    now = utcnow()
    values = {"assessment_id": assessment_id, "user_id": user_id, "version": 0, "updated_at": now}
    insert_or_ignore(db.session, MemberSheet, values, ["assessment_id", "user_id"])
    sheet = _sheet(assessment_id, user_id)
    assert sheet is not None  # noqa: S101 - just inserted or there already (deleted only with its assessment)  # nosec B101
    return sheet


def _claim(sheet: MemberSheet, base_version: int, school: School, round_: Round, user: User) -> None:
    """Compare-and-set on the sheet's own version: only the member's other tab can have come first."""
    claimed = changed_rows(
        db.session,
        update(MemberSheet)
        .where(MemberSheet.id == sheet.id, MemberSheet.version == base_version)
        .values(version=base_version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        db.session.expire_all()
        raise SheetConflict(load_sheet(school, round_, user), base_version)


def _changes_something(rating: MemberRating | None, change: RatingChange) -> bool:
    score, comment = (rating.score, rating.comment) if rating else (None, "")
    return (change.score is not UNCHANGED and change.score != score) or (
        change.comment is not UNCHANGED and change.comment != comment
    )
