"""The audit trail: record every change with who, when and old → new; read it back filtered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import selectinload

from ..display import LOCAL_TIME
from ..extensions import db
from ..models import Assessment, AuditEvent, Round, School, User
from ..models.types import utcnow
from ..vocabulary import REOPENED_EVENT, SUBMITTED_EVENT
from .paging import Page, paginate

#: The actor of changes made on the command line (an operator on the server).
CLI_ACTOR = "Kommandozeile"
#: The actor of a link asked for on the log-in page, by someone not logged in: whoever typed the address.
RESET_REQUEST_ACTOR = "Anfrage über „Passwort vergessen?“"
#: What an erased account is called everywhere it once appeared.
ERASED_ACCOUNT = "Gelöschtes Konto"
#: A team typing a comment autosaves every few seconds; one person's edits of one indicator
#: within this window, with nothing else happening in between, become one entry.
MERGE_WINDOW = timedelta(minutes=10)

#: Every action the trail knows, with its German label for the pages.
ACTIONS: dict[str, str] = {
    "rating.changed": "Bewertung geändert",
    "assessment.submitted": SUBMITTED_EVENT,
    "assessment.reopened": REOPENED_EVENT,
    "assessment.phase_changed": "Arbeitsweise der Bewertung geändert",
    "assessment.comments_released": "Anmerkungen freigegeben",
    "assessment.comments_withdrawn": "Freigabe der Anmerkungen zurückgenommen",
    "user.created": "Konto angelegt",
    "user.updated": "Konto geändert",
    "user.invited": "Einladung erstellt",
    "user.reset_requested": "Link zum Zurücksetzen des Passworts erstellt",
    "user.password_set": "Passwort gesetzt",
    "user.deactivated": "Konto deaktiviert",
    "user.reactivated": "Konto wieder aktiviert",
    "user.token_issued": "API-Token ausgegeben",
    "user.exported": "Daten eines Kontos exportiert",
    "user.erased": "Konto gelöscht",
    "school.created": "Schule angelegt",
    "school.updated": "Schule geändert",
    "schools.imported": "Schulverzeichnis importiert",
    "round.created": "Erhebungsrunde angelegt",
    "round.opened": "Erhebungsrunde geöffnet",
    "round.closed": "Erhebungsrunde geschlossen",
    "round.deleted": "Erhebungsrunde gelöscht",
    "offer.created": "Angebot angelegt",
    "offer.updated": "Angebot geändert",
    "offer.deleted": "Angebot gelöscht",
    "plan.changed": "Entwicklungsplan geändert",
    "plan.agreement_recorded": "Vereinbarung mit der Medienberatung festgehalten",
    "plan.agreement_confirmed": "Vereinbarung mit der Medienberatung bestätigt",
}
#: Groups of actions an administrator filters by, with their German labels.
ACTION_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bewertungen": ("Bewertungen", ("rating.", "assessment.")),
    "plaene": ("Entwicklungspläne", ("plan.",)),
    "konten": ("Konten", ("user.",)),
    "schulen": ("Schulen", ("school.", "schools.")),
    "runden": ("Erhebungsrunden", ("round.",)),
    "angebote": ("Angebote der Medienberatungen", ("offer.",)),
}
#: The actions a team sees as the history of its own assessment, its development plan included (issue 18).
ASSESSMENT_ACTIONS = (
    "rating.changed", "assessment.submitted", "assessment.reopened", "assessment.comments_released",
    "assessment.comments_withdrawn", "plan.changed", "plan.agreement_recorded", "plan.agreement_confirmed",
)  # fmt: skip


def actor_name(actor: User | None, without_account: str = CLI_ACTOR) -> str:
    """The account's name; for a change with no account behind it, who made it (by default the command line)."""
    return actor.display_name if actor is not None else without_account


def record(
    action: str,
    *,
    actor: User | None,
    subject: str = "",
    changes: Mapping[str, Any] | None = None,
    school: School | None = None,
    round_: Round | None = None,
    subject_user: User | None = None,
    without_account: str = CLI_ACTOR,
) -> AuditEvent:
    """Add one entry to the trail (the caller's transaction commits it with the change itself)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_name=actor_name(actor, without_account),
        action=action,
        subject=subject,
        school_id=school.id if school is not None else None,
        round_id=round_.id if round_ is not None else None,
        subject_user_id=subject_user.id if subject_user is not None else None,
        changes={field: list(pair) for field, pair in (changes or {}).items()},
    )
    db.session.add(event)
    return event


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for every field whose value differs."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def record_rating_changes(actor: User, school: School, round_: Round, changes: Mapping[str, Mapping[str, list]]) -> None:
    """One entry per changed indicator ({indicator: {"score": [old, new], …}}), merging quick re-edits."""
    mergeable = _mergeable_rating_events(actor, school, round_)
    for indicator_id, fields in changes.items():
        earlier = mergeable.get(indicator_id)
        if earlier is None:
            record("rating.changed", actor=actor, subject=indicator_id, changes=fields, school=school, round_=round_)
            continue
        merged = {key: list(pair) for key, pair in earlier.changes.items()}
        for field, (old, new) in fields.items():
            merged[field] = [merged[field][0] if field in merged else old, new]
        merged = {field: pair for field, pair in merged.items() if pair[0] != pair[1]}
        if merged:
            earlier.changes, earlier.at = merged, utcnow()
        else:
            db.session.delete(earlier)  # changed and changed back: nothing happened


def _mergeable_rating_events(actor: User, school: School, round_: Round) -> dict[str, AuditEvent]:
    """The latest rating entries of this assessment, newest first, while all are this actor's and recent."""
    recent = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.school_id == school.id, AuditEvent.round_id == round_.id)
        .order_by(AuditEvent.id.desc())
        .limit(50)
    )
    since = utcnow() - MERGE_WINDOW
    found: dict[str, AuditEvent] = {}
    for event in recent:
        if event.action != "rating.changed" or event.actor_id != actor.id or event.at < since:
            break
        found.setdefault(event.subject, event)
    return found


