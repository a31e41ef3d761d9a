"""Fixtures: a real database (SQLite by default, PostgreSQL via SELFEVAL_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, make_url, text

from selfeval.app import create_app
from selfeval.config import normalize_database_url
from selfeval.extensions import db

TEST_DATABASE_ENV = "SELFEVAL_TEST_DATABASE_URL"
TEST_SECRET_KEY = "test-secret-key-0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get(TEST_DATABASE_ENV)
    if url:
        return normalize_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('database') / 'test.sqlite3'}"


def make_test_app(database_url: str, instance_path, **config):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": TEST_SECRET_KEY,
            "TESTING": True,
            **config,
        }
    )


@pytest.fixture(scope="session")
def migrated_database(database_url, tmp_path_factory) -> str:
    """The test database, emptied and brought to the newest migration once per session."""
    app = make_test_app(database_url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        drop_everything(db.engine)
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture
def app(migrated_database, tmp_path):
    app = make_test_app(migrated_database, tmp_path / "instance")
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


def drop_everything(engine) -> None:
    """Drop every table, including Alembic's own, whatever created them."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    metadata.drop_all(bind=engine)


@pytest.fixture
def empty_database_url(database_url, tmp_path) -> Iterator[str]:
    """A brand-new, empty database of the same kind as the test database."""
    with fresh_database(database_url, tmp_path) as url:
        yield url


@contextmanager
def fresh_database(database_url: str, tmp_path) -> Iterator[str]:
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / f'fresh-{uuid.uuid4().hex}.sqlite3'}"
        return
    name = f"selfeval_fresh_{uuid.uuid4().hex[:12]}"
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
