"""Read-only figures for the administration pages: rounds with their assessments, accounts, a school's team.

Nothing here writes; every function is one or two grouped queries, whatever the number of schools.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Assessment, Membership, PasswordLink, School, User
from ..models.types import utcnow
from ..reference import BEZIRKSREGIERUNGEN, kreis
from .rounds import all_rounds


@dataclass(frozen=True)
class RoundSummary:
    name: str
    slug: str
    is_open: bool
    catalog_title: str
    catalog_version: str
    drafts: int
    submitted: int


def round_summaries() -> list[RoundSummary]:
    """Every round, latest school year first, with its catalogue version and its assessments by status."""
    counts = Counter(
        {
            (round_id, status): number
            for round_id, status, number in db.session.execute(
                select(Assessment.round_id, Assessment.status, func.count()).group_by(Assessment.round_id, Assessment.status)
            )
        }
    )
    rounds = reversed(all_rounds())
    return [
        RoundSummary(
            name=r.name,
            slug=r.slug,
            is_open=r.is_open,
            catalog_title=r.catalog_snapshot.content.get("title", r.catalog_snapshot.catalog_id),
            catalog_version=r.catalog_snapshot.version,
            drafts=counts[(r.id, "draft")],
            submitted=counts[(r.id, "submitted")],
        )
        for r in rounds
    ]


@dataclass(frozen=True)
class KreisCount:
    key: str
    name: str
    bezirksregierung: str  # "" for a Kreisschlüssel the reference list does not know
    schools: int


def schools_by_kreis() -> list[KreisCount]:
    """The Kreise that have schools, by Bezirksregierung (in the usual order), then by name."""
    rows = db.session.execute(select(School.kreis, func.count()).group_by(School.kreis))
    found = []
    for key, number in rows:
        known = kreis(key)
        found.append(KreisCount(key, known.name if known else key, known.bezirksregierung if known else "", number))
    order = {name: position for position, name in enumerate(BEZIRKSREGIERUNGEN)}
    return sorted(found, key=lambda k: (order.get(k.bezirksregierung, len(order)), k.name.casefold()))


@dataclass(frozen=True)
class AccountCounts:
    role: str
    active: int  # can log in: active with a password
    invited: int  # active, no password yet
    deactivated: int


def accounts_by_role() -> dict[str, AccountCounts]:
    """Accounts per role (roles without accounts are missing)."""
    state = case((User.active.is_(False), "deactivated"), (User.password_hash.is_(None), "invited"), else_="active")
    rows = db.session.execute(select(User.role, state, func.count()).group_by(User.role, state))
    counts = Counter({(role, kind): number for role, kind, number in rows})
    roles = sorted({role for role, _ in counts})
    return {
        role: AccountCounts(role, counts[(role, "active")], counts[(role, "invited")], counts[(role, "deactivated")])
        for role in roles
    }


def open_invitations() -> tuple[int, int]:
    """(invitations whose link still works, invitations whose link has expired) of active accounts without a password."""
    invited = select(User.id).where(User.active.is_(True), User.password_hash.is_(None))
    valid = select(PasswordLink.user_id).where(PasswordLink.expires_at > utcnow())
    total = db.session.scalar(select(func.count()).select_from(invited.subquery())) or 0
    usable = db.session.scalar(select(func.count()).select_from(invited.where(User.id.in_(valid)).subquery())) or 0
    return usable, total - usable


@dataclass(frozen=True)
class TeamAccount:
    user_id: int
    display_name: str
    email: str
    is_leadership: bool
    status: str  # "aktiv", "eingeladen" or "deaktiviert", as services.accounts.search_users names them


def team_accounts(school: School) -> list[TeamAccount]:
    """Every account in the school's team, deactivated ones too: Schulleitung first, then by name."""
    query = (
        select(User.id, User.display_name, User.email, Membership.is_leadership, User.active, User.password_hash)
        .join(Membership)
        .where(Membership.school_id == school.id)
        .order_by(Membership.is_leadership.desc(), User.display_name, User.email)
    )
    return [
        TeamAccount(user_id, name, email, leadership, _status(active, password_hash))
        for user_id, name, email, leadership, active, password_hash in db.session.execute(query)
    ]


def _status(active: bool, password_hash: str | None) -> str:
    if not active:
        return "deaktiviert"
    return "eingeladen" if password_hash is None else "aktiv"
