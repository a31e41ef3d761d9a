"""What the tests of report jobs share: starting a job from the overview, waiting for it, looking at its rows."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from selfeval.extensions import db
from selfeval.models import ReportJobPart, ReportJobRow
from selfeval.services import reports as report_service
from tests.support.html import soup_of, text

START = "/auswertung/berichte/"
OVERVIEW = "/auswertung/?runde=2025-26"
IN_DORTMUND = ["bericht-2025-26-100001-adler-gesamtschule.pdf", "bericht-2025-26-100002-birken-gymnasium.pdf"]


def start_from_the_overview(client, **extra: list[str]):
    """Submit the overview's "Alle Berichte (ZIP)" form as the browser would, with `extra` fields added."""
    page = soup_of(client.get(OVERVIEW))
    form = page.find("form", action=START)
    assert text(form.button) == "Alle Berichte (ZIP)"
    fields = [(field["name"], field["value"]) for field in form.find_all("input", type="hidden")]
    fields += [(name, value) for name, values in extra.items() for value in values]
    return client.post(START, data=MultiDict(fields))


def wait_until_finished(client, job_url: str, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(f"{job_url}/stand")
        assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
        status = response.get_json()
        if status["state"] != "running" or time.monotonic() > deadline:
            return status
        assert status["download_url"] is None
        time.sleep(0.05)


def job_folders(app) -> list[str]:
    """The ids of the jobs there are (their rows: the state every app server shares)."""
    with app.app_context():
        return sorted(db.session.scalars(select(ReportJobRow.id)))


def file_folders(app) -> list[str]:
    """The jobs' folders in the default storage (the instance folder)."""
    root = Path(app.instance_path) / "report-jobs"
    return sorted(path.name for path in root.iterdir() if not path.name.startswith(".")) if root.is_dir() else []


def change_job(app, job_url: str, *, beat_seconds_ago: float | None = None, **changes) -> None:
    """Change the job's row (as a process that died, or time that passed, would leave it); `beat_seconds_ago`
    moves the last sign of life of the job and all its parts into the past."""
    job_id = job_url.rstrip("/").rsplit("/", 1)[1]
    with app.app_context():
        values = {
            key: datetime.fromtimestamp(value, UTC) if key.endswith("_at") and value else value for key, value in changes.items()
        }
        if beat_seconds_ago is not None:
            silent = datetime.fromtimestamp(time.time() - beat_seconds_ago, UTC)
            values["beat_at"] = silent
            db.session.execute(update(ReportJobPart).where(ReportJobPart.job_id == job_id).values(beat_at=silent))
        if values:
            db.session.execute(update(ReportJobRow).where(ReportJobRow.id == job_id).values(**values))
        db.session.commit()


@pytest.fixture
def gate(monkeypatch):
    """Holds every job before its first report until the test opens it (as a very slow report would)."""
    opened = threading.Event()
    real = report_service.iter_reports  # what write_reports renders from

    def held(*args, **kwargs):
        opened.wait(60)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(report_service, "iter_reports", held)
    yield opened
    opened.set()
    for thread in threading.enumerate():
        if thread.name.startswith("report-job-"):
            thread.join(60)
