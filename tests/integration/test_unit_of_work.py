"""One transaction per request: committed on success, rolled back on any exception, in one place."""

from __future__ import annotations

import click
import pytest
from flask import Blueprint, abort
from sqlalchemy.exc import IntegrityError

from selfeval.extensions import db
from selfeval.models import School
from selfeval.services.assessments import AssessmentLocked
from selfeval.services.errors import InvalidInput, NotFound
from selfeval.unit_of_work import attempt, in_one_transaction
from selfeval.views.service_errors import refusals_go_to


def _schulnummern(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(db.select(School.schulnummer)))


def _add(schulnummer: str) -> None:
    db.session.add(School(schulnummer=schulnummer, name=f"Schule {schulnummer}", schulform="15", kreis="05913"))


@pytest.fixture
def probe_app(app):
    """The real app with a few routes that write and then succeed or fail in the ways views do."""
    probe = Blueprint("probe", __name__)

    @probe.post("/probe/ok")
    def ok():
        _add("100001")
        return "ok"

    @probe.post("/probe/abort")
    def aborted():
        _add("100002")
        abort(403)

    @probe.post("/probe/crash")
    def crash():
        _add("100003")
        db.session.flush()
        raise RuntimeError("boom")

    @probe.post("/probe/service-error")
    def service_error():
        _add("100004")
        raise InvalidInput({"name": "Bitte einen Namen angeben."})

    @probe.post("/probe/form-error")
    def form_error():
        with attempt(InvalidInput) as failed:
            _add("100005")
            db.session.flush()
            raise InvalidInput({"name": "Bitte einen Namen angeben."})
        return f"form again: {failed.error.problems['name']}", 200

    @probe.post("/probe/duplicate")
    def duplicate():
        with attempt(IntegrityError) as failed:
            _add("100006")
        return ("taken" if failed.error else "saved"), 200

    app.register_blueprint(probe)
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def test_a_request_that_returns_commits_its_writes(probe_app):
    response = probe_app.test_client().post("/probe/ok")
    assert (response.status_code, _schulnummern(probe_app)) == (200, ["100001"])


@pytest.mark.parametrize(("path", "status"), [("/probe/abort", 403), ("/probe/crash", 500), ("/probe/service-error", 500)])
def test_a_request_that_raises_leaves_nothing_behind(probe_app, path, status):
    response = probe_app.test_client().post(path)
    assert (response.status_code, _schulnummern(probe_app)) == (status, [])


def test_an_error_caught_for_a_form_undoes_the_failed_call_and_nothing_is_committed(probe_app):
    response = probe_app.test_client().post("/probe/form-error")
    assert (response.status_code, response.text, _schulnummern(probe_app)) == (
        200,
        "form again: Bitte einen Namen angeben.",
        [],
    )


def test_a_constraint_surfaces_inside_the_attempt_not_at_the_commit(probe_app):
    client = probe_app.test_client()
    first = client.post("/probe/duplicate").text
    second = client.post("/probe/duplicate").text
    assert (first, second, _schulnummern(probe_app)) == ("saved", "taken", ["100006"])


def test_a_command_commits_when_it_returns_and_rolls_back_when_it_fails(app):
    @in_one_transaction
    def adds(schulnummer: str, fail: bool) -> None:
        _add(schulnummer)
        if fail:
            raise click.ClickException("refused")

    with app.app_context():
        adds("100007", fail=False)
        with pytest.raises(click.ClickException):
            adds("100008", fail=True)
    assert _schulnummern(app) == ["100007"]


def test_a_command_that_exits_with_an_error_code_rolls_back(app):
    @in_one_transaction
    def exits(code: int) -> None:
        _add("100009" if code else "100010")
        raise SystemExit(code)

    with app.app_context():
        for code in (1, 0):
            with pytest.raises(SystemExit):
                exits(code)
    assert _schulnummern(app) == ["100010"]


# --- a service's refusal that a view lets through (views.service_errors) --------------------------------------


@pytest.fixture
def refusing_app(app):
    """Routes that write and then let a service's refusal through, as the admin pages and the API do."""
    probe = Blueprint("refusing", __name__)

    @probe.get("/probe/page/<int:number>")
    def page(number: int):
        return f"page {number}"

    @probe.post("/probe/refused/<int:number>/<word>")
    @refusals_go_to("refusing.page")
    def refused(number: int, word: str):
        _add("100011")
        db.session.flush()
        if word == "fields":
            raise InvalidInput({"name": "Bitte einen Namen angeben.", "ort": "Bitte einen Ort angeben."})
        raise NotFound("Diese Schule gibt es nicht mehr.")

    api = Blueprint("refusing_api", __name__, url_prefix="/api/probe")

    @api.post("/locked")
    def locked():
        _add("100012")
        db.session.flush()
        raise AssessmentLocked("Die Erhebungsrunde 2025/26 ist geschlossen.")

    @api.post("/unexpected")
    def unexpected():
        _add("100013")
        raise InvalidInput({"name": "Bitte einen Namen angeben."})

    app.register_blueprint(probe)
    app.register_blueprint(api)
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


@pytest.mark.parametrize(
    ("word", "flashed"),
    [
        ("fields", [("error", "Bitte einen Namen angeben."), ("error", "Bitte einen Ort angeben.")]),
        ("gone", [("error", "Diese Schule gibt es nicht mehr.")]),
    ],
)
def test_a_page_refusal_is_flashed_on_the_declared_page_and_nothing_is_written(refusing_app, word, flashed):
    client = refusing_app.test_client()
    response = client.post(f"/probe/refused/7/{word}")
    # Only the arguments the declared page takes are passed on: no "?word=…" in its address.
    assert (response.status_code, response.headers["Location"], _flashes(client), _schulnummern(refusing_app)) == (
        302,
        "/probe/page/7",
        flashed,
        [],
    )


def test_an_api_refusal_gets_its_documented_status_and_nothing_is_written(refusing_app):
    response = refusing_app.test_client().post("/api/probe/locked")
    assert (response.status_code, response.json, _schulnummern(refusing_app)) == (
        409,
        {"error": {"code": 409, "message": "Die Erhebungsrunde 2025/26 ist geschlossen."}},
        [],
    )


def test_a_refusal_nobody_declared_is_an_unexpected_error_on_the_api_too(refusing_app):
    response = refusing_app.test_client().post("/api/probe/unexpected")
    message = "Ein Fehler ist aufgetreten. Das hat leider nicht geklappt. Bitte versuchen Sie es später erneut."
    assert (response.status_code, response.json, _schulnummern(refusing_app)) == (
        500,
        {"error": {"code": 500, "message": message}},
        [],
    )
