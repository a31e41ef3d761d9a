"""`selfeval users invite|reset-password|deactivate|reactivate|export|erase`, `users create --invite`,
`rounds open|close`: exact output and exit codes, exact database state."""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import ApiToken, AuditEvent, PasswordLink, Round, User
from selfeval.services import accounts
from selfeval.services.accounts import authenticate, find_user, issue_token, privacy, user_for_token
from tests.conftest import make_test_app
from tests.support.cli import outcome, run
from tests.support.factories import PASSWORD, login, make_round, make_school, make_user, rate

BASE = "https://selfeval.example.org"
NEW_PASSWORD = "ein neues langes Passwort"
BOTH_OR_NEITHER = "error: password: give it on standard input with --password-stdin (never as an argument), or use --invite\n"
LAST_ADMIN = "Das ist das einzige aktive Verwaltungskonto; es muss eines bleiben."


@pytest.fixture
def base_app(app, migrated_database, tmp_path):
    """The app with SELFEVAL_BASE_URL configured (the `app` fixture empties the database afterwards)."""
    configured = make_test_app(migrated_database, tmp_path / "instance-base", SELFEVAL_BASE_URL=BASE)
    yield configured
    with configured.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def people(app):
    """School 100001 with Anna (Schulleitung) and Bert, an administrator; round 2025/26."""
    with app.app_context():
        school = make_school("100001")
        make_round("2025/26")
        make_user("admin@land.de", "admin")
        make_user("anna@schule.de", school=school, leadership=True)
        make_user("bert@schule.de", school=school)


def entries(app, action: str) -> list[tuple]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return [(e.actor_name, e.actor_id, e.subject, e.changes) for e in db.session.scalars(query)]


def audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


def link_output(app, email: str) -> tuple[str, str]:
    """The expiry line `_echo_link` prints for the account's stored link, and the hash stored for it."""
    with app.app_context():
        link = db.session.scalars(select(PasswordLink).join(User).where(User.email == email)).one()
        return f"one-time link to set the password, valid until {link.expires_at:%Y-%m-%d %H:%M} UTC:\n", link.token_hash


def token_of(stdout: str, url_base: str) -> str:
    last = stdout.splitlines()[-1]
    assert last.startswith(f"{url_base}/passwort-festlegen/")
    return last.removeprefix(f"{url_base}/passwort-festlegen/")


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- users create --invite -------------------------------------------------------------------------------


def test_users_create_invite_prints_a_link_that_sets_the_password_on_the_page(base_app):
    with base_app.app_context():
        make_school("100001")
        make_round("2025/26")
    args = ["users", "create", "Carla@Schule.de", "--name", "Carla Cramer", "--role", "team", "--school", "100001", "--invite"]

    result = run(base_app, *args)

    token = token_of(result.stdout, BASE)
    expiry_line, stored_hash = link_output(base_app, "carla@schule.de")
    assert outcome(result) == (
        0,
        f"created team carla@schule.de\n{expiry_line}{BASE}/passwort-festlegen/{token}\n",
        "",
    )
    assert stored_hash == sha256(token)
    with base_app.app_context():
        carla = find_user("carla@schule.de")
        assert (carla.display_name, carla.password_hash, carla.active) == ("Carla Cramer", None, True)
    assert entries(base_app, "user.invited") == [("Kommandozeile", None, "carla@schule.de", {})]

    client = base_app.test_client()
    url = f"/passwort-festlegen/{token}"
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    csrf = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(url, data={"csrf_token": csrf, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden")
    logged_in = login(client, "carla@schule.de", NEW_PASSWORD)
    assert (logged_in.status_code, logged_in.headers["Location"]) == (302, "/schule")
    assert client.get(url).status_code == 404


def test_users_create_invite_without_a_base_url_prints_a_local_link_and_a_hint(app):
    args = ["users", "create", "dora@bezreg.de", "--name", "Dora Dahl", "--role", "supervisor", "--bezirk", "Arnsberg"]

    result = run(app, *args, "--invite")

    token = token_of(result.stdout, "http://localhost:5000")
    expiry_line, stored_hash = link_output(app, "dora@bezreg.de")
    assert outcome(result) == (
        0,
        f"created supervisor dora@bezreg.de\n{expiry_line}http://localhost:5000/passwort-festlegen/{token}\n",
        "(set SELFEVAL_BASE_URL to the site's address, e.g. https://selfeval.example.org)\n",
    )
    assert stored_hash == sha256(token)


@pytest.mark.parametrize("flags", [["--password-stdin", "--invite"], []], ids=["both", "neither"])
def test_users_create_needs_exactly_one_of_password_stdin_and_invite(app, flags):
    args = ["users", "create", "carla@schule.de", "--name", "Carla", "--role", "admin", *flags]

    result = run(app, *args, input=f"{PASSWORD}\n")

    assert outcome(result) == (1, "", BOTH_OR_NEITHER)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert audit_count(app) == 0


def test_users_create_invite_with_a_wrong_value_writes_no_link(app):
    result = run(app, "users", "create", "carla@schule.de", "--name", "Carla", "--role", "team", "--invite")

    assert outcome(result) == (1, "", "error: school: Ein Teammitglied braucht eine Schule (Schulnummer).\n")
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(PasswordLink)),
        ) == (0, 0)


