"""`python -m benchmarks analytics`: state-scale figures for the supervision analytics.

Fills an empty database with synthetic data, then measures in this process (no network):
the pure pandas computation for all schools, the row-to-frame adapter (cold), the analytics API
and the overview page for a scope of about 300 schools and for all schools (Flask test client,
warm), the XLSX export of all schools, and the process's peak memory.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, text

from selfeval.extensions import catalogs, db
from selfeval.models import Round, School, User
from selfeval.scoring import aggregate
from selfeval.services import analytics
from selfeval.services.accounts import create_user

from .synthetic import fill

PASSWORD = "benchmark-password"  # noqa: S105 - throwaway accounts in a throwaway database  # nosec B105
SCOPE_TARGET = 300


@dataclass(frozen=True)
class Timing:
    label: str
    samples: list[float]  # seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def time_it(label: str, action: Callable[[], object], repeat: int) -> Timing:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return Timing(label, samples)


def run(app, schools: int, rounds: int, repeat: int, echo: Callable[[str], None]) -> list[Timing]:
    with app.app_context():
        if db.session.execute(text("SELECT count(*) FROM schools")).scalar():
            raise SystemExit("the benchmark needs an empty, migrated database; this one has schools")
        start = time.perf_counter()
        filled = fill(catalogs.active, schools, rounds)
        scope_kreise = _kreise_for(SCOPE_TARGET)
        db.session.flush()
        create_user("admin@bench.invalid", "Bench Admin", "admin", PASSWORD)
        create_user("aufsicht@bench.invalid", "Bench Aufsicht", "supervisor", PASSWORD, kreise=scope_kreise)
        db.session.commit()
        echo(
            f"filled {filled.schools} schools, {len(filled.rounds)} rounds, {filled.assessments} assessments, "
            f"{filled.ratings} ratings in {time.perf_counter() - start:.1f} s"
        )
        timings = _pure(filled.rounds[-1], repeat)
    client = app.test_client()
    current = filled.rounds[-1]
    for email, who in (("aufsicht@bench.invalid", "scope"), ("admin@bench.invalid", "all")):
        client.post("/anmelden", data={"email": email, "password": PASSWORD})
        size = len(client.get(f"/api/v1/schools?round={current}").get_json())
        timings.append(_request(client, f"analytics API, {who} ({size} schools)", f"/api/v1/analytics?round={current}", repeat))
        timings.append(_request(client, f"overview page, {who} ({size} schools)", f"/auswertung/?runde={current}", repeat))
        client.post("/abmelden")
    client.post("/anmelden", data={"email": "admin@bench.invalid", "password": PASSWORD})
    export = f"/api/v1/export?round={current}&format=xlsx"
    timings.append(_request(client, "XLSX export, all schools", export, max(3, repeat // 5)))
    return timings


def _pure(slug: str, repeat: int) -> list[Timing]:
    round_ = db.session.query(Round).filter_by(slug=slug).one()
    catalog = analytics.round_catalog(round_)
    previous = db.session.query(Round).filter(Round.id < round_.id).order_by(Round.id.desc()).first()
    cold = time_it("adapter: rows to frame, one round, cold", lambda: analytics._load_round_scores(round_), max(3, repeat // 5))
    admin = db.session.query(User).filter_by(email="admin@bench.invalid").one()
    schools = analytics.scope_schools(admin, round_)
    scores = analytics.submitted_scores(round_, schools)
    before = aggregate.criterion_scores(analytics.submitted_scores(previous, schools), catalog) if previous else None

    def compute() -> None:
        criteria = aggregate.criterion_scores(scores, catalog)
        aggregate.describe(criteria)
        aggregate.describe(scores)
        aggregate.participation(schools)
        if before is not None:
            aggregate.change(criteria, before)
            aggregate.change_summary(criteria, before)

    pure = time_it(f"analytics computation, all schools ({len(scores)} submitted)", compute, repeat)
    full = time_it("analyse(): queries + computation, all schools, warm", lambda: analytics.analyse(admin, round_), repeat)
    return [pure, cold, full]


def _request(client, label: str, path: str, repeat: int) -> Timing:
    response = client.get(path)  # the first request fills the per-round cache
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return time_it(label, lambda: client.get(path).close(), repeat)


def _kreise_for(target: int) -> list[str]:
    """Kreise in key order until their schools reach the target: a supervisor's scope of about that size."""
    counts = db.session.execute(select(School.kreis, func.count()).group_by(School.kreis).order_by(School.kreis)).all()
    chosen, total = [], 0
    for key, count in counts:
        if total >= target:
            break
        chosen.append(key)
        total += count
    return chosen


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def timing_table(timings: list[Timing], database: str) -> list[str]:
    """The machine, the database and one Markdown row per timing."""
    lines = [
        f"Machine: {machine()}",
        f"Database: {database}",
        "",
        "| measurement | median ms | p95 ms | runs |",
        "|---|---:|---:|---:|",
    ]
    return lines + [f"| {t.label} | {t.median_ms:.1f} | {t.p95_ms:.1f} | {len(t.samples)} |" for t in timings]


def report(timings: list[Timing], database: str) -> str:
    lines = timing_table(timings, database)
    lines += ["", f"Peak memory (max RSS of the process, including the data fill): {peak_memory_mb():.0f} MB"]
    return "\n".join(lines)
