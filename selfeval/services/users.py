"""Accounts: create, authenticate by password or API token, memberships and scopes."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, ApiToken, Membership, School, User, UserScope
from ..reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreis, unknown_kreis_message
from . import audit
from .errors import InvalidInput
from .text_rules import CONTROL_CHARACTERS

#: The roles as the pages name them.
ROLE_LABELS = {"team": "Team Digitalisierung", "supervisor": "Schulaufsicht", "adviser": "Medienberatung", "admin": "Verwaltung"}
SCOPE_LABELS = {"kreis": "Kreis", "bezirk": "Bezirksregierung", "schulform": "Schulform"}
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
#: Control characters: PostgreSQL refuses NUL, and none belongs in a name.
#: Long passwords that are common all the same (the file names its source).
COMMON_PASSWORDS_FILE = Path(__file__).parent.parent / "reference" / "common_passwords.txt"
TOKEN_PREFIX = "sev_"  # noqa: S105 - a prefix, not a secret  # nosec B105
#: The production hash; the test configuration names a cheap one (PASSWORD_HASH_METHOD), see config.build_config.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a secret  # nosec B105
#: Checked when an e-mail is unknown, so that a failed log-in takes as long either way: one per hash method.
_dummy_hashes: dict[str, str] = {}


def create_user(
    email: str,
    display_name: str,
    role: str,
    password: str | None,
    *,
    actor: User | None = None,
    school: School | None = None,
    is_leadership: bool = False,
    kreise: Iterable[str] = (),
    bezirke: Iterable[str] = (),
    schulformen: Iterable[str] = (),
) -> User:
    """A new active account; InvalidInput names every wrong value.

    Without a password (None) the account is an invitation: it can log in once its owner has
    set a password through a link (services.accounts.issue_password_link).
    """
    email, display_name = normalized_identity(email, display_name)
    scopes = scope_pairs(kreise, bezirke, schulformen)
    problems = _account_problems(email, display_name, role, password)
    problems.update(assignment_problems(role, school, is_leadership, scopes))
    if problems:
        raise InvalidInput(problems)
    user = User(
        email=email,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        active=True,
        login_id=secrets.token_urlsafe(32),
    )
    user.scopes = [UserScope(kind=kind, value=value) for kind, value in dict.fromkeys(scopes)]
    if school is not None:
        user.memberships = [Membership(school=school, is_leadership=is_leadership)]
    db.session.add(user)
    db.session.flush()
    assigned = {field: value for field, value in account_fields(user).items() if value}
    audit.record("user.created", actor=actor, subject=user.email, subject_user=user, changes=audit.diff({}, assigned))
    return user


def normalized_identity(email: str, display_name: str) -> tuple[str, str]:
    """E-mail addresses are stored lower-case; names with single spaces."""
    return email.strip().lower(), " ".join(display_name.split())


def scope_pairs(kreise: Iterable[str], bezirke: Iterable[str], schulformen: Iterable[str]) -> list[tuple[str, str]]:
    """(kind, value) for every scope given, in the order kind by kind."""
    return [("kreis", k) for k in kreise] + [("bezirk", b) for b in bezirke] + [("schulform", s) for s in schulformen]


def account_fields(user: User) -> dict[str, str]:
    """An account's assignments as readable text, for the audit trail's old → new."""
    schools = ", ".join(
        f"{m.school.schulnummer}{' (Schulleitung)' if m.is_leadership else ''}"
        for m in sorted(user.memberships, key=lambda m: m.school.schulnummer)
    )
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "school": schools,
        "scopes": ", ".join(f"{s.kind} {s.value}" for s in sorted(user.scopes, key=lambda s: (s.kind, s.value))),
    }


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


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password cannot be used (a German sentence for the person choosing it), or None.

    The one place for the rule: the set-password form, the link service and `users create` ask here.
    `email` and `name` are the account's own, which the password must not be.
    """
    visible = "".join(char for char in password if not _invisible(char))
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein."
    if len(visible) < MIN_PASSWORD_LENGTH:
        if len(password) >= MIN_PASSWORD_LENGTH:
            return (
                f"Das Passwort braucht mindestens {MIN_PASSWORD_LENGTH} sichtbare Zeichen; "
                "Leerzeichen und unsichtbare Zeichen zählen nicht mit."
            )
        return f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein."
    if len(set(visible.casefold())) == 1:
        return "Das Passwort besteht nur aus einem wiederholten Zeichen. Bitte wählen Sie ein anderes."
    core = _core(password)
    if core in _identity_cores(email, name) or core.rstrip("0123456789") in _identity_cores(email, name):
        return "Das Passwort darf nicht Ihre E-Mail-Adresse oder Ihr Name sein, auch nicht mit Zahlen dahinter."
    if core in _common_password_cores():
        return "Dieses Passwort ist sehr verbreitet und wird bei Angriffen zuerst ausprobiert. Bitte wählen Sie ein anderes."
    return None


