"""SQLite as the app uses it: write-ahead log, a busy timeout and foreign keys on every connection of its pool.

These tests make their own SQLite file, whatever SELFEVAL_TEST_DATABASE_URL says, so they run in both setups.
"""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from selfeval.extensions import db
from tests.conftest import make_test_app

PRAGMAS = ("journal_mode", "busy_timeout", "foreign_keys")


@pytest.fixture
def sqlite_app(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'settings.sqlite3'}", tmp_path / "instance")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def pragmas(connection) -> dict[str, object]:
    return {name: connection.execute(text(f"PRAGMA {name}")).scalar() for name in PRAGMAS}


def test_every_connection_of_the_app_uses_wal_waits_five_seconds_on_locks_and_enforces_foreign_keys(sqlite_app):
    expected = {"journal_mode": "wal", "busy_timeout": 5000, "foreign_keys": 1}
    with sqlite_app.app_context():
        assert pragmas(db.session) == expected  # the session the views and services use
        with db.engine.connect() as first, db.engine.connect() as second:  # two pooled connections at once
            assert [pragmas(first), pragmas(second)] == [expected, expected]


def test_a_reader_in_a_transaction_neither_blocks_a_writer_nor_sees_its_commit(sqlite_app):
    """What WAL buys: with a rollback journal, the writer's commit would wait for the reader and then fail."""
    with sqlite_app.app_context():
        with db.engine.begin() as setup:
            setup.execute(text("CREATE TABLE probe (n INTEGER)"))
            setup.execute(text("INSERT INTO probe VALUES (1)"))
        with db.engine.connect() as reader, db.engine.connect() as writer:
            reader.exec_driver_sql("BEGIN")
            assert reader.execute(text("SELECT count(*) FROM probe")).scalar() == 1
            writer.execute(text("INSERT INTO probe VALUES (2)"))
            writer.commit()
            assert reader.execute(text("SELECT count(*) FROM probe")).scalar() == 1  # its snapshot
            reader.exec_driver_sql("COMMIT")
            assert reader.execute(text("SELECT count(*) FROM probe")).scalar() == 2


def test_the_database_files_the_app_creates_are_readable_by_its_own_account_only(tmp_path):
    """Issue 15, item 9: the database (and its write-ahead log) holds every comment; it was created 0644."""
    instance = tmp_path / "instance"
    app = make_test_app(f"sqlite:///{instance / 'neu.sqlite3'}", instance)
    try:
        with app.app_context():
            db.session.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
            db.session.execute(text("INSERT INTO probe (id) VALUES (1)"))
            db.session.commit()
            modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in instance.glob("neu.sqlite3*")}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    assert modes == {"neu.sqlite3": 0o600, "neu.sqlite3-wal": 0o600, "neu.sqlite3-shm": 0o600}
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
