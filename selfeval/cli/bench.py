"""`selfeval bench …`: reproducible performance figures (see docs/BENCHMARKS.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click


@click.group("bench")
def bench_cli() -> None:
    """Benchmarks on synthetic data."""


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
    from flask_migrate import upgrade

    from ..app import create_app
    from ..bench.analytics import report, run
    from ..config import normalize_database_url
    from ..extensions import db

    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as folder:
        url = normalize_database_url(database_url) if database_url else f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            upgrade()
            dialect = db.engine.dialect.name
            version = ".".join(str(part) for part in db.engine.dialect.server_version_info or ())
        timings = run(app, schools, rounds, repeat, click.echo)
        with app.app_context():
            db.engine.dispose()
        click.echo("")
        click.echo(report(timings, f"{dialect} {version}".strip()))


@bench_cli.command("reports")
@click.option("--schools", default=6000, show_default=True, type=click.IntRange(10, 100_000), help="Size of the large batch.")
@click.option("--repeat", default=50, show_default=True, type=click.IntRange(3, 1000), help="Runs per single measurement.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes [default: the CPU cores].")
@click.option("--database-url", help="An EMPTY database to fill; default: a temporary SQLite file.")
def reports_command(schools: int, repeat: int, jobs: int | None, database_url: str | None) -> None:
    """Time one PDF report, a minimal reportlab floor, and batches of 1,000 and SCHOOLS reports."""
    from flask_migrate import upgrade

    from ..app import create_app
    from ..bench.reports import report, run
    from ..config import normalize_database_url
    from ..extensions import db

    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as folder:
        url = normalize_database_url(database_url) if database_url else f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            upgrade()
            dialect = db.engine.dialect.name
        figures = run(app, schools, repeat, jobs, click.echo)
        with app.app_context():
            db.engine.dispose()
        click.echo("")
        click.echo(report(figures, dialect))
