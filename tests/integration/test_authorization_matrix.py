"""Every route, every method, every actor: the answer the table in authorization_table.py expects.

The test walks app.url_map, so a route added later without a table entry fails here. Pages are asked
with the actor's session from a real log-in, the API with the actor's Bearer token. After a request
that changed the database, the data set is put back, so every request meets the same data; a refused
request must change nothing.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from selfeval.extensions import db
from tests.support.authorization_table import ACTORS, LOGIN, REFUSALS, TABLE, Outcome
from tests.support.authorization_world import (
    World,
    WriteWatch,
    build_world,
    request,
    restore,
    routes,
    snapshot,
    wait_for_report_jobs,
)
from tests.support.html import soup_of, text

NEW_JOB = re.compile(r"(?<=^/auswertung/berichte/)[A-Za-z0-9_-]{22}$")


def test_the_table_has_exactly_one_entry_for_every_route_and_method(app):
    in_map = {(endpoint, method) for endpoint, method, _ in routes(app)}

    assert {
        "routes without an entry in the table": sorted(in_map - set(TABLE)),
        "table entries for routes that do not exist": sorted(set(TABLE) - in_map),
    } == {"routes without an entry in the table": [], "table entries for routes that do not exist": []}
    assert {len(check.outcomes) for check in TABLE.values()} == {len(ACTORS)}


@pytest.fixture
def matrix_app(app):
    """CSRF is tested elsewhere; here a form without its token must reach the authorization checks."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def test_every_route_answers_every_actor_as_the_table_says(matrix_app):
    app = matrix_app
    world = build_world(app)
    with app.app_context():
        engine = db.engine
        original = snapshot(engine)
    mismatches, checked = [], 0
    with WriteWatch(engine) as writes:
        for endpoint, method, rule in routes(app):
            check = TABLE.get((endpoint, method))
            if check is None:
                mismatches.append(f"{endpoint} {method}: no entry in authorization_table.TABLE")
                continue
            path = app.url_map.bind("localhost").build(endpoint, {name: world.url_values[name] for name in rule.arguments})
            for actor, expected in zip(ACTORS, check.outcomes, strict=True):
                writes.wrote = False
                response = request(app, world, actor, method, path, check, api=endpoint.startswith("api."))
                wait_for_report_jobs()
                checked += 1
                observed = outcome(response, path, world)
                if observed != expected:
                    mismatches.append(f"{endpoint} {method} as {actor}: expected {expected}, got {observed}")
                if writes.wrote and snapshot(engine) != original:
                    if expected in REFUSALS:
                        mismatches.append(f"{endpoint} {method} as {actor}: refused, but the data changed")
                    restore(engine, original)

    assert mismatches == []
    assert checked == len(TABLE) * len(ACTORS)


def outcome(response, path: str, world: World) -> Outcome:
    """The status and what identifies the answer, in the words of authorization_table."""
    if 300 <= response.status_code < 400:
        return Outcome(response.status_code, f"-> {redirect_target(response.headers['Location'], path, world)}")
    if response.status_code < 400:
        return Outcome(response.status_code, response.mimetype)
    if response.is_json:
        return Outcome(response.status_code, f"application/json error {response.get_json()['error']['code']}")
    return Outcome(response.status_code, f"{response.mimetype} „{text(soup_of(response).h1)}“")


def redirect_target(location: str, path: str, world: World) -> str:
    """The Location, with the log-in's return address, a new job's id and the account's id put in words."""
    parts = urlsplit(location)
    if parts.path == "/anmelden" and parse_qs(parts.query) == {"next": [path]}:
        return LOGIN.detail.removeprefix("-> ")
    location = NEW_JOB.sub("<new job>", location)
    return location.replace(f"/verwaltung/konten/{world.url_values['user_id']}", "/verwaltung/konten/{user_id}")
