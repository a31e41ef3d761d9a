"""`python -m benchmarks load`: the app under gunicorn on PostgreSQL, driven from a separate process on loopback.

One run, three phases of the same length, each driven by `load_driver` in its own process:

1. **teams**: N teams (one school and one account each) save ratings through the API and read pages
   with their session, pausing for a think time between rounds; midway a burst of writers starts on
   one other school's assessment. The target applies to this phase.
2. **saturated**: the same teams without think time, what the server set-up can take at most.
3. **ceiling**: the same number of clients, no think time, against a minimal Flask app
   (`load_ceiling`) in the same gunicorn set-up, no database: the ratio app/ceiling.

Then the database is read directly and compared with every write the server accepted (`load_check`).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess  # starts the load driver: our own interpreter and module  # nosec B404
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import func, make_url, select

from selfeval.app import create_app
from selfeval.extensions import catalogs, db
from selfeval.models import School
from selfeval.reference import kreise
from selfeval.services.accounts import create_user, issue_token
from selfeval.services.accounts.authentication import hash_password
from selfeval.services.rounds import create_round, current_round
from selfeval.services.schools import add_school

from . import CHECKOUT, load_ceiling
from .load_check import AcceptedWrite, check, stored_assessments
from .load_report import summarize
from .load_server import LoadSetupError, Server, gunicorn, load_database
from .synthetic import fill

PASSWORD = "load-benchmark-password"  # noqa: S105 - throwaway accounts in a throwaway database  # nosec B105
FIRST_SCHULNUMMER = 900001  # above the synthetic schools' 1000xx…
READY_PATH = "/api/v1/catalog"  # answers without a log-in or data
DRIVER_GRACE_SECONDS = 300


@dataclass(frozen=True)
class LoadOptions:
    """What `python -m benchmarks load` runs; the defaults are the recorded run's."""

    teams: int = 50
    duration: int = 30  # seconds per phase
    workers: int = 2 * (os.cpu_count() or 1) + 1  # gunicorn's rule of thumb for sync workers
    think: float = 1.0  # seconds between a team's rounds, ±50 %
    burst_writers: int = 10  # a whole Team Digitalisierung saving at the same moment
    burst_writes: int = 2  # accepted writes per burst writer
    burst_at: float = 0.5  # when the burst starts, as a share of the teams phase
    page_every: int = 3  # a team reads an HTML page every this many rounds
    schools: int = 6000  # synthetic schools with two rounds of data around the teams
    seed: int = 4711


@dataclass(frozen=True)
class Seeded:
    """What the driver needs to know about the seeded database."""

    round_slug: str
    teams: list[dict[str, str]]  # schulnummer, email, password, token
    burst_school: str
    burst_tokens: list[str]
    indicators: list[tuple[str, str]]  # (indicator id, criterion id)
    scale: tuple[int, int]
    database: str  # e.g. "postgresql 15.20"


def run(options: LoadOptions, database_url: str | None, echo: Callable[[str], None]) -> dict[str, Any]:
    """Prepare the database, run the three phases, check consistency; the result as plain data."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="selfeval-load-") as name, load_database(database_url) as url:
        folder = Path(name)
        seeded = prepare(url, folder, options, echo)
        env = {
            "SELFEVAL_DATABASE_URL": url,
            "SELFEVAL_INSTANCE_PATH": str(folder / "instance"),
            "SELFEVAL_SECRET_KEY": secrets.token_hex(32),  # one key for all workers
        }
        phases = {}
        with gunicorn("wsgi:app", options.workers, folder, env, READY_PATH) as server:
            database_name = make_url(url).database or ""
            phases["teams"] = drive(server, database_name, folder, _app_plan(server.url, seeded, options, burst=True), echo)
            if options.think > 0:
                saturated = _app_plan(server.url, seeded, options, burst=False) | {"think": 0.0, "phase": "saturated"}
                phases["saturated"] = drive(server, database_name, folder, saturated, echo)
        writes = [AcceptedWrite.from_dict(w) for phase in phases.values() for w in phase.pop("writes")]
        written = {w.school for w in writes}
        consistency = check(writes, stored_assessments(url, seeded.round_slug, written))
        with gunicorn(f"{load_ceiling.__name__}:app", options.workers, folder, {}, load_ceiling.PATH) as server:
            ceiling = {"mode": "ceiling", "phase": "ceiling", "base_url": server.url, "duration": options.duration, "think": 0.0,
                       "clients": options.teams, "ceiling_path": load_ceiling.PATH, "seed": options.seed}  # fmt: skip
            phases["ceiling"] = drive(server, "", folder, ceiling, echo)
    burst = [w for w in writes if w.school == seeded.burst_school]
    return {
        "parameters": asdict(options),
        "database": seeded.database,
        "load_average": {"before": list(load_before), "after": list(os.getloadavg())},
        "phases": phases,
        "consistency": asdict(consistency) | {"ok": consistency.ok},
        "burst": {
            "school": seeded.burst_school,
            "writers": options.burst_writers,
            "planned": options.burst_writers * options.burst_writes,
            "accepted": len(burst),
            "seconds": phases["teams"]["burst_seconds"],
        },
        "writes": [asdict(w) for w in writes],
        "round": seeded.round_slug,
    }


def prepare(url: str, folder: Path, options: LoadOptions, echo: Callable[[str], None]) -> Seeded:
    """Migrate the empty database and seed it: background schools, a team and a token per team school, the burst."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(folder / "instance")})
    with app.app_context():
        upgrade()
        try:
            if db.session.execute(select(func.count()).select_from(School)).scalar():
                raise LoadSetupError("the benchmark needs an empty PostgreSQL database; this one has schools")
            seeded = seed(options)
            db.session.commit()
        finally:
            db.session.remove()
            db.engine.dispose()
    echo(f"seeded {options.schools} background schools, {options.teams} team schools and one burst school ({seeded.database})")
    return seeded


