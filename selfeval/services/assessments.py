"""A school's assessment in a round: read, save ratings (optimistic locking), submit, reopen."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..catalog import Catalog, Criterion
from ..database import changed_rows, insert_or_ignore, undo_only_this_statement
from ..extensions import db
from ..models import Assessment, Membership, Rating, Round, School, User
from ..models.types import utcnow
from ..permissions import can_release_texts
from ..scoring import AssessmentScores, missing_indicators, score_assessment
from . import audit
from .catalog_snapshots import snapshot_catalog
from .errors import NotFound, ServiceError
from .rating_input import UNCHANGED, RatingChange


@dataclass(frozen=True)
class RatingState:
    score: int | None = None
    comment: str = ""
    changed_in_version: int = 0
    updated_at: datetime | None = None
    updated_by: str = ""  # display name of who changed it last


EMPTY_RATING = RatingState()


@dataclass(frozen=True)
class AssessmentState:
    """Everything a page or the API shows about one assessment, detached from the session."""

    schulnummer: str
    round_slug: str
    round_name: str
    round_is_open: bool
    catalog: Catalog
    status: str
    version: int
    ratings: dict[str, RatingState]
    submitted_at: datetime | None = None
    submitted_by: str = ""
    #: The team released its comments to supervision and the Schulträger (permissions.can_view_shared_texts).
    comments_released: bool = False

    def rating(self, indicator_id: str) -> RatingState:
        return self.ratings.get(indicator_id, EMPTY_RATING)

    @cached_property
    def scores(self) -> AssessmentScores:
        return score_assessment(self.catalog, {key: r.score for key, r in self.ratings.items()})

    @property
    def missing(self) -> list[str]:
        return missing_indicators(self.catalog, {key: r.score for key, r in self.ratings.items()})

    def rated_count(self, criterion: Criterion) -> int:
        return sum(1 for indicator in criterion.indicators if self.rating(indicator.id).score is not None)

    @property
    def is_editable(self) -> bool:
        return self.status == "draft" and self.round_is_open

    def without_texts(self) -> AssessmentState:
        """The same assessment with every comment left out: what a reader sees whom the team did not share them with."""
        return replace(self, ratings={key: replace(r, comment="") for key, r in self.ratings.items()})


class AssessmentLocked(ServiceError):
    """Submitted, or the round is closed: nothing can be changed."""


class RoundGone(AssessmentLocked):
    """The round was deleted (it was empty) in the moment this first save was to create the school's draft."""


class VersionConflict(ServiceError):
    """The save was based on an older version; `changed` names the indicators changed since."""

    def __init__(self, current: AssessmentState, base_version: int):
        self.current = current
        self.changed = [key for key, r in current.ratings.items() if r.changed_in_version > base_version]
        super().__init__(f"Version {base_version} ist veraltet; aktuell ist Version {current.version}.")


class NotReadyToSubmit(ServiceError):
    def __init__(self, missing: list[str], has_leadership: bool):
        self.missing = missing
        self.has_leadership = has_leadership
        super().__init__("Die Bewertung ist noch nicht vollständig.")


class NotLeadership(ServiceError):
    pass


def load_state(school: School, round_: Round) -> AssessmentState:
    """The assessment, or an empty draft if the team has not started yet."""
    assessment = _find(school, round_)
    return _empty_state(school, round_) if assessment is None else _state(assessment)


def load_states(school: School, rounds: list[Round]) -> dict[int, AssessmentState]:
    """`load_state` for several rounds by round id, in one statement whatever their number (the start page)."""
    query = (
        select(Assessment)
        .where(Assessment.school_id == school.id, Assessment.round_id.in_([round_.id for round_ in rounds]))
        .options(
            joinedload(Assessment.ratings).joinedload(Rating.updated_by),
            joinedload(Assessment.submitted_by),
            joinedload(Assessment.catalog_snapshot),
        )
        .execution_options(populate_existing=True)
    )
    found = {assessment.round_id: assessment for assessment in db.session.scalars(query).unique()}
    return {r.id: _state(found[r.id]) if r.id in found else _empty_state(school, r) for r in rounds}


def _empty_state(school: School, round_: Round) -> AssessmentState:
    """A round the school has not started: an empty draft in the round's catalogue."""
    catalog = snapshot_catalog(round_.catalog_snapshot)
    return AssessmentState(school.schulnummer, round_.slug, round_.name, round_.is_open, catalog, "draft", 0, {})


