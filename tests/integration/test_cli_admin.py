"""Operator commands `selfeval schools|rounds|users`: exact output, exact database state, no tracebacks."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import event, func, select, text
from werkzeug.security import check_password_hash

from selfeval.catalog import catalog_digest
from selfeval.extensions import catalogs, db
from selfeval.models import ApiToken, AuditEvent, CatalogSnapshot, Membership, Round, School, User, UserScope
from selfeval.services import rounds as rounds_service
from selfeval.services.catalog_snapshots import snapshot_catalog
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.conftest import PRODUCTION_PASSWORD_HASH
from tests.support.cli import outcome, run
from tests.support.factories import rated
from tests.support.school_years import WRONG_NAMES

PASSWORD = "correct horse battery staple"
SCHOOL_ARGS = ["schools", "add", "100001", "Gesamtschule Nord", "--schulform", "15", "--kreis", "05913", "--ort", "Dortmund"]
KREIS_PROBLEM = "„99999“ ist kein Kreisschlüssel eines Kreises oder einer kreisfreien Stadt in NRW (5 Ziffern, z. B. 05913)."
SCHULFORM_PROBLEM = (
    "Unbekannte Schulform „99“; bekannt sind: 02 Grundschule, 04 Hauptschule, 06 Volksschule, 08 Förderschule, "
    "10 Realschule, 13 Primus (Schulversuch), 14 Sekundarschule, 15 Gesamtschule, "
    "16 Gemeinschaftsschule (Schulversuch), 17 Waldorfschule, 18 Hiberniaschule, "
    "19 Freie Waldorfförderschule, 20 Gymnasium, 25 Weiterbildungskolleg, 30 Berufskolleg."
)


def row_counts(app) -> dict[str, int]:
    models = (School, Round, CatalogSnapshot, User, Membership, UserScope, ApiToken)
    with app.app_context():
        return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in models}


def add_school(app) -> None:
    assert outcome(run(app, *SCHOOL_ARGS)) == (0, "added school 100001 Gesamtschule Nord\n", "")


def create_round(app) -> None:
    assert outcome(run(app, "rounds", "create", "2025/26")) == (0, "2025-26\n", "")


def create_team_user(app) -> None:
    args = ["users", "create", "a@b.de", "--name", "Ayşe Yılmaz", "--role", "team", "--school", "100001"]
    assert outcome(run(app, *args, "--leadership", "--password-stdin", input=f"{PASSWORD}\n")) == (
        0,
        "created team a@b.de\n",
        "",
    )


# --- schools add ---------------------------------------------------------------------------------


def test_schools_add_valid_school_is_stored(app):
    add_school(app)

    with app.app_context():
        schools = db.session.scalars(select(School)).all()
        assert [(s.schulnummer, s.name, s.schulform, s.kreis, s.ort) for s in schools] == [
            ("100001", "Gesamtschule Nord", "15", "05913", "Dortmund")
        ]


@pytest.mark.parametrize(
    ("schulnummer", "name", "schulform", "kreis", "stderr"),
    [
        ("12345", "Gesamtschule Süd", "15", "05913", "error: schulnummer: Die Schulnummer „12345“ hat nicht 6 Ziffern.\n"),
        ("abcdef", "Gesamtschule Süd", "15", "05913", "error: schulnummer: Die Schulnummer „abcdef“ hat nicht 6 Ziffern.\n"),
        (
            "100001",
            "Gesamtschule Süd",
            "15",
            "05913",
            "error: schulnummer: Es gibt schon eine Schule mit der Schulnummer 100001.\n",
        ),
        ("100002", "", "15", "05913", "error: name: Bitte geben Sie den Namen der Schule an.\n"),
        ("100002", "   ", "15", "05913", "error: name: Bitte geben Sie den Namen der Schule an.\n"),
        ("100002", "Gesamtschule Süd", "99", "05913", f"error: schulform: {SCHULFORM_PROBLEM}\n"),
        ("100002", "Gesamtschule Süd", "15", "99999", f"error: kreis: {KREIS_PROBLEM}\n"),
    ],
    ids=["short-number", "letters", "duplicate", "empty-name", "blank-name", "schulform", "kreis"],
)
def test_schools_add_wrong_value_exits_1_and_writes_nothing(app, schulnummer, name, schulform, kreis, stderr):
    add_school(app)
    before = row_counts(app)

    result = run(app, "schools", "add", schulnummer, name, "--schulform", schulform, "--kreis", kreis)

    assert outcome(result) == (1, "", stderr)
    assert row_counts(app) == before
    with app.app_context():
        assert db.session.scalars(select(School.schulnummer)).all() == ["100001"]


def test_schools_add_several_wrong_values_are_all_reported(app):
    result = run(app, "schools", "add", "12345", "", "--schulform", "99", "--kreis", "99999")

    assert outcome(result) == (
        1,
        "",
        "error: schulnummer: Die Schulnummer „12345“ hat nicht 6 Ziffern.\n"
        "error: name: Bitte geben Sie den Namen der Schule an.\n"
        f"error: schulform: {SCHULFORM_PROBLEM}\n"
        f"error: kreis: {KREIS_PROBLEM}\n",
    )
    assert row_counts(app)["schools"] == 0


# --- rounds create -------------------------------------------------------------------------------


def test_rounds_create_prints_slug_and_pins_the_active_catalogue(app):
    create_round(app)

    with app.app_context():
        rounds = db.session.scalars(select(Round)).all()
        assert [(r.name, r.slug, r.is_open) for r in rounds] == [("2025/26", "2025-26", True)]
        snapshot = rounds[0].catalog_snapshot
        active = catalogs.active
        assert (snapshot.catalog_id, snapshot.version, snapshot.digest) == (
            "dortmund-leitfaden",
            active.version,
            catalog_digest(active),
        )
        assert snapshot_catalog(snapshot) == active
        assert db.session.scalar(select(func.count()).select_from(CatalogSnapshot)) == 1


def test_rounds_create_same_name_again_exits_1(app):
    create_round(app)
    before = row_counts(app)

    result = run(app, "rounds", "create", "2025/26")

    assert outcome(result) == (1, "", "error: name: Die Erhebungsrunde 2025/26 (Kurzname 2025-26) gibt es schon.\n")
    assert row_counts(app) == before


# --- users create --------------------------------------------------------------------------------


def test_users_create_team_member_stores_scrypt_hash_and_leadership(app):
    app.config["PASSWORD_HASH_METHOD"] = PRODUCTION_PASSWORD_HASH  # this test proves the production hash
    add_school(app)

    create_team_user(app)

    with app.app_context():
        users = db.session.scalars(select(User)).all()
        assert [(u.email, u.display_name, u.role, u.active) for u in users] == [("a@b.de", "Ayşe Yılmaz", "team", True)]
        user = users[0]
        assert user.password_hash.startswith("scrypt:")
        assert check_password_hash(user.password_hash, PASSWORD)
        raw = db.session.execute(text("SELECT * FROM users")).mappings().one()
        assert [column for column, value in raw.items() if PASSWORD in str(value)] == []
        memberships = db.session.scalars(select(Membership)).all()
        assert [(m.user_id, m.school.schulnummer, m.is_leadership) for m in memberships] == [(user.id, "100001", True)]
        assert db.session.scalars(select(UserScope)).all() == []


def test_users_create_supervisor_stores_scopes_exactly(app):
    args = ["users", "create", "s@b.de", "--name", "Sabine Schulz", "--role", "supervisor"]
    scopes = ["--kreis", "05913", "--bezirk", "Arnsberg", "--schulform", "20"]

    result = run(app, *args, *scopes, "--password-stdin", input=f"{PASSWORD}\n")

    assert outcome(result) == (0, "created supervisor s@b.de\n", "")
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert (user.email, user.role) == ("s@b.de", "supervisor")
        stored = db.session.scalars(select(UserScope).order_by(UserScope.id)).all()
        assert [(s.user_id, s.kind, s.value) for s in stored] == [
            (user.id, "kreis", "05913"),
            (user.id, "bezirk", "Arnsberg"),
            (user.id, "schulform", "20"),
        ]
        assert db.session.scalars(select(Membership)).all() == []


def test_users_create_adviser_with_two_kreise_stores_two_scopes(app):
    args = ["users", "create", "b@b.de", "--name", "Berater", "--role", "adviser", "--kreis", "05913", "--kreis", "05954"]

    result = run(app, *args, "--password-stdin", input=f"{PASSWORD}\n")

    assert outcome(result) == (0, "created adviser b@b.de\n", "")
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        stored = db.session.scalars(select(UserScope).order_by(UserScope.id)).all()
        assert [(s.user_id, s.kind, s.value) for s in stored] == [(user.id, "kreis", "05913"), (user.id, "kreis", "05954")]


TEAM = ["--name", "Ayşe Yılmaz", "--role", "team", "--school", "100001"]


@pytest.mark.parametrize(
    ("args", "stdin", "stderr"),
    [
        (
            ["c@b.de", *TEAM],
            f"{PASSWORD}\n",
            "error: password: give it on standard input with --password-stdin (never as an argument), or use --invite\n",
        ),
        (
            ["c@b.de", *TEAM, "--password-stdin"],
            "short-pass1\n",
            "error: password: Das Passwort muss mindestens 12 Zeichen lang sein.\n",
        ),
        (
            ["ayse@b.de", *TEAM, "--password-stdin"],
            "Ayşe Yılmaz 2025\n",
            "error: password: Das Passwort darf nicht Ihre E-Mail-Adresse oder Ihr Name sein, auch nicht mit Zahlen dahinter.\n",
        ),
        (
            ["ayse@b.de", *TEAM, "--password-stdin"],
            "Passwort1234\n",
            "error: password: Dieses Passwort ist sehr verbreitet und wird bei Angriffen zuerst ausprobiert. "
            "Bitte wählen Sie ein anderes.\n",
        ),
        (
            ["not-an-email", *TEAM, "--password-stdin"],
            f"{PASSWORD}\n",
            "error: email: „not-an-email“ ist keine E-Mail-Adresse.\n",
        ),
        (["A@B.de", *TEAM, "--password-stdin"], f"{PASSWORD}\n", "error: email: Es gibt schon ein Konto für a@b.de.\n"),
        (
            ["c@b.de", "--name", "Carla", "--role", "team", "--password-stdin"],
            f"{PASSWORD}\n",
            "error: school: Ein Teammitglied braucht eine Schule (Schulnummer).\n",
        ),
        (
            ["c@b.de", "--name", "Carla", "--role", "team", "--school", "999999", "--password-stdin"],
            f"{PASSWORD}\n",
            "error: school: no school with Schulnummer 999999\n",
        ),
        (
            ["c@b.de", "--name", "Carla", "--role", "adviser", "--kreis", "05913", "--bezirk", "Arnsberg", "--password-stdin"],
            f"{PASSWORD}\n",
            "error: bezirk: Ein Konto der Rolle Medienberatung hat keinen Bereich nach Bezirksregierung "
            "(Medienberatungen sind für Kreise zuständig).\n",
        ),
        (
            ["c@b.de", "--name", "Carla", "--role", "supervisor", "--schulform", "20", "--password-stdin"],
            f"{PASSWORD}\n",
            "error: scope: Schulformen grenzen den Bereich einer Schulaufsicht nur ein; "
            "nennen Sie auch einen Kreis oder eine Bezirksregierung.\n",
        ),
        (
            ["c@b.de", "--name", "Carla", "--role", "adviser", "--kreis", "99999", "--password-stdin"],
            f"{PASSWORD}\n",
            f"error: kreis: {KREIS_PROBLEM}\n",
        ),
    ],
    ids=[
        "no-password-stdin",
        "short-password",
        "own-name-password",
        "common-password",
        "bad-email",
        "duplicate-email",
        "team-without-school",
        "unknown-school",
        "adviser-with-bezirk",
        "supervisor-only-schulform",
        "unknown-kreis",
    ],
)
def test_users_create_wrong_value_exits_1_and_writes_nothing(app, args, stdin, stderr):
    add_school(app)
    create_team_user(app)
    before = row_counts(app)

    result = run(app, "users", "create", *args, input=stdin)

    assert outcome(result) == (1, "", stderr)
    assert row_counts(app) == before
    with app.app_context():
        assert db.session.scalars(select(User.email)).all() == ["a@b.de"]


# --- users token ---------------------------------------------------------------------------------


def test_users_token_authenticates_the_api_and_only_its_hash_is_stored(app, client):
    add_school(app)
    create_round(app)
    create_team_user(app)

    result = run(app, "users", "token", "a@b.de")

    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    token = lines[-1]
    assert lines == ["API token for a@b.de (shown once; store it safely):", token]
    assert token.startswith("sev_")
    assert len(token) > len("sev_") + 32

    with app.app_context():
        rows = db.session.execute(text("SELECT * FROM api_tokens")).mappings().all()
        user_id = db.session.scalars(select(User.id)).one()
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode("utf-8")).hexdigest()
    assert rows[0]["user_id"] == user_id
    secret = token.removeprefix("sev_")
    assert [column for column, value in rows[0].items() if secret in str(value)] == []

    url = "/api/v1/schools/100001/assessments/2025-26"
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["school"], body["round"], body["status"], body["version"]) == ("100001", "2025-26", "draft", 0)
    wrong = client.get(url, headers={"Authorization": f"Bearer {token[:-1]}{'A' if token[-1] != 'A' else 'B'}"})
    assert wrong.status_code == 401


def test_users_token_each_call_issues_a_new_token(app):
    add_school(app)
    create_team_user(app)

    first = run(app, "users", "token", "a@b.de").stdout.splitlines()[-1]
    second = run(app, "users", "token", "a@b.de").stdout.splitlines()[-1]

    assert first != second
    with app.app_context():
        stored = sorted(db.session.scalars(select(ApiToken.token_hash)).all())
    assert stored == sorted(hashlib.sha256(t.encode("utf-8")).hexdigest() for t in (first, second))


def test_users_token_unknown_email_exits_1(app):
    result = run(app, "users", "token", "nobody@b.de")

    assert outcome(result) == (1, "", "error: email: no account nobody@b.de\n")
    assert row_counts(app)["api_tokens"] == 0


def test_users_create_password_of_exactly_12_characters_is_accepted(app):
    args = ["users", "create", "x@b.de", "--name", "Xaver", "--role", "admin", "--password-stdin"]

    result = run(app, *args, input="hgfedcbalkji\n")

    assert outcome(result) == (0, "created admin x@b.de\n", "")
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert check_password_hash(user.password_hash, "hgfedcbalkji")


@pytest.mark.parametrize(("name", "message"), WRONG_NAMES)
def test_rounds_create_refuses_anything_but_a_school_year(app, name, message):
    result = run(app, "rounds", "create", name)
    assert outcome(result) == (1, "", f"error: name: {message}\n")
    assert row_counts(app)["rounds"] == 0


def test_rounds_delete_removes_an_empty_round_and_refuses_one_with_data(app):
    create_round(app)
    assert outcome(run(app, "rounds", "create", "2026/27")) == (0, "2026-27\n", "")
    add_school(app)
    with app.app_context():
        rated(get_school("100001"), get_round("2025-26"), {"k1a": 4})
    assert outcome(run(app, "rounds", "delete", "2026-27")) == (0, "round 2026/27 deleted\n", "")
    refused = (
        "Die Erhebungsrunde 2025/26 kann nicht gelöscht werden: 1 Schule hat darin schon bewertet. Sie können sie schließen."
    )
    assert outcome(run(app, "rounds", "delete", "2025-26")) == (1, "", f"error: round: {refused}\n")
    assert outcome(run(app, "rounds", "delete", "2030-31")) == (1, "", "error: round: no round 2030-31\n")
    with app.app_context():
        assert [(r.name, r.school_year) for r in db.session.scalars(select(Round))] == [("2025/26", 2025)]
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert [a for a in actions if a.startswith("round.")] == ["round.created", "round.created", "round.deleted"]


def test_rounds_create_when_another_process_creates_the_same_round_meanwhile_exits_1(app):
    """The other creation commits between this command's check and its INSERT: a plain error, no traceback."""
    started = []

    def other_process_creates_it(conn, cursor, statement, parameters, context, executemany):
        if "FROM rounds" in statement and "school_year" in statement and not started:
            started.append(True)
            other = threading.Thread(target=create_round_elsewhere)
            other.start()
            other.join(30)

    def create_round_elsewhere():
        with app.app_context():
            rounds_service.create_round("2025/26", catalogs.active)
            db.session.commit()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", other_process_creates_it)
    try:
        result = run(app, "rounds", "create", "2025/26")
    finally:
        event.remove(engine, "after_cursor_execute", other_process_creates_it)

    assert outcome(result) == (1, "", "error: name: Die Erhebungsrunde 2025/26 (Kurzname 2025-26) gibt es schon.\n")
    with app.app_context():
        assert [(r.name, r.slug) for r in db.session.scalars(select(Round))] == [("2025/26", "2025-26")]
