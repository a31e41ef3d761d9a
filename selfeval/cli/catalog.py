"""`selfeval catalog check`: validate catalogue files like a linter."""

from __future__ import annotations

import json

import click

from ..catalog import Catalog, CatalogError, catalog_to_dict, load_catalog


@click.group("catalog")
def catalog_cli() -> None:
    """Check criteria catalogues (YAML)."""


@catalog_cli.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the normalized catalogue as JSON.")
@click.argument("files", nargs=-1, required=True)
def check_command(files: tuple[str, ...], as_json: bool) -> None:
    """Validate catalogue FILES; exit 1 with one line per problem if any is invalid."""
    catalogs: list[Catalog] = []
    for name in files:
        try:
            catalog = load_catalog(name)
        except CatalogError as exc:
            for problem in exc.problems:
                click.echo(f"{name}: {problem}", err=as_json)
            continue
        catalogs.append(catalog)
        for warning in catalog.warnings:
            click.echo(f"{name}: {warning}", err=as_json)
        if not as_json:
            click.echo(f"{name}: {summary(catalog)}")
    if as_json and catalogs:
        documents = [catalog_to_dict(catalog) for catalog in catalogs]
        click.echo(json.dumps(documents[0] if len(files) == 1 else documents, ensure_ascii=False, indent=2))
    if len(catalogs) < len(files):
        raise SystemExit(1)


def summary(catalog: Catalog) -> str:
    return (
        f"ok: {catalog.id} version {catalog.version}, {len(catalog.criteria)} criteria, "
        f"{len(catalog.indicators)} indicators, {catalog.example_count} examples, "
        f"{len(catalog.warnings)} warning{'s' if len(catalog.warnings) != 1 else ''}"
    )