def seed(options: LoadOptions) -> Seeded:
    """The rounds (newest open), the schools and their accounts; the caller commits."""
    catalog = catalogs.active
    if options.schools:
        fill(catalog, options.schools, rounds=2, seed=options.seed)
    else:
        create_round("2025/26", catalog)
    round_ = current_round()
    kreis = next(iter(kreise()))
    password_hash = hash_password(PASSWORD)  # once: scrypt for every account would take seconds

    def member(school: School, email: str) -> tuple[str, str]:
        user = create_user(email, email.split("@")[0].replace("-", " ").title(), "team", None, school=school, is_leadership=True)
        user.password_hash = password_hash
        return user.email, issue_token(user)

    teams = []
    for number in range(options.teams):
        school = add_school(str(FIRST_SCHULNUMMER + number), f"Lasttest-Schule {number + 1}", "02", kreis)
        email, token = member(school, f"team-{number + 1}@load.invalid")
        teams.append({"schulnummer": school.schulnummer, "email": email, "password": PASSWORD, "token": token})
    burst_school = add_school(str(FIRST_SCHULNUMMER + options.teams), "Lasttest-Schule im Ansturm", "02", kreis)
    tokens = [member(burst_school, f"burst-{number + 1}@load.invalid")[1] for number in range(options.burst_writers)]
    version = ".".join(str(part) for part in db.engine.dialect.server_version_info or ())
    return Seeded(
        round_.slug, teams, burst_school.schulnummer, tokens,
        [(indicator.id, indicator.criterion_id) for indicator in catalog.indicators],
        (catalog.scale.min, catalog.scale.max), f"{db.engine.dialect.name} {version}",
    )  # fmt: skip


def _app_plan(base_url: str, seeded: Seeded, options: LoadOptions, *, burst: bool) -> dict[str, Any]:
    plan = {
        "mode": "app", "phase": "teams", "base_url": base_url, "duration": options.duration, "think": options.think,
        "seed": options.seed, "round": seeded.round_slug, "indicators": seeded.indicators, "scale": seeded.scale,
        "page_every": options.page_every, "teams": seeded.teams, "burst": None,
    }  # fmt: skip
    if burst and seeded.burst_tokens:
        writes = {"writes": options.burst_writes, "at": options.burst_at}
        plan["burst"] = {"schulnummer": seeded.burst_school, "tokens": seeded.burst_tokens, **writes}
    return plan


def drive(server: Server, database_name: str, folder: Path, plan: dict[str, Any], echo: Callable[[str], None]) -> dict[str, Any]:
    """One phase: the driver in its own process against `server`; the figures, with the CPU time spent on each side."""
    label = plan["phase"]
    plan_path, result_path = folder / f"plan-{label}.json", folder / f"result-{label}.json"
    plan_path.write_text(json.dumps(plan | {"watch": {"server": server.pids(), "database": database_name}}), encoding="utf-8")
    echo(f"{label}: {plan.get('clients') or len(plan['teams'])} clients for {plan['duration']} s …")
    finished = subprocess.run(  # noqa: S603 - our own interpreter and module  # nosec B603
        [sys.executable, "-m", "benchmarks.load_driver", str(plan_path), str(result_path)],
        cwd=CHECKOUT, capture_output=True, text=True, timeout=plan["duration"] + DRIVER_GRACE_SECONDS, check=False,
    )  # fmt: skip
    if finished.returncode != 0:
        raise LoadSetupError(
            f"the load driver failed ({finished.returncode}): {finished.stderr.strip()[-2000:]}\n{server.log()[-2000:]}"
        )
    raw = json.loads(result_path.read_text(encoding="utf-8"))
    extra = {
        "think": plan["think"],
        "cpu_seconds": raw["cpu_seconds"],
        "burst_seconds": raw["burst_seconds"],
        "writes": raw["writes"],
    }
    return summarize(raw) | extra
