"""Running a job's work outside the request that started it: a daemon thread of this process, with a heartbeat.

A queue's worker (the scale-out issue) replaces `ThreadRunner` behind the same `start`; it would take the work
as a task name and arguments rather than a function, which is why the work is a module-level function with
plain arguments (ids, not loaded objects) today already.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Protocol

from flask import Flask

from ..extensions import db


class Runner(Protocol):
    def start(self, name: str, work: Callable[[], None], beat: Callable[[], bool]) -> None: ...


class ThreadRunner:
    """Runs `work` in a daemon thread within an app context; `beat` is called every `heartbeat` seconds meanwhile.

    The heartbeat shows the job is alive however long one step of the work takes; it stops when `beat` says
    the job is gone. The thread's database session is closed when the work ends.
    """

    def __init__(self, app: Flask, heartbeat: float):
        self.app, self.heartbeat = app, heartbeat

    def start(self, name: str, work: Callable[[], None], beat: Callable[[], bool]) -> None:
        threading.Thread(target=self._run, args=(work, beat), name=name, daemon=True).start()

    def _run(self, work: Callable[[], None], beat: Callable[[], bool]) -> None:
        with self.app.app_context(), _heartbeat(beat, self.heartbeat):
            try:
                work()
            finally:
                db.session.remove()


@contextlib.contextmanager
def _heartbeat(beat: Callable[[], bool], every: float) -> Iterator[None]:
    """Call `beat` every `every` seconds while the block runs, until it returns False."""
    stop = threading.Event()

    def beating() -> None:
        while not stop.wait(every) and beat():
            pass

    thread = threading.Thread(target=beating, name=f"{threading.current_thread().name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
