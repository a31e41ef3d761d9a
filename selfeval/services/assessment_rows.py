"""The assessment's read and save as a few explicit SQL statements (SQLAlchemy Core), for the hot path.

A team's autosave runs every few seconds per open page; through the ORM it cost 12 statements and about six times
the CPU of the same logical work in raw SQL (docs/BENCHMARKS.md, "The save path"). Here:

- `fetch` reads the assessment with its ratings and their authors in ONE statement (one snapshot, so the version
  matches the ratings under READ COMMITTED), optionally addressed by Schulnummer and round slug, which adds the
  school, the round and the previous round's slug to the same statement, and optionally the audit entries the save
  may merge into (the newest 50 of the assessment, read from the end of the index (school_id, round_id, id));
- `claim_version` is the compare-and-set on the version column (the database decides who was first);
- `write_ratings` and `write_rating_trail` hand the changed rows to the session without loading them (their ids
  come from `fetch`): the flush writes one UPDATE (executemany) for changed ratings, one INSERT for new ones, and
  one statement for the audit entries (new, merged or, for an edit changed back, deleted). They stay ORM writes on
  purpose: the mapper events fire, which the fault-injection tests of the save (test_save_atomicity.py) use.

The rules of the merge are those of `services.audit.record_rating_changes`, which the ORM paths still use.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, Update, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from ..database import changed_rows
from ..extensions import db
from ..models import Assessment, AuditEvent, CatalogSnapshot, Rating, Round, School, User
from ..models.types import utcnow
from ..vocabulary import SHARED_PHASE
from .audit import ERASED_ACCOUNT, MERGE_WINDOW

#: How far back a save looks for entries to merge into (as services.audit does).
MERGE_LOOKBACK = 50
RATING_CHANGED = "rating.changed"

_schools, _rounds, _assessments = School.__table__, Round.__table__, Assessment.__table__
_ratings, _events = Rating.__table__, AuditEvent.__table__
_author, _submitter = User.__table__.alias("author"), User.__table__.alias("submitter")
_snapshots = CatalogSnapshot.__table__


@dataclass(frozen=True)
class SchoolFacts:
    """What the permission rules and the assessment need of a school."""

    id: int
    schulnummer: str
    kreis: str
    schulform: str
    traeger_nummer: str | None


@dataclass(frozen=True)
class RoundFacts:
    id: int
    slug: str
    name: str
    is_open: bool
    catalog_snapshot_id: int


@dataclass(frozen=True)
class StoredRating:
    id: int
    score: int | None
    comment: str
    changed_in_version: int
    updated_at: datetime | None
    updated_by: str


@dataclass(frozen=True)
class MergeableEntry:
    """The newest audit entry of an indicator that a save by the same person may still merge into."""

    id: int
    changes: dict[str, list]


@dataclass
class Fetched:
    """One statement's worth: the school and round (if addressed), the assessment (None if not started)."""

    school: SchoolFacts | None = None
    round: RoundFacts | None = None
    previous_round_slug: str | None = None
    assessment_id: int | None = None
    #: The assessment's catalogue snapshot, else the round's (what a first save will pin), and its digest.
    catalog_snapshot_id: int | None = None
    snapshot_digest: str | None = None
    status: str = "draft"
    phase: str = SHARED_PHASE
    comments_released: bool = False
    version: int = 0
    submitted_at: datetime | None = None
    submitted_by: str = ""
    ratings: dict[str, StoredRating] = field(default_factory=dict)
    mergeable: dict[str, MergeableEntry] = field(default_factory=dict)


@dataclass(frozen=True)
class MergeQuery:
    """Ask `fetch` for the entries `actor_id` may merge into, for these indicators only."""

    actor_id: int
    indicators: frozenset[str]


def fetch(
    *,
    address: tuple[str, str] | None = None,
    ids: tuple[int, int] | None = None,
    merge: MergeQuery | None = None,
) -> Fetched | None:
    """The assessment by (Schulnummer, round slug) or by (school id, round id); None if the school does not exist."""
    # Names from a request body, not yet checked against the catalogue: only those that can be an indicator id reach
    # the query (PostgreSQL refuses text holding NUL, and no id is longer than its column).
    indicators = sorted(key for key in merge.indicators if 0 < len(key) <= 64 and "\x00" not in key) if merge else []
    merging = bool(indicators)
    if address is not None:
        parameters: dict[str, Any] = {"schulnummer": address[0], "round_slug": address[1]}
    elif ids is not None:
        parameters = {"school_id": ids[0], "round_id": ids[1]}
    else:
        raise ValueError("fetch needs an address or ids")
    if merge is not None and merging:
        parameters |= {"actor_id": merge.actor_id, "since": utcnow() - MERGE_WINDOW, "indicators": indicators}
    rows = db.session.execute(_fetch_statement(address is not None, merging), parameters).all()
    if not rows:
        return None
    return _fetched(rows, with_school=address is not None)


