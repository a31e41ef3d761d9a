"""Counting the SQL statements a block of code sends to the database (a page request, a save).

Counted on the app's engine with SQLAlchemy's `before_cursor_execute` event: every statement that goes through
SQLAlchemy, the app's and the session's alike; the driver's own set-up on connect (SQLite PRAGMAs) is not counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from selfeval.extensions import db


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    """The statements sent to `app`'s database inside the block, in order (the list fills while the block runs)."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_of_request(app: Flask, client, method: str, url: str, **kwargs) -> list[str]:
    """The statements of one request whose answer is 200 (a page, a list); the request is sent once before unseen,
    so that what is cached per process (catalogue snapshot, analytics frame) is the same for every count."""
    warm = client.open(url, method=method, **kwargs)
    assert warm.status_code == 200, (url, warm.status_code)
    with counted_statements(app) as statements:
        response = client.open(url, method=method, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return statements


def dialect_of(app: Flask) -> str:
    """"sqlite" or "postgresql": some counts differ (SQLite takes its write lock and undoes with extra statements)."""
    with app.app_context():
        return db.engine.dialect.name
