"""List pages send the same number of SQL statements whatever the number of rows they show (no query per row)."""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.services.accounts import create_user, deactivate_user, issue_password_link
from tests.factories import login, make_school, make_user
from tests.integration.test_team_pages import soup_of
from tests.query_count import counted_statements

USERS = "/verwaltung/konten"


def add_accounts(first: int, last: int) -> None:
    """Accounts number first … last-1 in turn: team member with a school, invited with a link, supervisor, deactivated.

    Each kind brings what a page might load per row: memberships with their school, scopes, password links.
    """
    school = make_school()
    for number in range(first, last):
        email, name = f"konto{number:02d}@schule.de", f"Konto {number:02d}"
        kind = number % 4
        if kind == 0:
            create_user(email, name, "team", None, school=school, is_leadership=True).password_hash = "set"
        elif kind == 1:
            issue_password_link(create_user(email, name, "team", None, school=school), "invite", actor=None)
        elif kind == 2:
            create_user(email, name, "supervisor", None, kreise=["05913"], schulformen=["20"]).password_hash = "set"
        else:
            deactivate_user(create_user(email, name, "adviser", None, kreise=["05911"]), actor=None)
    db.session.commit()


def statements_for_the_list(app, client) -> int:
    with app.app_context():
        engine = db.engine
    with counted_statements(engine) as statements:
        page = client.get(USERS)
    assert page.status_code == 200
    return len(statements)


@pytest.fixture
def admin(app, client):
    with app.app_context():
        make_user("admin@amt.de", "admin")
    login(client, "admin@amt.de")
    return client


def test_the_account_list_sends_as_many_statements_for_30_accounts_as_for_3(app, admin):
    with app.app_context():
        add_accounts(0, 2)  # 3 with the admin
    client = admin
    for_three = statements_for_the_list(app, client)
    with app.app_context():
        add_accounts(2, 29)  # 30 with the admin
    for_thirty = statements_for_the_list(app, client)

    rows = soup_of(client.get(USERS)).select("table.data-table tbody tr")
    assert (len(rows), for_thirty) == (30, for_three)
