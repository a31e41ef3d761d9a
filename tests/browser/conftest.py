"""Browser tests: one server on a fresh database and one Chromium (Debian's, no download) per test process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import fresh_database
from tests.support.live_server import live_server

from . import screenshots
from .scan import Scan
from .server import FIRST_ADMIN, prepare_database

CHROMIUM_ENV = "SELFEVAL_CHROMIUM"
#: Set to 1 to refresh the README's pictures in docs/screenshots/ from this run.
DOCS_SCREENSHOTS_ENV = "SELFEVAL_UPDATE_DOCS_SCREENSHOTS"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def server_url(database_url, tmp_path_factory) -> Iterator[str]:
    """The app served from a fresh, migrated database with one admin account."""
    folder = tmp_path_factory.mktemp("browser-server")
    with fresh_database(database_url, folder) as url:
        prepare_database(url, folder / "instance", FIRST_ADMIN)
        with live_server(url, folder / "instance") as server:
            yield server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = os.environ.get(CHROMIUM_ENV, "/usr/bin/chromium")
    if not Path(executable).is_file():
        pytest.fail(f"The browser journeys need Chromium at {executable}: apt-get install chromium, or set {CHROMIUM_ENV}.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def scan() -> Scan:
    """Screenshots and the list of checked pages go to the folder the run named at its start (tests/conftest.py)."""
    folder = screenshots.folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / screenshots.PAGES_FILE).write_text("", encoding="utf-8")
    docs = DOCS_SCREENSHOTS if os.environ.get(DOCS_SCREENSHOTS_ENV) == "1" else None
    if docs is not None:
        docs.mkdir(parents=True, exist_ok=True)
    return Scan(folder, docs)
