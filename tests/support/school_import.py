"""What the school import stored: the schools, every column of them, and the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent, School


def schools() -> list[tuple[str, str, str, str, str]]:
    query = select(School.schulnummer, School.name, School.schulform, School.kreis, School.ort).order_by(School.schulnummer)
    return [tuple(row) for row in db.session.execute(query)]


def school_rows() -> list[tuple]:
    """Everything stored about every school, ids and creation times included."""
    return [tuple(row) for row in db.session.execute(select(School.__table__).order_by(School.id))]


def trail(after_id: int = 0) -> list[tuple]:
    """(action, subject, actor, Schulnummer of the school, changes) of each audit entry, oldest first."""
    query = (
        select(AuditEvent.action, AuditEvent.subject, AuditEvent.actor_name, School.schulnummer, AuditEvent.changes)
        .outerjoin(School, AuditEvent.school_id == School.id)
        .where(AuditEvent.id > after_id)
        .order_by(AuditEvent.id)
    )
    return [tuple(row) for row in db.session.execute(query)]
