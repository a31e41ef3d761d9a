"""A save that fails half-way, after some of its rows are written, leaves the assessment exactly as before.

The failure is injected at real seams of the write path with SQLAlchemy mapper events: while the session flushes the
save, the k-th rating row or the first audit entry raises, after other rows of the same save reached the database
transaction. Through the API and through the rating form, the user gets an error page or JSON (500, no traceback),
the version, ratings and audit trail are as before, and the same save succeeds once the fault is gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, select

from selfeval.extensions import db
from selfeval.models import Assessment, AuditEvent, Rating
from tests.support.factories import login, make_round, make_school, make_token, make_user, rate
from tests.support.html import soup_of, text
from tests.support.rating_form import form_data

SCHULNUMMER = "100001"
API = f"/api/v1/schools/{SCHULNUMMER}/assessments/2025-26"
K1 = f"/schulen/{SCHULNUMMER}/2025-26/kriterien/k1"
#: The colleague's earlier save: the failing save changes two of these and adds new ones.
EARLIER = {"k1a": 3, "k1b": 4, "k1c": 5, "k2a": 6}
#: The failing save through the API: updates k1a and k1b, adds k3a and k3b.
API_SAVE = {
    "k1a": {"score": 8, "comment": "neu"},
    "k1b": {"score": 9},
    "k3a": {"score": 1, "comment": "erstmals"},
    "k3b": {"score": 2},
}
#: The failing save through the form: updates k1a, k1b and k1c, adds k1d.
FORM_SAVE = {"k1a-score": "8", "k1a-comment": "neu", "k1b-score": "9", "k1c-score": "0", "k1d-score": "1"}


class InjectedFault(RuntimeError):
    """The fault a seam raises; anything else escaping would be a different failure."""


@dataclass
class Fault:
    """Once armed, raises InjectedFault when the `fail_at`-th row of `model` has been written in the database."""

    seam: str
    model: type
    fail_at: int
    armed: bool = False
    rows_written: dict[str, int] = field(default_factory=dict)
    raised: int = 0
    written_before_fault: dict[str, int] = field(default_factory=dict)  # rows of each model, this fault's row included

    def arm(self) -> None:
        self.armed, self.rows_written = True, {"Rating": 0, "AuditEvent": 0}

    def row_written(self, mapper, connection, target) -> None:
        if not self.armed:
            return
        self.rows_written[type(target).__name__] += 1
        if type(target) is self.model and self.rows_written[self.model.__name__] == self.fail_at:
            self.armed, self.raised = False, self.raised + 1
            self.written_before_fault = dict(self.rows_written)
            raise InjectedFault(f"{self.model.__name__} row {self.fail_at}")


#: Where the fault strikes, and how many rows of the save were in the database transaction by then (its own
#: included): the session writes the ratings first, then the audit entries. Both saves change four ratings.
SEAMS = {
    "the first rating row": (Rating, 1, {"Rating": 1, "AuditEvent": 0}),
    "the third rating row": (Rating, 3, {"Rating": 3, "AuditEvent": 0}),
    "the last rating row": (Rating, 4, {"Rating": 4, "AuditEvent": 0}),
    "the first audit entry": (AuditEvent, 1, {"Rating": 4, "AuditEvent": 1}),
}


@pytest.fixture(params=list(SEAMS), ids=list(SEAMS))
def fault(request) -> Iterator[Fault]:
    """The fault armed on every insert and update of ratings and audit entries; disarmed afterwards."""
    injected = Fault(request.param, *SEAMS[request.param][:2])
    hooks = [(model, name) for model in (Rating, AuditEvent) for name in ("after_insert", "after_update")]
    for model, name in hooks:
        event.listen(model, name, injected.row_written)
    try:
        yield injected
    finally:
        for model, name in hooks:
            event.remove(model, name, injected.row_written)


@pytest.fixture
def team(app) -> dict[str, str]:
    """An assessment at version 1 (a colleague's save); the writer's API token."""
    with app.app_context():
        school = make_school(SCHULNUMMER)
        round_ = make_round("2025/26")
        writer = make_user("schreiber@schule.test", school=school, leadership=True)
        colleague = make_user("kollegin@schule.test", school=school)
        rate(school, round_, colleague, EARLIER, {"k1a": "Kollegin", "k2a": "bleibt"})
        return {"token": make_token(writer)}


def snapshot(app) -> dict:
    """Every stored column of the assessment, its ratings and the audit entries about it."""
    with app.app_context():
        db.session.expire_all()
        assessment = db.session.scalars(select(Assessment)).one()
        ratings = db.session.scalars(select(Rating).order_by(Rating.indicator_id))
        trail = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return {
            "assessment": _columns(assessment),
            "ratings": [_columns(rating) for rating in ratings],
            "audit": [_columns(entry) for entry in trail],
        }


def _columns(row) -> dict:
    return {column.key: getattr(row, column.key) for column in row.__mapper__.column_attrs}


def test_an_api_save_failing_half_way_changes_nothing_and_the_next_save_works(app, client, team, fault):
    before = snapshot(app)
    headers = {"Authorization": f"Bearer {team['token']}", "If-Match": '"1"'}

    fault.arm()
    failed = client.put(API, json={"ratings": API_SAVE}, headers=headers)

    message = "Ein Fehler ist aufgetreten. Das hat leider nicht geklappt. Bitte versuchen Sie es später erneut."
    assert (failed.status_code, failed.get_json()) == (500, {"error": {"code": 500, "message": message}})
    assert [word in failed.get_data(as_text=True) for word in ("Traceback", "InjectedFault")] == [False, False]
    assert (fault.raised, fault.written_before_fault) == (1, SEAMS[fault.seam][2])
    assert snapshot(app) == before

    saved = client.put(API, json={"ratings": API_SAVE}, headers=headers)
    assert (saved.status_code, saved.get_json()["version"]) == (200, 2)
    assert {key: saved.get_json()["ratings"][key] for key in API_SAVE} == {
        "k1a": {"score": 8, "comment": "neu"},
        "k1b": {"score": 9, "comment": ""},
        "k3a": {"score": 1, "comment": "erstmals"},
        "k3b": {"score": 2, "comment": ""},
    }
    assert len(snapshot(app)["audit"]) == len(before["audit"]) + 4


def test_a_form_save_failing_half_way_shows_an_error_page_changes_nothing_and_the_next_save_works(app, client, team, fault):
    assert login(client, "schreiber@schule.test").status_code == 302
    data = form_data(soup_of(client.get(K1))) | FORM_SAVE | {"goto": "k1"}
    before = snapshot(app)

    fault.arm()
    failed = client.post(K1, data=data)

    error_page = soup_of(failed)
    assert (failed.status_code, text(error_page.find("h1")), text(error_page.find("p", class_="lead"))) == (
        500,
        "Ein Fehler ist aufgetreten",
        "Das hat leider nicht geklappt. Bitte versuchen Sie es später erneut.",
    )
    assert [word in failed.get_data(as_text=True) for word in ("Traceback", "InjectedFault")] == [False, False]
    assert (fault.raised, fault.written_before_fault) == (1, SEAMS[fault.seam][2])
    assert snapshot(app) == before

    saved = client.post(K1, data=data)
    assert (saved.status_code, saved.headers["Location"]) == (302, K1)
    after = snapshot(app)
    assert [(r["indicator_id"], r["score"], r["comment"]) for r in after["ratings"]] == [
        ("k1a", 8, "neu"),
        ("k1b", 9, ""),
        ("k1c", 0, ""),
        ("k1d", 1, ""),
        ("k2a", 6, "bleibt"),
    ]
    assert (after["assessment"]["version"], len(after["audit"])) == (2, len(before["audit"]) + 4)
