"""Importing schuldaten.csv into the database: create, update, leave alone, and the audit trail of each."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from selfeval.directory import DirectoryFileError
from selfeval.extensions import db
from selfeval.models import AuditEvent, School
from selfeval.services.school_import import import_directory
from selfeval.services.schools import find_school
from tests.support.directory_file import csv_file, generate_directory, record
from tests.support.factories import make_school, make_user
from tests.support.school_import import school_rows, schools, trail

CLI = "Kommandozeile"
UNKNOWN_12 = "Schulform „12“ steht nicht im Schlüsselverzeichnis; die Schule wird trotzdem importiert."


def last_event_id() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def summary(created: int, updated: int, unchanged: int, rejected: int, warnings: int) -> dict[str, list]:
    counts = {"created": created, "updated": updated, "unchanged": unchanged, "rejected": rejected, "warnings": warnings}
    return {key: [None, value] for key, value in counts.items()}


def created(name: str, schulform: str, kreis: str, ort: str) -> dict[str, list]:
    """A created school's audit entry; the test files' Gemeindeschlüssel is the Kreis's and 000 (no Träger, no Rechtsform)."""
    values = {"name": name, "schulform": schulform, "kreis": kreis, "ort": ort, "gemeindeschluessel": kreis + "000"}
    return {key: [None, value] for key, value in values.items()}


SMALL = csv_file(
    record(),
    record(Schulnummer="100002", Schulform="12", Schulbezeichnung_1="Versuchsschule", Ort="Köln", Gemeindeschluessel="05315000"),
    record(Schulnummer="10003"),
)


def test_first_import_creates_the_schools_and_records_each_one(app_context):
    result = import_directory(SMALL, actor=None, filename="schuldaten.csv")
    db.session.commit()

    assert result.as_dict() == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": [{"line": 5, "reason": "Schulnummer „10003“ hat nicht 6 Ziffern."}],
        "warnings": [{"line": 4, "reason": UNKNOWN_12}],
    }
    assert schools() == [
        ("100001", "Gesamtschule Nord", "15", "05913", "Dortmund"),
        ("100002", "Versuchsschule", "12", "05315", "Köln"),
    ]
    assert trail() == [
        ("school.created", "100001", CLI, "100001", created("Gesamtschule Nord", "15", "05913", "Dortmund")),
        ("school.created", "100002", CLI, "100002", created("Versuchsschule", "12", "05315", "Köln")),
        ("schools.imported", "schuldaten.csv", CLI, None, summary(2, 0, 0, 1, 1)),
    ]


def test_importing_the_same_file_again_changes_nothing(app_context):
    import_directory(SMALL, actor=None, filename="schuldaten.csv")
    db.session.commit()
    before, last_event = school_rows(), last_event_id()

    result = import_directory(SMALL, actor=None, filename="schuldaten-2.csv")
    db.session.commit()

    assert result.as_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "rejected": [{"line": 5, "reason": "Schulnummer „10003“ hat nicht 6 Ziffern."}],
        "warnings": [{"line": 4, "reason": UNKNOWN_12}],
    }
    assert school_rows() == before
    assert trail(after_id=last_event) == [("schools.imported", "schuldaten-2.csv", CLI, None, summary(0, 0, 2, 1, 1))]


def test_changed_values_update_the_school_and_record_old_and_new(app_context):
    admin = make_user("verwaltung@land.test", "admin")
    ags = "05913000"  # as the directory has it
    make_school("100001", name="Gesamtschule Nord", schulform="15", kreis="05913", gemeindeschluessel=ags)  # ort "Dortmund"
    make_school("100002", name="Alte Realschule", schulform="10", kreis="05913", gemeindeschluessel=ags)
    make_school("100003", name="Gesamtschule Nord", schulform="15", kreis="05913", gemeindeschluessel=ags)
    make_school("199999", name="Nicht in der Datei", schulform="02", kreis="05911")
    ids = dict(db.session.execute(select(School.schulnummer, School.id)).all())
    last_event = last_event_id()
    data = csv_file(
        record(),  # the same values
        record(Schulnummer="100002", Schulbezeichnung_1="Neue Sekundarschule", Schulform="14"),
        record(Schulnummer="100003", Ort="Bochum", Gemeindeschluessel="05911000"),
    )

    loaded = find_school("100002")

    result = import_directory(data, actor=admin, filename="schuldaten.csv")
    assert (loaded.name, loaded.schulform) == ("Neue Sekundarschule", "14")  # objects in the session are kept in step
    db.session.commit()

    assert result.as_dict() == {"created": 0, "updated": 2, "unchanged": 1, "rejected": [], "warnings": []}
    assert schools() == [
        ("100001", "Gesamtschule Nord", "15", "05913", "Dortmund"),
        ("100002", "Neue Sekundarschule", "14", "05913", "Dortmund"),
        ("100003", "Gesamtschule Nord", "15", "05911", "Bochum"),
        ("199999", "Nicht in der Datei", "02", "05911", "Dortmund"),
    ]
    assert dict(db.session.execute(select(School.schulnummer, School.id)).all()) == ids
    name = admin.display_name
    assert trail(after_id=last_event) == [
        (
            "school.updated",
            "100002",
            name,
            "100002",
            {"name": ["Alte Realschule", "Neue Sekundarschule"], "schulform": ["10", "14"]},
        ),
        (
            "school.updated",
            "100003",
            name,
            "100003",
            {"kreis": ["05913", "05911"], "ort": ["Dortmund", "Bochum"], "gemeindeschluessel": ["05913000", "05911000"]},
        ),
        ("schools.imported", "schuldaten.csv", name, None, summary(0, 2, 1, 0, 0)),
    ]
    assert set(db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.id > last_event))) == {admin.id}


