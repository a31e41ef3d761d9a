"""The Celery app of a Flask app, as Flask documents it: configured from the app, every task in an app context.

Made for every app (without a broker it is never used to send anything): the web processes send tasks with it,
`selfeval worker` runs it. The settings that make a lost worker's part come back:

- acks_late: a task is acknowledged when it has finished, not when a worker took it;
- task_reject_on_worker_lost: a worker child that dies (SIGKILL, out of memory) hands its task back at once;
- the broker's visibility timeout (Redis): a task taken by a worker machine that vanished as a whole is delivered
  again after SELFEVAL_BROKER_VISIBILITY_TIMEOUT seconds, which must be above the longest part;
- prefetch 1: a worker holds no more tasks than it runs, so the others take the rest of a batch.
"""

from __future__ import annotations

from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask

from ..extensions import db


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    db.session.remove()

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["SELFEVAL_BROKER_URL"] or "memory://",
        broker_connection_retry_on_startup=True,
        broker_transport_options=_transport_options(app.config["SELFEVAL_BROKER_VISIBILITY_TIMEOUT"]),
        task_default_queue=app.config["SELFEVAL_BROKER_QUEUE"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        include=["selfeval.jobs.tasks"],
    )
    celery.set_default()
    app.extensions["celery"] = celery

    @worker_process_init.connect(weak=False)
    def fresh_connections(**_kwargs: object) -> None:
        """A forked worker child must not share the parent's database connections."""
        with app.app_context():
            db.engine.dispose(close=False)

    return celery


def _transport_options(visibility_timeout: int) -> dict[str, int]:
    """Redis: a task a vanished worker held comes back after `visibility_timeout`; look for such tasks often enough
    (kombu's default sweep, every 100 seconds, would add that to every recovery)."""
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": max(1, min(10, visibility_timeout // 4)),
        "unacked_restore_throttle": 1,
    }