@dataclass(frozen=True)
class AuditFilter:
    """What an administrator narrows the trail to; empty values mean 'all'."""

    action: str = ""  # an action (key of ACTIONS) or a group (key of ACTION_GROUPS)
    actor: str = ""  # part of the actor's name
    schulnummer: str = ""
    subject: str = ""  # part of the subject
    since: date | None = None  # local dates, both inclusive
    until: date | None = None
    user_id: int | None = None  # entries made by or about this account


def browse(filters: AuditFilter, page: int = 1, per_page: int = 50) -> Page[AuditEvent]:
    """Newest first, one page of entries matching the filters."""
    query = (
        _filtered(filters)
        .options(selectinload(AuditEvent.school), selectinload(AuditEvent.round))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return paginate(query, page, per_page)


def _filtered(filters: AuditFilter) -> Select:
    query = select(AuditEvent)
    if filters.action in ACTION_GROUPS:
        prefixes = ACTION_GROUPS[filters.action][1]
        query = query.where(or_(*(AuditEvent.action.startswith(prefix, autoescape=True) for prefix in prefixes)))
    elif filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.user_id is not None:
        query = query.where(or_(AuditEvent.actor_id == filters.user_id, AuditEvent.subject_user_id == filters.user_id))
    if filters.actor:
        query = query.where(AuditEvent.actor_name.icontains(filters.actor, autoescape=True))
    if filters.subject:
        query = query.where(AuditEvent.subject.icontains(filters.subject, autoescape=True))
    if filters.schulnummer:
        query = query.join(School, AuditEvent.school_id == School.id).where(School.schulnummer == filters.schulnummer)
    start = _local_midnight(filters.since) if filters.since else None
    end = _local_midnight(_day_after(filters.until)) if filters.until else None
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    return query


def _local_midnight(day: date | None) -> datetime | None:
    """Dates on the page are German dates: a day starts at midnight in Germany, not in UTC.

    None at the calendar's edges, where the moment cannot be written in UTC (1 January of year 1 starts in year 0
    there); no stored time lies beyond that edge, so the bound is left out.
    """
    if day is None:
        return None
    try:
        return datetime.combine(day, time(), tzinfo=LOCAL_TIME).astimezone(UTC)
    except OverflowError:
        return None


def _day_after(day: date) -> date | None:
    """None after 31 December 9999: "up to the last day" has no end."""
    return day + timedelta(days=1) if day < date.max else None


def assessment_history(school: School, round_: Round) -> list[AuditEvent]:
    """Who changed what in this school's assessment of this round, newest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.school_id == school.id,
                AuditEvent.round_id == round_.id,
                AuditEvent.action.in_(ASSESSMENT_ACTIONS),
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )


def sharing_of(events: list[AuditEvent]) -> dict[tuple[int, int], Any]:
    """{(school id, round id): the assessment's status and release} for the rating entries among `events`.

    What a reader outside the team may see of an entry follows the assessment as it is now
    (permissions.can_view_scores, can_view_shared_texts); an assessment that no longer exists is missing.
    """
    pairs = {(e.school_id, e.round_id) for e in events if e.action == "rating.changed" and e.school_id and e.round_id}
    if not pairs:
        return {}
    rows = db.session.execute(
        select(Assessment.school_id, Assessment.round_id, Assessment.status, Assessment.comments_released).where(
            Assessment.school_id.in_({school for school, _ in pairs}), Assessment.round_id.in_({round_ for _, round_ in pairs})
        )
    )
    return {(row.school_id, row.round_id): row for row in rows if (row.school_id, row.round_id) in pairs}


def events_about(user: User) -> list[AuditEvent]:
    """Every entry made by or about this account, oldest first (for the data-protection export)."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(or_(AuditEvent.actor_id == user.id, AuditEvent.subject_user_id == user.id))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


#: Fields of account entries that hold personal data; erasure blanks them.
PERSONAL_FIELDS = ("email", "display_name")


def anonymize(user: User) -> None:
    """Replace this account everywhere in the trail by the neutral marker (before the account is deleted)."""
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.actor_id == user.id)
        .values(actor_id=None, actor_name=ERASED_ACCOUNT)
        .execution_options(synchronize_session=False)
    )
    about = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_user_id == user.id))
    for event in about:
        event.subject = ERASED_ACCOUNT
        event.subject_user_id = None
        event.changes = {
            field: ([None if old is None else ERASED_ACCOUNT, None if new is None else ERASED_ACCOUNT]
                    if field in PERSONAL_FIELDS else [old, new])
            for field, (old, new) in event.changes.items()
        }  # fmt: skip
    db.session.flush()
