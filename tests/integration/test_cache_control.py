"""Which responses may be kept by a browser or proxy cache (issue 15, item 11).

Every page with school data or personal data must carry `Cache-Control: no-store`. The rule in
selfeval/security/headers.py is deny by default: only public content (start page, Leitfaden, the legal
pages, the API's description and catalogue) answered to someone who is not logged in, and static files,
may be cached. The test walks app.url_map like the authorization matrix and asks every route as every
actor, so a route added later is covered without anyone thinking of it.
"""

from __future__ import annotations

from selfeval.extensions import db
from tests.support.authorization_table import ACTORS, TABLE
from tests.support.authorization_world import WriteWatch, build_world, request, restore, routes, snapshot, wait_for_report_jobs
from tests.support.factories import login, make_school, make_user

#: Nobody is logged in: no session user (the deactivated account's old cookie no longer logs anyone in).
NOT_LOGGED_IN = frozenset({"anonymous", "deactivated"})
#: The API without an Authorization header (every other actor of the matrix sends a token).
NO_TOKEN = frozenset({"anonymous"})

#: (endpoint, method) -> the actors whose answer may be cached; every other response carries no-store.
CACHEABLE = {
    ("main.index", "GET"): NOT_LOGGED_IN,
    ("main.catalog", "GET"): NOT_LOGGED_IN,
    ("main.imprint", "GET"): NOT_LOGGED_IN,
    ("main.privacy", "GET"): NOT_LOGGED_IN,
    ("main.accessibility", "GET"): NOT_LOGGED_IN,
    ("api.openapi", "GET"): NO_TOKEN,
    ("api.catalog", "GET"): NO_TOKEN,
}


def test_every_response_but_public_content_for_the_anonymous_carries_no_store(app):
    app.config["WTF_CSRF_ENABLED"] = False  # as in the matrix: forms must reach the views
    world = build_world(app)
    with app.app_context():
        engine = db.engine
        original = snapshot(engine)
    cacheable, wrong_value, asked = set(), [], 0
    with WriteWatch(engine) as writes:
        for endpoint, method, rule in routes(app):
            path = app.url_map.bind("localhost").build(endpoint, {name: world.url_values[name] for name in rule.arguments})
            for actor in ACTORS:
                writes.wrote = False
                response = request(app, world, actor, method, path, TABLE[(endpoint, method)], api=endpoint.startswith("api."))
                wait_for_report_jobs()
                asked += 1
                value = response.headers.get("Cache-Control")
                if value is None:
                    cacheable.add((endpoint, method, actor))
                elif value != "no-store":
                    wrong_value.append(f"{endpoint} {method} as {actor}: Cache-Control {value!r}")
                if writes.wrote:
                    restore(engine, original)

    expected = {(endpoint, method, actor) for (endpoint, method), actors in CACHEABLE.items() for actor in actors}
    assert {"cacheable": sorted(cacheable), "other values": wrong_value} == {"cacheable": sorted(expected), "other values": []}
    assert asked == len(TABLE) * len(ACTORS)


def test_the_public_pages_of_a_logged_in_user_are_not_stored_because_they_show_the_name(app, client):
    with app.app_context():
        make_user("jan.becker@schule.de", school=make_school("100001"))
    assert client.get("/").headers.get("Cache-Control") is None
    login(client, "jan.becker@schule.de")
    response = client.get("/")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
    assert "Jan.Becker" in response.get_data(as_text=True)


def test_static_files_keep_their_normal_caching(client):
    response = client.get("/static/css/selfeval.css")
    # Flask's default for static files: keep, but ask the server (ETag / Last-Modified) before reuse.
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-cache")
    assert response.headers["ETag"]


def test_error_pages_and_unknown_addresses_carry_no_store(client):
    response = client.get("/gibt-es-nicht")
    assert (response.status_code, response.headers["Cache-Control"]) == (404, "no-store")
