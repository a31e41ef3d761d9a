"""The real thing: two gunicorn app servers, one PostgreSQL, Redis as broker, two Celery workers in their own processes.

- a batch started through server A is polled through server B and downloaded from B;
- one worker is killed with SIGKILL mid-batch: its parts come back to the other worker after the visibility timeout,
  and the ZIP holds every school's PDF exactly once;
- a second batch runs while teams save ratings through both servers: no save is lost.

Everything listens on 127.0.0.1 only; the whole test is bounded by a timeout, and every process it starts is
killed with its process group on the way out. It needs PostgreSQL (SQLite is one machine's file) and Redis.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from selfeval.extensions import db
from selfeval.models import Assessment, ReportJobPart, Round, School
from tests.conftest import TEST_SECRET_KEY
from tests.support.factories import all_scores, make_round, make_school, make_token, make_user, submitted
from tests.support.live_server import CHECKOUT, live_server

REDIS_URL = os.environ.get("SELFEVAL_TEST_DISTRIBUTED_BROKER_URL", "redis://127.0.0.1:6379/13")
SCHOOLS = 48  # submitted, in the batch
PART_SIZE = 4  # 12 parts: each worker takes several
VISIBILITY_TIMEOUT = 10  # seconds: a killed worker's part comes back this soon
WRITER_SCHOOLS = [f"4900{number:02d}" for number in range(3)]
ROUND = "2025-26"
TIMEOUT = 240

pytestmark = pytest.mark.timeout(TIMEOUT + 60)


@pytest.fixture
def postgresql(app) -> str:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("several app servers and workers share one PostgreSQL: set SELFEVAL_TEST_DATABASE_URL to a PostgreSQL URL")
    return url


@pytest.fixture
def broker() -> Iterator[str]:
    connection = redis.Redis.from_url(REDIS_URL)
    assert connection.ping(), f"this test needs Redis at {REDIS_URL} (SELFEVAL_TEST_DISTRIBUTED_BROKER_URL)"
    yield REDIS_URL
    connection.close()


@pytest.fixture
def world(app, postgresql) -> dict[str, str]:
    """An admin's API token (the batches' owner), the batch's schools, and teams of WRITER_SCHOOLS with tokens."""
    with app.app_context():
        round_ = make_round("2025/26")
        for number in range(SCHOOLS):
            submitted(make_school(f"48{number:04d}"), round_, 3 + number % 5)
        tokens = {"admin": make_token(make_user("admin@land.test", "admin"))}
        for schulnummer in WRITER_SCHOOLS:
            school = make_school(schulnummer, kreis="05111")  # Düsseldorf: not in the second batch's Kreis filter
            for n in range(2):
                tokens[f"{schulnummer}/{n}"] = make_token(make_user(f"team{n}-{schulnummer}@schule.test", school=school))
    return tokens


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")


@contextlib.contextmanager
def celery_worker(name: str, env: dict[str, str], folder: Path) -> Iterator[Worker]:
    """`selfeval worker --concurrency 1` in its own process group, ready (connected to the broker) when yielded."""
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / f"{name}.log"
    command = [sys.executable, "-c", "from selfeval.cli import main; main()", "worker", "--concurrency", "1"]
    with log_path.open("a", encoding="utf-8") as log:
        process = subprocess.Popen(
            [*command, "--hostname", f"{name}@%h"],
            env=env | {"SELFEVAL_INSTANCE_PATH": str(folder)},
            cwd=CHECKOUT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(process, log_path)
    try:
        deadline = time.monotonic() + 90
        while "ready." not in worker.log():
            assert process.poll() is None and time.monotonic() < deadline, f"worker {name} did not start:\n{worker.log()}"
            time.sleep(0.2)
        yield worker
    finally:
        worker.kill()


def shared_environment(database_url: str, storage: Path, queue: str) -> dict[str, str]:
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("SELFEVAL_")}
    return inherited | {
        "SELFEVAL_DATABASE_URL": database_url,
        "SELFEVAL_SECRET_KEY": TEST_SECRET_KEY,
        "SELFEVAL_BROKER_URL": REDIS_URL,
        "SELFEVAL_BROKER_QUEUE": queue,
        "SELFEVAL_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "SELFEVAL_REPORT_PART_SIZE": str(PART_SIZE),
        "SELFEVAL_STORAGE": storage.as_uri(),  # one folder for all: a shared (NFS) folder in a real deployment
        "PYTHONUNBUFFERED": "1",
    }


