"""Load a catalogue file: bytes -> YAML data -> validated, frozen Catalog."""

from __future__ import annotations

from pathlib import Path

from .model import Catalog, CatalogError, Problem
from .validate import build_catalog
from .yaml_source import YamlProblems, read_yaml

#: Far beyond any real catalogue (the Dortmund one is about 25 KB); refuse before parsing.
MAX_FILE_BYTES = 2_000_000


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate one catalogue file; raise CatalogError listing every problem."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CatalogError(name, [Problem("", f"cannot read the file: {exc.strerror or exc}")]) from None
    return parse_catalog(raw, name)


def parse_catalog(raw: bytes, source: str = "<catalog>") -> Catalog:
    """Validate catalogue YAML given as bytes; `source` names it in messages."""
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogError(source, [Problem("", f"the file is larger than {MAX_FILE_BYTES:,} bytes")])
    try:
        document = read_yaml(raw)
    except YamlProblems as exc:
        raise CatalogError(source, exc.problems) from None
    catalog, problems = build_catalog(document.data, document.lines)
    if catalog is None:
        raise CatalogError(source, [p for p in problems if not p.is_warning])
    return catalog


def catalog_from_dict(data: dict, source: str = "<snapshot>") -> Catalog:
    """Rebuild a catalogue from its normalized dict (e.g. a stored snapshot)."""
    catalog, problems = build_catalog(data)
    if catalog is None:
        raise CatalogError(source, [p for p in problems if not p.is_warning])
    return catalog
