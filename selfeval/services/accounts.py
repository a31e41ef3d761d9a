"""Account administration: change, invite, set a password by link, deactivate, find.

Every change is recorded in the audit trail with the administrator who made it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import selectinload

from ..database import changed_rows
from ..extensions import db
from ..models import ApiToken, Membership, PasswordLink, School, User, UserScope
from ..models.types import utcnow
from ..permissions import is_own_account
from . import audit
from .errors import InvalidInput, ServiceError
from .paging import paginate
from .users import (
    CONTROL_CHARACTERS,
    EMAIL,
    account_fields,
    assignment_problems,
    find_user,
    hash_password,
    normalized_identity,
    password_problem,
    scope_pairs,
)

#: How long an invitation or reset link can be used (the issue asks for 72 hours).
PASSWORD_LINK_LIFETIME = timedelta(hours=72)
PURPOSES = {"invite": "user.invited", "reset": "user.reset_requested"}
LINK_USED = "Dieser Link ist abgelaufen oder wurde schon benutzt."
LAST_ADMIN = "Das ist das einzige aktive Verwaltungskonto; es muss eines bleiben."


class LinkInvalid(ServiceError):
    """The link is unknown, used, expired, or its account is deactivated."""


@dataclass(frozen=True)
class IssuedLink:
    token: str  # goes into the link only; the database keeps its hash
    expires_at: datetime


def update_user(
    user: User,
    *,
    actor: User | None,
    email: str,
    display_name: str,
    role: str,
    school: School | None = None,
    is_leadership: bool = False,
    kreise: Iterable[str] = (),
    bezirke: Iterable[str] = (),
    schulformen: Iterable[str] = (),
) -> User:
    """Change an account's name, role, team and scopes; InvalidInput names every wrong value."""
    email, display_name = normalized_identity(email, display_name)
    scopes = scope_pairs(kreise, bezirke, schulformen)
    problems = _identity_problems(user, email, display_name)
    problems.update(assignment_problems(role, school, is_leadership, scopes))
    if is_own_account(actor, user) and role != user.role:
        problems["role"] = "Sie können Ihre eigene Rolle nicht ändern."
    elif user.role == "admin" and role != "admin" and is_last_active_admin(user):
        problems["role"] = LAST_ADMIN
    if problems:
        raise InvalidInput(problems)
    before = account_fields(user)
    user.email, user.display_name, user.role = email, display_name, role
    _replace_scopes(user, dict.fromkeys(scopes))
    _replace_membership(user, school, is_leadership)
    db.session.flush()
    changes = audit.diff(before, account_fields(user))
    if changes:
        audit.record("user.updated", actor=actor, subject=user.email, subject_user=user, changes=changes)
    return user


def _identity_problems(user: User, email: str, display_name: str) -> dict[str, str]:
    problems = {}
    if not EMAIL.fullmatch(email) or len(email) > 254:
        problems["email"] = f"„{email}“ ist keine E-Mail-Adresse."
    elif email != user.email and find_user(email) is not None:
        problems["email"] = f"Es gibt schon ein Konto für {email}."
    if not display_name or len(display_name) > 120:
        problems["name"] = "Bitte geben Sie einen Namen mit 1 bis 120 Zeichen an."
    elif CONTROL_CHARACTERS.search(display_name):
        problems["name"] = "Der Name enthält unzulässige Steuerzeichen."
    return problems


def _replace_scopes(user: User, scopes: Iterable[tuple[str, str]]) -> None:
    wanted = set(scopes)
    for scope in list(user.scopes):
        if (scope.kind, scope.value) not in wanted:
            user.scopes.remove(scope)
    present = {(scope.kind, scope.value) for scope in user.scopes}
    user.scopes.extend(UserScope(kind=kind, value=value) for kind, value in wanted - present)


def _replace_membership(user: User, school: School | None, is_leadership: bool) -> None:
    """A team member belongs to one school (the form offers one); other roles to none."""
    for membership in list(user.memberships):
        if school is None or membership.school_id != school.id:
            user.memberships.remove(membership)
    if school is None:
        return
    current = next((m for m in user.memberships if m.school_id == school.id), None)
    if current is None:
        user.memberships.append(Membership(school=school, is_leadership=is_leadership))
    else:
        current.is_leadership = is_leadership


def issue_password_link(user: User, purpose: str, *, actor: User | None, without_account: str = audit.CLI_ACTOR) -> IssuedLink:
    """A new one-time link for this account; any earlier link of the account stops working.

    `actor` None: asked for without an account, on the command line or (`without_account` says so) by "Passwort vergessen?".
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if not user.active:
        raise InvalidInput({"active": "Das Konto ist deaktiviert; aktivieren Sie es zuerst wieder."})
    # Expired links of anyone are of no use: they go whenever a new one is made.
    db.session.execute(
        delete(PasswordLink).where(or_(PasswordLink.user_id == user.id, PasswordLink.expires_at <= utcnow()))
    )
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + PASSWORD_LINK_LIFETIME
    db.session.add(PasswordLink(user_id=user.id, token_hash=_hash(token), purpose=purpose, expires_at=expires_at))
    audit.record(PURPOSES[purpose], actor=actor, subject=user.email, subject_user=user, without_account=without_account)
    db.session.flush()
    return IssuedLink(token, expires_at)


def find_password_link(token: str) -> PasswordLink | None:
    """The usable link with this token: known, not expired, for an active account."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalars(select(PasswordLink).filter_by(token_hash=_hash(token))).one_or_none()
    if link is None or link.expires_at <= utcnow() or not link.user.active:
        return None
    return link


