"""One transaction per request and per CLI command: committed once on success, rolled back on any error.

This is the only module that commits or rolls back the app's session. Services write and flush, never commit;
views call services and return a response. The rules, in the order Flask runs them:

- a view or `before_request` hook raises (a service error, `abort(403)`, anything): Flask hands the exception
  to `SelfevalFlask.handle_user_exception`, which discards the request's writes before an error handler runs;
- a view catches a service error to show it on a form: it wraps the call in `attempt(...)`, which undoes
  exactly the writes the failed call made and hands the error to the view;
- otherwise, `after_request` commits. A commit that fails (a constraint a concurrent request broke) is rolled
  back and re-raised, so the client gets an error page rather than a success the database never stored.

The CLI has the same rule through `in_one_transaction`, applied to each command that writes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, g

from .extensions import db

_DISCARDED = "_selfeval_writes_discarded"
F = TypeVar("F", bound=Callable[..., Any])


class SelfevalFlask(Flask):
    """Flask, with the request's writes discarded as soon as a view raises, before any error handler runs."""

    def handle_user_exception(self, e: Exception):
        discard()
        return super().handle_user_exception(e)


def register(app: Flask) -> None:
    app.after_request(_commit_unless_discarded)


def discard() -> None:
    """Undo everything this request or command has written so far; nothing of it will be committed."""
    db.session.rollback()
    setattr(g, _DISCARDED, True)


def _commit_unless_discarded(response: Response) -> Response:
    if g.pop(_DISCARDED, False):
        db.session.rollback()  # an error page may have loaded rows after the discard; they change nothing
        return response
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return response


@dataclass
class Attempt:
    """What `attempt` saw: the error of the failed call, or None when it succeeded."""

    error: Exception | None = None


@contextmanager
def attempt(*errors: type[Exception]) -> Iterator[Attempt]:
    """Run a service call whose listed errors go onto a form; undo the call's writes if it raises one of them.

    The call's writes are flushed at the end of the block, so a constraint the database enforces (a name a
    concurrent request just took) surfaces here as an `IntegrityError` the view can list, not at the commit.
    The writes made before the block stay: a savepoint on PostgreSQL; on SQLite, where a savepoint would
    commit early (see `database.insert_or_ignore`), the whole transaction is rolled back, which is the same
    as long as the block is the request's first write, as it is in every view that uses it.
    """
    outcome = Attempt()
    savepoint = db.session.begin_nested() if _dialect() == "postgresql" else None
    try:
        yield outcome
        db.session.flush()
    except errors as exc:
        if savepoint is not None:
            savepoint.rollback()
        else:
            db.session.rollback()
        outcome.error = exc
        return
    if savepoint is not None:
        savepoint.commit()


def in_one_transaction(command: F) -> F:
    """A CLI command's writes: committed when it returns, rolled back when it raises (or exits with an error)."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except SystemExit as exc:
            if exc.code not in (None, 0):
                db.session.rollback()
                raise
            db.session.commit()
            raise
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return run  # type: ignore[return-value]


def commit_now() -> None:
    """Commit what is written so far, for the few places that must (each says why at the call)."""
    db.session.commit()


def _dialect() -> str:
    return db.session.get_bind().dialect.name
