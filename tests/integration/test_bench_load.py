"""`python -m benchmarks load` end to end on PostgreSQL (2 teams, 2 s per phase), and that its consistency check can fail.

Not a timed test: it asserts what every run must show (each kind of request, no errors, every accepted
write in the database), never how fast. It needs PostgreSQL: the server of SELFEVAL_TEST_DATABASE_URL
when that is PostgreSQL, else 127.0.0.1:5432, as in CI.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest
from click.testing import CliRunner
from sqlalchemy import make_url

from benchmarks.cli import bench_cli
from benchmarks.load_check import AcceptedWrite, check, stored_assessments
from benchmarks.load_server import DEFAULT_SERVER
from selfeval.config import normalize_database_url
from tests.conftest import TEST_DATABASE_ENV, fresh_database

BURST_SCHOOL = "900003"  # after the two team schools 900001 and 900002
TEAM_KINDS = ["read", "save", "page"]
HEADER = "| phase | requests | count | per second | p50 ms | p95 ms | p99 ms | conflicts (412) | errors |"


def postgresql_server() -> str:
    configured = os.environ.get(TEST_DATABASE_ENV, "")
    if configured and make_url(normalize_database_url(configured)).get_backend_name() == "postgresql":
        return normalize_database_url(configured)
    return DEFAULT_SERVER


def invoke(*args: str):
    result = CliRunner().invoke(bench_cli, ["load", *args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def load_run(tmp_path_factory):
    """One small run on a fresh database that outlives the command, so that the tests can read it again."""
    folder = tmp_path_factory.mktemp("load")
    with fresh_database(postgresql_server(), folder) as url:
        result = invoke(
            "--teams", "2", "--duration", "2", "--workers", "2", "--think", "0.5",
            "--burst-writers", "3", "--burst-writes", "2", "--schools", "10",
            "--database-url", url, "--json", str(folder / "load.json"),
        )  # fmt: skip
        yield result, json.loads((folder / "load.json").read_text(encoding="utf-8")), url


def writes_of(data: dict) -> list[AcceptedWrite]:
    return [AcceptedWrite.from_dict(write) for write in data["writes"]]


def test_a_small_run_measures_every_kind_of_request_without_errors_or_lost_updates(load_run):
    result, data, _ = load_run
    phases = data["phases"]
    assert result.exit_code == 0, result.output
    assert {name: list(phase["requests"]) for name, phase in phases.items()} == {
        "teams": [*TEAM_KINDS, "burst read", "burst save"],
        "saturated": TEAM_KINDS,
        "app saves": ["save only"],
        "floor": ["floor save"],
        "ceiling": ["ceiling"],
    }
    errors = {name: {kind: figures["errors"] for kind, figures in phase["requests"].items()} for name, phase in phases.items()}
    assert errors == {
        "teams": {"read": 0, "save": 0, "page": 0, "burst read": 0, "burst save": 0},
        "saturated": {"read": 0, "save": 0, "page": 0},
        "app saves": {"save only": 0},
        "floor": {"floor save": 0},
        "ceiling": {"ceiling": 0},
    }
    for name, kind in (("app saves", "save only"), ("floor", "floor save")):  # saves went through on both sides
        assert phases[name]["requests"][kind]["count"] > 0
    assert any(line.startswith("Ratio app/floor: ") for line in result.output.splitlines())
    for name in ("teams", "saturated"):  # every read is followed by a save, and each team reads a page in its first round
        requests = phases[name]["requests"]
        assert requests["save"]["count"] == requests["read"]["count"]
        assert requests["page"]["count"] >= 2
    burst = phases["teams"]["requests"]["burst save"]
    assert {key: value for key, value in data["burst"].items() if key != "seconds"} == {
        "school": BURST_SCHOOL, "writers": 3, "planned": 6, "accepted": 6
    }  # fmt: skip
    assert burst["count"] == 6 + burst["conflicts"]
    assert data["consistency"] == {"writes": len(data["writes"]), "assessments": 3, "lost": [], "problems": [], "ok": True}
    lines = result.output.splitlines()
    assert HEADER in lines
    assert f"Consistency: {len(data['writes'])} accepted writes on 3 assessments; lost updates: 0; other problems: 0" in lines
    assert "Errors: 0" in lines


def test_the_database_still_holds_every_accepted_write_when_read_again(load_run):
    _, data, url = load_run
    writes = writes_of(data)
    stored = stored_assessments(url, data["round"], {write.school for write in writes})
    assert stored[BURST_SCHOOL].version == 6
    assert check(writes, stored) == check(writes, stored_assessments(url, data["round"], ["900001", "900002", BURST_SCHOOL]))
    assert check(writes, stored).ok


def test_the_check_reports_a_write_the_database_did_not_keep(load_run):
    _, data, url = load_run
    writes = writes_of(data)
    last = max((w for w in writes if w.school == BURST_SCHOOL), key=lambda w: w.version)
    doctored = [replace(w, comment="never stored") if w == last else w for w in writes]
    stored = stored_assessments(url, data["round"], {write.school for write in writes})
    consistency = check(doctored, stored)
    held = stored[BURST_SCHOOL].ratings[last.indicator]
    assert consistency.lost == [
        f"school {BURST_SCHOOL}: {last.indicator}={last.score}/'never stored' (version {last.version}) was accepted last "
        f"for {last.indicator}, but the database holds {held.score}/{held.comment!r} of version {last.version}"
    ]
    assert consistency.problems == []
    assert not consistency.ok


def test_the_check_reports_two_writes_accepted_on_the_same_version(load_run):
    _, data, url = load_run
    writes = writes_of(data)
    first = min((w for w in writes if w.school == BURST_SCHOOL), key=lambda w: w.version)
    twin = replace(first, indicator="k6c", score=0, comment="overwritten unseen")
    stored = stored_assessments(url, data["round"], {write.school for write in writes})
    consistency = check([*writes, twin], stored)
    assert consistency.lost == [
        f"school {BURST_SCHOOL}: k6c=0/'overwritten unseen' (version {first.version}) shares version {first.version} "
        "with another accepted write",
        f"school {BURST_SCHOOL}: k6c=0/'overwritten unseen' (version {first.version}) was accepted last for k6c, "
        "but the database holds nothing",
    ]
    assert consistency.problems == [f"school {BURST_SCHOOL}: the assessment is at version 6, but 7 writes were accepted"]


def test_a_database_with_schools_is_refused(load_run):
    _, _, url = load_run
    result = invoke("--teams", "1", "--duration", "1", "--database-url", url)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: the benchmark needs an empty PostgreSQL database; this one has schools"


def test_sqlite_is_refused_with_a_plain_message(tmp_path):
    result = invoke("--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert (result.exit_code, result.output) == (
        1,
        "Error: the load benchmark needs PostgreSQL: give --database-url postgresql://…\n",
    )
