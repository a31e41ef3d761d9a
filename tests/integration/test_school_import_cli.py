"""`selfeval schools import FILE [--json]`: exact output, exit codes, and what ends up in the database."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import AuditEvent, School
from tests.support.cli import outcome, run
from tests.support.directory_file import csv_file, record

UNKNOWN_12 = "Schulform „12“ steht nicht im Schlüsselverzeichnis; die Schule wird trotzdem importiert."
DATA = csv_file(
    record(),
    record(Schulnummer="100002", Schulform="12", Schulbezeichnung_1="Versuchsschule; Zweig Süd", Ort="Köln",
           Gemeindeschluessel="05315000"),
    record(Schulnummer="10003"),
    record(Schulnummer="100004", Gemeindeschluessel="09162000"),
)  # fmt: skip
REJECTED = [
    {"line": 5, "reason": "Schulnummer „10003“ hat nicht 6 Ziffern."},
    {"line": 6, "reason": "Gemeindeschluessel „09162000“ liegt in keinem Kreis von NRW (Kreisschlüssel „09162“)."},
]


def stored(app) -> tuple[list[tuple], int]:
    """The schools (Schulnummer, name, Schulform, Kreis, Ort) and the number of audit entries."""
    with app.app_context():
        query = select(School.schulnummer, School.name, School.schulform, School.kreis, School.ort).order_by(School.schulnummer)
        schools = [tuple(row) for row in db.session.execute(query)]
        return schools, db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_import_with_json_prints_the_result_and_commits(app, tmp_path):
    path = tmp_path / "schuldaten.csv"
    path.write_bytes(DATA)

    result = run(app, "schools", "import", str(path), "--json")

    expected = {"created": 2, "updated": 0, "unchanged": 0, "rejected": REJECTED, "warnings": [{"line": 4, "reason": UNKNOWN_12}]}
    assert outcome(result) == (0, json.dumps(expected, ensure_ascii=False, indent=2) + "\n", "")
    assert json.loads(result.stdout) == expected
    assert stored(app) == (
        [
            ("100001", "Gesamtschule Nord", "15", "05913", "Dortmund"),
            ("100002", "Versuchsschule; Zweig Süd", "12", "05315", "Köln"),
        ],
        3,
    )


def test_import_prints_a_summary_with_one_line_per_problem_by_line(app, tmp_path):
    path = tmp_path / "schuldaten.csv"
    path.write_bytes(DATA)

    first = run(app, "schools", "import", str(path))
    second = run(app, "schools", "import", str(path))

    assert outcome(first) == (
        0,
        "imported schuldaten.csv: 2 created, 0 updated, 0 unchanged, 2 rejected, 1 warning\n"
        f"line 4: warning: {UNKNOWN_12}\n"
        "line 5: rejected: Schulnummer „10003“ hat nicht 6 Ziffern.\n"
        "line 6: rejected: Gemeindeschluessel „09162000“ liegt in keinem Kreis von NRW (Kreisschlüssel „09162“).\n",
        "",
    )
    assert outcome(second)[0] == 0
    assert second.stdout.splitlines()[0] == "imported schuldaten.csv: 0 created, 0 updated, 2 unchanged, 2 rejected, 1 warning"


def test_import_of_a_clean_file_prints_the_counts_only(app, tmp_path):
    path = tmp_path / "neu.csv"
    path.write_bytes(csv_file(record(), record(Schulnummer="100002")))
    run(app, "schools", "import", str(path))
    path.write_bytes(
        csv_file(record(Schulbezeichnung_1="Gesamtschule Nord-Ost"), record(Schulnummer="100002"), record(Schulnummer="100003"))
    )

    result = run(app, "schools", "import", str(path))

    assert outcome(result) == (0, "imported neu.csv: 1 created, 1 updated, 1 unchanged, 0 rejected, 0 warnings\n", "")


def test_a_file_error_exits_1_with_the_reason_and_writes_nothing(app, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(DATA.replace(b"Gesamtschule Nord", "Gesamtschule Lüdenscheid".encode("latin-1")))

    result = run(app, "schools", "import", str(path), "--json")

    assert outcome(result) == (
        1,
        "",
        "error: export.csv: Die Datei ist nicht UTF-8-kodiert (Zeile 3 enthält das Byte 0xFC). "
        "Bitte speichern Sie sie als UTF-8 (in Excel: „CSV UTF-8“) und importieren Sie sie erneut. Nothing was imported.\n",
    )
    assert stored(app) == ([], 0)


def test_a_file_without_the_header_exits_1(app, tmp_path):
    path = tmp_path / "schulen.csv"
    path.write_text("Name;Ort\nSchule;Dortmund\n", encoding="utf-8")

    result = run(app, "schools", "import", str(path))

    assert outcome(result) == (
        1,
        "",
        "error: schulen.csv: Das ist nicht das Format der schuldaten.csv: keine Zeile beginnt mit „Schulnummer;Schulform“. "
        "Nothing was imported.\n",
    )


def test_a_missing_file_or_a_folder_exits_1_with_a_clear_message(app, tmp_path):
    missing = tmp_path / "fehlt.csv"

    assert outcome(run(app, "schools", "import", str(missing))) == (
        1,
        "",
        f"error: cannot read {missing}: No such file or directory\n",
    )
    assert outcome(run(app, "schools", "import", str(tmp_path))) == (1, "", f"error: cannot read {tmp_path}: Is a directory\n")
    assert stored(app) == ([], 0)
