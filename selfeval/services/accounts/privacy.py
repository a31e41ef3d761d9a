"""Data-protection duties for accounts (DSGVO Art. 15 and 17): export and erasure.

A team's ratings are school data, not personal data; the personal data are the accounts and
the traces they leave as authors. Erasure therefore keeps every rating and every entry of the
audit trail, but replaces the author by a neutral marker and then deletes the account (and the
report ZIPs it made).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...jobs import report_jobs
from ...models import ApiToken, Assessment, AuditEvent, PasswordLink, Rating, User
from ...models.types import utcnow
from ...permissions import is_own_account
from ...roles import ROLE_LABELS
from .. import audit
from ..consensus.privacy import erase_sheets, sheets_for_export
from ..errors import InvalidInput
from ..plan_privacy import count_recorded, erase_plan_traces, plans_for_export
from .lifecycle import last_admin_problem

EXPORT_FORMAT = "selfeval-personal-data"


def export_user(user: User, *, actor: User | None) -> dict[str, Any]:
    """Everything stored about this account, as one JSON-ready document (DSGVO Art. 15)."""
    document = {
        "format": EXPORT_FORMAT,
        "created_at": _iso(utcnow()),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "role_label": ROLE_LABELS.get(user.role, user.role),
            "active": user.active,
            "password_set": user.password_hash is not None,
            "created_at": _iso(user.created_at),
        },
        "team_memberships": [
            {"schulnummer": m.school.schulnummer, "school": m.school.name, "schulleitung": m.is_leadership}
            for m in sorted(user.memberships, key=lambda m: m.school.schulnummer)
        ],
        "scopes": [{"kind": s.kind, "value": s.value} for s in sorted(user.scopes, key=lambda s: (s.kind, s.value))],
        "api_tokens": [{"created_at": _iso(t.created_at)} for t in _tokens(user)],
        "password_links": [
            {"purpose": link.purpose, "created_at": _iso(link.created_at), "expires_at": _iso(link.expires_at)}
            for link in _links(user)
        ],
        "ratings_last_changed": _ratings_by(user),
        "submitted_assessments": _submissions_by(user),
        "audit_trail": [_event(event) for event in audit.events_about(user)],
    }
    if sheets := sheets_for_export(user):  # the member's own sheets of the individual phase (services.consensus)
        document["individual_sheets"] = sheets
    document.update(plans_for_export(user))  # agreements recorded or confirmed, plans changed last (issue 18)
    audit.record("user.exported", actor=actor, subject=user.email, subject_user=user)
    db.session.flush()
    return document


def _tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def _links(user: User) -> list[PasswordLink]:
    return list(db.session.scalars(select(PasswordLink).where(PasswordLink.user_id == user.id)))


def _ratings_by(user: User) -> list[dict[str, Any]]:
    query = (
        select(Rating)
        .where(Rating.updated_by_id == user.id)
        .options(selectinload(Rating.assessment).selectinload(Assessment.school))
        .options(selectinload(Rating.assessment).selectinload(Assessment.round))
        .order_by(Rating.id)
    )
    return [
        {
            "schulnummer": rating.assessment.school.schulnummer,
            "round": rating.assessment.round.name,
            "indicator": rating.indicator_id,
            "score": rating.score,
            "comment": rating.comment,
            "updated_at": _iso(rating.updated_at),
        }
        for rating in db.session.scalars(query)
    ]


def _submissions_by(user: User) -> list[dict[str, Any]]:
    query = select(Assessment).where(Assessment.submitted_by_id == user.id).order_by(Assessment.id)
    return [
        {"schulnummer": a.school.schulnummer, "round": a.round.name, "submitted_at": _iso(a.submitted_at)}
        for a in db.session.scalars(query)
    ]


def _event(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": _iso(event.at),
        "actor": event.actor_name,
        "action": event.action,
        "action_label": audit.ACTIONS.get(event.action, event.action),
        "subject": event.subject,
        "schulnummer": event.school.schulnummer if event.school else None,
        "round": event.round.name if event.round else None,
        "changes": event.changes,
    }


def erase_user(user: User, *, actor: User | None) -> dict[str, int]:
    """Delete the account; its ratings and submissions stay, authored by the neutral marker.

    Returns how many ratings, submissions, audit entries and plan agreements (recorded by it) now carry the
    marker. The member's own sheets of the individual phase are deleted (their opinion, not school data).
    """
    if is_own_account(actor, user):
        raise InvalidInput({"account": "Sie können Ihr eigenes Konto nicht löschen."})
    if problem := last_admin_problem(user):
        raise InvalidInput({"account": problem})
    counts = {
        "ratings": _count(select(func.count()).select_from(Rating).where(Rating.updated_by_id == user.id)),
        "submissions": _count(select(func.count()).select_from(Assessment).where(Assessment.submitted_by_id == user.id)),
        "audit_entries": _count(
            select(func.count())
            .select_from(AuditEvent)
            .where((AuditEvent.actor_id == user.id) | (AuditEvent.subject_user_id == user.id))
        ),
        "agreements": count_recorded(user),
    }
    school = next((m.school for m in user.memberships), None)
    role = user.role
    # Explicit rather than left to ON DELETE SET NULL: SQLite enforces that only with a pragma.
    db.session.execute(update(Rating).where(Rating.updated_by_id == user.id).values(updated_by_id=None))
    db.session.execute(update(Assessment).where(Assessment.submitted_by_id == user.id).values(submitted_by_id=None))
    erase_sheets(user)  # a member's own sheet is their opinion, not school data: deleted, not anonymised
    erase_plan_traces(user)  # agreements it recorded name the marker; plans and confirmations lose the link
    audit.anonymize(user)
    # The account's report ZIPs hold teams' comments it may no longer see; a running job stops.
    report_jobs.remove_jobs_of(user)
    db.session.delete(user)
    db.session.flush()
    audit.record("user.erased", actor=actor, subject=audit.ERASED_ACCOUNT, school=school, changes={"role": [role, None]})
    db.session.flush()
    return counts


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
