"""Rating (and plan) input kept across a new log-in, when a save arrived after the session had ended.

Why a table and not the session: the session is exactly what is gone (an expired session cookie is
dropped by the browser; a log-out elsewhere invalidates it), and a cookie cannot hold 2,000-character
comments. Why it stays private: a row is found only through a random token that lives in a cookie of
the browser that sent the input (the row keeps only the token's SHA-256), and it is handed out only to
the account named by the page's signed owner field, while that account may still edit the school (for the
plan page's agreement form: may still record agreements for it).

Rows live at most KEEP_FOR; each is deleted when used, expired rows whenever a row is made or used or
anyone logs in. MAX_ROWS_PER_ACCOUNT bounds what one account can store (its oldest row gives way, so
one member replaying their own page cannot crowd out the others), MAX_ROWS what a flood of requests
from many accounts can store. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from ..database import changed_rows
from ..extensions import db
from ..models import Round, School, UnsavedInput, User
from ..models.types import utcnow
from ..tokens import new_token, token_hash
from .errors import ServiceError

KEEP_FOR = timedelta(hours=4)
#: About 20 kB each at most (a criterion's comments at 2,000 characters, twice): a few hundred MB at worst.
MAX_ROWS = 10_000
#: Far more than one person's open tabs within KEEP_FOR; beyond it the account's oldest row goes.
MAX_ROWS_PER_ACCOUNT = 20


class NoRoomToKeep(ServiceError):
    """Too many rows are kept already (a flood of requests, not people typing)."""


@dataclass(frozen=True)
class KeptInput:
    payload: dict[str, Any]
    created_at: datetime
    token: str  # the one that found it: the browser's cookie can drop it


def keep(school: School, round_: Round, criterion_id: str, owner: User, payload: dict[str, Any]) -> str:
    """Store the input; returns the token that finds it again (for the browser's cookie only)."""
    purge_expired()
    _make_room_for(owner)
    if db.session.execute(select(func.count()).select_from(UnsavedInput)).scalar_one() >= MAX_ROWS:
        raise NoRoomToKeep("Zu viele aufbewahrte Eingaben.")
    token = new_token()
    db.session.add(
        UnsavedInput(
            token_hash=token_hash(token),
            school_id=school.id,
            round_id=round_.id,
            criterion_id=criterion_id,
            user_id=owner.id,
            payload=payload,
            created_at=utcnow(),
        )
    )
    db.session.flush()
    return token


def take(tokens: list[str], school: School, round_: Round, criterion_id: str, user: User) -> KeptInput | None:
    """The newest input these tokens name for this page and this user, deleted as it is handed out.

    The caller has checked that `user` may edit the school (or, for an agreement, record agreements for it). The
    DELETE decides between two tabs that ask at once: only the one whose DELETE removed the row gets it.
    """
    purge_expired()
    by_hash = {token_hash(token): token for token in tokens}
    if not by_hash:
        return None
    query = (
        select(UnsavedInput)
        .where(
            UnsavedInput.token_hash.in_(list(by_hash)),
            UnsavedInput.school_id == school.id,
            UnsavedInput.round_id == round_.id,
            UnsavedInput.criterion_id == criterion_id,
            UnsavedInput.user_id == user.id,
        )
        .order_by(UnsavedInput.created_at.desc(), UnsavedInput.id.desc())
    )
    row = db.session.scalars(query).first()
    if row is None:
        return None
    kept = KeptInput(dict(row.payload), row.created_at, by_hash[row.token_hash])
    db.session.expunge(row)
    deleted = changed_rows(
        db.session, delete(UnsavedInput).where(UnsavedInput.id == row.id).execution_options(synchronize_session=False)
    )
    return kept if deleted == 1 else None


def _make_room_for(owner: User) -> None:
    """Drop the account's oldest rows so that the new one is its MAX_ROWS_PER_ACCOUNT-th: the newest input is kept."""
    beyond_the_newest = (
        select(UnsavedInput.id)
        .where(UnsavedInput.user_id == owner.id)
        .order_by(UnsavedInput.created_at.desc(), UnsavedInput.id.desc())
        .offset(MAX_ROWS_PER_ACCOUNT - 1)
    )
    surplus = list(db.session.scalars(beyond_the_newest))
    if surplus:
        db.session.execute(delete(UnsavedInput).where(UnsavedInput.id.in_(surplus)).execution_options(synchronize_session=False))


def purge_expired() -> int:
    return changed_rows(
        db.session,
        delete(UnsavedInput).where(UnsavedInput.created_at < utcnow() - KEEP_FOR).execution_options(synchronize_session=False),
    )

