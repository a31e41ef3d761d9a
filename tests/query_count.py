"""Counting the SQL statements a piece of code sends, to prove that a list page's queries do not grow with its rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def counted_statements(engine: Engine) -> Iterator[list[str]]:
    """The statements sent through `engine` inside the block, in order (the list fills while the block runs).

        with app.app_context():
            engine = db.engine
        with counted_statements(engine) as statements:
            client.get("/verwaltung/konten")
        assert len(statements) == ...
    """
    statements: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
