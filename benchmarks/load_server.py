"""The processes around `python -m benchmarks load`: a throwaway PostgreSQL database, gunicorn, and their CPU time."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess  # starts gunicorn: our own interpreter, fixed arguments  # nosec B404
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from selfeval.config import normalize_database_url

from . import CHECKOUT
from .cpu_time import children
from .load_driver import Client

#: Where a temporary database is made when no --database-url is given (the CI's server).
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
START_TIMEOUT_SECONDS = 90.0


class LoadSetupError(Exception):
    """The run cannot start: no PostgreSQL, a server that does not come up …; the message says what to do."""


@contextmanager
def load_database(database_url: str | None) -> Iterator[str]:
    """The given PostgreSQL database, or a temporary one on 127.0.0.1:5432 that is dropped afterwards."""
    if database_url:
        url = normalize_database_url(database_url)
        if make_url(url).get_backend_name() != "postgresql":
            raise LoadSetupError("the load benchmark needs PostgreSQL: give --database-url postgresql://…")
        yield url
        return
    name = f"selfeval_load_{uuid.uuid4().hex[:12]}"
    server = create_engine(DEFAULT_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        server.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise LoadSetupError(
            f"cannot create a temporary database on 127.0.0.1:5432 ({reason}); "
            "give --database-url of an empty PostgreSQL database"
        ) from None
    try:
        yield make_url(DEFAULT_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@dataclass
class Server:
    """A running gunicorn: its address, its master process and its log."""

    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        """What gunicorn wrote so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def pids(self) -> list[int]:
        """The master and its workers."""
        return [self.process.pid, *children(self.process.pid)]


@contextmanager
def gunicorn(target: str, workers: int, folder: Path, env: Mapping[str, str], ready_path: str) -> Iterator[Server]:
    """`gunicorn TARGET` with sync workers on a free port of 127.0.0.1, answering `ready_path` before the block starts."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=2048)
    log_path = folder / f"gunicorn-{target.replace(':', '-')}.log"
    command = [
        sys.executable, "-m", "gunicorn", target,
        # The socket is bound here and handed over: the port is known and nobody can take it in between.
        "--bind", f"fd://{listener.fileno()}", "--backlog", "2048",
        "--workers", str(workers), "--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "5",
        "--log-level", "warning", "--chdir", str(CHECKOUT),
    ]  # fmt: skip
    try:
        with log_path.open("a", encoding="utf-8") as log:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments  # nosec B603
                command,
                env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(listener.fileno(),),
                start_new_session=True,  # its own process group: one signal reaches master and workers
            )
        port = listener.getsockname()[1]
    finally:
        listener.close()
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_ready(server, target, ready_path, workers)
        yield server
    finally:
        _stop(server.process)


def _wait_until_ready(server: Server, target: str, path: str, workers: int) -> None:
    """Until the path answers 200 and every worker has started (the first requests should not pay for imports)."""
    can_count = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").exists()
    client = Client.to(server.url)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise LoadSetupError(f"gunicorn {target} exited with {server.process.returncode}:\n{server.log()}")
        try:
            answered = client.request("GET", path).status == 200
        except (OSError, http.client.HTTPException):
            answered = False  # not listening or not serving yet
        if answered and (not can_count or len(server.pids()) == workers + 1):
            return
        time.sleep(0.2)
    raise LoadSetupError(f"gunicorn did not answer within {START_TIMEOUT_SECONDS:.0f} s:\n{server.log()}")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the whole group, SIGKILL if it takes longer than 15 s."""
    for signal_number, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, signal_number)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