# --- users invite / reset-password -------------------------------------------------------------------------


def test_users_invite_prints_a_new_link_and_voids_the_earlier_one(base_app, people):
    first = token_of(run(base_app, "users", "invite", "bert@schule.de").stdout, BASE)

    result = run(base_app, "users", "invite", "BERT@schule.de")

    second = token_of(result.stdout, BASE)
    expiry_line, stored_hash = link_output(base_app, "bert@schule.de")
    assert outcome(result) == (0, f"{expiry_line}{BASE}/passwort-festlegen/{second}\n", "")
    assert stored_hash == sha256(second) != sha256(first)
    with base_app.app_context():
        assert accounts.find_password_link(first) is None
        assert accounts.find_password_link(second).user.email == "bert@schule.de"
    assert entries(base_app, "user.invited") == [
        ("Kommandozeile", None, "bert@schule.de", {}),
        ("Kommandozeile", None, "bert@schule.de", {}),
    ]


def test_users_reset_password_keeps_the_old_password_until_the_new_one_is_set(base_app, people):
    result = run(base_app, "users", "reset-password", "anna@schule.de")

    token = token_of(result.stdout, BASE)
    expiry_line, _ = link_output(base_app, "anna@schule.de")
    assert outcome(result) == (0, f"{expiry_line}{BASE}/passwort-festlegen/{token}\n", "")
    with base_app.app_context():
        anna = find_user("anna@schule.de")
        assert authenticate("anna@schule.de", PASSWORD) == anna
        assert [link.purpose for link in anna.password_links] == ["reset"]
        accounts.set_password_by_link(token, NEW_PASSWORD)
        db.session.commit()
        assert authenticate("anna@schule.de", PASSWORD) is None
        assert authenticate("anna@schule.de", NEW_PASSWORD) == anna
    assert entries(base_app, "user.reset_requested") == [("Kommandozeile", None, "anna@schule.de", {})]


@pytest.mark.parametrize("command", ["invite", "reset-password", "deactivate", "reactivate", "export", "erase"])
def test_users_commands_with_an_unknown_email_exit_1(app, people, command):
    before = audit_count(app)

    result = run(app, "users", command, "nobody@schule.de", *(["--yes"] if command == "erase" else []))

    assert outcome(result) == (1, "", "error: email: no account nobody@schule.de\n")
    assert audit_count(app) == before


@pytest.mark.parametrize("command", ["invite", "reset-password"])
def test_users_invite_of_a_deactivated_account_is_refused(app, people, command):
    run(app, "users", "deactivate", "bert@schule.de")

    result = run(app, "users", command, "bert@schule.de")

    assert outcome(result) == (1, "", "error: active: Das Konto ist deaktiviert; aktivieren Sie es zuerst wieder.\n")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 0


# --- users deactivate / reactivate ------------------------------------------------------------------------


def test_users_deactivate_and_reactivate_say_what_happened(app, people):
    with app.app_context():
        token = issue_token(find_user("bert@schule.de"))
        db.session.commit()

    assert outcome(run(app, "users", "deactivate", "bert@schule.de")) == (0, "deactivated bert@schule.de\n", "")
    with app.app_context():
        bert = find_user("bert@schule.de")
        assert (bert.active, user_for_token(token), authenticate("bert@schule.de", PASSWORD)) == (False, None, None)
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert outcome(run(app, "users", "deactivate", "Bert@Schule.de")) == (0, "bert@schule.de was deactivated already\n", "")

    assert outcome(run(app, "users", "reactivate", "bert@schule.de")) == (0, "reactivated bert@schule.de\n", "")
    with app.app_context():
        assert authenticate("bert@schule.de", PASSWORD) == find_user("bert@schule.de")
    assert outcome(run(app, "users", "reactivate", "bert@schule.de")) == (0, "bert@schule.de is active already\n", "")

    assert entries(app, "user.deactivated") == [("Kommandozeile", None, "bert@schule.de", {"active": [True, False]})]
    assert entries(app, "user.reactivated") == [("Kommandozeile", None, "bert@schule.de", {"active": [False, True]})]


