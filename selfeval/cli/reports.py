"""`selfeval report` and `selfeval reports`: improvement reports as PDF files, for the operator."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..services.errors import InvalidInput, NotFound
from .common import fail, round_named


@click.command("report")
@click.argument("schulnummer")
@click.argument("round_name", metavar="ROUND")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path), help="The PDF file to write."
)
@with_appcontext
def report_command(schulnummer: str, round_name: str, output: Path) -> None:
    """Write the improvement report of one school and round (a draft is marked as such)."""
    from ..reports.pdf import render_pdf
    from ..services.reports import NothingToReport, report_for
    from ..services.schools import get_school

    round_ = round_named(round_name)
    try:
        school = get_school(schulnummer)
    except NotFound:
        fail(f"no school with Schulnummer {schulnummer}")
    try:
        data = report_for(school, round_)
    except NothingToReport:
        fail(f"school {schulnummer} has nothing rated in round {round_.name}")
    if not output.parent.is_dir():
        fail(f"folder {output.parent} does not exist")
    output.write_bytes(render_pdf(data))
    status = "submitted" if data.is_submitted else "draft"
    click.echo(f"wrote {output} ({school.schulnummer} {school.name}, round {round_.name}, {status})")


@click.command("reports")
@click.argument("round_name", metavar="ROUND")
@click.option("--kreis", "kreise", multiple=True, help="Only this Kreis (5-digit key, e.g. 05913); repeatable.")
@click.option("--schulform", "schulformen", multiple=True, help="Only this Schulform (code, e.g. 15); repeatable.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="The folder to write to.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes [default: the CPU cores].")
@with_appcontext
def reports_command(
    round_name: str, kreise: tuple[str, ...], schulformen: tuple[str, ...], output: Path, jobs: int | None
) -> None:
    """Write one PDF per school that submitted in ROUND, in parallel; existing files of the same name are replaced."""
    from ..reports.batch import default_workers, render_batch, report_filename
    from ..services.reports import batch_schools, iter_reports, parse_report_selection

    round_ = round_named(round_name)
    try:
        selection = parse_report_selection(kreise, schulformen)
    except InvalidInput as exc:
        fail("; ".join(f"--{field}: {message}" for field, message in exc.problems.items()))
    schools = batch_schools(None, round_, selection)
    if not schools:
        fail(f"no school of this selection has submitted in round {round_.name}; nothing written")
    output.mkdir(parents=True, exist_ok=True)
    workers = jobs or default_workers()

    def sink(data, pdf: bytes) -> None:
        (output / report_filename(data, round_.slug)).write_bytes(pdf)

    with click.progressbar(length=len(schools), label=f"{len(schools)} reports", file=sys.stderr) as bar:
        summary = render_batch(iter_reports(round_, schools), sink, workers=workers, progress=lambda *_: bar.update(1))
    click.echo(
        f"wrote {summary.written} of {len(schools)} reports to {output} in {summary.seconds:.1f} s "
        f"({summary.per_second:.1f} per second, {workers} worker{'s' if workers != 1 else ''}, "
        f"{summary.bytes / 1_000_000:.1f} MB)"
    )
    for schulnummer, reason in summary.failed:
        click.echo(f"failed: {schulnummer}: {reason}", err=True)
    if summary.failed:
        sys.exit(1)
