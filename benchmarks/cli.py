"""`python -m benchmarks …`: reproducible performance figures (see docs/BENCHMARKS.md)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click


@click.group("benchmarks")
def bench_cli() -> None:
    """Benchmarks on synthetic data (docs/BENCHMARKS.md), run from a checkout: python -m benchmarks COMMAND."""


@contextmanager
def _bench_app(database_url: str | None, **config) -> Iterator[tuple[object, str]]:
    """A migrated app on an empty database (default: a temporary SQLite file), and the database's name."""
    from flask_migrate import upgrade

    from selfeval.app import create_app
    from selfeval.config import normalize_database_url
    from selfeval.extensions import db

    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as folder:
        url = normalize_database_url(database_url) if database_url else f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "WTF_CSRF_ENABLED": False, **config})
        with app.app_context():
            upgrade()
            version = ".".join(str(part) for part in db.engine.dialect.server_version_info or ())
            database = f"{db.engine.dialect.name} {version}".strip()
        try:
            yield app, database
        finally:
            with app.app_context():
                db.engine.dispose()


@bench_cli.command("analytics")
@click.option("--schools", default=6000, show_default=True, type=click.IntRange(10, 100_000))
@click.option("--rounds", default=3, show_default=True, type=click.IntRange(1, 10))
@click.option("--repeat", default=30, show_default=True, type=click.IntRange(3, 1000), help="Runs per measurement.")
@click.option(
    "--database-url",
    help="An EMPTY database to fill (e.g. postgresql://postgres@127.0.0.1/selfeval_bench); default: a temporary SQLite file.",
)
def analytics_command(schools: int, rounds: int, repeat: int, database_url: str | None) -> None:
    """Fill a database with synthetic schools and rounds, then time analytics, API, overview and export."""
    from .analytics import report, run

    with _bench_app(database_url) as (app, database):
        timings = run(app, schools, rounds, repeat, click.echo)
    click.echo("")
    click.echo(report(timings, database))


@bench_cli.command("reports")
@click.option("--schools", default=6000, show_default=True, type=click.IntRange(10, 100_000), help="Size of the large batch.")
@click.option("--repeat", default=50, show_default=True, type=click.IntRange(3, 1000), help="Runs per single measurement.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes [default: the CPU cores].")
@click.option("--database-url", help="An EMPTY database to fill; default: a temporary SQLite file (--distributed: PostgreSQL).")
@click.option("--distributed", is_flag=True, help="Batches on Celery workers (PostgreSQL and Redis needed) instead.")
@click.option("--worker-counts", default="1,2,4", show_default=True, help="--distributed: worker processes per run.")
@click.option("--broker-url", default="redis://127.0.0.1:6379/12", show_default=True, help="--distributed: the broker.")
@click.option(
    "--part-size", default=40, show_default=True, type=click.IntRange(1, 10_000), help="--distributed: schools per task."
)
@click.option(
    "--kill-one-after",
    type=click.FloatRange(0, 3600),
    default=None,
    help="--distributed: SIGKILL one worker (its whole process group, as a vanished machine) this many seconds into "
    "each run with two or more workers; the run then checks that the ZIP holds every school exactly once.",
)
def reports_command(
    schools: int, repeat: int, jobs: int | None, database_url: str | None, distributed: bool, worker_counts: str,
    broker_url: str, part_size: int, kill_one_after: float | None,
) -> None:  # fmt: skip
    """Time one PDF report, a minimal reportlab floor, and batches of 1,000 and SCHOOLS reports.

    With --distributed: SCHOOLS reports as one batch through 1, 2 and 4 Celery worker processes of this machine."""
    if distributed:
        counts = [int(count) for count in worker_counts.split(",")]
        _distributed(schools, database_url, counts, broker_url, part_size, kill_one_after)
        return
    from .reports import report, run

    with _bench_app(database_url) as (app, database):
        figures = run(app, schools, repeat, jobs, click.echo)
    click.echo("")
    click.echo(report(figures, database))


def _distributed(
    schools: int, database_url: str | None, counts: list[int], broker_url: str, part_size: int, kill_after: float | None
) -> None:
    import tempfile as _tempfile
    import uuid

    from .load_server import load_database
    from .reports_distributed import report, run

    with _tempfile.TemporaryDirectory(prefix="selfeval-bench-files-") as files, load_database(database_url) as url:
        settings = {
            "SELFEVAL_BROKER_URL": broker_url,
            "SELFEVAL_BROKER_QUEUE": f"selfeval-bench-{uuid.uuid4().hex[:8]}",
            "SELFEVAL_STORAGE": Path(files).as_uri(),
            "SELFEVAL_REPORT_PART_SIZE": part_size,
            # With a killed worker, its part comes back after the visibility timeout: short, above the longest part.
            **({"SELFEVAL_BROKER_VISIBILITY_TIMEOUT": 60} if kill_after is not None else {}),
        }
        with _bench_app(url, **settings) as (app, database):
            chosen, runs = run(app, schools, counts, Path(files), click.echo, kill_after)
    click.echo("")
    click.echo(report(chosen, runs, database, part_size))


@bench_cli.command("load")
@click.option("--teams", default=50, show_default=True, type=click.IntRange(1, 1000), help="Concurrent teams, one school each.")
@click.option("--duration", default=30, show_default=True, type=click.IntRange(1, 3600), help="Seconds per phase.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="gunicorn sync workers [default: 2 × CPU cores + 1].")
@click.option(
    "--think", default=1.0, show_default=True, type=click.FloatRange(0, 60), help="Seconds a team pauses between rounds (±50 %)."
)
@click.option(
    "--burst-writers", default=10, show_default=True, type=click.IntRange(0, 500), help="Writers on one assessment at once."
)
@click.option(
    "--burst-writes", default=2, show_default=True, type=click.IntRange(1, 100), help="Accepted writes per burst writer."
)
@click.option("--schools", default=6000, show_default=True, type=click.IntRange(0, 100_000), help="Synthetic background schools.")
@click.option(
    "--database-url",
    help="An EMPTY PostgreSQL database to fill; default: a temporary database on 127.0.0.1:5432, dropped afterwards.",
)
@click.option(
    "--json", "json_file", type=click.File("w", encoding="utf-8"), help="Also write the figures and every accepted write as JSON."
)
def load_command(
    teams: int, duration: int, workers: int | None, think: float, burst_writers: int, burst_writes: int, schools: int,
    database_url: str | None, json_file,
) -> None:  # fmt: skip
    """Serve the app with gunicorn on PostgreSQL and drive it from another process: latencies, ceiling, consistency."""
    from .load import LoadOptions, run
    from .load_report import error_count, report
    from .load_server import LoadSetupError

    options = LoadOptions(teams, duration, workers or LoadOptions.workers, think, burst_writers, burst_writes, schools=schools)
    try:
        result = run(options, database_url, click.echo)
    except LoadSetupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("")
    click.echo(report(result))
    if json_file is not None:
        json.dump(result, json_file, indent=1)
    if error_count(result) or not result["consistency"]["ok"]:
        raise click.ClickException("the run had errors or lost updates (see above)")
