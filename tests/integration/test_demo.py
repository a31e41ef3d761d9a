"""`selfeval demo`: prepares its own SQLite database, prints what to open, and serves the app."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from selfeval.extensions import db

SELFEVAL = str(Path(sys.executable).with_name("selfeval"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELFEVAL_")}
    return {**env, "SELFEVAL_INSTANCE_PATH": str(instance), "PYTHONUNBUFFERED": "1"}


@contextmanager
def running_demo(instance: Path, *extra: str):
    port = free_port()
    process = subprocess.Popen(
        [SELFEVAL, "demo", "--port", str(port), *extra],
        env=demo_env(instance),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = []
        for line in process.stdout:
            banner.append(line.rstrip("\n"))
            if "Stop with Ctrl+C." in line:
                break
        yield port, banner
    finally:
        process.terminate()
        process.wait(timeout=20)


def fetch(url: str, attempts: int = 50) -> str:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def snapshot_rows(database: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT catalog_id, version FROM catalog_snapshots").fetchall()


def test_demo_prepares_its_database_prints_the_address_and_serves(tmp_path):
    with running_demo(tmp_path) as (port, banner):
        assert banner[-18:] == [
            "selfeval demo",
            f"  Database:  {tmp_path / 'demo.sqlite3'} (SQLite, demo only; SELFEVAL_DATABASE_URL is not used)",
            "  Catalogue: Leitfaden und Selbstevaluationsraster Digitale Schulentwicklung, version 4",
            f"  Open:      http://127.0.0.1:{port}/",
            "  Log-ins:",
            "    schulleitung@demo.selfeval.de    selfeval-demo   Team, Schulleitung (Demo-Gesamtschule)",
            "    lehrkraft@demo.selfeval.de       selfeval-demo   Team, Lehrkraft (Demo-Gesamtschule)",
            "    grundschule@demo.selfeval.de     selfeval-demo   Team (Demo-Grundschule, Entwurf)",
            "    schulaufsicht@demo.selfeval.de   selfeval-demo   Schulaufsicht Dortmund (nur lesen)",
            "    gymnasien@demo.selfeval.de       selfeval-demo   Schulaufsicht Gymnasien, Bezirksregierung Arnsberg",
            "    medienberatung@demo.selfeval.de  selfeval-demo   Medienberatung Dortmund und Bochum",
            "    verwaltung@demo.selfeval.de      selfeval-demo   Verwaltung (alle Schulen)",
            "    schultraeger@demo.selfeval.de    selfeval-demo   Schulträger Stadt Unna (Kreis Unna)",
            "    realschule@demo.selfeval.de      selfeval-demo   Team zu viert, Schulleitung (Demo-Realschule, Konsensphase)",
            "    informatik@demo.selfeval.de      selfeval-demo   Team zu viert, Informatik (Demo-Realschule)",
            "    deutsch@demo.selfeval.de         selfeval-demo   Team zu viert, Deutsch (Demo-Realschule)",
            "    medien@demo.selfeval.de          selfeval-demo   Team zu viert, Medienbeauftragte (Demo-Realschule)",
            "  Stop with Ctrl+C.",
        ]
        assert "<h1>Selbstevaluation Digitale Schulentwicklung</h1>" in fetch(f"http://127.0.0.1:{port}/")
        assert fetch(f"http://127.0.0.1:{port}/leitfaden").count('class="indicator"') == 23
    assert snapshot_rows(tmp_path / "demo.sqlite3") == [("dortmund-leitfaden", "4")]
    assert not (tmp_path / "selfeval.sqlite3").exists()


def plan_rows(database: Path) -> list[tuple[str, str, int, int, int]]:
    """(Schulnummer, round, version, agreements, confirmed agreements) of every plan in the demo database."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT schools.schulnummer, rounds.slug, plans.version, COUNT(plan_agreements.id), "
            "COUNT(plan_agreements.confirmed_at) FROM plans JOIN assessments ON assessments.id = plans.assessment_id "
            "JOIN schools ON schools.id = assessments.school_id JOIN rounds ON rounds.id = assessments.round_id "
            "LEFT JOIN plan_agreements ON plan_agreements.plan_id = plans.id "
            "GROUP BY plans.id ORDER BY schools.schulnummer, rounds.slug"
        ).fetchall()


#: The Demo-Gesamtschule's plans of 2024/25 (agreed and confirmed) and 2025/26 (goals, then one measure carried
#: over: version 2; its agreement not yet confirmed), and a Grundschule's in Bochum (services/demo_plans.py).
DEMO_PLANS = [("199001", "2024-25", 1, 1, 1), ("199001", "2025-26", 2, 1, 0), ("199022", "2025-26", 1, 0, 0)]


def test_demo_restarts_on_the_same_database_and_reset_starts_afresh(tmp_path):
    with running_demo(tmp_path) as (port, _):
        fetch(f"http://127.0.0.1:{port}/")
    database = tmp_path / "demo.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE leftover (x INTEGER)")
    with running_demo(tmp_path) as (port, _):
        fetch(f"http://127.0.0.1:{port}/")
    assert snapshot_rows(database) == [("dortmund-leitfaden", "4")]
    assert plan_rows(database) == DEMO_PLANS  # made once, not again on a restart
    with running_demo(tmp_path, "--reset") as (port, _):
        fetch(f"http://127.0.0.1:{port}/")
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"alembic_version", *db.metadata.tables}
    assert plan_rows(database) == DEMO_PLANS


@pytest.mark.parametrize("port", ["0", "70000", "web"])
def test_demo_rejects_a_bad_port_plainly(tmp_path, port):
    result = subprocess.run(
        [SELFEVAL, "demo", "--port", port], env=demo_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Invalid value for '--port'" in result.stderr


def test_demo_on_a_busy_port_says_so_without_traceback(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [SELFEVAL, "demo", "--port", str(port)],
            env=demo_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"Port {port} is in use by another program." in result.stdout + result.stderr