@functools.cache
def _fetch_statement(by_address: bool, merging: bool) -> Select:
    """Built once per variant, with bound parameters: SQLAlchemy's statement cache then compiles it once, too."""
    if by_address:
        school_condition = _schools.c.schulnummer == bindparam("schulnummer")
        round_condition = _rounds.c.slug == bindparam("round_slug")
    else:
        school_condition, round_condition = _schools.c.id == bindparam("school_id"), _rounds.c.id == bindparam("round_id")
    earlier = _rounds.alias("earlier")
    previous_slug = (
        select(earlier.c.slug)
        .where(earlier.c.school_year < _rounds.c.school_year)
        .order_by(earlier.c.school_year.desc())
        .limit(1)
        .scalar_subquery()
    )
    columns: list[Any] = [
        _schools.c.id, _schools.c.schulnummer, _schools.c.kreis, _schools.c.schulform, _schools.c.traeger_nummer,
        _rounds.c.id.label("round_id"), _rounds.c.slug, _rounds.c.name, _rounds.c.is_open,
        _rounds.c.catalog_snapshot_id.label("round_snapshot_id"), previous_slug.label("previous_slug"),
        _assessments.c.id.label("assessment_id"), _snapshots.c.id.label("snapshot_id"), _snapshots.c.digest,
        _assessments.c.status, _assessments.c.phase, _assessments.c.comments_released,
        _assessments.c.version, _assessments.c.submitted_at, _submitter.c.display_name.label("submitter_name"),
        _ratings.c.id.label("rating_id"), _ratings.c.indicator_id, _ratings.c.score, _ratings.c.comment,
        _ratings.c.changed_in_version, _ratings.c.updated_at, _ratings.c.updated_by_id,
        _author.c.display_name.label("author_name"),
    ]  # fmt: skip
    joined = (
        _schools.outerjoin(_rounds, round_condition)
        .outerjoin(_assessments, and_(_assessments.c.school_id == _schools.c.id, _assessments.c.round_id == _rounds.c.id))
        .outerjoin(_submitter, _submitter.c.id == _assessments.c.submitted_by_id)
        .outerjoin(
            _snapshots, _snapshots.c.id == func.coalesce(_assessments.c.catalog_snapshot_id, _rounds.c.catalog_snapshot_id)
        )
        .outerjoin(_ratings, _ratings.c.assessment_id == _assessments.c.id)
        .outerjoin(_author, _author.c.id == _ratings.c.updated_by_id)
    )
    if merging:
        entry = _events.alias("entry")
        wanted = case((_ratings.c.indicator_id.in_(bindparam("indicators", expanding=True)), _mergeable_entry_id()))
        joined = joined.outerjoin(entry, entry.c.id == wanted)
        columns += [entry.c.id.label("entry_id"), entry.c.changes.label("entry_changes")]
    return select(*columns).select_from(joined).where(school_condition)


def _mergeable_entry_id():
    """For the outer row's rating: the id of its newest entry among the assessment's newest 50, if every entry from
    there on is the actor's rating change within the merge window (the rule of services.audit).

    Parameters: actor_id, since. Each subquery reads at most 50 index entries (school_id, round_id, id) from the end.
    """
    newest = _events.alias("newest")
    lookback_start = func.coalesce(
        select(newest.c.id)
        .where(newest.c.school_id == _schools.c.id, newest.c.round_id == _rounds.c.id)
        .order_by(newest.c.id.desc())
        .limit(1)
        .offset(MERGE_LOOKBACK - 1)
        .correlate_except(newest)  # the outer row's school and round, two levels up
        .scalar_subquery(),
        0,
    )
    breaker = _events.alias("breaker")
    actor_id = bindparam("actor_id", type_=_events.c.actor_id.type)
    last_break = func.coalesce(
        select(func.max(breaker.c.id))
        .where(
            breaker.c.school_id == _schools.c.id,
            breaker.c.round_id == _rounds.c.id,
            breaker.c.id >= lookback_start,
            or_(
                breaker.c.action != RATING_CHANGED,
                breaker.c.actor_id.is_(None),
                breaker.c.actor_id != actor_id,
                breaker.c.at < bindparam("since", type_=_events.c.at.type),
            ),
        )
        .correlate_except(breaker)
        .scalar_subquery(),
        0,
    )
    candidate = _events.alias("candidate")
    return (
        select(func.max(candidate.c.id))
        .where(
            candidate.c.school_id == _schools.c.id,
            candidate.c.round_id == _rounds.c.id,
            candidate.c.id >= lookback_start,
            candidate.c.id > last_break,
            candidate.c.subject == _ratings.c.indicator_id,
        )
        .correlate_except(candidate)
        .scalar_subquery()
    )


