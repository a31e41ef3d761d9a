"""Handing a job's parts to whoever renders them: a thread of this process, or Celery workers through a broker.

Both take the same steps (parts.run_part for each part; the last one assembles the ZIP) and keep the same state in
the database, so the pages, the API and the tests see one kind of job whichever runs it. Without a broker
(SELFEVAL_BROKER_URL unset: the demo, a single school's server) the parts run one after another in a daemon thread
of the web process that started the job, as before; a restart of that process loses the job (it shows as failed).
With a broker, every part is a task any worker on any machine may take, and one a lost worker held is delivered again.
"""

from __future__ import annotations

import threading
from typing import Protocol

from flask import Flask

from ..extensions import db
from . import parts

THREAD_PREFIX = "report-job-"
PART_TASK = "selfeval.report_part"


class Runner(Protocol):
    def dispatch(self, job_id: str, positions: list[int], heartbeat: float) -> None: ...


def runner(app: Flask) -> Runner:
    if app.config.get("SELFEVAL_BROKER_URL"):
        return CeleryRunner(app)
    return ThreadRunner(app)


class ThreadRunner:
    """The parts one after another in a daemon thread, within an app context of its own."""

    def __init__(self, app: Flask):
        self.app = app

    def dispatch(self, job_id: str, positions: list[int], heartbeat: float) -> None:
        thread = threading.Thread(
            target=self._run, args=(job_id, positions, heartbeat), name=f"{THREAD_PREFIX}{job_id}", daemon=True
        )
        thread.start()

    def _run(self, job_id: str, positions: list[int], heartbeat: float) -> None:
        with self.app.app_context():
            try:
                for position in positions:
                    parts.run_part(job_id, position, heartbeat)
            finally:
                db.session.remove()


class CeleryRunner:
    """One task per part, sent to the broker; any worker takes it (selfeval worker)."""

    def __init__(self, app: Flask):
        self.celery = app.extensions["celery"]

    def dispatch(self, job_id: str, positions: list[int], heartbeat: float) -> None:
        for position in positions:
            self.celery.send_task(PART_TASK, args=(job_id, position, heartbeat))