def save_ratings(
    school: School, round_: Round, user: User, base_version: int, changes: dict[str, RatingChange]
) -> AssessmentState:
    """Apply a partial update made on `base_version`, all or nothing; the caller commits."""
    assessment = _find(school, round_) or _create(school, round_)
    _ensure_editable(assessment)
    if assessment.version != base_version:
        raise VersionConflict(_state(assessment), base_version)
    stored = {rating.indicator_id: rating for rating in assessment.ratings}
    effective = {key: change for key, change in changes.items() if _changes_something(stored.get(key), change)}
    if not effective:
        return _state(assessment)
    new_version = _claim_next_version(assessment, base_version)
    now = _now()
    trail = {}
    for indicator_id, change in effective.items():
        rating = stored.get(indicator_id) or Rating(assessment=assessment, indicator_id=indicator_id, comment="")
        before = {"score": rating.score, "comment": rating.comment or ""}
        if change.score is not UNCHANGED:
            rating.score = change.score
        if change.comment is not UNCHANGED:
            rating.comment = change.comment
        rating.changed_in_version, rating.updated_at, rating.updated_by = new_version, now, user
        trail[indicator_id] = audit.diff(before, {"score": rating.score, "comment": rating.comment})
        db.session.add(rating)
    audit.record_rating_changes(user, school, round_, trail)
    db.session.flush()
    return _state(assessment)


def submit(
    school: School, round_: Round, user: User, base_version: int, *, release_comments: bool = False
) -> AssessmentState:
    """Close the assessment: every indicator rated, a Schulleitung member on the team.

    `release_comments`: the team shares its Belege/Anmerkungen with supervision and the Schulträger (off by default).
    """
    assessment = _find(school, round_)
    if assessment is None:
        state = load_state(school, round_)
        raise NotReadyToSubmit(state.missing, has_leadership_member(school))
    _ensure_editable(assessment)
    if assessment.version != base_version:
        raise VersionConflict(_state(assessment), base_version)
    state = _state(assessment)
    if state.missing or not has_leadership_member(school):
        raise NotReadyToSubmit(state.missing, has_leadership_member(school))
    _claim_next_version(assessment, base_version, status="submitted", submitted_at=_now(), submitted_by_id=user.id)
    audit.record("assessment.submitted", actor=user, school=school, round_=round_)
    if release_comments != assessment.comments_released:
        _record_release(assessment, release_comments, user)
    db.session.flush()
    return _state(assessment)


def set_comments_released(school: School, round_: Round, user: User, released: bool) -> AssessmentState:
    """Release the comments to supervision and the Schulträger, or take the release back: a Schulleitung member's
    decision, audited; also after submission and in a closed round (it changes who reads, not what was rated)."""
    if not can_release_texts(user, school):
        raise NotLeadership("Nur ein Mitglied der Schulleitung im Team kann die Freigabe ändern.")
    assessment = _find(school, round_)
    if assessment is None:
        raise NotFound("Diese Schule hat in dieser Runde noch keine Bewertung.")
    if released != assessment.comments_released:
        _record_release(assessment, released, user)
    db.session.flush()
    return _state(assessment)


def _record_release(assessment: Assessment, released: bool, user: User) -> None:
    before = {"comments_released": assessment.comments_released}
    assessment.comments_released = released
    changes = audit.diff(before, {"comments_released": released})
    audit.record(
        "assessment.comments_released" if released else "assessment.comments_withdrawn",
        actor=user, school=assessment.school, round_=assessment.round, changes=changes,
    )  # fmt: skip


def reopen(school: School, round_: Round, user: User) -> AssessmentState:
    """Back to draft, by a Schulleitung member of this school while the round is open."""
    refusal = reopen_refusal(school, round_, user)
    if refusal is not None:
        raise refusal
    assessment = _existing(school_id=school.id, round_id=round_.id)  # reopen_refusal found it
    _claim_next_version(assessment, assessment.version, status="draft", submitted_at=None, submitted_by_id=None)
    audit.record("assessment.reopened", actor=user, school=school, round_=round_)
    db.session.flush()
    return _state(assessment)


def reopen_refusal(school: School, round_: Round, user: User) -> ServiceError | None:
    """Why `user` cannot reopen this assessment now (the error `reopen` would raise), or None."""
    if not is_leadership_member(user, school):
        return NotLeadership("Nur ein Mitglied der Schulleitung im Team kann eine Bewertung wieder öffnen.")
    assessment = _find(school, round_)
    if assessment is None or assessment.status != "submitted":
        return AssessmentLocked("Die Bewertung ist nicht abgeschlossen.")
    if not round_.is_open:
        return AssessmentLocked(f"Die Erhebungsrunde {round_.name} ist geschlossen.")
    return None


