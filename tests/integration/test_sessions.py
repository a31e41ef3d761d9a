"""Session lifetime: a new session at log-in, idle timeout, absolute limit, log-out everywhere."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from selfeval.security.sessions import LOGGED_IN_AT
from tests.conftest import empty_tables, make_test_app
from tests.support.factories import PASSWORD, login, make_school, make_user

HOME = "/schule"
LOGIN_REDIRECT = "/anmelden?next=%2Fschule"


@pytest.fixture
def teacher(app):
    with app.app_context():
        make_user("lehrer@schule.de", school=make_school("100001"))


def logged_in(client) -> bool:
    """The team's start page (no round yet: a page of its own) or the way to the log-in."""
    response = client.get(HOME)
    if response.status_code == 302:
        assert response.headers["Location"] == LOGIN_REDIRECT
        return False
    assert response.status_code == 200
    return True


def test_log_in_starts_a_permanent_session_with_its_time(client, teacher):
    before = int(time.time())
    login(client, "lehrer@schule.de")
    with client.session_transaction() as session:
        assert session.permanent is True
        assert before <= session[LOGGED_IN_AT] <= int(time.time())
        assert sorted(session) == sorted(["_fresh", "_id", "_permanent", "_user_id", LOGGED_IN_AT])


def test_the_default_idle_timeout_is_thirty_minutes_and_the_absolute_limit_twelve_hours(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)
    assert app.config["SELFEVAL_SESSION_MAX_SECONDS"] == 12 * 3600
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


@pytest.fixture
def short_idle_app(migrated_database, tmp_path):
    # Three seconds idle: Flask compares the cookie's signed age in whole seconds, so the session
    # survives requests one second apart and ends after four seconds without one.
    app = make_test_app(migrated_database, tmp_path / "instance", PERMANENT_SESSION_LIFETIME=timedelta(seconds=3))
    with app.app_context():
        make_user("lehrer@schule.de", school=make_school("100001"))
    yield app
    empty_tables(app)


def test_activity_keeps_the_session_and_idleness_ends_it(short_idle_app):
    client = short_idle_app.test_client()
    login(client, "lehrer@schule.de")
    for _ in range(5):  # five seconds in all, longer than the idle time, but never idle for long
        time.sleep(1)
        assert logged_in(client) is True
    time.sleep(4.5)
    assert logged_in(client) is False


def test_past_the_absolute_limit_the_session_ends_despite_activity(client, teacher):
    login(client, "lehrer@schule.de")
    with client.session_transaction() as session:
        session[LOGGED_IN_AT] = int(time.time()) - 12 * 3600 + 60
    assert logged_in(client) is True
    with client.session_transaction() as session:
        session[LOGGED_IN_AT] = int(time.time()) - 12 * 3600 - 1
    assert logged_in(client) is False
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_a_session_without_its_log_in_time_is_not_accepted(client, teacher):
    login(client, "lehrer@schule.de")
    with client.session_transaction() as session:
        del session[LOGGED_IN_AT]
    assert logged_in(client) is False


def copy_session_cookie(source, target) -> None:
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def test_log_out_ends_the_session_and_every_copy_of_its_cookie(app, client, teacher):
    login(client, "lehrer@schule.de")
    stolen = app.test_client()
    copy_session_cookie(client, stolen)
    assert logged_in(stolen) is True
    page = client.get("/leitfaden").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post("/abmelden", data={"csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert logged_in(client) is False
    assert logged_in(stolen) is False
    login(client, "lehrer@schule.de")
    assert logged_in(client) is True


def test_log_out_needs_the_csrf_token(client, teacher):
    login(client, "lehrer@schule.de")
    response = client.post("/abmelden")
    assert response.status_code == 400
    assert logged_in(client) is True


@pytest.mark.parametrize(
    ("next_page", "target"),
    [
        ("/leitfaden", "/leitfaden"),
        ("//evil.example/anmelden", "/schule"),
        ("https://evil.example/", "/schule"),
        ("/\\evil.example", "/schule"),
        ("javascript:alert(1)", "/schule"),
    ],
)
def test_after_log_in_only_a_path_on_this_site_is_followed(client, teacher, next_page, target):
    page = client.get("/anmelden").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    form = {"csrf_token": token, "email": "lehrer@schule.de", "password": PASSWORD}
    response = client.post("/anmelden", query_string={"next": next_page}, data=form)
    assert (response.status_code, response.headers["Location"]) == (302, target)
