"""One-time links to set a password: an invitation, or a reset (by an administrator or "Passwort vergessen?").

Every link is recorded in the audit trail with whoever asked for it; the database keeps only the token's hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from ...database import changed_rows
from ...extensions import db
from ...models import ApiToken, PasswordLink, User
from ...models.types import utcnow
from ...tokens import new_token, token_hash
from .. import audit
from ..errors import InvalidInput, ServiceError
from .authentication import hash_password
from .rules import password_problem

#: How long an invitation or reset link can be used (the issue asks for 72 hours).
PASSWORD_LINK_LIFETIME = timedelta(hours=72)
PURPOSES = {"invite": "user.invited", "reset": "user.reset_requested"}
LINK_USED = "Dieser Link ist abgelaufen oder wurde schon benutzt."
#: Longer than any token new_token() makes: not worth a query.
_MAX_TOKEN_LENGTH = 100


class LinkInvalid(ServiceError):
    """The link is unknown, used, expired, or its account is deactivated."""


@dataclass(frozen=True)
class IssuedLink:
    token: str  # goes into the link only; the database keeps its hash
    expires_at: datetime


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
    token = new_token()
    expires_at = utcnow() + PASSWORD_LINK_LIFETIME
    db.session.add(PasswordLink(user_id=user.id, token_hash=token_hash(token), purpose=purpose, expires_at=expires_at))
    audit.record(PURPOSES[purpose], actor=actor, subject=user.email, subject_user=user, without_account=without_account)
    db.session.flush()
    return IssuedLink(token, expires_at)


def find_password_link(token: str) -> PasswordLink | None:
    """The usable link with this token: known, not expired, for an active account."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    link = db.session.scalars(select(PasswordLink).filter_by(token_hash=token_hash(token))).one_or_none()
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
    user.login_id = new_token()
    # Whoever had the old password may have made API tokens with it: a reset ends them like the sessions.
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(PasswordLink).where(PasswordLink.user_id == user.id))
    audit.record("user.password_set", actor=user, subject=user.email, subject_user=user)
    db.session.flush()
    return user


def pending_link(user: User) -> PasswordLink | None:
    """The account's unused, unexpired link, if any (shown as 'Einladung offen bis …')."""
    return db.session.scalars(
        select(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.expires_at > utcnow())
    ).first()