def start_batch(server_url: str, token: str, body: dict) -> str:
    answer = httpx.post(f"{server_url}/api/v1/report-jobs", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.headers["Location"]


def poll(server_url: str, location: str, token: str, until: float, *, stop_when=None) -> dict:
    with httpx.Client(base_url=server_url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        while True:
            status = client.get(location).json()
            if status["status"] in ("done", "failed") or time.monotonic() > until or (stop_when and stop_when(status)):
                return status
            time.sleep(0.2)


def download(server_url: str, location: str, token: str) -> list[str]:
    answer = httpx.get(f"{server_url}{location}/download", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert (answer.status_code, answer.headers["content-type"]) == (200, "application/zip")
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert archive.testzip() is None
        return archive.namelist()


def expected_reports(database_url: str, kreis: str | None = None) -> list[str]:
    engine = create_engine(database_url, poolclass=NullPool)
    with Session(engine) as session:
        query = select(School.schulnummer).join(Assessment).where(Assessment.status == "submitted")
        numbers = sorted(session.scalars(query if kreis is None else query.where(School.kreis == kreis)))
    engine.dispose()
    return numbers


def part_attempts(database_url: str, job_id: str) -> list[int]:
    engine = create_engine(database_url, poolclass=NullPool)
    with Session(engine) as session:
        query = select(ReportJobPart.attempts).where(ReportJobPart.job_id == job_id).order_by(ReportJobPart.position)
        attempts = list(session.scalars(query))
    engine.dispose()
    return attempts


def save_until(server_urls: list[str], token: str, schulnummer: str, indicators: list[str], stop: threading.Event, log: list):
    """A team member: read, then save all indicators on the version read, alternating the servers, until stopped."""
    path = f"/api/v1/schools/{schulnummer}/assessments/{ROUND}"
    headers = {"Authorization": f"Bearer {token}"}
    sequence = 0
    while not stop.is_set():
        url = server_urls[sequence % 2]
        sequence += 1
        read = httpx.get(url + path, headers=headers, timeout=30)
        assert read.status_code == 200, read.text
        score = sequence % 11
        body = {"ratings": {indicator: {"score": score, "comment": f"{token[:6]}-{sequence}"} for indicator in indicators}}
        answer = httpx.put(url + path, json=body, headers=headers | {"If-Match": read.headers["ETag"]}, timeout=30)
        assert answer.status_code in (200, 412), answer.text
        if answer.status_code == 200:
            log.append((schulnummer, answer.json()["version"], f"{token[:6]}-{sequence}"))


def test_batches_across_servers_and_workers_survive_a_killed_worker_and_lose_no_save(app, postgresql, broker, world, tmp_path):
    until = time.monotonic() + TIMEOUT
    env = shared_environment(postgresql, tmp_path / "files", f"selfeval-test-{uuid.uuid4().hex[:8]}")
    token = world["admin"]
    with app.app_context():
        indicators = sorted(all_scores())
    with (
        live_server(postgresql, tmp_path / "a", env=env, workers=1, threads=4) as server_a,
        live_server(postgresql, tmp_path / "b", env=env, workers=1, threads=4) as server_b,
        celery_worker("one", env, tmp_path / "worker-one") as worker_one,
        celery_worker("two", env, tmp_path / "worker-two"),
    ):
        # 1. Started through A, polled through B; one worker dies mid-batch.
        location = start_batch(server_a.url, token, {"round": ROUND})
        started = poll(server_b.url, location, token, until, stop_when=lambda status: status["done"] >= 2 * PART_SIZE)
        assert started["status"] == "running", started
        worker_one.kill()
        finished = poll(server_b.url, location, token, until)
        job_id = location.rsplit("/", 1)[1]
        expected = expected_reports(postgresql)
        assert (finished["status"], finished["done"], finished["total"], finished["errors"]) == ("done", SCHOOLS, SCHOOLS, [])
        names = download(server_b.url, location, token)
        assert sorted(name.split("-")[3] for name in names) == expected  # bericht-2025-26-<Schulnummer>-…: each once
        attempts = part_attempts(postgresql, job_id)
        assert (len(attempts), min(attempts), sum(attempts) > len(attempts)) == (SCHOOLS // PART_SIZE, 1, True)
        assert httpx.get(f"{server_a.url}/healthz").json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}

        # 2. A second batch (one Kreis), while teams save through both servers.
        stop, saves = threading.Event(), []
        servers = [server_a.url, server_b.url]
        writers = [
            threading.Thread(target=save_until, args=(servers, world[f"{s}/{n}"], s, indicators, stop, saves))
            for s in WRITER_SCHOOLS
            for n in range(2)
        ]
        for writer in writers:
            writer.start()
        second = start_batch(server_b.url, token, {"round": ROUND, "kreis": ["05913"]})
        second_done = poll(server_a.url, second, token, until)
        time.sleep(1.0)
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
        assert (second_done["status"], second_done["total"]) == ("done", SCHOOLS)
        names = download(server_a.url, second, token)
        assert sorted(name.split("-")[3] for name in names) == expected_reports(postgresql, "05913")
    assert [writer.is_alive() for writer in writers] == [False] * len(writers)
    with app.app_context():
        round_id = db.session.scalar(select(Round.id).where(Round.slug == ROUND))
        for schulnummer in WRITER_SCHOOLS:
            accepted = sorted((version, marker) for number, version, marker in saves if number == schulnummer)
            assessment = db.session.scalar(
                select(Assessment).join(School).where(School.schulnummer == schulnummer, Assessment.round_id == round_id)
            )
            # Every accepted save made a version of its own, and the stored ratings are the last one's.
            assert [version for version, _ in accepted] == list(range(1, len(accepted) + 1))
            assert assessment.version == len(accepted) > 0
            assert {rating.comment for rating in assessment.ratings} == {accepted[-1][1]}
