"""Finding accounts and reading their state: one account, a page of them, a school's team, counts by role.

Nothing here writes. An account's status (vocabulary.ACCOUNT_STATUSES) is derived in one SQL expression,
so every list and count reads it the same way and in one query, whatever the number of accounts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Membership, PasswordLink, School, User
from ...models.types import utcnow
from ...vocabulary import ACCOUNT_ACTIVE, ACCOUNT_DEACTIVATED, ACCOUNT_INVITED, ACCOUNT_STATUSES
from ..paging import Page, paginate


def find_user(email: str) -> User | None:
    if "\x00" in email:  # no stored address has one, and PostgreSQL cannot even compare text holding NUL
        return None
    return db.session.scalars(select(User).filter_by(email=email.strip().lower())).one_or_none()


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def status_expression() -> ColumnElement[str]:
    """An account's status in SQL: deactivated, else invited while it has no password, else active."""
    return case(
        (User.active.is_(False), ACCOUNT_DEACTIVATED),
        (User.password_hash.is_(None), ACCOUNT_INVITED),
        else_=ACCOUNT_ACTIVE,
    )


@dataclass(frozen=True)
class AccountStatus:
    word: str  # one of vocabulary.ACCOUNT_STATUSES
    invitation_open_until: datetime | None  # when the usable link of an invited account expires; None: no usable link


def account_statuses(users: Iterable[User]) -> dict[int, AccountStatus]:
    """The status of each account by id, in one query."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    open_until = (
        select(func.max(PasswordLink.expires_at))
        .where(PasswordLink.user_id == User.id, PasswordLink.expires_at > utcnow())
        .correlate(User)
        .scalar_subquery()
    )
    rows = db.session.execute(select(User.id, status_expression(), open_until).where(User.id.in_(ids)))
    return {user_id: AccountStatus(word, until) for user_id, word, until in rows}


def search_users(text: str = "", role: str = "", status: str = "", page: int = 1, per_page: int = 50) -> Page[User]:
    """Accounts by name or e-mail (part), role, and status ("aktiv", "deaktiviert", "eingeladen")."""
    query = select(User)
    if text.strip():
        pattern = text.strip()
        query = query.where(
            or_(User.email.icontains(pattern, autoescape=True), User.display_name.icontains(pattern, autoescape=True))
        )
    if role:
        query = query.where(User.role == role)
    if status in ACCOUNT_STATUSES:  # any other word filters nothing
        query = query.where(status_expression() == status)
    query = query.options(
        selectinload(User.memberships).selectinload(Membership.school), selectinload(User.scopes)
    ).order_by(User.display_name, User.email)
    return paginate(query, page, per_page)


@dataclass(frozen=True)
class AccountCounts:
    role: str
    active: int  # can log in: active with a password
    invited: int  # active, no password yet
    deactivated: int


def accounts_by_role() -> dict[str, AccountCounts]:
    """Accounts per role (roles without accounts are missing)."""
    state = status_expression()
    rows = db.session.execute(select(User.role, state, func.count()).group_by(User.role, state))
    counts = Counter({(role, word): number for role, word, number in rows})
    roles = sorted({role for role, _ in counts})
    return {
        role: AccountCounts(
            role, counts[(role, ACCOUNT_ACTIVE)], counts[(role, ACCOUNT_INVITED)], counts[(role, ACCOUNT_DEACTIVATED)]
        )
        for role in roles
    }


def open_invitations() -> tuple[int, int]:
    """(invitations whose link still works, invitations whose link has expired) of active accounts without a password."""
    invited = select(User.id).where(status_expression() == ACCOUNT_INVITED)
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
    status: str  # one of vocabulary.ACCOUNT_STATUSES


def team_accounts(school: School) -> list[TeamAccount]:
    """Every account in the school's team, deactivated ones too: Schulleitung first, then by name."""
    query = (
        select(User.id, User.display_name, User.email, Membership.is_leadership, status_expression())
        .join(Membership)
        .where(Membership.school_id == school.id)
        .order_by(Membership.is_leadership.desc(), User.display_name, User.email)
    )
    return [TeamAccount(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class TeamMember:
    display_name: str
    email: str
    is_leadership: bool
    has_accepted: bool  # set a password: an invitation not yet accepted is no one who can act for the school


def team_members(school: School) -> list[TeamMember]:
    """Active members, Schulleitung first, then by name."""
    query = (
        select(User.display_name, User.email, Membership.is_leadership, User.password_hash.is_not(None))
        .join(Membership)
        .where(Membership.school_id == school.id, User.active.is_(True))
        .order_by(Membership.is_leadership.desc(), User.display_name)
    )
    return [TeamMember(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class TeamSize:
    """How many active members a team has, for readers who may not see their names."""

    members: int
    leadership: int


def team_size(school: School) -> TeamSize:
    members = team_members(school)
    return TeamSize(len(members), sum(member.is_leadership for member in members))