def _fetched(rows, *, with_school: bool) -> Fetched:
    first = rows[0]
    result = Fetched()
    if with_school:
        result.school = SchoolFacts(first.id, first.schulnummer, first.kreis, first.schulform, first.traeger_nummer)
        if first.round_id is not None:
            result.round = RoundFacts(first.round_id, first.slug, first.name, first.is_open, first.round_snapshot_id)
            result.previous_round_slug = first.previous_slug
    result.catalog_snapshot_id, result.snapshot_digest = first.snapshot_id, first.digest
    if first.assessment_id is None:
        return result
    result.assessment_id = first.assessment_id
    result.status, result.version, result.submitted_at = first.status, first.version, first.submitted_at
    result.phase, result.comments_released = first.phase, bool(first.comments_released)
    result.submitted_by = (first.submitter_name or ERASED_ACCOUNT) if first.submitted_at else ""
    for row in rows:
        if row.indicator_id is None:
            continue
        author = row.author_name if row.updated_by_id is not None else ERASED_ACCOUNT
        result.ratings[row.indicator_id] = StoredRating(
            row.rating_id, row.score, row.comment, row.changed_in_version, row.updated_at, author or ERASED_ACCOUNT
        )
        entry_id = getattr(row, "entry_id", None)
        if entry_id is not None:
            result.mergeable[row.indicator_id] = MergeableEntry(entry_id, dict(row.entry_changes or {}))
    return result


def create_draft_values(school_id: int, round_: RoundFacts) -> dict[str, Any]:
    now = utcnow()
    return {
        "school_id": school_id,
        "round_id": round_.id,
        "catalog_snapshot_id": round_.catalog_snapshot_id,
        "status": "draft",
        "version": 0,
        "created_at": now,
        "updated_at": now,
    }


def claim_version(assessment_id: int, base_version: int, now: datetime) -> bool:
    """Compare-and-set: version base → base + 1 of a draft; False if someone else was first (or it was submitted)."""
    parameters = {"assessment_id": assessment_id, "base_version": base_version, "new_version": base_version + 1, "now": now}
    return changed_rows(db.session, _claim_statement(), parameters) == 1


@functools.cache
def _claim_statement() -> Update:
    """Built once, with bound parameters (as `_fetch_statement`)."""
    return (
        update(_assessments)
        .where(
            _assessments.c.id == bindparam("assessment_id"),
            _assessments.c.version == bindparam("base_version"),
            _assessments.c.status == "draft",
        )
        .values(version=bindparam("new_version"), updated_at=bindparam("now"))
    )


def write_ratings(
    assessment_id: int,
    values: Mapping[str, tuple[int | None, str]],
    stored_ids: Mapping[str, int],
    version: int,
    user_id: int,
    now: datetime,
) -> None:
    """Every changed rating ({indicator: (score, comment)}), written at the next flush.

    Rows that exist are named by their id without loading them (`_known_row`), so the flush writes one UPDATE for
    all of them (executemany) and one INSERT for the new ones, and the mapper events fire as for any ORM write.
    """
    for indicator_id, (score, comment) in values.items():
        rating_id = stored_ids.get(indicator_id)
        if rating_id is None:
            rating = Rating(assessment_id=assessment_id, indicator_id=indicator_id)
            db.session.add(rating)
        else:
            rating = _known_row(Rating, rating_id)
        rating.score, rating.comment, rating.changed_in_version = score, comment, version
        rating.updated_at, rating.updated_by_id = now, user_id


@dataclass(frozen=True)
class Actor:
    id: int
    display_name: str


def write_rating_trail(
    actor: Actor,
    school_id: int,
    round_id: int,
    changes: Mapping[str, Mapping[str, list]],
    mergeable: Mapping[str, MergeableEntry],
    now: datetime,
) -> None:
    """One entry per changed indicator ({indicator: {"score": [old, new], …}}), merged into `mergeable` ones.

    Written at the next flush, after the ratings: one INSERT for new entries, one UPDATE for merged ones, one
    DELETE for edits changed back (a save of one indicator needs exactly one of them).
    """
    for indicator_id, fields in changes.items():
        earlier = mergeable.get(indicator_id)
        if earlier is None:
            db.session.add(
                AuditEvent(at=now, actor_id=actor.id, actor_name=actor.display_name, action=RATING_CHANGED,
                           subject=indicator_id, school_id=school_id, round_id=round_id,
                           changes={name: list(pair) for name, pair in fields.items()})
            )  # fmt: skip
            continue
        entry = _known_row(AuditEvent, earlier.id)
        combined = _combine(earlier.changes, fields)
        if combined:
            entry.changes, entry.at = combined, now
        else:
            db.session.delete(entry)  # changed and changed back: nothing happened


M = TypeVar("M", Rating, AuditEvent)


def _known_row(model: type[M], row_id: int) -> M:
    """The row with this id as a persistent object, without reading it: the statement that found it read its columns.

    Only the attributes the caller sets are written (the others stay unloaded and are never read here).
    """
    present = db.session.identity_map.get(identity_key(model, row_id))
    if isinstance(present, model):
        return present
    row = model(id=row_id)
    make_transient_to_detached(row)
    db.session.add(row)
    return row


def _combine(earlier: Mapping[str, list], fields: Mapping[str, list]) -> dict[str, list]:
    merged = {key: list(pair) for key, pair in earlier.items()}
    for name, (old, new) in fields.items():
        merged[name] = [merged[name][0] if name in merged else old, new]
    return {name: pair for name, pair in merged.items() if pair[0] != pair[1]}
