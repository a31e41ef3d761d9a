"""Backups of an older schema revision that a restore brings up to date itself (services.backup).

Only changes that need no judgement belong here: a new nullable column is None in every old row (a new flag has its
default), a new table has no rows. Older
backups still go the documented way: restore them with the version of selfeval that wrote them, then
`selfeval db upgrade`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHOOL_TRAEGER_COLUMNS = ("gemeindeschluessel", "traeger_nummer", "traeger_name", "rechtsform")
#: revision -> (the next revision, the change to the document's tables)
DOCUMENT_UPGRADES: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "c5f126c3663d": ("3b8e4f2a9c61", lambda tables: _add_table(tables, "kreis_offers")),
    "3b8e4f2a9c61": ("b7d2e4a9c1f3", lambda tables: _add_columns(tables, "schools", SCHOOL_TRAEGER_COLUMNS)),
    # Nothing was released before the column existed (the migration's default too).
    "b7d2e4a9c1f3": ("e3a8f1c6b2d7", lambda tables: _add_columns(tables, "assessments", ("comments_released",), False)),
}


def upgraded(document: dict[str, Any], current: str) -> dict[str, Any]:
    """The document brought to the `current` revision where DOCUMENT_UPGRADES know the way (a copy; else as it is)."""
    revision = document.get("schema_revision")
    if revision == current or not isinstance(document.get("tables"), dict):
        return document
    steps = []
    while revision in DOCUMENT_UPGRADES and revision != current:
        revision, change = DOCUMENT_UPGRADES[revision]
        steps.append(change)
    if revision != current:
        return document
    tables = {name: _copied(rows) for name, rows in document["tables"].items()}
    for change in steps:
        change(tables)
    return {**document, "schema_revision": current, "tables": tables}


def _copied(rows: Any) -> Any:
    return [dict(row) if isinstance(row, dict) else row for row in rows] if isinstance(rows, list) else rows


def _add_table(tables: dict[str, Any], table: str) -> None:
    """A table that did not exist yet: no rows."""
    tables.setdefault(table, [])


def _add_columns(tables: dict[str, Any], table: str, columns: tuple[str, ...], value: Any = None) -> None:
    for row in tables.get(table) or []:
        if isinstance(row, dict):
            for column in columns:
                row.setdefault(column, value)
