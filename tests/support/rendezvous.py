"""Make a race happen on purpose: threads wait for each other right after a chosen SQL statement.

A check-then-act rule ("one admin must stay", "update only what changed") breaks when two transactions both read
before either writes. Threads alone hit that window by chance; here each thread, after its first statement matching
`pattern`, waits until all `parties` threads have run theirs (or `timeout` passes). Without a lock every thread reads
the old state, so the race is certain. With a lock taken by that statement, only one thread gets past it; it waits
out the timeout alone, then finishes and lets the next one in. The statements themselves run unchanged: this is the
database's own event hook, not a mock.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def meet_after(engine: Engine, pattern: str, parties: int = 2, timeout: float = 3.0) -> Iterator[threading.Barrier]:
    barrier = threading.Barrier(parties, timeout=timeout)
    statement_pattern = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    waited: set[int] = set()
    lock = threading.Lock()

    def after_execute(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement_pattern.search(statement):
            return
        with lock:
            if threading.get_ident() in waited:
                return
            waited.add(threading.get_ident())
        with contextlib.suppress(threading.BrokenBarrierError):  # a lock kept the others out: go on alone
            barrier.wait()

    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        yield barrier
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)


def run_together(*calls) -> list:
    """Run each call in its own thread; their results (or raised exceptions) in order."""
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test, which asserts on it
            results[index] = exc

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
