"""Accounts: create, authenticate by password or API token, memberships and scopes."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, ApiToken, Membership, School, User, UserScope
from ..reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreis
from .errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TOKEN_PREFIX = "sev_"  # noqa: S105 - a prefix, not a secret
#: Checked when an e-mail is unknown, so that a failed log-in takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def create_user(
    email: str,
    display_name: str,
    role: str,
    password: str,
    *,
    school: School | None = None,
    is_leadership: bool = False,
    kreise: Iterable[str] = (),
    bezirke: Iterable[str] = (),
    schulformen: Iterable[str] = (),
) -> User:
    """A new active account; InvalidInput names every wrong value."""
    email = email.strip().lower()
    display_name = " ".join(display_name.split())
    scopes = [("kreis", k) for k in kreise] + [("bezirk", b) for b in bezirke] + [("schulform", s) for s in schulformen]
    problems = _account_problems(email, display_name, role, password)
    problems.update(_assignment_problems(role, school, is_leadership, scopes))
    if problems:
        raise InvalidInput(problems)
    user = User(
        email=email,
        display_name=display_name,
        role=role,
        password_hash=generate_password_hash(password, method="scrypt"),
        active=True,
        login_id=secrets.token_urlsafe(32),
    )
    user.scopes = [UserScope(kind=kind, value=value) for kind, value in dict.fromkeys(scopes)]
    if school is not None:
        user.memberships = [Membership(school=school, is_leadership=is_leadership)]
    db.session.add(user)
    db.session.flush()
    return user


def _account_problems(email: str, display_name: str, role: str, password: str) -> dict[str, str]:
    problems = {}
    if not EMAIL.fullmatch(email) or len(email) > 254:
        problems["email"] = f"{email!r} is not an e-mail address"
    elif find_user(email) is not None:
        problems["email"] = f"an account for {email} exists already"
    if not display_name or len(display_name) > 120:
        problems["name"] = "a display name of 1 to 120 characters is required"
    if role not in ROLES:
        problems["role"] = f"unknown role {role!r}; roles: {', '.join(ROLES)}"
    if len(password) < MIN_PASSWORD_LENGTH:
        problems["password"] = f"must be at least {MIN_PASSWORD_LENGTH} characters long"
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems["password"] = f"must be at most {MAX_PASSWORD_LENGTH} characters long"
    return problems


def _assignment_problems(role: str, school: School | None, is_leadership: bool, scopes: list) -> dict[str, str]:
    problems = {}
    if role == "team" and school is None:
        problems["school"] = "a team member needs a school (--school SCHULNUMMER)"
    if role != "team" and (school is not None or is_leadership):
        problems["school"] = "only team members belong to a school"
    allowed_kinds = {"supervisor": {"kreis", "bezirk", "schulform"}, "adviser": {"kreis"}}.get(role, set())
    for kind, value in scopes:
        if kind not in allowed_kinds:
            article = "an" if role[0] in "aeiou" else "a"
            hint = " (advisers are scoped by Kreis)" if role == "adviser" else ""
            problems[kind] = f"{article} {role} has no {kind} scope{hint}"
        elif kind == "kreis" and kreis(value) is None:
            problems[kind] = f"{value!r} is not the 5-digit key of a Kreis or kreisfreie Stadt in NRW"
        elif kind == "bezirk" and value not in BEZIRKSREGIERUNGEN:
            problems[kind] = f"{value!r} is not a Bezirksregierung; one of: {', '.join(BEZIRKSREGIERUNGEN)}"
        elif kind == "schulform" and value not in SCHULFORMEN:
            problems[kind] = f"{value!r} is not a Schulform code"
    if role == "supervisor" and scopes and all(kind == "schulform" for kind, _ in scopes):
        problems["scope"] = "a supervisor's Schulformen narrow a Kreis or Bezirksregierung; name one of those too"
    return problems


def find_user(email: str) -> User | None:
    return db.session.scalars(select(User).filter_by(email=email.strip().lower())).one_or_none()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def load_by_login_id(login_id: str) -> User | None:
    """The user a session cookie names, if still active."""
    user = db.session.scalars(select(User).filter_by(login_id=login_id)).one_or_none()
    return user if user is not None and user.active else None


def issue_token(user: User) -> str:
    """A new API token for this user; only its hash is stored, so it is shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_token_hash(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    """The active user this API token belongs to, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = db.session.scalars(select(ApiToken).filter_by(token_hash=_token_hash(token))).one_or_none()
    return found.user if found is not None and found.user.active else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
