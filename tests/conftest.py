"""Fixtures: a real database (SQLite by default, PostgreSQL via SELFEVAL_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import MetaData, create_engine, make_url, text

from selfeval.app import create_app
from selfeval.config import normalize_database_url
from selfeval.extensions import db
from tests.browser import screenshots as browser_screenshots
from tests.support.cli import Runner

TEST_DATABASE_ENV = "SELFEVAL_TEST_DATABASE_URL"
TEST_SECRET_KEY = "test-secret-key-0123456789abcdef0123456789abcdef"
#: One iteration of PBKDF2 instead of scrypt: the tests check who may log in, not the hash's strength. The tests
#: that prove the production hash (scrypt) set PRODUCTION_PASSWORD_HASH on their app.
TEST_PASSWORD_HASH = "pbkdf2:sha256:1"
PRODUCTION_PASSWORD_HASH = "scrypt"

# Property tests (hypothesis). The default profile "ci" is derandomized: every run, on every machine, tries the same
# examples, so a red run can be repeated and never comes by chance; no example database is written into the checkout.
# Its example counts keep each property test within about 20 seconds here. To search harder, run e.g.
# `SELFEVAL_HYPOTHESIS_PROFILE=thorough pytest --timeout 0 tests/unit/test_catalog_properties.py`: random examples,
# twenty times as many (minutes per test, hence no timeout); a failure prints a @reproduce_failure blob.
HYPOTHESIS_PROFILE_ENV = "SELFEVAL_HYPOTHESIS_PROFILE"
settings.register_profile("ci", derandomize=True, database=None, max_examples=100, deadline=None)
settings.register_profile("thorough", derandomize=False, database=None, max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get(HYPOTHESIS_PROFILE_ENV, "ci"))


# The browser journeys' screenshot folder is chosen and printed here, in the main process: workers inherit it.
def pytest_configure(config):
    browser_screenshots.choose_folder()


def pytest_report_header(config):
    return browser_screenshots.header()


def pytest_terminal_summary(terminalreporter):
    if line := browser_screenshots.summary():
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    url = os.environ.get(TEST_DATABASE_ENV)
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('database') / 'test.sqlite3'}"  # one per process anyway
        return
    url = normalize_database_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield url
        return
    # Parallel workers (pytest -n) each empty the tables between tests: each gets a database of its
    # own beside the given one, made afresh and dropped at the end.
    with server_database(url, f"{make_url(url).database}_{worker}") as worker_url:
        yield worker_url


@contextmanager
def server_connection(url: str) -> Iterator:
    """An autocommit connection to the server's maintenance database, for CREATE and DROP DATABASE."""
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            yield connection
    finally:
        server.dispose()


def make_test_app(database_url: str, instance_path, **config):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": TEST_SECRET_KEY,
            "TESTING": True,
            "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH,
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
    empty_tables(app)


def empty_tables(app) -> None:
    """Delete every row the test left, so that the next test starts from the migrated, empty schema."""
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
def runner(app):
    """`runner("users", "list")` runs `selfeval users list` against the test's app (see tests/support/cli.py)."""
    return Runner(app)


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
    with server_database(database_url, f"selfeval_fresh_{uuid.uuid4().hex[:12]}") as url:
        yield url


@contextmanager
def server_database(url: str, name: str) -> Iterator[str]:
    """A new, empty database `name` on the server of `url` (a leftover of that name replaced); dropped afterwards."""
    with server_connection(url) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server_connection(url) as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
