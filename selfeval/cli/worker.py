"""`selfeval worker`: a Celery worker with the app's configuration, for report jobs (docs/BETRIEB.md)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Worker processes [default: the CPU cores].")
@click.option("--loglevel", default="INFO", show_default=True, help="DEBUG, INFO, WARNING or ERROR.")
@click.option("--hostname", default=None, help="The worker's name in logs, e.g. reports1@%h [default: celery@<host>].")
@with_appcontext
def worker_command(concurrency: int | None, loglevel: str, hostname: str | None) -> None:
    """Render report jobs' parts taken from the broker (SELFEVAL_BROKER_URL), until stopped (SIGTERM: warm shutdown)."""
    if not current_app.config["SELFEVAL_BROKER_URL"]:
        click.echo(
            "selfeval worker: SELFEVAL_BROKER_URL is not set; without a broker, report jobs run in the web process.", err=True
        )
        sys.exit(1)
    argv = ["worker", "--loglevel", loglevel, "--without-gossip", "--without-mingle"]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    if hostname:
        argv += ["--hostname", hostname]
    current_app.extensions["celery"].worker_main(argv)
