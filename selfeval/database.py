"""Engine-level settings that every connection needs."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, event, make_url, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

_registered = False


def register_sqlite_pragmas() -> None:
    """SQLite: enforce foreign keys, write-ahead log for concurrent readers, wait on locks."""
    global _registered
    if not _registered:
        event.listen(Engine, "connect", _set_sqlite_pragmas)
        _registered = True


def create_private_sqlite_file(url: str) -> None:
    """Create a missing SQLite database file readable by the server's account only (0600).

    SQLite would create it with the process's umask (usually 0644) on first connect; it gives its
    -wal and -shm files the database file's mode, so all three stay private. An existing file is
    left as the operator made it.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    if parsed.database.startswith("file:") or parsed.query.get("uri"):
        return  # a URI filename names its own options
    path = Path(parsed.database)
    if not path.parent.is_dir():
        return  # SQLite will say so on connect
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _set_sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()
    # SQLite's own lower() folds ASCII only, so a search for "özdemir" would miss "Özdemir";
    # Python's str.lower folds like PostgreSQL does in a UTF-8 database.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def insert_or_ignore(session, model, values: dict, conflict_columns: list[str]) -> None:
    """INSERT … ON CONFLICT DO NOTHING, inside the caller's transaction.

    Used instead of a savepoint for "create unless someone else just did": on SQLite a
    savepoint outside a transaction commits when it is released, so a later rollback
    would leave the row behind.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_columns))


def changed_rows(session, statement: Executable, parameters: dict[str, Any] | None = None) -> int:
    """Run an UPDATE or DELETE in the caller's transaction and return how many rows it changed.

    `Session.execute` is typed to return a `Result`, which has no `rowcount`; for these statements it is a
    `CursorResult`, and SQLAlchemy's documentation recommends this cast for typed code.
    """
    return cast("CursorResult[Any]", session.execute(statement, parameters)).rowcount


def undo_only_this_statement(session):
    """A context in which a statement the database refuses (a foreign key, say) undoes only itself.

    PostgreSQL aborts the whole transaction on an error unless a savepoint surrounds the statement. SQLite
    undoes just the refused statement anyway, and must not get a savepoint here: released as the transaction's
    first write, it would commit what the caller may still roll back (see insert_or_ignore).
    """
    if session.get_bind().dialect.name == "postgresql":
        return session.begin_nested()
    return contextlib.nullcontext()


def lock_for_writing(session, model) -> None:
    """Hold the right to write `model`'s table until the caller's transaction ends; readers go on.

    For "read what is stored, then write the differences" done by two requests at once (two imports of one file):
    the second waits here for the first one's commit and then reads what it left. PostgreSQL: a table lock that
    conflicts with itself and with writes, not with reads. SQLite: a write that changes nothing still takes the
    database's single write lock (BEGIN IMMEDIATE in effect); call this before reading, inside the transaction.
    """
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f'LOCK TABLE "{table.name}" IN SHARE ROW EXCLUSIVE MODE'))
        return
    session.execute(update(table).where(text("0")).values({table.c.id: table.c.id}))
