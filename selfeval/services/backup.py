"""Backup and restore: all data as one JSON document (`selfeval backup FILE`, `selfeval restore FILE`).

A backup holds every row of TABLES, with the columns taken from the table metadata, so that a new
column travels along unless it is named in EXCLUDED_COLUMNS. Left out on purpose:

- `users.login_id`, the session secret: a restore gives every account a fresh one, which also ends
  every session that existed before;
- the table `password_links` (one-time invitation and reset links): a backup must not carry a way
  into an account, and the links expire soon anyway. Invite again after a restore;
- the table `unsaved_inputs` (rating input kept for at most a few hours across a new log-in):
  it is only of use to the browser holding its cookie, which a restore cannot give back;
- the tables `report_jobs` and `report_job_parts` (background report batches): they live two hours
  at most, and the ZIPs they name are files in SELFEVAL_STORAGE, which a backup does not hold.

Password hashes (scrypt) and API token hashes (SHA-256) are kept, so that people can log in and
integrations keep working after a restore. The file is therefore as sensitive as the database.

The text is deterministic (sorted keys, rows by id): backup → restore → backup gives the same
document except its `created_at`. A restore goes into an empty database migrated to the same
schema revision, all or nothing.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Column, Connection, Date, Integer, String, Table, func, insert, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models.types import UTCDateTime, utcnow
from ..paths import MIGRATIONS_DIR
from .backup_upgrades import upgraded
from .errors import ServiceError

FORMAT = "selfeval-backup"
FORMAT_VERSION = 1
#: What a backup holds, in the order counts are shown (inserts follow the foreign keys instead).
TABLES = (
    "schools",
    "rounds",
    "users",
    "memberships",
    "user_scopes",
    "api_tokens",
    "assessments",
    "ratings",
    "catalog_snapshots",
    "kreis_offers",
    "member_sheets",
    "member_ratings",
    "plans",
    "plan_agreements",
    "audit_events",
)
#: Tables deliberately left out (see the module docstring).
NOT_BACKED_UP = ("password_links", "unsaved_inputs", "report_jobs", "report_job_parts")
#: Columns deliberately left out, each with what a restore fills in instead.
EXCLUDED_COLUMNS: dict[str, dict[str, Callable[[], Any]]] = {
    "users": {"login_id": lambda: secrets.token_urlsafe(32)},
}
SCHOOL_TRAEGER_COLUMNS = ("gemeindeschluessel", "traeger_nummer", "traeger_name", "rechtsform")
#: Rows per bulk INSERT (one executemany) on restore.
BATCH = 5000
NO_SCHEMA = "the database has no schema yet: run `selfeval db upgrade` first"


class BackupError(ServiceError):
    """A backup cannot be written or restored; `str()` says why, in plain words."""


# --- backup ----------------------------------------------------------------------------------------


def dump() -> dict[str, Any]:
    """Every backed-up row, read in one consistent snapshot of the database."""
    with _snapshot() as connection:
        revision = _database_revision(connection)
        tables = {name: _dump_table(connection, db.metadata.tables[name]) for name in TABLES}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": utcnow().isoformat(timespec="seconds"),
        "schema_revision": revision,
        "tables": tables,
    }


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A read-only transaction that sees one state of the data, even while the app keeps writing."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")  # pysqlite would not begin one for reading
        try:
            yield connection
        finally:
            # Its own connection, not the session: a read-only snapshot beside the unit of work, which it must end.
            connection.rollback()


def _dump_table(connection: Connection, table: Table) -> list[dict[str, Any]]:
    columns = backed_up_columns(table)
    names = [column.name for column in columns]
    dates = [index for index, column in enumerate(columns) if isinstance(column.type, UTCDateTime)]
    days = [index for index, column in enumerate(columns) if isinstance(column.type, Date)]
    rows = []
    for row in connection.execute(select(*columns).order_by(table.c.id)):
        values = list(row)
        for index in dates:
            if values[index] is not None:
                values[index] = values[index].astimezone(UTC).isoformat()
        for index in days:
            if values[index] is not None:
                values[index] = values[index].isoformat()
        rows.append(dict(zip(names, values, strict=True)))
    return rows


def backed_up_columns(table: Table) -> list[Column]:
    excluded = EXCLUDED_COLUMNS.get(table.name, {})
    return [column for column in table.columns if column.name not in excluded]


def counts(document: dict[str, Any]) -> dict[str, int]:
    return {name: len(document["tables"][name]) for name in TABLES}


def describe(table_counts: dict[str, int]) -> str:
    """Counts as "32 schools, 2 rounds, 7 users, …", in the order of TABLES."""
    return ", ".join(f"{table_counts[name]} {name}" for name in TABLES if name in table_counts)


# --- text ------------------------------------------------------------------------------------------


def to_json(document: dict[str, Any]) -> str:
    """The document as deterministic JSON text: sorted keys, one row per line, UTF-8 as it is."""
    return "".join(json_chunks(document))


def json_chunks(document: dict[str, Any]) -> Iterator[str]:
    """to_json in pieces of one table each, so that a large backup is written without one huge string."""
    yield "{\n"
    for key, value in sorted(document.items()):
        if key != "tables":
            yield f" {_compact(key)}: {_compact(value)},\n"
    yield ' "tables": {\n'
    for number, (name, rows) in enumerate(sorted(document["tables"].items()), start=1):
        lines = ",\n".join(f"   {_compact(row)}" for row in rows)
        block = f"  {_compact(name)}: [\n{lines}\n  ]" if rows else f"  {_compact(name)}: []"
        yield block + (",\n" if number < len(document["tables"]) else "\n")
    yield " }\n}\n"


#: One encoder for all rows (json.dumps with options would build a new one per call).
_compact = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def from_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackupError(f"not valid JSON: {exc}") from None


# --- restore ---------------------------------------------------------------------------------------


def restore(document: Any) -> dict[str, int]:
    """Load a backup into an empty, migrated database, keeping every id, in the caller's transaction.

    Returns the number of rows per table. BackupError says what is wrong with the document or the
    database; the caller rolls back then (the `restore` command does, through in_one_transaction).
    """
    rows = _validated(document)
    _ensure_empty()
    for table in db.metadata.sorted_tables:
        if table.name in rows:
            _insert(table, rows[table.name])
    _reset_id_sequences()
    return {name: len(rows[name]) for name in TABLES}


def _validated(document: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows ready to insert (dates parsed, excluded columns filled); BackupError for the first problem."""
    if not isinstance(document, dict):
        raise BackupError("not a selfeval backup (the JSON document is not an object)")
    if document.get("format") != FORMAT:
        raise BackupError(f"not a selfeval backup (format {document.get('format')!r}, expected {FORMAT!r})")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {document.get('format_version')!r} is not supported; "
            f"this version of selfeval reads version {FORMAT_VERSION}"
        )
    current = _database_revision(db.session.connection())
    document = upgraded(document, current)
    if document.get("schema_revision") != current:
        raise BackupError(
            f"the backup is of schema revision {document.get('schema_revision')!r}, the database is at {current!r}: "
            "restore it with the version of selfeval that wrote it, then run `selfeval db upgrade`"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise BackupError('the backup has no object "tables"')
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise BackupError(f"unknown table {unknown[0]} in the backup; it holds only: {', '.join(TABLES)}")
    for name in TABLES:
        if name not in tables:
            raise BackupError(f"table {name} is missing from the backup")
    return {name: _table_rows(db.metadata.tables[name], tables[name]) for name in TABLES}


def _table_rows(table: Table, rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise BackupError(f"table {table.name}: expected a list of rows")
    decoders = {column.name: _decoder(column) for column in backed_up_columns(table)}
    fillers = EXCLUDED_COLUMNS.get(table.name, {})
    return [_row(table.name, number, row, decoders, fillers) for number, row in enumerate(rows, start=1)]


def _row(table: str, number: int, row: Any, decoders: dict[str, Callable], fillers: dict[str, Callable]) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise BackupError(f"{_where(table, number, row)}: expected an object")
    if row.keys() != decoders.keys():
        raise BackupError(f"{_where(table, number, row)}: {_key_problems(row.keys(), decoders.keys())}")
    values = {}
    for name, decode in decoders.items():
        try:
            values[name] = decode(row[name])
        except ValueError as exc:
            raise BackupError(f"{_where(table, number, row)}: {name}: {exc}") from None
    for name, make in fillers.items():
        values[name] = make()
    return values


def _where(table: str, number: int, row: Any) -> str:
    """Names a row for people: its position in the file, and its id when it has one."""
    found_id = row.get("id") if isinstance(row, dict) else None
    return f"table {table}, row {number}" + (f" (id {found_id})" if type(found_id) is int else "")


def _key_problems(found, expected) -> str:
    problems = []
    if missing := sorted(expected - found):
        problems.append(f"missing {', '.join(missing)}")
    if unexpected := sorted(found - expected):
        problems.append(f"unexpected {', '.join(unexpected)}")
    return "; ".join(problems)


def _decoder(column: Column) -> Callable[[Any], Any]:
    """Checks a value from the file and turns it into what the column takes (ValueError if wrong)."""
    kind = column.type
    check: Callable[[Any], Any]
    if isinstance(kind, UTCDateTime):
        check = _datetime
    elif isinstance(kind, Date):
        check = _date
    elif isinstance(kind, Boolean):
        check = _exactly(bool, "true or false")
    elif isinstance(kind, Integer):
        check = _exactly(int, "an integer")
    elif isinstance(kind, String):
        check = _string(kind.length)
    elif isinstance(kind, JSON):
        check = _json_value
    else:
        raise TypeError(f"the backup has no format for column {column} of type {kind!r}")
    if column.nullable:
        return lambda value: None if value is None else check(value)
    return check


def _exactly(kind: type, expected: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"expected {expected}, got {_show(value)}")
        return value

    return check


def _string(length: int | None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {_show(value)}")
        if length is not None and len(value) > length:
            raise ValueError(f"longer than {length} characters")
        return value

    return check


def _datetime(value: Any) -> datetime:
    expected = "a date and time in ISO 8601 with its UTC offset"
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"expected {expected}, got {_show(value)}")
    return parsed


def _date(value: Any) -> date:
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"expected a date as YYYY-MM-DD, got {_show(value)}")


def _json_value(value: Any) -> Any:
    if value is None:
        raise ValueError("expected a JSON value, got null")
    return value


def _show(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _ensure_empty() -> None:
    found = {name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name])) for name in TABLES}
    filled = {name: count for name, count in found.items() if count}
    if filled:
        raise BackupError(f"the database is not empty: {describe(filled)} — restore needs an empty, migrated database")


