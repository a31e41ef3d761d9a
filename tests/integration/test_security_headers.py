"""Security headers on every kind of response, cookie flags, and the HTTPS switch."""

from __future__ import annotations

import pytest

from selfeval.security.headers import CONTENT_SECURITY_POLICY
from tests.conftest import empty_tables, make_test_app
from tests.support.factories import all_scores, login, make_round, make_school, make_user, rated

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(response) -> dict[str, str | None]:
    names = (
        "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
        "Cross-Origin-Opener-Policy", "Strict-Transport-Security",
    )  # fmt: skip
    return {name: response.headers.get(name) for name in names}


BASE = {
    "Content-Security-Policy": EXPECTED_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Strict-Transport-Security": None,
}


def test_the_policy_allows_no_inline_script_and_no_foreign_source():
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/leitfaden", 200),
        ("/anmelden", 200),
        ("/gibt-es-nicht", 404),
        ("/static/css/selfeval.css", 200),
        ("/api/v1/openapi.json", 200),
        ("/api/v1/schools", 401),
        ("/schule", 302),
    ],
)
def test_every_kind_of_response_carries_the_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert security_headers(response) == BASE


def test_the_password_link_page_keeps_its_stricter_referrer_policy(client):
    response = client.get("/passwort-festlegen/kein-gueltiger-link")
    assert response.status_code == 404
    assert security_headers(response) == BASE | {"Referrer-Policy": "no-referrer"}


def test_a_pdf_download_carries_the_headers(app, client):
    with app.app_context():
        school, round_ = make_school("100001"), make_round()
        make_user("leitung@schule.de", school=school, leadership=True)
        rated(school, round_, all_scores(6))
    login(client, "leitung@schule.de")
    response = client.get("/schulen/100001/2025-26/bericht.pdf")
    assert (response.status_code, response.mimetype) == (200, "application/pdf")
    assert security_headers(response) == BASE


def session_cookie(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert len(cookies) == 1, cookies
    return cookies[0]


def cookie_attributes(set_cookie: str) -> set[str]:
    """The attributes after name=value, without Expires/Max-Age values (they change with the clock)."""
    parts = [part.strip() for part in set_cookie.split(";")[1:]]
    return {part.split("=")[0] if part.split("=")[0] in ("Expires", "Max-Age") else part for part in parts}


def test_the_session_cookie_is_http_only_and_same_site_lax_but_not_secure_over_http(app, client):
    with app.app_context():
        make_user("lehrer@schule.de", school=make_school("100001"))
    response = login(client, "lehrer@schule.de")
    assert response.status_code == 302
    assert cookie_attributes(session_cookie(response)) == {"Expires", "HttpOnly", "Path=/", "SameSite=Lax"}


@pytest.fixture
def https_app(migrated_database, tmp_path):
    app = make_test_app(migrated_database, tmp_path / "instance", SELFEVAL_HTTPS=True)
    yield app
    empty_tables(app)


def test_with_https_on_cookies_are_secure_and_hsts_is_sent(https_app):
    with https_app.app_context():
        make_user("lehrer@schule.de", school=make_school("100001"))
    client = https_app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_REFERER": "https://localhost/anmelden"})
    response = login(client, "lehrer@schule.de")
    assert (response.status_code, response.headers["Location"]) == (302, "/schule")
    assert cookie_attributes(session_cookie(response)) == {"Expires", "HttpOnly", "Path=/", "SameSite=Lax", "Secure"}
    assert security_headers(client.get("/")) == BASE | {"Strict-Transport-Security": HSTS}
    assert https_app.config["PREFERRED_URL_SCHEME"] == "https"


def test_https_and_the_proxy_hops_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HTTPS", "true")
    monkeypatch.setenv("SELFEVAL_PROXY_HOPS", "1")
    app = make_test_app("sqlite://", tmp_path)
    assert (app.config["SESSION_COOKIE_SECURE"], app.config["SELFEVAL_PROXY_HOPS"]) == (True, 1)
    # Behind one proxy the client's address is the one the proxy forwards, as the log-in throttle needs.
    seen = {}

    @app.get("/address-for-test")
    def address():
        from flask import request

        seen["address"], seen["scheme"] = request.remote_addr, request.scheme
        return ""

    app.test_client().get(
        "/address-for-test",
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert seen == {"address": "203.0.113.7", "scheme": "https"}
