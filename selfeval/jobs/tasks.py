"""The tasks workers run: one part of a report job (its last part assembles the ZIP). See parts.py."""

from __future__ import annotations

from celery import shared_task

from . import parts


@shared_task(name="selfeval.report_part", acks_late=True, reject_on_worker_lost=True)
def render_part(job_id: str, position: int, heartbeat: float) -> None:
    parts.run_part(job_id, position, heartbeat)
