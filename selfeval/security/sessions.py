"""Session lifetime: a fresh session at log-in, an idle timeout and an absolute limit.

The session is Flask's signed cookie. Its signature carries the time it was issued and Flask refuses
one older than PERMANENT_SESSION_LIFETIME; since a permanent session is re-issued on every request,
that lifetime is the idle timeout. The absolute limit needs the log-in time in the session.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, session
from flask_login import current_user, login_user, logout_user

LOGGED_IN_AT = "logged_in_at"


def register(app: Flask) -> None:
    app.before_request(end_expired_session)


def start_session(user) -> None:
    """Log `user` in with a new session: nothing from before the log-in survives (no fixation)."""
    session.clear()
    session.permanent = True
    login_user(user)
    session[LOGGED_IN_AT] = int(time.time())


def end_session() -> None:
    logout_user()
    session.clear()


def end_expired_session() -> None:
    """Past the absolute limit the user is logged out and the next page asks for a new log-in."""
    if not current_user.is_authenticated:
        return
    logged_in_at = session.get(LOGGED_IN_AT)
    limit = current_app.config["SELFEVAL_SESSION_MAX_SECONDS"]
    if not isinstance(logged_in_at, int) or time.time() - logged_in_at > limit:
        end_session()