def _insert(table: Table, rows: list[dict[str, Any]]) -> None:
    try:
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(table), rows[start : start + BATCH])
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise BackupError(f"table {table.name}: the database refused the rows ({reason}); nothing was restored") from None


def _reset_id_sequences() -> None:
    """PostgreSQL: let each id sequence continue after the highest restored id (SQLite needs nothing)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for name in TABLES:
        table = db.metadata.tables[name]
        sequence = func.pg_get_serial_sequence(name, "id")
        db.session.execute(select(func.setval(sequence, func.coalesce(func.max(table.c.id), 0) + 1, False)))


# --- schema revision -------------------------------------------------------------------------------


def _database_revision(connection: Connection) -> str:
    """The database's Alembic revision, which must be the one this code's models describe."""
    if not inspect(connection).has_table("alembic_version"):
        raise BackupError(NO_SCHEMA)
    found = sorted(connection.scalars(text("SELECT version_num FROM alembic_version")))
    if not found:
        raise BackupError(NO_SCHEMA)
    expected = code_revision()
    if found != [expected]:
        raise BackupError(
            f"the database is at schema revision {', '.join(found)}, this version of selfeval needs {expected}: "
            "run `selfeval db upgrade` first (or use the version of selfeval that matches the database)"
        )
    return expected


@cache
def code_revision() -> str:
    """The newest migration of this code (its models describe that schema)."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if head is None:  # only an installation without its migrations folder
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head
