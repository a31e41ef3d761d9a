"""`selfeval area-report`: the area report of a round as a PDF file (read-only), for the operator."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .common import fail, round_named


@click.command("area-report")
@click.argument("round_name", metavar="ROUND")
@click.option("--traeger", "traeger", multiple=True, metavar="NR", help="Schulträger (Trägernummer); repeatable.")
@click.option("--kreis", "kreise", multiple=True, metavar="K", help="Kreisschlüssel, e.g. 05913; repeatable.")
@click.option("--bezirk", "bezirke", multiple=True, metavar="NAME", help="Bezirksregierung, e.g. Arnsberg; repeatable.")
@click.option("--schulform", "schulformen", multiple=True, metavar="CODE", help="Schulform code, e.g. 02; repeatable.")
@click.option(
    "--with-schools", is_flag=True, help="List each school's overall score (leave out for a report meant for the public)."
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path), help="The PDF file to write."
)
@with_appcontext
def area_report_command(
    round_name: str, traeger: tuple, kreise: tuple, bezirke: tuple, schulformen: tuple, with_schools: bool, output: Path
) -> None:
    """Write the area report of ROUND for the schools of the given Schulträger, Kreise, Bezirke and Schulformen.

    Every figure follows the small-group rule (nothing below 5 schools; quartiles from 10).
    """
    from ..reports.area_pdf import render_area_pdf
    from ..services.analytics import parse_selection
    from ..services.area_report import area_report
    from ..services.errors import InvalidInput

    round_ = round_named(round_name)
    values = {"traeger": list(traeger), "kreis": list(kreise), "bezirk": list(bezirke), "schulform": list(schulformen)}
    try:
        selection = parse_selection(values)
    except InvalidInput as exc:
        fail("; ".join(f"--{name}: {message}" for name, message in exc.problems.items()))
    report = area_report(None, round_, selection, with_schools=with_schools)
    if report.participation["in_scope"] == 0:
        fail("no school matches the selection")
    output.write_bytes(render_area_pdf(report))
    click.echo(f"{output}: {report.participation['in_scope']} schools, {report.participation['submitted']} submitted")
