"""`python -m benchmarks analytics|reports|load …` in the root of a checkout (docs/BENCHMARKS.md)."""

import click

from selfeval.config import ConfigurationError

from .cli import bench_cli

try:
    bench_cli.main(prog_name="python -m benchmarks")
except ConfigurationError as exc:  # e.g. a SELFEVAL_CATALOG that names no file: a plain message, not a traceback
    click.echo(f"benchmarks: configuration error: {exc}", err=True)
    raise SystemExit(1) from None