def test_a_schulnummer_twice_in_the_file_imports_its_first_row(app_context):
    data = csv_file(record(Schulbezeichnung_1="Erste"), record(Schulbezeichnung_1="Zweite"))

    result = import_directory(data, actor=None, filename="schuldaten.csv")

    assert result.as_dict()["rejected"] == [
        {"line": 4, "reason": "Schulnummer „100001“ steht schon in Zeile 3; jede Schule darf nur einmal vorkommen."}
    ]
    assert schools() == [("100001", "Erste", "15", "05913", "Dortmund")]


def test_the_service_only_flushes_and_the_caller_decides(app_context):
    import_directory(SMALL, actor=None, filename="schuldaten.csv")
    assert (count(School), count(AuditEvent)) == (2, 3)

    db.session.rollback()

    assert (count(School), count(AuditEvent)) == (0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"Schulnummer;Schulform;Name\r\n100001;15;Schule\r\n",
         "Die Kopfzeile (Zeile 1) passt nicht zur schuldaten.csv: es fehlen die Spalten „Schulbezeichnung_1“, "
         "„Schulbezeichnung_2“, „Schulbezeichnung_3“, „Kurzbezeichnung“, „Bezirksregierung“, „PLZ“, „Ort“, „Strasse“, "
         "„Telefonvorwahl“, „Telefon“, „Faxvorwahl“, „Fax“, „E-Mail“, „Homepage“, „Rechtsform“, „Traegernummer“, "
         "„Gemeindeschluessel“, „Schulbetriebsschluessel“, „Schulbetriebsdatum“, „EPSG“, „UTMRechtswert“, „UTMHochwert“; "
         "unbekannte Spalte „Name“."),
        (SMALL.replace(b"Dortmund", "Dortmund Süd".encode("cp1252")),
         "Die Datei ist nicht UTF-8-kodiert (Zeile 3 enthält das Byte 0xFC). "
         "Bitte speichern Sie sie als UTF-8 (in Excel: „CSV UTF-8“) und importieren Sie sie erneut."),
    ],
)  # fmt: skip
def test_a_file_error_writes_nothing(app_context, data, message):
    make_school("100001", name="Bestehende Schule")
    before, events_before = school_rows(), count(AuditEvent)

    with pytest.raises(DirectoryFileError) as caught:
        import_directory(data, actor=None, filename="schuldaten.csv")
    db.session.commit()

    assert str(caught.value) == message
    assert (school_rows(), count(AuditEvent)) == (before, events_before)


def test_a_generated_directory_imports_exactly_and_a_newer_one_updates_what_changed(app_context):
    first, newer = generate_directory(3000, seed=1), generate_directory(3000, seed=1, revision=1)
    expected_first = [row[:5] for row in first.rows]
    rejected = [{"line": line, "reason": reason} for line, reason in first.rejected]
    warnings = [{"line": line, "reason": reason} for line, reason in first.warnings]

    result = import_directory(first.data, actor=None, filename="schuldaten.csv")
    db.session.commit()

    assert result.as_dict() == {"created": 2948, "updated": 0, "unchanged": 0, "rejected": rejected, "warnings": warnings}
    assert schools() == sorted(expected_first)
    assert count(AuditEvent) == 2948 + 1

    again = import_directory(first.data, actor=None, filename="schuldaten.csv")
    db.session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2948)

    changed = [new for old, new in zip(first.rows, newer.rows, strict=True) if old[:5] != new[:5]]
    last_event = last_event_id()
    update = import_directory(newer.data, actor=None, filename="schuldaten-neu.csv")
    db.session.commit()

    assert (update.created, update.updated, update.unchanged) == (0, len(changed), 2948 - len(changed))
    assert len(changed) == 983  # every third school was drawn afresh, and each of those differs
    assert schools() == sorted(row[:5] for row in newer.rows)
    updates = trail(after_id=last_event)
    assert [event[1] for event in updates[:-1]] == [row[0] for row in changed]
    old_by_number = {row[0]: row for row in first.rows}
    assert [event[4] for event in updates[:-1]] == [_diff(old_by_number[row[0]], row) for row in changed]
    assert updates[-1] == (
        "schools.imported",
        "schuldaten-neu.csv",
        CLI,
        None,
        summary(0, len(changed), 2948 - len(changed), 52, 4),
    )


def _diff(old: tuple, new: tuple) -> dict[str, list]:
    fields = ("name", "schulform", "kreis", "ort", "gemeindeschluessel", "traeger_nummer", "rechtsform")
    olds, news = old[1:5] + old[6:9], new[1:5] + new[6:9]
    return {field: [a, b] for field, a, b in zip(fields, olds, news, strict=True) if a != b}
