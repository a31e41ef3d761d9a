"""Who is asking: log-in by password, the session cookie's login id, API tokens; ending every session."""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ...extensions import db
from ...models import ApiToken, User
from ...tokens import new_token, token_hash
from .. import audit
from .queries import find_user

TOKEN_PREFIX = "sev_"  # noqa: S105 - a prefix, not a secret  # nosec B105
#: The production hash; the test configuration names a cheap one (PASSWORD_HASH_METHOD), see config.build_config.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a secret  # nosec B105
#: Checked when an e-mail is unknown, so that a failed log-in takes as long either way: one per hash method.
_dummy_hashes: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=password_hash_method())


def password_hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_HASH_METHOD)
    return DEFAULT_PASSWORD_HASH_METHOD


def _dummy_hash() -> str:
    """A hash of the configured kind, so that checking it costs what checking a real one costs."""
    method = password_hash_method()
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("not-a-real-password", method=method)
    return _dummy_hashes[method]


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = find_user(email)
    if user is None or user.password_hash is None:  # unknown, or invited with no password set yet
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def load_by_login_id(login_id: str) -> User | None:
    """The user a session cookie names, if still active."""
    user = db.session.scalars(select(User).filter_by(login_id=login_id)).one_or_none()
    return user if user is not None and user.active else None


def end_all_sessions(user: User) -> None:
    """Every session cookie of the account stops working (they name its login_id)."""
    user.login_id = new_token()
    db.session.flush()


def issue_token(user: User, *, actor: User | None = None) -> str:
    """A new API token for this user; only its hash is stored, so it is shown once."""
    token = TOKEN_PREFIX + new_token()
    db.session.add(ApiToken(user=user, token_hash=token_hash(token)))
    db.session.flush()
    audit.record("user.token_issued", actor=actor, subject=user.email, subject_user=user)
    return token


def user_for_token(token: str) -> User | None:
    """The active user this API token belongs to, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = db.session.scalars(select(ApiToken).filter_by(token_hash=token_hash(token))).one_or_none()
    return found.user if found is not None and found.user.active else None