def has_leadership_member(school: School) -> bool:
    """An active Schulleitung member who has set a password: an invitation nobody accepted does not count."""
    query = (
        select(Membership.id)
        .join(User)
        .where(
            Membership.school_id == school.id,
            Membership.is_leadership.is_(True),
            User.active.is_(True),
            User.password_hash.is_not(None),
        )
    )
    return db.session.scalars(query).first() is not None


def is_leadership_member(user: User, school: School) -> bool:
    return any(m.school_id == school.id and m.is_leadership for m in user.memberships)


def _find(school: School, round_: Round) -> Assessment | None:
    return _load(school_id=school.id, round_id=round_.id)


def _load(**criteria) -> Assessment | None:
    """The assessment with its ratings in one statement: one snapshot, so the version matches the ratings.

    Two statements (the assessment, then its ratings) could straddle a colleague's commit under READ COMMITTED
    and show version 3 with the ratings of version 4.
    """
    query = (
        select(Assessment)
        .filter_by(**criteria)
        .options(joinedload(Assessment.ratings).joinedload(Rating.updated_by))
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).unique().one_or_none()


def _existing(**criteria) -> Assessment:
    """`_load` where the caller knows the assessment exists (it just found or inserted it)."""
    assessment = _load(**criteria)
    if assessment is None:  # deleted in between, with its school or round
        raise NotFound("Diese Bewertung gibt es nicht mehr.")
    return assessment


def _create(school: School, round_: Round) -> Assessment:
    """The first save creates the assessment; if a colleague's first save just did, use theirs."""
    values = {
        "school_id": school.id,
        "round_id": round_.id,
        "catalog_snapshot_id": round_.catalog_snapshot_id,
        "status": "draft",
        "version": 0,
        "created_at": _now(),
        "updated_at": _now(),
    }
    # If an admin deleted the empty round just now, the foreign key refuses the draft: only this statement is
    # undone, so that the caller can still show the team its input (RoundGone).
    try:
        with undo_only_this_statement(db.session):
            insert_or_ignore(db.session, Assessment, values, ["school_id", "round_id"])
    except IntegrityError:
        gone = f"Die Erhebungsrunde {round_.name} wurde inzwischen von der Verwaltung gelöscht."
        raise RoundGone(f"{gone} Ihre Eingaben sind nicht gespeichert.") from None
    return _existing(school_id=school.id, round_id=round_.id)


def _ensure_editable(assessment: Assessment) -> None:
    if assessment.status == "submitted":
        raise AssessmentLocked("Die Bewertung ist abgeschlossen und kann nicht mehr geändert werden.")
    if not assessment.round.is_open:
        raise AssessmentLocked(f"Die Erhebungsrunde {assessment.round.name} ist geschlossen.")


def _claim_next_version(assessment: Assessment, base_version: int, **values) -> int:
    """Compare-and-set on the version column: the database decides who was first."""
    claimed = changed_rows(
        db.session,
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.version == base_version)
        .values(version=base_version + 1, updated_at=_now(), **values)
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        # A colleague's save came first. What they committed is read afresh (this statement sees it: READ COMMITTED
        # on PostgreSQL, SQLite's write lock); the caller's transaction ends with the error (unit_of_work).
        db.session.expire_all()
        raise VersionConflict(_state(_existing(id=assessment.id)), base_version)
    db.session.refresh(assessment)
    return base_version + 1


def _changes_something(rating: Rating | None, change: RatingChange) -> bool:
    score, comment = (rating.score, rating.comment) if rating else (None, "")
    return (change.score is not UNCHANGED and change.score != score) or (
        change.comment is not UNCHANGED and change.comment != comment
    )


def _state(assessment: Assessment) -> AssessmentState:
    round_ = assessment.round
    ratings = {
        r.indicator_id: RatingState(r.score, r.comment, r.changed_in_version, r.updated_at, _author(r.updated_by))
        for r in assessment.ratings
    }
    return AssessmentState(
        schulnummer=assessment.school.schulnummer,
        round_slug=round_.slug,
        round_name=round_.name,
        round_is_open=round_.is_open,
        catalog=snapshot_catalog(assessment.catalog_snapshot),
        status=assessment.status,
        version=assessment.version,
        ratings=ratings,
        submitted_at=assessment.submitted_at,
        submitted_by=_author(assessment.submitted_by) if assessment.submitted_at else "",
        comments_released=bool(assessment.comments_released),
    )


def _author(user: User | None) -> str:
    """Who made a change; after an account's erasure only the neutral marker remains."""
    return user.display_name if user is not None else audit.ERASED_ACCOUNT


def _now() -> datetime:
    return utcnow()
