"""New accounts, and finding one by address or id."""

from __future__ import annotations

from collections.abc import Iterable

from ...extensions import db
from ...models import Membership, School, User, UserScope
from ...tokens import new_token
from .. import audit
from ..errors import InvalidInput
from .authentication import hash_password
from .queries import find_user
from .rules import (
    EMAIL,
    assignment_problems,
    identity_problems,
    normalized_identity,
    password_problem,
    role_problems,
    scope_pairs,
)


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
    traeger: Iterable[str] = (),
) -> User:
    """A new active account; InvalidInput names every wrong value.

    Without a password (None) the account is an invitation: it can log in once its owner has
    set a password through a link (services.accounts.issue_password_link).
    """
    email, display_name = normalized_identity(email, display_name)
    scopes = scope_pairs(kreise, bezirke, schulformen, traeger)
    problems = email_taken_problem(email) | identity_problems(email, display_name) | role_problems(role)
    problem = password_problem(password, email=email, name=display_name) if password is not None else None
    if problem is not None:
        problems["password"] = problem
    problems.update(assignment_problems(role, school is not None, is_leadership, scopes))
    if problems:
        raise InvalidInput(problems)
    user = User(
        email=email,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        active=True,
        login_id=new_token(),
    )
    user.scopes = [UserScope(kind=kind, value=value) for kind, value in dict.fromkeys(scopes)]
    if school is not None:
        user.memberships = [Membership(school=school, is_leadership=is_leadership)]
    db.session.add(user)
    db.session.flush()
    assigned = {field: value for field, value in account_fields(user).items() if value}
    audit.record("user.created", actor=actor, subject=user.email, subject_user=user, changes=audit.diff({}, assigned))
    return user


def email_taken_problem(email: str, *, own_email: str | None = None) -> dict[str, str]:
    """A plausible address that another account already has (put it first: a wrong address replaces its message)."""
    if email != own_email and EMAIL.fullmatch(email) and find_user(email) is not None:
        return {"email": f"Es gibt schon ein Konto für {email}."}
    return {}


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
