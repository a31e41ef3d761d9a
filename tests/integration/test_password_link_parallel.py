"""A one-time password link used by many requests at once: exactly one sets the password (issue 15, item 5).

Real gunicorn with threads on the test database (SQLite or PostgreSQL), twelve POSTs released together.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import AuditEvent, PasswordLink
from selfeval.services import accounts
from selfeval.services.accounts import authenticate, create_user
from tests.support.factories import make_school
from tests.support.live_server import live_server

PARALLEL = 12


def answer(response: httpx.Response) -> str:
    """'saved', or 'link gone': the page for used links (also for a request that lost the race)."""
    page = BeautifulSoup(response.text, "html.parser")
    if response.status_code == 302 and response.headers["Location"] == "/anmelden":
        return "saved"
    if response.status_code == 404 and page.h1.get_text(strip=True) == "Dieser Link gilt nicht mehr":
        return "link gone"
    errors = [p.get_text(" ", strip=True) for p in page.select("p.field-error")]
    raise AssertionError(f"unexpected answer {response.status_code}: {errors}")


def test_twelve_parallel_posts_on_one_link_set_the_password_exactly_once(app, tmp_path):
    with app.app_context():
        carla = create_user("carla@schule.de", "Carla Cramer", "team", None, school=make_school("100001"))
        token = accounts.issue_password_link(carla, "invite", actor=None).token
        db.session.commit()
    passwords = [f"Kennwort Nummer {n:02d} für Carla" for n in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)

    def post(password: str) -> str:
        with httpx.Client(timeout=120) as client:
            page = client.get(f"{server.url}/passwort-festlegen/{token}").text
            csrf = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
            barrier.wait()
            data = {"csrf_token": csrf, "password": password, "confirm": password}
            return answer(client.post(f"{server.url}/passwort-festlegen/{token}", data=data))

    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with (
        live_server(database_url, tmp_path / "server", workers=2, threads=PARALLEL // 2) as server,
        ThreadPoolExecutor(PARALLEL) as pool,
    ):
        answers = list(pool.map(post, passwords))

    assert sorted(answers) == ["link gone"] * (PARALLEL - 1) + ["saved"]
    winner = passwords[answers.index("saved")]
    with app.app_context():
        assert [p for p in passwords if authenticate("carla@schule.de", p) is not None] == [winner]
        recorded = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "user.password_set")
        assert db.session.scalar(recorded) == 1
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 0