def set_password_by_link(token: str, password: str) -> User:
    """Use the link once: set the password, end every session and API token of the account.

    The link is claimed by deleting it (one DELETE … WHERE): of requests that use it at the same
    time, exactly one deletes the row; the others find nothing to delete and are refused.
    """
    link = find_password_link(token)
    if link is None:
        raise LinkInvalid(LINK_USED)
    user = link.user
    problem = password_problem(password, email=user.email, name=user.display_name)
    if problem is not None:
        raise InvalidInput({"password": problem})
    password_hash = hash_password(password)  # slow on purpose: before the claim, which locks the row
    claim = delete(PasswordLink).where(PasswordLink.id == link.id, PasswordLink.expires_at > utcnow())
    if changed_rows(db.session, claim) != 1:
        raise LinkInvalid(LINK_USED)
    user.password_hash = password_hash
    user.login_id = secrets.token_urlsafe(32)
    # Whoever had the old password may have made API tokens with it: a reset ends them like the sessions.
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(PasswordLink).where(PasswordLink.user_id == user.id))
    audit.record("user.password_set", actor=user, subject=user.email, subject_user=user)
    db.session.flush()
    return user


def end_all_sessions(user: User) -> None:
    """Every session cookie of the account stops working (they name its login_id)."""
    user.login_id = secrets.token_urlsafe(32)
    db.session.flush()


def pending_link(user: User) -> PasswordLink | None:
    """The account's unused, unexpired link, if any (shown as 'Einladung offen bis …')."""
    return db.session.scalars(
        select(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.expires_at > utcnow())
    ).first()


def deactivate_user(user: User, *, actor: User | None) -> None:
    """At once: no log-in, every session and API token ended, open links void. Data stay."""
    if is_own_account(actor, user):
        raise InvalidInput({"active": "Sie können Ihr eigenes Konto nicht deaktivieren."})
    if user.role == "admin" and is_last_active_admin(user):
        raise InvalidInput({"active": LAST_ADMIN})
    if not user.active:
        return
    user.active = False
    user.login_id = secrets.token_urlsafe(32)  # the session cookie names the old value
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(PasswordLink).where(PasswordLink.user_id == user.id))
    audit.record("user.deactivated", actor=actor, subject=user.email, subject_user=user, changes={"active": [True, False]})
    db.session.flush()


def reactivate_user(user: User, *, actor: User | None) -> None:
    """Log-in possible again with the old password; API tokens must be issued anew."""
    if user.active:
        return
    user.active = True
    audit.record("user.reactivated", actor=actor, subject=user.email, subject_user=user, changes={"active": [False, True]})
    db.session.flush()


def is_last_active_admin(user: User) -> bool:
    """Whether `user` is the only active admin, decided under a lock: call it before taking the admin role away.

    The one rule for deactivating, erasing and demoting an admin (pages and CLI alike). Checking and then acting
    is a race: two admins deactivating each other at once would both count two admins and both succeed. So the
    active admin rows are locked first, until the caller's transaction ends: the second request waits for the
    first one's commit and then counts what it left.
    """
    return _lock_active_admins() == {user.id}


def _lock_active_admins() -> set[int]:
    """The ids of the active admins, locked for this transaction."""
    condition = (User.role == "admin", User.active.is_(True))
    if db.session.get_bind().dialect.name == "postgresql":
        return set(db.session.scalars(select(User.id).where(*condition).with_for_update()))
    # SQLite has no row locks; a write takes the database's write lock, which readers of a later write wait for.
    # This one changes nothing (active stays true) but holds that lock from here to the commit.
    claim = update(User).where(*condition).values(active=True).returning(User.id)
    return set(db.session.scalars(claim.execution_options(synchronize_session=False)))


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    page: int
    pages: int
    total: int


def search_users(text: str = "", role: str = "", status: str = "", page: int = 1, per_page: int = 50) -> UserPage:
    """Accounts by name or e-mail (part), role, and status ("aktiv", "deaktiviert", "eingeladen")."""
    query = select(User)
    if text.strip():
        pattern = text.strip()
        query = query.where(
            or_(User.email.icontains(pattern, autoescape=True), User.display_name.icontains(pattern, autoescape=True))
        )
    if role:
        query = query.where(User.role == role)
    if status == "aktiv":
        query = query.where(User.active.is_(True), User.password_hash.is_not(None))
    elif status == "deaktiviert":
        query = query.where(User.active.is_(False))
    elif status == "eingeladen":
        query = query.where(User.active.is_(True), User.password_hash.is_(None))
    query = query.options(
        selectinload(User.memberships).selectinload(Membership.school), selectinload(User.scopes)
    ).order_by(User.display_name, User.email)
    return UserPage(*paginate(query, page, per_page))


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
