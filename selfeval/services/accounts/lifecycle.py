"""Switching an account off and on again, and the rule that one active admin always remains."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from ...extensions import db
from ...models import ApiToken, PasswordLink, User
from ...permissions import is_own_account
from ...roles import ADMIN
from ...tokens import new_token
from .. import audit
from ..errors import InvalidInput

LAST_ADMIN = "Das ist das einzige aktive Verwaltungskonto; es muss eines bleiben."


def deactivate_user(user: User, *, actor: User | None) -> None:
    """At once: no log-in, every session and API token ended, open links void. Data stay."""
    if is_own_account(actor, user):
        raise InvalidInput({"active": "Sie können Ihr eigenes Konto nicht deaktivieren."})
    if problem := last_admin_problem(user):
        raise InvalidInput({"active": problem})
    if not user.active:
        return
    user.active = False
    user.login_id = new_token()  # the session cookie names the old value
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


def last_admin_problem(user: User) -> str:
    """LAST_ADMIN if `user` is an admin and the only active one, else "": ask before taking the admin role away.

    The one rule for deactivating, erasing and demoting an admin, on the pages and the command line alike.
    """
    return LAST_ADMIN if user.role == ADMIN and is_last_active_admin(user) else ""


def is_last_active_admin(user: User) -> bool:
    """Whether `user` is the only active admin, decided under a lock.

    Checking and then acting is a race: two admins deactivating each other at once would both count two admins
    and both succeed. So the active admin rows are locked first, until the caller's transaction ends: the
    second request waits for the first one's commit and then counts what it left.
    """
    return _lock_active_admins() == {user.id}


def _lock_active_admins() -> set[int]:
    """The ids of the active admins, locked for this transaction."""
    condition = (User.role == ADMIN, User.active.is_(True))
    if db.session.get_bind().dialect.name == "postgresql":
        return set(db.session.scalars(select(User.id).where(*condition).with_for_update()))
    # SQLite has no row locks; a write takes the database's write lock, which readers of a later write wait for.
    # This one changes nothing (active stays true) but holds that lock from here to the commit.
    claim = update(User).where(*condition).values(active=True).returning(User.id)
    return set(db.session.scalars(claim.execution_options(synchronize_session=False)))
