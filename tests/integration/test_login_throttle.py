"""Log-in throttling: repeated failures per account or per address answer 429 for a while."""

from __future__ import annotations

import logging
import os
import sys
import uuid

import pytest
import redis
from bs4 import BeautifulSoup
from limits import parse
from limits.storage import MemoryStorage

from selfeval.security.throttle import EXTENSION, LoginThrottle
from tests.conftest import empty_tables, make_test_app
from tests.support.factories import PASSWORD, make_school, make_user

WRONG = "falsches-passwort-123"
FAILED = "E-Mail-Adresse oder Passwort sind nicht richtig."
REDIS_URL = os.environ.get("SELFEVAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def teachers(app):
    with app.app_context():
        school = make_school("100001")
        make_user("lehrer@schule.de", school=school)
        make_user("kollegin@schule.de", school=school)


def attempt(client, email: str, password: str, address: str = "192.0.2.10"):
    page = client.get("/anmelden").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post(
        "/anmelden",
        data={"csrf_token": token, "email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def password_errors(response) -> list[str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [p.get_text(" ", strip=True) for p in page.select("p.field-error")]


def test_five_failures_lock_the_account_even_for_the_right_password(client, teachers):
    for _ in range(5):
        response = attempt(client, "lehrer@schule.de", WRONG)
        assert (response.status_code, password_errors(response)) == (200, [FAILED])
    response = attempt(client, "lehrer@schule.de", PASSWORD)
    assert response.status_code == 429
    assert password_errors(response) == ["Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in 15 Minuten erneut."]
    assert 890 <= int(response.headers["Retry-After"]) <= 900
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("input", attrs={"name": "email"})["value"] == "lehrer@schule.de"
    # Another account from the same address is not affected.
    assert attempt(client, "kollegin@schule.de", PASSWORD).status_code == 302


def test_the_lock_holds_from_every_address_and_for_any_spelling_of_the_address(client, teachers):
    for number in range(5):
        attempt(client, "lehrer@schule.de", WRONG, address=f"192.0.2.{number}")
    assert attempt(client, " Lehrer@Schule.DE ", PASSWORD, address="198.51.100.1").status_code == 429


def test_an_unknown_account_fails_exactly_like_a_wrong_password_and_is_locked_the_same(client, teachers):
    unknown = [attempt(client, "niemand@schule.de", WRONG) for _ in range(6)]
    known = [attempt(client, "lehrer@schule.de", WRONG) for _ in range(6)]
    assert [r.status_code for r in unknown] == [r.status_code for r in known] == [200] * 5 + [429]
    assert [password_errors(r) for r in unknown] == [password_errors(r) for r in known]


def test_the_right_password_resets_the_account_count(client, teachers):
    for _ in range(4):
        attempt(client, "lehrer@schule.de", WRONG)
    assert attempt(client, "lehrer@schule.de", PASSWORD).status_code == 302
    client.delete_cookie("session")
    statuses = [attempt(client, "lehrer@schule.de", WRONG).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


@pytest.fixture
def strict_address_app(migrated_database, tmp_path):
    app = make_test_app(migrated_database, tmp_path / "instance", SELFEVAL_LOGIN_LIMIT_ADDRESS="3 per 15 minutes")
    with app.app_context():
        make_user("lehrer@schule.de", school=make_school("100001"))
    yield app
    empty_tables(app)


def test_failures_from_one_address_lock_that_address_for_every_account(strict_address_app):
    client = strict_address_app.test_client()
    statuses = [attempt(client, f"versuch{n}@schule.de", WRONG, address="203.0.113.5").status_code for n in range(3)]
    assert statuses == [200, 200, 200]
    assert attempt(client, "lehrer@schule.de", PASSWORD, address="203.0.113.5").status_code == 429
    assert attempt(client, "lehrer@schule.de", PASSWORD, address="203.0.113.6").status_code == 302


def test_a_refused_attempt_is_logged_without_the_e_mail_address(client, teachers, caplog):
    for _ in range(5):
        attempt(client, "lehrer@schule.de", WRONG)
    with caplog.at_level(logging.WARNING, logger="selfeval.security"):
        attempt(client, "lehrer@schule.de", WRONG)
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records if r.name == "selfeval.security"] == [
        ("selfeval.security", "WARNING", "log-in refused: too many failed attempts (address 192.0.2.10)")
    ]


def redis_app(migrated_database, tmp_path, storage: str):
    return make_test_app(migrated_database, tmp_path, SELFEVAL_RATELIMIT_STORAGE=storage)


def test_a_shared_redis_store_counts_across_server_processes(app, teachers, tmp_path):
    connection = redis.Redis.from_url(REDIS_URL)
    assert connection.ping(), f"these tests need Redis at {REDIS_URL} (SELFEVAL_TEST_REDIS_URL)"
    # A fresh address and a unique e-mail keep runs (SQLite, PostgreSQL) apart in the shared store.
    email, address = f"{uuid.uuid4().hex[:12]}@schule.de", f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    first = redis_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "a", REDIS_URL).test_client()
    second = redis_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "b", REDIS_URL).test_client()
    for client in (first, second, first, second, first):
        assert attempt(client, email, WRONG, address).status_code == 200
    assert attempt(second, email, WRONG, address).status_code == 429
    assert attempt(first, email, WRONG, address).status_code == 429


def test_an_unreachable_store_leaves_log_in_possible_and_says_so_in_the_log(app, teachers, tmp_path, caplog):
    client = redis_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "c", "redis://127.0.0.1:1/0").test_client()
    with caplog.at_level(logging.ERROR, logger="selfeval.security"):
        response = attempt(client, "lehrer@schule.de", PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (302, "/schule")
    messages = [r.getMessage() for r in caplog.records if r.name == "selfeval.security"]
    assert messages == ["log-in throttling is off: the rate-limit storage cannot be reached"] * 2


@pytest.mark.parametrize("storage", ["memory://", REDIS_URL], ids=["memory", "redis"])
def test_a_successful_log_in_takes_its_counted_attempt_back_from_the_address(app, teachers, tmp_path, storage):
    # Every attempt is counted before its password is checked; the right password must not stay counted.
    client = make_test_app(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "d", SELFEVAL_RATELIMIT_STORAGE=storage,
        SELFEVAL_LOGIN_LIMIT_ADDRESS="3 per 15 minutes",
    ).test_client()  # fmt: skip
    address = f"198.19.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    statuses = []
    for password in (WRONG, PASSWORD, WRONG, PASSWORD, WRONG, WRONG):
        statuses.append(attempt(client, "lehrer@schule.de", password, address).status_code)
        client.delete_cookie("session")
    assert statuses == [200, 302, 200, 302, 200, 429]


class RelaidMemoryStorage(MemoryStorage):
    """A memory store as a later limits might lay it out: its per-key locks under another name.

    limits' own code still finds them; any other reader (our _remove_newest) finds no `locks`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_locks = self.__dict__.pop("locks")

    def __getattribute__(self, name):
        if name == "locks":
            if sys._getframe(1).f_globals.get("__name__") != "limits.storage.memory":
                raise AttributeError(f"'{type(self).__name__}' object has no attribute 'locks'")
            return object.__getattribute__(self, "key_locks")
        return object.__getattribute__(self, name)


def test_a_storage_laid_out_otherwise_still_lets_the_right_password_in_and_says_so_in_the_log(app, teachers, caplog):
    storage = RelaidMemoryStorage()
    app.extensions[EXTENSION] = LoginThrottle(storage, parse("5 per 15 minutes"), parse("30 per 15 minutes"))
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="selfeval.security"):
        response = attempt(client, "lehrer@schule.de", PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (302, "/schule")
    records = [r for r in caplog.records if r.name == "selfeval.security"]
    assert [(r.levelname, r.getMessage(), r.exc_info[0]) for r in records] == [
        ("ERROR", "log-in throttling cannot take an attempt back: the rate-limit storage is laid out differently", AttributeError)
    ]
