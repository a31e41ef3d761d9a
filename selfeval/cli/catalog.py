"""`selfeval catalog check`: validate catalogue files like a linter."""

from __future__ import annotations

import json

import click

from ..catalog import Catalog, CatalogError, OfferList, catalog_to_dict, load_catalog, load_offer_list
from ..catalog.loader import MAX_FILE_BYTES
from ..catalog.offer_lists import is_offer_list
from ..catalog.yaml_source import YamlProblems, read_yaml


@click.group("catalog")
def catalog_cli() -> None:
    """Check criteria catalogues (YAML)."""


@catalog_cli.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the normalized catalogue as JSON.")
@click.argument("files", nargs=-1, required=True)
def check_command(files: tuple[str, ...], as_json: bool) -> None:
    """Validate catalogue FILES and regional offer lists (files that name a `catalog`); exit 1 with one line per
    problem if any is invalid. An offer list is checked against the catalogue it names, in the folder above it."""
    catalogs: list[Catalog] = []
    valid = 0
    for name in files:
        try:
            loaded = load_offer_list(name) if _names_a_catalog(name) else load_catalog(name)
        except CatalogError as exc:
            for problem in exc.problems:
                click.echo(f"{name}: {problem}", err=as_json)
            continue
        valid += 1
        for warning in loaded.warnings:
            click.echo(f"{name}: {warning}", err=as_json)
        if isinstance(loaded, Catalog):
            catalogs.append(loaded)
        if not as_json:
            click.echo(f"{name}: {summary(loaded) if isinstance(loaded, Catalog) else list_summary(loaded)}")
    if as_json and catalogs:
        documents = [catalog_to_dict(catalog) for catalog in catalogs]
        click.echo(json.dumps(documents[0] if len(files) == 1 else documents, ensure_ascii=False, indent=2))
    if valid < len(files):
        raise SystemExit(1)


def _names_a_catalog(name: str) -> bool:
    """Whether the file is an offer list; an unreadable file is left to the catalogue loader to explain."""
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        return len(raw) <= MAX_FILE_BYTES and is_offer_list(read_yaml(raw).data)
    except (OSError, YamlProblems):
        return False


def list_summary(offer_list: OfferList) -> str:
    count = len(offer_list.offers)
    return (
        f"ok: offer list {offer_list.id} for {offer_list.catalog_id}, Kreise {', '.join(offer_list.kreise)}, "
        f"{count} offer{'s' if count != 1 else ''}, "
        f"{len(offer_list.warnings)} warning{'s' if len(offer_list.warnings) != 1 else ''}"
    )


def summary(catalog: Catalog) -> str:
    return (
        f"ok: {catalog.id} version {catalog.version}, {len(catalog.criteria)} criteria, "
        f"{len(catalog.indicators)} indicators, {catalog.example_count} examples, "
        f"{len(catalog.warnings)} warning{'s' if len(catalog.warnings) != 1 else ''}"
    )