def test_users_deactivate_the_last_admin_is_refused(app, people):
    result = run(app, "users", "deactivate", "admin@land.de")

    assert outcome(result) == (1, "", f"error: active: {LAST_ADMIN}\n")
    with app.app_context():
        assert find_user("admin@land.de").active is True
    assert entries(app, "user.deactivated") == []


# --- users export ------------------------------------------------------------------------------------------


@pytest.fixture
def rated_by_anna(app, people):
    """Anna rated k1a with a comment and has an API token."""
    with app.app_context():
        from selfeval.services.rounds import get_round
        from selfeval.services.schools import get_school

        anna = find_user("anna@schule.de")
        rate(get_school("100001"), get_round("2025-26"), anna, {"k1a": 7}, {"k1a": "Fortbildung im Herbst"})
        issue_token(anna)
        db.session.commit()


def expected_export(app, email: str) -> dict:
    """What privacy.export_user gives now (without recording it), minus the moment of the export."""
    with app.app_context():
        document = privacy.export_user(find_user(email), actor=None)
        db.session.rollback()
    document.pop("created_at")
    return document


def test_users_export_prints_the_account_data_as_json(app, rated_by_anna):
    expected = expected_export(app, "anna@schule.de")

    result = run(app, "users", "export", "anna@schule.de")

    assert (result.exit_code, result.stderr) == (0, "")
    printed = json.loads(result.stdout)
    assert isinstance(printed.pop("created_at"), str)
    assert printed == expected
    assert printed["ratings_last_changed"][0]["comment"] == "Fortbildung im Herbst"
    assert "Fortbildung im Herbst" in result.stdout  # not escaped as \\u sequences
    assert entries(app, "user.exported") == [("Kommandozeile", None, "anna@schule.de", {})]


def test_users_export_to_a_file_is_readable_by_the_owner_only(app, rated_by_anna, tmp_path):
    expected = expected_export(app, "anna@schule.de")
    target = tmp_path / "anna.json"

    result = run(app, "users", "export", "anna@schule.de", "-o", str(target))

    assert outcome(result) == (0, "", f"wrote the data of anna@schule.de to {target}\n")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    written = json.loads(target.read_text(encoding="utf-8"))
    written.pop("created_at")
    assert written == expected
    assert entries(app, "user.exported") == [("Kommandozeile", None, "anna@schule.de", {})]


def test_users_export_over_an_existing_file_makes_it_readable_by_the_owner_only(app, rated_by_anna, tmp_path):
    target = tmp_path / "anna.json"
    target.write_text("old\n")
    target.chmod(0o644)

    result = run(app, "users", "export", "anna@schule.de", "-o", str(target))

    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["account"]["email"] == "anna@schule.de"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_users_export_to_a_missing_folder_exits_1_with_a_message(app, rated_by_anna, tmp_path):
    target = tmp_path / "fehlt" / "anna.json"

    result = run(app, "users", "export", "anna@schule.de", "-o", str(target))

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("error: output: ")
    assert str(target) in result.stderr
    assert entries(app, "user.exported") == []


# --- users erase -------------------------------------------------------------------------------------------


def test_users_erase_without_yes_refuses_and_changes_nothing(app, rated_by_anna):
    before = audit_count(app)

    result = run(app, "users", "erase", "anna@schule.de")

    assert outcome(result) == (1, "", "error: confirm: erasing anna@schule.de cannot be undone; repeat with --yes\n")
    assert audit_count(app) == before
    with app.app_context():
        anna = find_user("anna@schule.de")
        assert (anna.active, len(anna.tokens), len(anna.memberships)) == (True, 1, 1)


