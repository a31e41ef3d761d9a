"""Issue 15, item 12: two admins import the same changed schuldaten.csv at once; each change is audited once.

Both imports read the stored schools, find the same differences and write them. Without a lock both read before
either writes, so every change was written and audited twice (3,000 `school.updated` entries for 1,500 changes).
`tests.support.rendezvous.meet_after` holds each import right after its first statement on the schools table until the
other has run its own, so the race is certain. The import now locks the schools table for writing first; the second
import waits, then finds nothing left to change.
"""

from __future__ import annotations

from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import AuditEvent, School
from selfeval.services.school_import import import_directory
from tests.support.directory_file import csv_file, record
from tests.support.factories import make_school
from tests.support.rendezvous import meet_after, run_together

SCHOOLS = [str(number) for number in range(100001, 100021)]
CHANGED = csv_file(*(record(Schulnummer=number, Schulbezeichnung_1=f"Neuer Name {number}") for number in SCHOOLS))


def run_import(app):
    with app.app_context():
        result = import_directory(CHANGED, actor=None, filename="schuldaten.csv")
        db.session.commit()
        return result.as_dict()


def test_two_parallel_imports_of_the_same_changes_audit_each_change_once(app):
    with app.app_context():
        for number in SCHOOLS:
            make_school(number, name=f"Alter Name {number}")
        engine = db.engine

    with meet_after(engine, r"\bschools\b"):
        results = run_together(lambda: run_import(app), lambda: run_import(app))

    assert sorted((r["created"], r["updated"], r["unchanged"]) for r in results) == [(0, 0, 20), (0, 20, 0)]
    with app.app_context():
        updates = db.session.execute(
            select(AuditEvent.subject, func.count()).where(AuditEvent.action == "school.updated").group_by(AuditEvent.subject)
        ).all()
        assert sorted(tuple(row) for row in updates) == [(number, 1) for number in SCHOOLS]
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "schools.imported")) == 2
        names = db.session.execute(select(School.schulnummer, School.name).order_by(School.schulnummer)).all()
        assert [tuple(row) for row in names] == [(number, f"Neuer Name {number}") for number in SCHOOLS]
