"""Log-in throttling under parallel requests: a real gunicorn with threads, the memory store and Redis.

The limit must hold however many attempts arrive at once: an attempt is counted (reserved) before its
password is checked, so at most the limit's number of passwords is ever checked (issue 15, item 1).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.support.factories import PASSWORD, make_school, make_user
from tests.support.live_server import live_server

REDIS_URL = os.environ.get("SELFEVAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WRONG = "falsches-passwort-123"
FAILED = "E-Mail-Adresse oder Passwort sind nicht richtig."
TOO_MANY = "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in 15 Minuten erneut."
BURST = 16
#: Both limits at 5, so that either one is tested alone: a burst on one account comes from as many
#: addresses (the proxy header), a burst from one address names as many accounts.
SERVER_ENV = {
    "SELFEVAL_LOGIN_LIMIT_ACCOUNT": "5 per 15 minutes",
    "SELFEVAL_LOGIN_LIMIT_ADDRESS": "5 per 15 minutes",
    "SELFEVAL_PROXY_HOPS": "1",
}
#: The memory store counts within one process: one worker with threads. Redis counts across processes.
STORES = {"memory": ("memory://", 1, BURST), "redis": (REDIS_URL, 2, BURST // 2)}


def unique_address() -> str:
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250}"


@pytest.fixture(params=sorted(STORES), scope="module")
def store(request):
    return request.param


@pytest.fixture
def server(app, tmp_path, store):
    storage, workers, threads = STORES[store]
    env = {**SERVER_ENV, "SELFEVAL_RATELIMIT_STORAGE": storage}
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with live_server(database_url, tmp_path / "server", env=env, workers=workers, threads=threads) as live:
        yield live


@pytest.fixture
def account(app) -> str:
    """A team member with a unique address, so that runs on SQLite and PostgreSQL stay apart in Redis."""
    email = f"lehrer-{uuid.uuid4().hex[:10]}@schule.de"
    with app.app_context():
        make_user(email, school=make_school("100001"))
    return email


def outcome(response: httpx.Response) -> str:
    """'checked' (password checked and wrong), 'refused' (429, not checked) or 'logged in'."""
    if response.status_code == 302:
        return "logged in"
    errors = [p.get_text(" ", strip=True) for p in BeautifulSoup(response.text, "html.parser").select("p.field-error")]
    if (response.status_code, errors) == (200, [FAILED]):
        return "checked"
    if (response.status_code, errors) == (429, [TOO_MANY]) and int(response.headers["Retry-After"]) > 0:
        return "refused"
    raise AssertionError(f"unexpected answer {response.status_code}: {errors}")


def attempts_at_once(url: str, attempts: list[tuple[str, str, str]]) -> list[str]:
    """Each (e-mail, password, address) from its own client; all posted at the same moment."""
    barrier = threading.Barrier(len(attempts))

    def attempt(email: str, password: str, address: str) -> str:
        with httpx.Client(base_url=url, timeout=120) as client:
            page = client.get("/anmelden").text
            token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
            barrier.wait()
            data = {"csrf_token": token, "email": email, "password": password}
            return outcome(client.post("/anmelden", data=data, headers={"X-Forwarded-For": address}))

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(lambda args: attempt(*args), attempts))


def test_a_burst_on_one_account_checks_exactly_the_limit_and_the_right_password_is_refused_after(server, account):
    outcomes = attempts_at_once(server.url, [(account, WRONG, unique_address()) for _ in range(BURST)])

    assert Counter(outcomes) == {"checked": 5, "refused": BURST - 5}
    assert attempts_at_once(server.url, [(account, PASSWORD, unique_address())]) == ["refused"]


def test_a_burst_from_one_address_checks_exactly_the_limit_and_the_right_password_is_refused_after(server, account):
    address = unique_address()
    guesses = [(f"niemand-{n}-{uuid.uuid4().hex[:8]}@schule.de", WRONG, address) for n in range(BURST)]

    outcomes = attempts_at_once(server.url, guesses)

    assert Counter(outcomes) == {"checked": 5, "refused": BURST - 5}
    assert attempts_at_once(server.url, [(account, PASSWORD, address)]) == ["refused"]
    assert attempts_at_once(server.url, [(account, PASSWORD, unique_address())]) == ["logged in"]
