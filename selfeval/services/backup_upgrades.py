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
    "b7d2e4a9c1f3": ("9d41b7e2a6c8", lambda tables: None),  # an index only: the rows are the same
    "9d41b7e2a6c8": ("d870c8273d2d", lambda tables: _add_consensus(tables)),
    # The report job tables are not backed up (services.backup): the document is the same.
    "d870c8273d2d": ("3b8d0e6f1a27", lambda tables: None),
    # Nothing was released before the column existed (the migration's default too).
    "3b8d0e6f1a27": ("e3a8f1c6b2d7", lambda tables: _add_columns(tables, "assessments", ("comments_released",), False)),
    # Plans are new: no assessment stored before has one.
    "e3a8f1c6b2d7": ("f4c2a7d9e815", lambda tables: _add_plans(tables)),
}
#: What revision d870c8273d2d's server defaults give an assessment stored before it: the shared form, options off.
ASSESSMENT_PHASE_DEFAULTS = {
    "phase": "shared",
    "spread_names_visible": False,
    "delete_sheets_on_submit": False,
    "spread_in_report": False,
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


def _add_consensus(tables: dict[str, Any]) -> None:
    for row in tables.get("assessments") or []:
        if isinstance(row, dict):
            for column, value in ASSESSMENT_PHASE_DEFAULTS.items():
                row.setdefault(column, value)
    _add_table(tables, "member_sheets")
    _add_table(tables, "member_ratings")


def _add_plans(tables: dict[str, Any]) -> None:
    _add_table(tables, "plans")
    _add_table(tables, "plan_agreements")


def _add_table(tables: dict[str, Any], table: str) -> None:
    """A table that did not exist yet: no rows."""
    tables.setdefault(table, [])


def _add_columns(tables: dict[str, Any], table: str, columns: tuple[str, ...], value: Any = None) -> None:
    for row in tables.get(table) or []:
        if isinstance(row, dict):
            for column in columns:
                row.setdefault(column, value)
