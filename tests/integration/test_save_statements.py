"""The save and the read of an assessment cost a fixed, small number of SQL statements (issue 20).

Counted with `tests.support.queries.counted_statements` (a `before_cursor_execute` listener on the app's engine):
every statement the app sends through a cursor, nothing left out. BEGIN and COMMIT are not among them: the drivers
send them themselves (psycopg before the first statement of a transaction, Python's sqlite3 before the first
write), not through a cursor; there is no pool pre-ping (selfeval/config.py). The catalogue snapshot is read once
per process and catalogue version; each test warms it with one request first.
"""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.models import AuditEvent
from tests.support.factories import login, make_round, make_school, make_token, make_user, rate
from tests.support.html import soup_of
from tests.support.queries import counted_statements
from tests.support.rating_form import form_data

SCHULNUMMER = "100001"
API = f"/api/v1/schools/{SCHULNUMMER}/assessments/2025-26"
K1 = f"/schulen/{SCHULNUMMER}/2025-26/kriterien/k1"


@pytest.fixture
def team(app) -> dict[str, str]:
    """An assessment two rounds old (a previous round exists), rated by a colleague; the writer's token."""
    with app.app_context():
        school = make_school(SCHULNUMMER)
        make_round("2024/25", is_open=False)
        round_ = make_round("2025/26")
        writer = make_user("schreiber@schule.test", school=school, leadership=True)
        colleague = make_user("kollegin@schule.test", school=school)
        rate(school, round_, colleague, {"k1a": 3, "k1b": 4, "k2a": 6}, {"k1a": "Kollegin"})
        return {"token": make_token(writer)}


def _headers(team, version: int | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {team['token']}"}
    return headers | ({"If-Match": f'"{version}"'} if version is not None else {})


def test_an_api_read_costs_two_statements(app, client, team):
    assert client.get(API, headers=_headers(team)).status_code == 200  # warms the catalogue of this round

    with counted_statements(app) as statements:
        answer = client.get(API, headers=_headers(team))

    assert (answer.status_code, answer.get_json()["version"], answer.get_json()["previous_round"]) == (200, 1, "2024-25")
    # the token with its user, memberships and scopes; school, round, previous round, assessment and ratings
    assert len(statements) == 2, statements


def test_an_api_save_costs_five_statements_and_a_merged_save_as_many(app, client, team):
    client.get(API, headers=_headers(team))

    with counted_statements(app) as first:
        saved = client.put(API, json={"ratings": {"k1a": {"score": 7}}}, headers=_headers(team, 1))
    with counted_statements(app) as merged:
        again = client.put(API, json={"ratings": {"k1a": {"score": 8}}}, headers=_headers(team, 2))

    assert (saved.status_code, again.status_code, again.get_json()["version"]) == (200, 200, 3)
    assert again.get_json()["ratings"]["k1a"] == {"score": 8, "comment": "Kollegin"}
    # token; school + round + assessment + ratings + mergeable entries; compare-and-set; the rating; the audit entry
    assert [len(first), len(merged)] == [5, 5], (first, merged)
    assert [statement.split()[0] for statement in merged[2:]] == ["UPDATE", "UPDATE", "UPDATE"]
    with app.app_context():
        trail = [(e.subject, e.changes) for e in db.session.query(AuditEvent).filter_by(action="rating.changed")]
    assert trail[-1] == ("k1a", {"score": [3, 8]})  # the writer's two edits are one entry


def test_an_api_save_on_an_old_version_costs_no_write(app, client, team):
    client.get(API, headers=_headers(team))

    with counted_statements(app) as statements:
        refused = client.put(API, json={"ratings": {"k1a": {"score": 7}}}, headers=_headers(team, 0))

    assert (refused.status_code, refused.get_json()["error"]["current"]["version"]) == (412, 1)
    # token; school … ratings; then the 412 body's previous round (views.service_errors): reads only
    assert [statement.split()[0] for statement in statements] == ["SELECT", "SELECT", "SELECT", "SELECT"]


def test_a_save_through_the_rating_page_costs_at_most_six_statements(app, client, team):
    assert login(client, "schreiber@schule.test").status_code == 302
    data = form_data(soup_of(client.get(K1))) | {"k1a-score": "9", "goto": "k1"}

    with counted_statements(app) as statements:
        saved = client.post(K1, data=data)

    assert (saved.status_code, saved.headers["Location"]) == (302, K1)
    # the session's user with memberships and scopes; school and round; assessment, ratings and mergeable entries;
    # compare-and-set; the rating; the audit entry
    assert len(statements) == 6, "\n".join(s[:150] for s in statements)


def test_the_audit_merge_reads_a_bounded_number_of_entries_whatever_the_history(app, client, team):
    """EXPLAIN on PostgreSQL: the newest entries come from the index's end, the history is never sorted."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the plan is PostgreSQL's")
    for version in range(1, 40):  # some history
        change = {"ratings": {f"k{version % 5 + 1}a": {"score": version % 10}}}
        saved = client.put(API, json=change, headers=_headers(team, version))
        assert saved.status_code == 200
    with app.app_context():
        # A test's table is tiny, where reading all of it is cheapest: the question is whether the index can serve
        # the newest entries without sorting the assessment's history, so the planner is asked to avoid that scan.
        db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
        school_id, round_id = db.session.execute(db.text("SELECT school_id, round_id FROM assessments WHERE version = 40")).one()
        explained = db.session.execute(
            db.text(
                "EXPLAIN SELECT id FROM audit_events WHERE school_id = :school AND round_id = :round ORDER BY id DESC LIMIT 50"
            ),
            {"school": school_id, "round": round_id},
        )
        plan = "\n".join(row[0] for row in explained)
    assert "ix_audit_events_school_id_round_id_id" in plan and "Sort" not in plan, plan
