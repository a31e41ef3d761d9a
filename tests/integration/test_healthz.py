"""GET /healthz: the database and the broker reachable, for load balancers; no log-in, no session cookie."""

from __future__ import annotations

import os

from tests.conftest import make_test_app

REDIS_URL = os.environ.get("SELFEVAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CLOSED_PORT = "redis://127.0.0.1:9/0"  # discard: nothing listens there


def test_a_server_without_a_broker_is_healthy_when_its_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "broker": "not configured"}},
    )
    assert (response.headers.get("Set-Cookie"), response.headers["Cache-Control"]) == (None, "no-store")


def test_a_reachable_broker_is_healthy_and_an_unreachable_one_takes_the_server_out(app, tmp_path):
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    with_broker = make_test_app(database, tmp_path / "a", SELFEVAL_BROKER_URL=REDIS_URL).test_client()
    response = with_broker.get("/healthz")
    assert (response.status_code, response.get_json()["checks"]) == (200, {"database": "ok", "broker": "ok"})

    broker_down = make_test_app(database, tmp_path / "b", SELFEVAL_BROKER_URL=CLOSED_PORT).test_client()
    response = broker_down.get("/healthz")
    assert (response.status_code, response.get_json()) == (
        503,
        {"status": "unavailable", "checks": {"database": "ok", "broker": "unavailable"}},
    )


def test_an_unreachable_database_takes_the_server_out(tmp_path):
    down = make_test_app("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2", tmp_path / "c").test_client()
    response = down.get("/healthz")
    assert (response.status_code, response.get_json()) == (
        503,
        {"status": "unavailable", "checks": {"database": "unavailable", "broker": "not configured"}},
    )
    assert response.headers.get("Set-Cookie") is None
