"""Changing an account: address, name, role, team and scopes."""

from __future__ import annotations

from collections.abc import Iterable

from ...extensions import db
from ...models import Membership, School, User, UserScope
from ...permissions import is_own_account
from ...roles import ADMIN
from .. import audit
from ..errors import InvalidInput
from .create import account_fields, email_taken_problem
from .lifecycle import last_admin_problem
from .rules import assignment_problems, identity_problems, normalized_identity, scope_pairs


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
    traeger: Iterable[str] = (),
) -> User:
    """Change an account's name, role, team and scopes; InvalidInput names every wrong value."""
    email, display_name = normalized_identity(email, display_name)
    scopes = scope_pairs(kreise, bezirke, schulformen, traeger)
    problems = email_taken_problem(email, own_email=user.email) | identity_problems(email, display_name)
    problems.update(assignment_problems(role, school is not None, is_leadership, scopes))
    if is_own_account(actor, user) and role != user.role:
        problems["role"] = "Sie können Ihre eigene Rolle nicht ändern."
    elif role != ADMIN and (problem := last_admin_problem(user)):
        problems["role"] = problem
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