def _invisible(char: str) -> bool:
    # Whitespace, control and format characters (zero-width space, soft hyphen …), unassigned and private use.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp")


def _core(text: str) -> str:
    """Letters and digits only, without case: "Carla.Cramer" and "carla cramer" have the same core."""
    return "".join(char for char in text.casefold() if char.isalnum())


def _identity_cores(email: str, name: str) -> set[str]:
    local_part = email.partition("@")[0]
    words = name.split()
    candidates = {email, local_part, name, " ".join(reversed(words))}
    return {core for core in map(_core, candidates) if core}


@cache
def _common_password_cores() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(_core(line) for line in lines if line.strip() and not line.startswith("#"))


def _account_problems(email: str, display_name: str, role: str, password: str | None) -> dict[str, str]:
    problems = {}
    if not EMAIL.fullmatch(email) or len(email) > 254:
        problems["email"] = f"„{email}“ ist keine E-Mail-Adresse."
    elif find_user(email) is not None:
        problems["email"] = f"Es gibt schon ein Konto für {email}."
    if not display_name or len(display_name) > 120:
        problems["name"] = "Bitte geben Sie einen Namen mit 1 bis 120 Zeichen an."
    elif CONTROL_CHARACTERS.search(display_name):
        problems["name"] = "Der Name enthält unzulässige Steuerzeichen."
    if role not in ROLES:
        problems["role"] = f"Unbekannte Rolle „{role}“; möglich sind: {', '.join(ROLES)}."
    problem = password_problem(password, email=email, name=display_name) if password is not None else None
    if problem is not None:
        problems["password"] = problem
    return problems


def assignment_problems(role: str, school: School | None, is_leadership: bool, scopes: list) -> dict[str, str]:
    problems = {}
    if role == "team" and school is None:
        problems["school"] = "Ein Teammitglied braucht eine Schule (Schulnummer)."
    if role != "team" and (school is not None or is_leadership):
        problems["school"] = "Nur Teammitglieder gehören zu einer Schule."
    allowed_kinds = {"supervisor": {"kreis", "bezirk", "schulform"}, "adviser": {"kreis"}}.get(role, set())
    for kind, value in scopes:
        if kind not in allowed_kinds:
            hint = " (Medienberatungen sind für Kreise zuständig)" if role == "adviser" else ""
            problems[kind] = (
                f"Ein Konto der Rolle {ROLE_LABELS.get(role, role)} hat keinen Bereich nach {SCOPE_LABELS[kind]}{hint}."
            )
        elif kind == "kreis" and kreis(value) is None:
            problems[kind] = unknown_kreis_message(value)
        elif kind == "bezirk" and value not in BEZIRKSREGIERUNGEN:
            problems[kind] = f"„{value}“ ist keine Bezirksregierung; möglich sind: {', '.join(BEZIRKSREGIERUNGEN)}."
        elif kind == "schulform" and value not in SCHULFORMEN:
            problems[kind] = f"„{value}“ ist kein Schlüssel einer Schulform."
    if role == "supervisor" and scopes and all(kind == "schulform" for kind, _ in scopes):
        problems["scope"] = (
            "Schulformen grenzen den Bereich einer Schulaufsicht nur ein; nennen Sie auch einen Kreis oder eine Bezirksregierung."
        )
    return problems


def find_user(email: str) -> User | None:
    if "\x00" in email:  # no stored address has one, and PostgreSQL cannot even compare text holding NUL
        return None
    return db.session.scalars(select(User).filter_by(email=email.strip().lower())).one_or_none()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if user.password_hash is None:  # invited, no password set yet
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def load_by_login_id(login_id: str) -> User | None:
    """The user a session cookie names, if still active."""
    query = select(User).filter_by(login_id=login_id).options(*_WITH_PERMISSION_FACTS)
    user = db.session.scalars(query).unique().one_or_none()
    return user if user is not None and user.active else None


#: Every request asks the permission rules, which read the memberships and the scopes: loaded with the user, in the
#: same statement, not in two more.
_WITH_PERMISSION_FACTS = (joinedload(User.memberships), joinedload(User.scopes))


def issue_token(user: User, *, actor: User | None = None) -> str:
    """A new API token for this user; only its hash is stored, so it is shown once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_token_hash(token)))
    db.session.flush()
    audit.record("user.token_issued", actor=actor, subject=user.email, subject_user=user)
    return token


def user_for_token(token: str) -> User | None:
    """The active user this API token belongs to, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    query = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _token_hash(token))
        .options(*_WITH_PERMISSION_FACTS)
    )
    user = db.session.scalars(query).unique().one_or_none()
    return user if user is not None and user.active else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