def test_users_erase_with_yes_deletes_the_account_and_counts_what_now_names_the_marker(app, rated_by_anna):
    result = run(app, "users", "erase", " Anna@Schule.DE ", "--yes")

    # Anna's entries: created, k1a rated, token issued.
    assert outcome(result) == (
        0,
        'erased anna@schule.de: 1 ratings, 0 submissions, 0 agreements and 3 audit entries now name "Gelöschtes Konto"\n',
        "",
    )
    with app.app_context():
        assert find_user("anna@schule.de") is None
        query = select(AuditEvent.actor_name, AuditEvent.subject, AuditEvent.changes).where(AuditEvent.action == "user.erased")
        assert [tuple(r) for r in db.session.execute(query)] == [("Kommandozeile", "Gelöschtes Konto", {"role": ["team", None]})]


def test_users_erase_the_last_admin_is_refused(app, people):
    before = audit_count(app)

    result = run(app, "users", "erase", "admin@land.de", "--yes")

    assert outcome(result) == (1, "", f"error: account: {LAST_ADMIN}\n")
    assert audit_count(app) == before
    with app.app_context():
        assert find_user("admin@land.de") is not None


# --- rounds open / close -------------------------------------------------------------------------------------


def round_state(app) -> list[tuple[str, bool]]:
    with app.app_context():
        return [(r.slug, r.is_open) for r in db.session.scalars(select(Round).order_by(Round.id))]


def test_rounds_close_and_open_say_what_happened_and_record_it(app, people):
    assert outcome(run(app, "rounds", "close", "2025-26")) == (0, "round 2025/26 is now closed\n", "")
    assert round_state(app) == [("2025-26", False)]
    assert outcome(run(app, "rounds", "close", "2025-26")) == (0, "round 2025/26 was closed already\n", "")
    assert round_state(app) == [("2025-26", False)]

    assert outcome(run(app, "rounds", "open", "2025-26")) == (0, "round 2025/26 is now open\n", "")
    assert round_state(app) == [("2025-26", True)]
    assert outcome(run(app, "rounds", "open", "2025-26")) == (0, "round 2025/26 was open already\n", "")

    assert entries(app, "round.closed") == [("Kommandozeile", None, "2025/26", {"is_open": [True, False]})]
    assert entries(app, "round.opened") == [("Kommandozeile", None, "2025/26", {"is_open": [False, True]})]


def test_a_closed_round_makes_the_drafts_read_only(app, people):
    run(app, "rounds", "close", "2025-26")

    with app.app_context():
        from selfeval.services import assessments
        from selfeval.services.rating_input import RatingChange
        from selfeval.services.rounds import get_round
        from selfeval.services.schools import get_school

        with pytest.raises(assessments.AssessmentLocked) as raised:
            assessments.save_ratings(
                get_school("100001"), get_round("2025-26"), find_user("anna@schule.de"), 0, {"k1a": RatingChange(5)}
            )
        assert str(raised.value) == "Die Erhebungsrunde 2025/26 ist geschlossen."


@pytest.mark.parametrize("command", ["open", "close"])
def test_rounds_open_or_close_an_unknown_slug_exits_1(app, people, command):
    result = run(app, "rounds", command, "2030-31")

    assert outcome(result) == (1, "", "error: round: no round 2030-31\n")
    assert round_state(app) == [("2025-26", True)]


# --- no link without SELFEVAL_BASE_URL in production (issue 15, item 13) ----------------------------------

NO_BASE_URL = (
    "error: SELFEVAL_BASE_URL: not set, so the link would not know the site's address; "
    "set it to the address people open, e.g. https://selfeval.example.org\n"
)


@pytest.fixture
def production_app(app, migrated_database, tmp_path):
    """Neither TESTING nor DEBUG, no SELFEVAL_BASE_URL (the `app` fixture empties the database afterwards)."""
    production = make_test_app(migrated_database, tmp_path / "instance-production", TESTING=False)
    yield production
    with production.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("command", ["invite", "reset-password"])
def test_in_production_without_a_base_url_no_link_is_made(production_app, people, command):
    result = run(production_app, "users", command, "anna@schule.de")

    assert outcome(result) == (1, "", NO_BASE_URL)
    with production_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 0
    assert entries(production_app, "user.invited") == entries(production_app, "user.reset_requested") == []


def test_in_production_without_a_base_url_create_invite_creates_nothing(production_app, people):
    args = ["users", "create", "dora@bezreg.de", "--name", "Dora", "--role", "supervisor", "--bezirk", "Arnsberg", "--invite"]

    result = run(production_app, *args)

    assert outcome(result) == (1, "", NO_BASE_URL)
    with production_app.app_context():
        assert find_user("dora@bezreg.de") is None
