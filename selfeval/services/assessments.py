"""A school's assessment in a round: read, save ratings (optimistic locking), submit, reopen."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..catalog import Catalog
from ..database import changed_rows, insert_or_ignore, undo_only_this_statement
from ..extensions import db
from ..models import Assessment, Membership, Rating, Round, School, User
from ..models.types import utcnow
from ..permissions import can_release_texts
from ..vocabulary import INDIVIDUAL_PHASE, SHARED_PHASE
from . import assessment_rows as rows
from . import audit
from .assessment_state import AssessmentState, RatingState
from .catalog_snapshots import catalog_of_snapshot
from .consensus.cleanup import delete_sheets_if_chosen
from .errors import NotFound, ServiceError
from .rating_input import UNCHANGED, RatingChange

if TYPE_CHECKING:  # an annotation only: importing services.accounts here would close a cycle through jobs
    from .accounts.principal import Principal


class AssessmentLocked(ServiceError):
    """Submitted, or the round is closed: nothing can be changed."""


class SharedFormClosed(AssessmentLocked):
    """The team rates individually just now: the shared form (and submitting) waits for the consensus phase."""


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
    """The assessment, or an empty draft if the team has not started yet (one statement, see assessment_rows)."""
    fetched = rows.fetch(ids=(school.id, round_.id)) or rows.Fetched()
    return state_of(fetched, school.schulnummer, round_facts(round_))


def fetch_addressed(schulnummer: str, round_slug: str, merge: rows.MergeQuery | None = None) -> rows.Fetched:
    """School, round and assessment of an address in one statement (the API's hot path); NotFound if none exists.

    The caller checks the permission on `fetched.school` before it shows anything, then `fetched.round`.
    """
    fetched = rows.fetch(address=(schulnummer, round_slug), merge=merge)
    if fetched is None or fetched.school is None:
        raise NotFound(f"Schule {schulnummer} nicht gefunden")
    return fetched


def round_facts(round_: Round) -> rows.RoundFacts:
    return rows.RoundFacts(round_.id, round_.slug, round_.name, round_.is_open, round_.catalog_snapshot_id)


def catalog_of(fetched: rows.Fetched, round_: rows.RoundFacts) -> Catalog:
    """The assessment's catalogue; before its first save, the one the round pins."""
    return catalog_of_snapshot(fetched.catalog_snapshot_id or round_.catalog_snapshot_id, fetched.snapshot_digest)


def state_of(fetched: rows.Fetched, schulnummer: str, round_: rows.RoundFacts) -> AssessmentState:
    ratings = {
        key: RatingState(r.score, r.comment, r.changed_in_version, r.updated_at, r.updated_by)
        for key, r in fetched.ratings.items()
    }
    return AssessmentState(
        schulnummer=schulnummer,
        round_slug=round_.slug,
        round_name=round_.name,
        round_is_open=round_.is_open,
        catalog=catalog_of(fetched, round_),
        status=fetched.status,
        version=fetched.version,
        ratings=ratings,
        submitted_at=fetched.submitted_at,
        submitted_by=fetched.submitted_by,
        phase=fetched.phase,
        comments_released=fetched.comments_released,
    )


def load_for_saving(school: School, round_: Round, user: User, indicators: frozenset[str]) -> rows.Fetched:
    """What `load_state` reads, with the audit entries a save of `indicators` by `user` may merge into."""
    return rows.fetch(ids=(school.id, round_.id), merge=rows.MergeQuery(user.id, indicators)) or rows.Fetched()


def save_ratings(
    school: School,
    round_: Round,
    user: User,
    base_version: int,
    changes: dict[str, RatingChange],
    loaded: rows.Fetched | None = None,
) -> AssessmentState:
    """Apply a partial update made on `base_version`, all or nothing; the caller commits.

    `loaded`: what `load_for_saving` read in this request for these changes (saves reading it again).
    """
    fetched = loaded or load_for_saving(school, round_, user, frozenset(changes))
    return save_fetched(fetched, school.id, school.schulnummer, round_facts(round_), user, base_version, changes)


def save_fetched(
    fetched: rows.Fetched,
    school_id: int,
    schulnummer: str,
    round_: rows.RoundFacts,
    user: User | Principal,
    base_version: int,
    changes: dict[str, RatingChange],
) -> AssessmentState:
    """`save_ratings` on an assessment `rows.fetch` read with the merge query of `changes`: 3 more statements.

    Compare-and-set of the version, the ratings, the audit entries; a first save creates the draft. Every refusal
    (VersionConflict, AssessmentLocked, RoundGone) is raised before this call has written anything.
    """
    if fetched.assessment_id is None:
        _ensure_open(round_)
        if base_version != 0:  # refused before anything is written: no empty draft is left behind
            raise VersionConflict(state_of(fetched, schulnummer, round_), base_version)
        fetched = _create(school_id, round_, rows.MergeQuery(user.id, frozenset(changes)))
    _ensure_editable(fetched.status, round_, fetched.phase)
    state = state_of(fetched, schulnummer, round_)
    if fetched.version != base_version:
        raise VersionConflict(state, base_version)
    before = {key: (r.score, r.comment) for key, r in fetched.ratings.items()}
    after = {key: _applied(before.get(key, (None, "")), change) for key, change in changes.items()}
    effective = {key: value for key, value in after.items() if value != before.get(key, (None, ""))}
    if not effective:
        return state
    now, new_version = utcnow(), base_version + 1
    assert fetched.assessment_id is not None  # noqa: S101 - created above  # nosec B101
    if not rows.claim_version(fetched.assessment_id, base_version, now):
        current = rows.fetch(ids=(school_id, round_.id)) or fetched
        raise VersionConflict(state_of(current, schulnummer, round_), base_version)
    stored_ids = {key: r.id for key, r in fetched.ratings.items()}
    rows.write_ratings(fetched.assessment_id, effective, stored_ids, new_version, user.id, now)
    trail = {key: audit.diff(_as_fields(before.get(key, (None, ""))), _as_fields(value)) for key, value in effective.items()}
    rows.write_rating_trail(rows.Actor(user.id, user.display_name), school_id, round_.id, trail, fetched.mergeable, now)
    db.session.flush()
    saved = dict(state.ratings)
    for key, (score, comment) in effective.items():
        saved[key] = RatingState(score, comment, new_version, now, user.display_name)
    return replace(state, version=new_version, ratings=saved)


def _applied(stored: tuple[int | None, str], change: RatingChange) -> tuple[int | None, str]:
    score = stored[0] if change.score is UNCHANGED else change.score
    comment = stored[1] if change.comment is UNCHANGED else change.comment
    return score, comment


def _as_fields(value: tuple[int | None, str]) -> dict[str, object]:
    return {"score": value[0], "comment": value[1] or ""}


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
    _ensure_editable(assessment.status, round_facts(assessment.round), assessment.phase)
    if assessment.version != base_version:
        raise VersionConflict(state_of_model(assessment), base_version)
    state = state_of_model(assessment)
    if state.missing or not has_leadership_member(school):
        raise NotReadyToSubmit(state.missing, has_leadership_member(school))
    _claim_next_version(assessment, base_version, status="submitted", submitted_at=_now(), submitted_by_id=user.id)
    delete_sheets_if_chosen(assessment)  # the team's choice for its individual sheets (services.consensus)
    audit.record("assessment.submitted", actor=user, school=school, round_=round_)
    if release_comments != assessment.comments_released:
        _record_release(assessment, release_comments, user)
    db.session.flush()
    return state_of_model(assessment)


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
    return state_of_model(assessment)


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
    return state_of_model(assessment)


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


def _create(school_id: int, round_: rows.RoundFacts, merge: rows.MergeQuery) -> rows.Fetched:
    """The first save creates the assessment; if a colleague's first save just did, use theirs."""
    values = rows.create_draft_values(school_id, round_)
    # If an admin deleted the empty round just now, the foreign key refuses the draft: only this statement is
    # undone, so that the caller can still show the team its input (RoundGone).
    try:
        with undo_only_this_statement(db.session):
            insert_or_ignore(db.session, Assessment, values, ["school_id", "round_id"])
    except IntegrityError:
        gone = f"Die Erhebungsrunde {round_.name} wurde inzwischen von der Verwaltung gelöscht."
        raise RoundGone(f"{gone} Ihre Eingaben sind nicht gespeichert.") from None
    fetched = rows.fetch(ids=(school_id, round_.id), merge=merge)
    if fetched is None or fetched.assessment_id is None:  # deleted in between, with its school or round
        raise NotFound("Diese Bewertung gibt es nicht mehr.")
    return fetched


def _ensure_open(round_: rows.RoundFacts) -> None:
    if not round_.is_open:
        raise AssessmentLocked(f"Die Erhebungsrunde {round_.name} ist geschlossen.")


def _ensure_editable(status: str, round_: rows.RoundFacts, phase: str = SHARED_PHASE) -> None:
    if status == "submitted":
        raise AssessmentLocked("Die Bewertung ist abgeschlossen und kann nicht mehr geändert werden.")
    _ensure_open(round_)
    if phase == INDIVIDUAL_PHASE:
        raise SharedFormClosed("Das Team bewertet gerade einzeln; die gemeinsamen Werte folgen in der Konsensphase.")


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
        raise VersionConflict(state_of_model(_existing(id=assessment.id)), base_version)
    db.session.refresh(assessment)
    return base_version + 1


def state_of_model(assessment: Assessment) -> AssessmentState:
    """The state of an assessment loaded as a model with its ratings (submit, reopen, the start page)."""
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
        catalog=catalog_of_snapshot(assessment.catalog_snapshot_id),
        status=assessment.status,
        version=assessment.version,
        ratings=ratings,
        submitted_at=assessment.submitted_at,
        submitted_by=_author(assessment.submitted_by) if assessment.submitted_at else "",
        phase=assessment.phase,
        comments_released=bool(assessment.comments_released),
    )


def _author(user: User | None) -> str:
    """Who made a change; after an account's erasure only the neutral marker remains."""
    return user.display_name if user is not None else audit.ERASED_ACCOUNT


def _now() -> datetime:
    return utcnow()
