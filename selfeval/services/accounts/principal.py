"""The facts of an API token's account that the assessment's read and save need, in one Core statement.

The autosave reads and saves every few seconds per open page. Loading the token's account as an ORM `User` with its
memberships and scopes cost about a fifth of a save's CPU (docs/BENCHMARKS.md, "The save path"); the permission
rules (`permissions`) read only attributes, and the save only the account's id and name. A `Principal` carries
exactly those, read by one statement built once per process. The same rule as `user_for_token`: a token of the
right form whose hash is stored, of an active account.

Only the routes that need no more than these facts take a `Principal` (views.api names them); every other route
gets the ORM `User`, which services can change, relate and audit.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, select

from ...extensions import db
from ...models import ApiToken, Membership, User, UserScope
from ...tokens import token_hash
from .authentication import TOKEN_PREFIX

_users, _tokens = User.__table__, ApiToken.__table__
_memberships, _scopes = Membership.__table__, UserScope.__table__


@dataclass(frozen=True)
class MembershipFacts:
    school_id: int
    is_leadership: bool


@dataclass(frozen=True)
class ScopeFacts:
    kind: str
    value: str


@dataclass(frozen=True)
class Principal:
    """An active account as the permission rules read it (the attributes of `User` they use, nothing else)."""

    id: int
    display_name: str
    role: str
    memberships: tuple[MembershipFacts, ...]
    scopes: tuple[ScopeFacts, ...]  # in the order of their ids, as `User.scopes`

    is_authenticated = True
    is_anonymous = False
    #: Only active accounts become principals (an inactive one's token is refused).
    is_active = True


def principal_for_token(token: str) -> Principal | None:
    """The active account whose API token this is, as a `Principal`; None if there is none."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    rows = db.session.execute(_statement(), {"token_hash": token_hash(token)}).all()
    if not rows or not rows[0].active:
        return None
    first = rows[0]
    memberships = {
        row.membership_id: MembershipFacts(row.school_id, bool(row.is_leadership))
        for row in rows
        if row.membership_id is not None
    }
    scopes = {row.scope_id: ScopeFacts(row.kind, row.value) for row in rows if row.scope_id is not None}
    return Principal(
        first.id,
        first.display_name,
        first.role,
        tuple(memberships[key] for key in sorted(memberships)),
        tuple(scopes[key] for key in sorted(scopes)),
    )


@functools.cache
def _statement() -> Select:
    """Token, account, memberships and scopes (a row per pair of the two: an account has few of either)."""
    joined = (
        _tokens.join(_users, _users.c.id == _tokens.c.user_id)
        .outerjoin(_memberships, _memberships.c.user_id == _users.c.id)
        .outerjoin(_scopes, _scopes.c.user_id == _users.c.id)
    )
    return (
        select(
            _users.c.id, _users.c.display_name, _users.c.role, _users.c.active,
            _memberships.c.id.label("membership_id"), _memberships.c.school_id, _memberships.c.is_leadership,
            _scopes.c.id.label("scope_id"), _scopes.c.kind, _scopes.c.value,
        )  # fmt: skip
        .select_from(joined)
        .where(_tokens.c.token_hash == bindparam("token_hash"))
    )
