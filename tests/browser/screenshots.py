"""Where the browser journeys put their screenshots, told at the start and the end of a test run.

tests/conftest.py calls these from pytest's hooks in the main process: under `pytest -n` the
journeys run in a worker, which inherits the folder through the environment but cannot print.
Kept free of Playwright, since every test run imports it.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

SCREENSHOT_ENV = "SELFEVAL_SCREENSHOT_DIR"
PAGES_FILE = "pages.txt"


def choose_folder() -> None:
    """Name a fresh folder in the temp directory unless SELFEVAL_SCREENSHOT_DIR names one (created on first use)."""
    if not os.environ.get(SCREENSHOT_ENV):
        name = f"selfeval-screenshots-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        os.environ[SCREENSHOT_ENV] = str(Path(tempfile.gettempdir()) / name)


def folder() -> Path:
    return Path(os.environ[SCREENSHOT_ENV])


def header() -> str:
    return f"browser journeys: screenshots go to {folder()}"


def summary() -> str:
    """How many pages the journeys checked, if they ran; '' otherwise."""
    pages = folder() / PAGES_FILE
    if not pages.is_file():
        return ""
    count = len(pages.read_text(encoding="utf-8").splitlines())
    return f"browser journeys: {count} pages checked (axe WCAG 2.0/2.1 A+AA, 200 % zoom); screenshots and {pages}"
