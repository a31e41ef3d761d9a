"""`selfeval backup` and `selfeval restore`: all data survive a round trip; nothing else gets in or out."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import stat

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from selfeval.extensions import catalogs, db
from selfeval.models import Assessment, PasswordLink, Round, User
from selfeval.services.accounts import (
    authenticate,
    create_user,
    deactivate_user,
    issue_password_link,
    load_by_login_id,
    user_for_token,
)
from selfeval.services.backup import (
    EXCLUDED_COLUMNS,
    NOT_BACKED_UP,
    TABLES,
    BackupError,
    code_revision,
    dump,
    from_json,
    restore,
    to_json,
)
from selfeval.services.consensus.phase import set_phase
from selfeval.services.consensus.sheets import save_sheet
from selfeval.services.offers import OfferValues, create_offer
from selfeval.services.plan_agreements import record_agreement
from selfeval.services.plans import replace_goals
from selfeval.services.rating_input import RatingChange
from selfeval.vocabulary import INDIVIDUAL_PHASE
from tests.conftest import PRODUCTION_PASSWORD_HASH, make_test_app
from tests.support.cli import outcome, run
from tests.support.factories import PASSWORD, leader, make_round, make_school, make_token, make_user, rate, rated, submitted

COMMENT = "Tablets in allen Klassen.\nWLAN im Altbau: „ausbaufähig“ – Prüfung läuft."
NO_SCHEMA = "the database has no schema yet: run `selfeval db upgrade` first"
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00")
#: Every column a backup carries. A new column fails here on purpose: decide whether backups carry
#: it (add it here) or not (add it to EXCLUDED_COLUMNS with what a restore fills in).
BACKED_UP_COLUMNS = {
    "schools": "id schulnummer name schulform ort kreis gemeindeschluessel traeger_nummer traeger_name rechtsform created_at",
    "rounds": "id name slug school_year is_open catalog_snapshot_id created_at",
    "users": "id email display_name password_hash role active created_at",
    "memberships": "id user_id school_id is_leadership",
    "user_scopes": "id user_id kind value",
    "api_tokens": "id user_id token_hash created_at",
    "assessments": (
        "id school_id round_id catalog_snapshot_id status version created_at updated_at submitted_at submitted_by_id "
        "phase spread_names_visible delete_sheets_on_submit spread_in_report comments_released"
    ),
    "ratings": "id assessment_id indicator_id score comment changed_in_version updated_at updated_by_id",
    "catalog_snapshots": "id catalog_id version digest content created_at",
    "kreis_offers": "id kreis title provider description contact url schulformen schulstufen target_groups fits version "
    "created_at updated_at",
    "member_sheets": "id assessment_id user_id version finished_at updated_at",
    "member_ratings": "id sheet_id indicator_id score comment",
    "plans": "id assessment_id version goals updated_at updated_by_id",
    "plan_agreements": "id plan_id held_on participants text next_contact recorded_at recorded_by_id recorded_by_name "
    "confirmed_at confirmed_by_id",
    "audit_events": "id at actor_id actor_name action subject school_id round_id subject_user_id changes",
}


def build_data() -> str:
    """Two rounds, three schools, every role, a token, an invitation, a deactivated account; the token."""
    first, second = (indicator.id for indicator in catalogs.active.indicators[:2])
    old, new = make_round("2024/25", is_open=False), make_round("2025/26")
    north = make_school("100001", name="Gesamtschule Nord", schulform="15")
    south = make_school("100002", name="Grundschule Süd-Ost", schulform="02")
    make_school("100003", name="Gymnasium Am Ring", schulform="20", kreis="05911")
    teacher = make_user("lehrkraft@nord.test", school=north)
    submitted(north, old, 7)
    rate(north, new, teacher, {first: 8, second: None}, comments={first: COMMENT, second: "nur eine Anmerkung"})
    south_state = rated(south, new, {first: 3})
    # The south team rates one by one: its Schulleitung's own sheet holds a value the team has not agreed yet.
    set_phase(south, new, leader(south), south_state.version, INDIVIDUAL_PHASE)
    save_sheet(south, new, leader(south), 0, {first: RatingChange(score=6, comment="erst einmal meine Sicht")})
    supervisor = make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"], bezirke=["Arnsberg"], schulformen=["20"])
    adviser = make_user("beratung@medienzentrum.test", "adviser", kreise=["05913", "05911"])
    goal = {
        "indicators": [first],
        "target": 6.5,
        "success": "Alle Räume im WLAN",
        "measures": [{"what": "Ausbau", "due": "2026-06-30"}],
    }
    plan = replace_goals(north, new, teacher, 0, [goal])
    record_agreement(north, new, adviser, {"date": "2026-01-15", "participants": "Schulleitung", "text": "WLAN zuerst"})
    assert plan.version == 1  # noqa: S101 - the data the test needs
    admin = make_user("verwaltung@selfeval.test", "admin")
    token = make_token(supervisor)
    invitee = create_user("neu@nord.test", "Zoë Çelik", "team", None, actor=admin, school=north)
    issue_password_link(invitee, "invite", actor=admin)
    deactivate_user(make_user("ehemalig@sued.test", school=south), actor=admin)
    offer = OfferValues("05911", "Netzwerk Bochum", "Medienzentrum Bochum", "Viermal im Jahr.", fits=("k1",))
    create_offer(offer, actor=admin, catalog=catalogs.active, allowed_kreise=None)
    db.session.commit()
    return token


def dump_of(app) -> dict:
    with app.app_context():
        return dump()


def table_counts(app) -> dict[str, int]:
    with app.app_context():
        return {name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name])) for name in TABLES}


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in counts.items() if count)


def without_created_at(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "created_at"}


def text_without_created_at(content: str) -> list[str]:
    return [line for line in content.splitlines() if not line.startswith(' "created_at": ')]


@pytest.fixture
def target(empty_database_url, tmp_path):
    """A second app on a fresh database migrated to the newest revision: where backups are restored."""
    app = make_test_app(empty_database_url, tmp_path / "target")
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- the document ----------------------------------------------------------------------------------


def test_backup_restore_backup_gives_the_same_document_except_created_at(app, target):
    with app.app_context():
        build_data()
        indicators = len(catalogs.active.indicators)
    first = dump_of(app)

    with target.app_context():
        restored = restore(from_json(to_json(first)))
        db.session.commit()  # restore writes in the caller's transaction
    second = dump_of(target)

    assert without_created_at(second) == without_created_at(first)
    assert text_without_created_at(to_json(second)) == text_without_created_at(to_json(first))
    assert restored == table_counts(app) == table_counts(target)
    fixed = {name: restored[name] for name in TABLES if name not in ("ratings", "audit_events")}
    assert fixed == {
        "schools": 3,
        "rounds": 2,
        "users": 8,  # two Schulleitungen, a teacher, supervisor, adviser, admin, an invitee, a deactivated one
        "memberships": 5,
        "user_scopes": 5,
        "api_tokens": 1,
        "assessments": 3,
        "catalog_snapshots": 1,
        "kreis_offers": 1,
        "member_sheets": 1,
        "member_ratings": 1,
        "plans": 1,
        "plan_agreements": 1,
    }
    assert restored["ratings"] == indicators + 2 + 1


def test_backup_holds_hashes_and_comments_but_no_session_keys_passwords_or_links(app):
    app.config["PASSWORD_HASH_METHOD"] = PRODUCTION_PASSWORD_HASH  # the backup keeps the production hash as it is
    with app.app_context():
        token = build_data()
        login_ids = db.session.scalars(select(User.login_id)).all()
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 1

    document = dump_of(app)
    content = to_json(document)

    assert (document["format"], document["format_version"], document["schema_revision"]) == ("selfeval-backup", 1, revision)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", document["created_at"])
    assert sorted(document["tables"]) == sorted(TABLES)
    users = {row["email"]: row for row in document["tables"]["users"]}
    assert users["lehrkraft@nord.test"]["password_hash"].startswith("scrypt:")
    assert (users["neu@nord.test"]["password_hash"], users["neu@nord.test"]["display_name"]) == (None, "Zoë Çelik")
    assert (users["ehemalig@sued.test"]["active"], users["lehrkraft@nord.test"]["active"]) == (False, True)
    assert [row["token_hash"] for row in document["tables"]["api_tokens"]] == [hashlib.sha256(token.encode()).hexdigest()]
    assert [login_id for login_id in login_ids if login_id in content] == []
    assert (token in content, PASSWORD in content, "login_id" in content) == (False, False, False)
    ratings = document["tables"]["ratings"]
    assert sorted(row["comment"] for row in ratings if row["comment"]) == [COMMENT, "nur eine Anmerkung"]
    assert [row["score"] for row in ratings if row["comment"] == "nur eine Anmerkung"] == [None]
    assert f'"comment": {json.dumps(COMMENT, ensure_ascii=False)}' in content  # umlauts as they are, one row per line
    for name in TABLES:
        assert [row["id"] for row in document["tables"][name]] == sorted(row["id"] for row in document["tables"][name])
    times = [row["created_at"] for name in ("schools", "users", "rounds") for row in document["tables"][name]]
    times += [row["at"] for row in document["tables"]["audit_events"]]
    assert [value for value in times if not UTC_TIME.fullmatch(value)] == []
    assert to_json(from_json(content)) == content


def test_every_table_and_column_is_backed_up_or_explicitly_left_out(app):
    assert sorted(db.metadata.tables) == sorted([*TABLES, *NOT_BACKED_UP])
    assert {name: sorted(columns) for name, columns in EXCLUDED_COLUMNS.items()} == {"users": ["login_id"]}
    with app.app_context():
        build_data()
    document = dump_of(app)

    for name in TABLES:
        table_columns = set(db.metadata.tables[name].columns.keys())
        excluded = set(EXCLUDED_COLUMNS.get(name, {}))
        assert excluded <= table_columns
        assert table_columns - excluded == set(BACKED_UP_COLUMNS[name].split()), f"columns of {name} changed"
        assert document["tables"][name], f"no {name} in the test data"
        assert {frozenset(row) for row in document["tables"][name]} == {frozenset(table_columns - excluded)}


# --- after a restore -------------------------------------------------------------------------------


def test_restored_accounts_log_in_with_their_passwords_and_get_new_session_keys(app, target):
    with app.app_context():
        token = build_data()
        old_ids = dict(db.session.execute(select(User.email, User.login_id)).all())
    document = dump_of(app)

    with target.app_context():
        restore(document)
        db.session.commit()
        teacher = authenticate("lehrkraft@nord.test", PASSWORD)
        assert (teacher.email, teacher.role, [m.school.schulnummer for m in teacher.memberships]) == (
            "lehrkraft@nord.test",
            "team",
            ["100001"],
        )
        assert authenticate("lehrkraft@nord.test", PASSWORD + "x") is None
        assert authenticate("ehemalig@sued.test", PASSWORD) is None  # still deactivated
        new_ids = dict(db.session.execute(select(User.email, User.login_id)).all())
        assert new_ids.keys() == old_ids.keys()
        assert [email for email in new_ids if new_ids[email] == old_ids[email]] == []
        assert len(set(new_ids.values())) == len(new_ids)
        assert [load_by_login_id(login_id) for login_id in old_ids.values()] == [None] * len(old_ids)
        assert user_for_token(token).email == "aufsicht@bezreg.test"
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 0


def test_after_a_restore_new_rows_get_the_next_ids(app, target):
    with app.app_context():
        build_data()
    document = dump_of(app)
    highest = {name: max(row["id"] for row in document["tables"][name]) for name in ("schools", "users", "assessments")}

    with target.app_context():
        restore(document)
        db.session.commit()
        school = make_school("100009", name="Neue Schule")
        user = make_user("neu@neue-schule.test", school=school, leadership=True)
        rated(school, db.session.scalars(select(Round).filter_by(slug="2025-26")).one(), 4)
        assessment = db.session.scalar(select(Assessment.id).filter_by(school_id=school.id))
        ids = (school.id, user.id, assessment)

    assert ids == (highest["schools"] + 1, highest["users"] + 1, highest["assessments"] + 1)


# --- refusals --------------------------------------------------------------------------------------


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(app, target):
    with app.app_context():
        build_data()
    document = dump_of(app)
    with target.app_context():
        make_school("100009", name="Schon da")
    before, counts = dump_of(target), table_counts(target)

    with target.app_context(), pytest.raises(BackupError) as refused:
        restore(document)

    assert str(refused.value) == (f"the database is not empty: {counts_text(counts)} — restore needs an empty, migrated database")
    assert counts["schools"] == 1
    assert without_created_at(dump_of(target)) == without_created_at(before)


DELETE = object()


def case_id(case) -> str:
    """The same on every run and in every test process (pytest -n compares them): no object addresses."""
    value = "<deleted>" if case[1] is DELETE else repr(case[1])
    return f"{'.'.join(map(str, case[0]))}={value}"[:50]


CASES = [
    (("format",), "selfeval-export", "not a selfeval backup (format 'selfeval-export', expected 'selfeval-backup')"),
    (("format",), DELETE, "not a selfeval backup (format None, expected 'selfeval-backup')"),
    (("format_version",), 2, "backup format version 2 is not supported; this version of selfeval reads version 1"),
    (("format_version",), "1", "backup format version '1' is not supported; this version of selfeval reads version 1"),
    (
        ("schema_revision",),
        "e8c37c13863c",
        "the backup is of schema revision 'e8c37c13863c', the database is at '{head}': "
        "restore it with the version of selfeval that wrote it, then run `selfeval db upgrade`",
    ),
    (("tables",), [], 'the backup has no object "tables"'),
    (("tables", "ratings"), DELETE, "table ratings is missing from the backup"),
    (
        ("tables", "password_links"),
        [],
        "unknown table password_links in the backup; it holds only: schools, rounds, users, memberships, "
        "user_scopes, api_tokens, assessments, ratings, catalog_snapshots, kreis_offers, member_sheets, member_ratings, plans, "
        "plan_agreements, audit_events",
    ),
    (("tables", "rounds"), {}, "table rounds: expected a list of rows"),
    (("tables", "schools", 0), "100001", "table schools, row 1: expected an object"),
    (("tables", "users", 0, "login_id"), "abc", "table users, row 1 (id {id}): unexpected login_id"),
    (("tables", "schools", 0, "kreis"), DELETE, "table schools, row 1 (id {id}): missing kreis"),
    (
        ("tables", "schools", 0, "created_at"),
        "2026-11-22T10:00:00",
        "table schools, row 1 (id {id}): created_at: expected a date and time in ISO 8601 with its UTC offset, "
        'got "2026-11-22T10:00:00"',
    ),
    (
        ("tables", "schools", 0, "created_at"),
        "gestern",
        'table schools, row 1 (id {id}): created_at: expected a date and time in ISO 8601 with its UTC offset, got "gestern"',
    ),
    (("tables", "schools", 0, "schulnummer"), "1000010", "table schools, row 1 (id {id}): schulnummer: longer than 6 characters"),
    (("tables", "schools", 0, "ort"), None, "table schools, row 1 (id {id}): ort: expected a string, got null"),
    (("tables", "ratings", 0, "score"), "7", 'table ratings, row 1 (id {id}): score: expected an integer, got "7"'),
    (("tables", "users", 0, "active"), 1, "table users, row 1 (id {id}): active: expected true or false, got 1"),
    (
        ("tables", "audit_events", 0, "changes"),
        None,
        "table audit_events, row 1 (id {id}): changes: expected a JSON value, got null",
    ),
]


def small_document(app) -> dict:
    with app.app_context():
        new = make_round("2025/26")
        rated(make_school("100001"), new, 5)
    return dump_of(app)


@pytest.mark.parametrize(("path", "value", "message"), CASES, ids=[case_id(c) for c in CASES])
def test_a_wrong_document_is_refused_with_a_plain_message_and_changes_nothing(app, target, path, value, message):
    document = copy.deepcopy(small_document(app))
    row = document["tables"][path[1]][path[2]] if len(path) > 3 else {}
    *parents, key = path
    container = document
    for part in parents:
        container = container[part]
    if value is DELETE:
        del container[key]
    else:
        container[key] = value

    with target.app_context(), pytest.raises(BackupError) as refused:
        restore(document)

    assert str(refused.value) == message.format(head=code_revision(), id=row.get("id"))
    assert set(table_counts(target).values()) == {0}


def test_a_document_that_is_no_object_or_no_json_is_refused(target):
    with target.app_context():
        with pytest.raises(BackupError) as refused:
            restore([])
        assert str(refused.value) == "not a selfeval backup (the JSON document is not an object)"
    with pytest.raises(BackupError) as refused:
        from_json('{"format": ')
    assert str(refused.value) == "not valid JSON: Expecting value: line 1 column 12 (char 11)"


def test_rows_that_do_not_fit_together_are_refused_and_nothing_is_restored(app, target):
    document = small_document(app)
    document["tables"]["ratings"][-1]["assessment_id"] = 999_999

    with target.app_context(), pytest.raises(BackupError) as refused:
        restore(document)

    assert str(refused.value).startswith("table ratings: the database refused the rows (")
    assert str(refused.value).endswith("); nothing was restored")
    assert "oreign key" in str(refused.value) or "FOREIGN KEY" in str(refused.value)
    assert set(table_counts(target).values()) == {0}


def test_a_database_without_the_current_schema_gets_a_plain_message(empty_database_url, tmp_path):
    bare = make_test_app(empty_database_url, tmp_path / "bare")
    document = {"format": "selfeval-backup", "format_version": 1, "schema_revision": code_revision(), "tables": {}}
    backup_file = tmp_path / "backup.json"
    backup_file.write_text(json.dumps(document), encoding="utf-8")
    with bare.app_context():
        for action in (dump, lambda: restore(document)):
            with pytest.raises(BackupError) as refused:
                action()
            assert str(refused.value) == NO_SCHEMA
    assert outcome(run(bare, "backup", str(tmp_path / "new.json"))) == (1, "", f"error: {NO_SCHEMA}\n")
    assert outcome(run(bare, "restore", str(backup_file))) == (1, "", f"error: {NO_SCHEMA}\n")
    assert not (tmp_path / "new.json").exists()

    with bare.app_context():
        upgrade(revision="e8c37c13863c")
        with pytest.raises(BackupError) as refused:
            dump()
        db.session.remove()
        db.engine.dispose()
    assert str(refused.value) == (
        f"the database is at schema revision e8c37c13863c, this version of selfeval needs {code_revision()}: "
        "run `selfeval db upgrade` first (or use the version of selfeval that matches the database)"
    )


# --- the command line ------------------------------------------------------------------------------


def summary(verb: str, file, counts: dict[str, int]) -> re.Pattern:
    return re.compile(rf"{verb} {re.escape(str(file))}: {re.escape(counts_text(counts))} in \d+\.\d s\n")


def test_cli_backup_and_restore_round_trip(app, target, tmp_path):
    with app.app_context():
        build_data()
    counts = table_counts(app)
    folder = tmp_path / "backups"
    folder.mkdir()
    first, second = folder / "first.json", folder / "second.json"

    written = run(app, "backup", str(first))
    restored = run(target, "restore", str(first))
    again = run(target, "backup", str(second))
    refused = run(target, "restore", str(first))

    assert (written.exit_code, written.stderr, restored.exit_code, restored.stderr) == (0, "", 0, "")
    assert summary("wrote backup", first, counts).fullmatch(written.stdout)
    assert summary("restored", first, counts).fullmatch(restored.stdout)
    assert (again.exit_code, again.stderr) == (0, "")
    assert [stat.S_IMODE(path.stat().st_mode) for path in (first, second)] == [0o600, 0o600]
    assert sorted(path.name for path in folder.iterdir()) == ["first.json", "second.json"]
    first_text, second_text = first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")
    assert text_without_created_at(second_text) == text_without_created_at(first_text)
    assert outcome(refused) == (
        1,
        "",
        f"error: the database is not empty: {counts_text(counts)} — restore needs an empty, migrated database\n",
    )


def test_cli_backup_replaces_an_existing_file_and_makes_it_private(app, tmp_path):
    with app.app_context():
        make_school("100001")
    backup_file = tmp_path / "backup.json"
    backup_file.write_text("old", encoding="utf-8")
    backup_file.chmod(0o644)

    result = run(app, "backup", str(backup_file))

    assert (result.exit_code, result.stderr) == (0, "")
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    assert from_json(backup_file.read_text(encoding="utf-8"))["tables"]["schools"][0]["schulnummer"] == "100001"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".backup.json.")] == []


def test_cli_backup_into_a_missing_folder_exits_1(app, tmp_path):
    missing = tmp_path / "missing" / "backup.json"

    assert outcome(run(app, "backup", str(missing))) == (1, "", f"error: cannot write {missing}: No such file or directory\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read {file}: No such file or directory"),
        (b"", "not valid JSON: Expecting value: line 1 column 1 (char 0)"),
        (b"\xff\xfe{}", "{file} is not UTF-8 text"),
        (b'{"format": "xlsx"}', "not a selfeval backup (format 'xlsx', expected 'selfeval-backup')"),
    ],
    ids=["missing", "empty", "not-utf8", "other-format"],
)
def test_cli_restore_of_a_bad_file_exits_1_and_changes_nothing(target, tmp_path, content, message):
    backup_file = tmp_path / "backup.json"
    if content is not None:
        backup_file.write_bytes(content)

    result = run(target, "restore", str(backup_file))

    assert outcome(result) == (1, "", f"error: {message.format(file=backup_file)}\n")
    assert set(table_counts(target).values()) == {0}


def test_cli_dash_means_standard_output_and_input(app, target):
    with app.app_context():
        build_data()
    counts = table_counts(app)

    written = run(app, "backup", "-")
    restored = run(target, "restore", "-", input=written.stdout_bytes)

    assert written.exit_code == 0
    assert summary("wrote backup", "-", counts).fullmatch(written.stderr)
    assert from_json(written.stdout)["tables"]["schools"][0]["name"] == "Gesamtschule Nord"
    assert (restored.exit_code, restored.stderr) == (0, "")
    assert summary("restored", "-", counts).fullmatch(restored.stdout)
    assert table_counts(target) == counts


def test_a_backup_from_before_the_traeger_columns_restores_with_them_empty(app, target):
    """Backups written before revision b7d2e4a9c1f3 lack the schools' Gemeindeschlüssel, Träger and Rechtsform."""
    with app.app_context():
        build_data()
    current = dump_of(app)
    old = copy.deepcopy(current)
    old["schema_revision"] = "c5f126c3663d"
    del old["tables"]["kreis_offers"]  # revision 3b8e4f2a9c61 added it
    for row in old["tables"]["schools"]:
        for column in ("gemeindeschluessel", "traeger_nummer", "traeger_name", "rechtsform"):
            del row[column]

    with target.app_context():
        restored = restore(from_json(to_json(old)))
        db.session.commit()
    again = dump_of(target)

    assert restored["schools"] == len(current["tables"]["schools"])
    expected = [
        {**row, "gemeindeschluessel": None, "traeger_nummer": None, "traeger_name": None, "rechtsform": None}
        for row in current["tables"]["schools"]
    ]
    assert again["tables"]["schools"] == expected
    assert again["schema_revision"] == code_revision()  # brought up to the newest revision
    assert again["tables"]["kreis_offers"] == []
    assert {name: rows for name, rows in again["tables"].items() if name not in ("schools", "kreis_offers")} == {
        name: rows for name, rows in current["tables"].items() if name not in ("schools", "kreis_offers")
    }
