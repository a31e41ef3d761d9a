"""Engine-level settings that every connection needs."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

_registered = False


def register_sqlite_pragmas() -> None:
    """SQLite: enforce foreign keys, write-ahead log for concurrent readers, wait on locks."""
    global _registered
    if not _registered:
        event.listen(Engine, "connect", _set_sqlite_pragmas)
        _registered = True


def _set_sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()
