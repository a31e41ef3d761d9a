"""`selfeval schools import FILE`: read the NRW school directory (schuldaten.csv) into the database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..directory import DirectoryFileError
from ..extensions import db
from ..services.school_import import ImportConflict, ImportResult, import_directory
from .admin import schools_cli


@schools_cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_command(file: Path, as_json: bool) -> None:
    """Import the NRW school directory (schuldaten.csv).

    Adds new schools and updates changed ones by Schulnummer; schools missing from the file stay.
    Rejected rows and warnings are listed with their line. Exit 1 only when the file as a whole
    is unusable; nothing is imported then.
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror or exc}")
    try:
        result = import_directory(data, actor=None, filename=file.name)
    except (DirectoryFileError, ImportConflict) as exc:
        db.session.rollback()
        _fail(f"{file.name}: {exc} Nothing was imported.")
    db.session.commit()
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(summary(file.name, result))


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


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
