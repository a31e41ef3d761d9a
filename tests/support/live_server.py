"""The app served by a real gunicorn in its own process group, on a free port of 127.0.0.1, for tests that need one.

    with live_server(database_url, tmp_path / "server") as server:
        httpx.get(f"{server.url}/api/v1/catalog")
        server.kill()  # SIGKILL, as a crash would (optional; leaving the block stops it anyway)

The listening socket is bound here and handed to gunicorn as ``fd://N``: the port is known before the server
starts and no other program can take it in between. Whatever happens, leaving the block kills the whole process
group (master and workers), so no server outlives its test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET_KEY

#: The checkout's root, where wsgi.py lies.
CHECKOUT = Path(__file__).resolve().parents[1]

#: A page that needs neither a log-in nor data: it answers as soon as a worker serves the app.
READY_PATH = "/api/v1/catalog"


class ServerDidNotStart(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log."""


@dataclass
class LiveServer:
    url: str  # e.g. http://127.0.0.1:41234, without a trailing slash
    process: subprocess.Popen
    log_path: Path

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def kill(self, timeout: float = 15.0) -> None:
        """SIGKILL the master and all its workers at once, as a power cut would, and reap the master."""
        _signal_group(self.process, signal.SIGKILL)
        self.process.wait(timeout=timeout)

    def stop(self, timeout: float = 15.0) -> None:
        """Shut down gracefully (SIGTERM); SIGKILL the group if that takes longer than `timeout` seconds."""
        _signal_group(self.process, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        _signal_group(self.process, signal.SIGKILL)  # a worker that outlived its master

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


@contextmanager
def live_server(
    database_url: str,
    instance_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    workers: int = 2,
    threads: int = 1,
    preload: bool = True,
    start_timeout: float = 60.0,
) -> Iterator[LiveServer]:
    """`gunicorn wsgi:app` on `database_url` (migrated already), answering before the block starts.

    With `preload` the master imports the app once and forks the workers (create_app opens no connection, so
    nothing is shared): on a busy machine that halves the start-up. With `threads` above 1 each worker
    serves that many requests at once (gunicorn's gthread worker), as a production setup may.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    server = _start(database_url, instance_path, env or {}, workers, threads, preload)
    try:
        _wait_until_answering(server, start_timeout)
        yield server
    finally:
        server.stop()


def _start(
    database_url: str, instance_path: Path, env: Mapping[str, str], workers: int, threads: int, preload: bool
) -> LiveServer:
    listener = socket.create_server(("127.0.0.1", 0), backlog=128)
    try:
        port = listener.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        log_path = instance_path / "server.log"
        with log_path.open("a", encoding="utf-8") as log:
            process = subprocess.Popen(
                _gunicorn_command(listener.fileno(), workers, threads, preload),
                env=_server_environment(database_url, instance_path, url, env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(listener.fileno(),),
                start_new_session=True,  # its own process group: one signal reaches master and workers
            )
    finally:
        # gunicorn holds its own copy; once it dies, the port refuses connections instead of queueing them.
        listener.close()
    return LiveServer(url, process, log_path)


def _gunicorn_command(listening_fd: int, workers: int, threads: int, preload: bool) -> list[str]:
    options = {
        "--bind": f"fd://{listening_fd}",
        "--workers": str(workers),
        "--threads": str(threads),
        "--timeout": "60",  # a worker stuck this long is killed and replaced
        "--graceful-timeout": "5",
        "--chdir": str(CHECKOUT),  # where wsgi.py lies
    }
    flags = ["--preload"] if preload else []
    return [sys.executable, "-m", "gunicorn", *(part for option in options.items() for part in option), *flags, "wsgi:app"]


def _server_environment(database_url: str, instance_path: Path, url: str, extra: Mapping[str, str]) -> dict[str, str]:
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("SELFEVAL_")}
    return {
        **inherited,
        "SELFEVAL_DATABASE_URL": database_url,
        # A production configuration makes password links only with the site's address (issue 15, item 13).
        "SELFEVAL_BASE_URL": url,
        "SELFEVAL_INSTANCE_PATH": str(instance_path),
        "SELFEVAL_SECRET_KEY": TEST_SECRET_KEY,  # the test app's: both understand each other's session cookies
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def _wait_until_answering(server: LiveServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if not server.running:
                raise ServerDidNotStart(f"the server exited with {server.process.returncode}:\n{server.log()}")
            try:
                if client.get(server.url + READY_PATH).status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening or not serving yet
            time.sleep(0.1)
    raise ServerDidNotStart(f"the server did not answer within {timeout:.0f} s:\n{server.log()}")


def _signal_group(process: subprocess.Popen, signal_number: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
        os.killpg(process.pid, signal_number)
