"""`selfeval schools add` and `selfeval schools import FILE` (the NRW school directory, schuldaten.csv)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..directory import DirectoryFileError
from ..services.errors import InvalidInput
from ..services.school_import import ImportConflict, ImportResult, import_directory
from ..services.schools import add_school
from ..unit_of_work import in_one_transaction
from .common import fail, fail_with

schools_cli = AppGroup("schools", help="Manage schools.")


@schools_cli.command("add")
@click.argument("schulnummer")
@click.argument("name")
@click.option("--schulform", required=True, help="Two-digit Schulform code, e.g. 02 (Grundschule).")
@click.option("--kreis", "kreis_key", required=True, help="5-digit Kreisschlüssel, e.g. 05913 (Dortmund).")
@click.option("--ort", default="", help="Town.")
@in_one_transaction
def add_school_command(schulnummer: str, name: str, schulform: str, kreis_key: str, ort: str) -> None:
    """Add a school."""
    try:
        school = add_school(schulnummer, name, schulform, kreis_key, ort)
    except InvalidInput as exc:
        fail_with(exc.problems)
    click.echo(f"added school {school.schulnummer} {school.name}")


@schools_cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@in_one_transaction
def import_command(file: Path, as_json: bool) -> None:
    """Import the NRW school directory (schuldaten.csv).

    Adds new schools and updates changed ones by Schulnummer; schools missing from the file stay.
    Rejected rows and warnings are listed with their line. Exit 1 only when the file as a whole
    is unusable; nothing is imported then.
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    try:
        result = import_directory(data, actor=None, filename=file.name)
    except (DirectoryFileError, ImportConflict) as exc:
        fail(f"{file.name}: {exc} Nothing was imported.")
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary(file.name, result))


def summary(filename: str, result: ImportResult) -> str:
    """One line of counts, then one line per rejected row and per warning, by line number."""
    warnings = "warning" if len(result.warnings) == 1 else "warnings"
    lines = [
        f"imported {filename}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
        f"{len(result.rejected)} rejected, {len(result.warnings)} {warnings}"
    ]
    problems = [(p, "rejected") for p in result.rejected] + [(p, "warning") for p in result.warnings]
    lines += [f"line {p.line}: {kind}: {p.reason}" for p, kind in sorted(problems, key=lambda item: item[0].line)]
    return "\n".join(lines)
