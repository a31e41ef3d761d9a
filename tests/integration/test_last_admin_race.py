"""Issue 15, item 7: "at least one active admin" holds when two admins act on each other at the same moment.

Two admins, each in their own browser, deactivate (or erase, or demote) the other at the same instant. Each request
checks "is another active admin left?" and then acts. Without a lock both checks see two admins and both act: no
active admin remains. `tests.support.rendezvous.meet_after` holds each request right after its check until the other has
checked too, so the race is certain, not lucky. The rule now takes a lock on the admin rows first (PostgreSQL: row
locks; SQLite: the write lock), so the second request waits, then sees one admin left and is refused.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import User
from tests.support.factories import login, make_school, make_user
from tests.support.html import csrf
from tests.support.rendezvous import meet_after, run_together

USERS = "/verwaltung/konten"
LAST_ADMIN = "Das ist das einzige aktive Verwaltungskonto; es muss eines bleiben."
ADMIN_CHECK = r"users\.role\s*="  # the statement that reads the active admins (the lock, once there is one)


@pytest.fixture
def admins(app):
    with app.app_context():
        make_school("100001")
        return {email: make_user(email, "admin").id for email in ("anna@amt.de", "bert@amt.de")}


def act(app, email: str, action: str, target: int, target_email: str):
    """A logged-in admin's client and the request that does `action` to `target` (run later, in a thread)."""
    client: FlaskClient = app.test_client()
    login(client, email)
    token = csrf(client, f"{USERS}/{target}")
    if action == "deactivate":
        request = {"path": f"{USERS}/{target}/deaktivieren", "data": {"csrf_token": token}}
    elif action == "erase":
        request = {"path": f"{USERS}/{target}/loeschen", "data": {"csrf_token": token, "confirm": "y"}}
    else:  # demote to a team member
        form = {"email": target_email, "display_name": "Anders", "role": "team", "school": "100001"}
        request = {"path": f"{USERS}/{target}/bearbeiten", "data": {"csrf_token": token, **form}}
    return client, lambda: client.post(request["path"], data=request["data"])


def active_admins(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(User.email).where(User.role == "admin", User.active.is_(True))))


def outcome(client: FlaskClient, response) -> str:
    """"refused" when told it would leave no admin (flashed, or on the role field), "logged out" when the acting
    admin's own account was erased by the other request meanwhile, else "done"."""
    with client.session_transaction() as session:
        flashed = [message for _category, message in session.get("_flashes", [])]
    if LAST_ADMIN in flashed or LAST_ADMIN in response.get_data(as_text=True):
        return "refused"
    if response.status_code == 302 and response.location.startswith("/anmelden"):
        return "logged out"
    return "done"


@pytest.mark.parametrize(
    ("first", "second"),
    [("deactivate", "deactivate"), ("erase", "erase"), ("demote", "deactivate"), ("erase", "demote")],
)
def test_two_admins_acting_on_each_other_at_once_leave_one_active_admin(app, admins, first, second):
    anna, bert = admins["anna@amt.de"], admins["bert@amt.de"]
    clients = [act(app, "anna@amt.de", first, bert, "bert@amt.de"), act(app, "bert@amt.de", second, anna, "anna@amt.de")]
    with app.app_context():
        engine = db.engine
    with meet_after(engine, ADMIN_CHECK):
        responses = run_together(*(call for _client, call in clients))

    assert [repr(r) if isinstance(r, BaseException) else r.status_code < 500 for r in responses] == [True, True]
    assert len(active_admins(app)) == 1
    outcomes = [outcome(client, response) for (client, _call), response in zip(clients, responses, strict=True)]
    # One went through; the other was refused with the reason, or (its admin just erased) logged out.
    winner = outcomes.index("done")
    loser_options = ["refused", "logged out"] if (first, second)[winner] == "erase" else ["refused"]
    assert outcomes[1 - winner] in loser_options
