"""Import the NRW school directory (schuldaten.csv): add new schools, update changed ones, audit both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..database import lock_for_writing
from ..directory import DirectoryRow, RowProblem, parse_directory
from ..extensions import db
from ..limits import MAX_AUDIT_TEXT_LENGTH
from ..models import AuditEvent, School, User
from ..models.types import utcnow
from . import audit
from .errors import ServiceError

#: The School columns the directory sets; a difference in any of them updates the school.
FIELDS = ("name", "schulform", "kreis", "ort", "gemeindeschluessel", "traeger_nummer", "rechtsform")


class ImportConflict(ServiceError):
    """Another import added the same schools at the same moment; the caller rolls back."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [problem.as_dict() for problem in self.rejected],
            "warnings": [problem.as_dict() for problem in self.warnings],
        }


def import_directory(data: bytes, *, actor: User | None, filename: str) -> ImportResult:
    """Upsert the file's schools by Schulnummer; schools missing from the file stay. Flushes; the caller commits.

    Raises DirectoryFileError, before anything is written, when the file cannot be read as schuldaten.csv.
    """
    parsed = parse_directory(data)
    # Two admins importing the same file at once would both see the same differences and write (and audit) each
    # twice: the second import waits here until the first one is committed, then finds nothing left to change.
    lock_for_writing(db.session, School)
    columns = [getattr(School, name) for name in FIELDS]
    existing = {row.schulnummer: row for row in db.session.execute(select(School.id, School.schulnummer, *columns))}
    new_rows: list[DirectoryRow] = []
    updates: list[tuple[int, DirectoryRow, dict[str, list]]] = []
    for row in parsed.rows:
        stored = existing.get(row.schulnummer)
        if stored is None:
            new_rows.append(row)
        elif changes := audit.diff(_values(stored), _values(row)):
            updates.append((stored.id, row, changes))
    if updates:  # one executemany UPDATE by primary key; loaded School objects are kept in step
        db.session.execute(update(School), [{"id": school_id, **_values(row)} for school_id, row, _ in updates])
    now = utcnow()
    try:
        ids = _insert_schools(new_rows, now)
    except IntegrityError:
        raise ImportConflict(
            "Gleichzeitig hat ein anderer Import dieselben Schulen angelegt. Bitte starten Sie den Import noch einmal."
        ) from None
    events = [_event("school.created", actor, row.schulnummer, ids[row.schulnummer], _created(row), now) for row in new_rows]
    events += [_event("school.updated", actor, row.schulnummer, school_id, changes, now) for school_id, row, changes in updates]
    if events:
        db.session.execute(insert(AuditEvent), events)
    result = ImportResult(
        created=len(new_rows),
        updated=len(updates),
        unchanged=len(parsed.rows) - len(new_rows) - len(updates),
        rejected=parsed.rejected,
        warnings=parsed.warnings,
    )
    audit.record("schools.imported", actor=actor, subject=filename[:MAX_AUDIT_TEXT_LENGTH], changes=_summary(result))
    db.session.flush()
    return result


def _summary(result: ImportResult) -> dict[str, list]:
    counts = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": len(result.rejected),
        "warnings": len(result.warnings),
    }
    return {key: [None, count] for key, count in counts.items()}


def _values(school: Row | DirectoryRow) -> dict[str, str | None]:
    return {name: getattr(school, name) for name in FIELDS}


def _created(row: DirectoryRow) -> dict[str, list]:
    return {name: [None, value] for name, value in _values(row).items() if value is not None}


def _insert_schools(rows: list[DirectoryRow], now: datetime) -> dict[str, int]:
    """Insert the new schools in bulk; their ids by Schulnummer."""
    if not rows:
        return {}
    values = [_values(row) | {"schulnummer": row.schulnummer, "created_at": now} for row in rows]
    inserted = db.session.execute(insert(School).returning(School.schulnummer, School.id), values)
    return {schulnummer: school_id for schulnummer, school_id in inserted}


def _event(action: str, actor: User | None, subject: str, school_id: int, changes: dict, at: datetime) -> dict[str, Any]:
    """One audit entry as a row for a bulk insert, the same fields audit.record() fills."""
    return {
        "at": at,
        "actor_id": actor.id if actor is not None else None,
        "actor_name": audit.actor_name(actor),
        "action": action,
        "subject": subject,
        "school_id": school_id,
        "round_id": None,
        "subject_user_id": None,
        "changes": changes,
    }
