"""API v1's report batches: POST /report-jobs starts one, GET polls it, GET …/download hands out the ZIP; owner only."""

from __future__ import annotations

import io
import os
import re
import time
import uuid
import zipfile

import pytest
from celery.contrib.testing.worker import start_worker
from kombu import Connection
from sqlalchemy import update

from selfeval.extensions import db
from selfeval.models import School
from selfeval.reports import batch
from selfeval.services.accounts import find_user
from tests.conftest import make_test_app
from tests.support.factories import make_token
from tests.support.report_jobs import IN_DORTMUND, gate, job_folders  # noqa: F401  (gate: a fixture)
from tests.support.reports import USERS, populate

JOBS = "/api/v1/report-jobs"


@pytest.fixture
def tokens(app):
    populate(app)
    with app.app_context():
        return {actor: make_token(find_user(email)) for actor, email in USERS.items()}


def call(client, method: str, url: str, token: str, **kwargs):
    return client.open(url, method=method, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def poll(client, url: str, token: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        response = call(client, "GET", url, token)
        assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
        body = response.get_json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_a_batch_is_started_polled_and_downloaded_by_its_owner(client, tokens):
    response = call(client, "POST", JOBS, tokens["adviser"], json={"round": "2025-26"})
    assert response.status_code == 202
    job_url = response.headers["Location"]
    job_id = job_url.removeprefix(f"{JOBS}/")
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", job_id)
    assert response.get_json() | {"status": "?", "done": 0} == {"id": job_id, "status": "?", "done": 0, "total": 2, "errors": []}
    assert response.get_json()["status"] in ("queued", "running")

    assert poll(client, job_url, tokens["adviser"]) == {"id": job_id, "status": "done", "done": 2, "total": 2, "errors": []}
    download = call(client, "GET", f"{job_url}/download", tokens["adviser"])
    assert (download.status_code, download.mimetype) == (200, "application/zip")
    assert download.headers["Content-Disposition"] == 'attachment; filename="berichte-2025-26.zip"'
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert sorted(archive.namelist()) == IN_DORTMUND

    for actor in ("admin", "supervisor", "adviser_elsewhere"):  # another account sees nothing of it
        for url in (job_url, f"{job_url}/download"):
            refused = call(client, "GET", url, tokens[actor])
            assert (refused.status_code, refused.get_json()["error"]["code"]) == (404, 404)
    team = call(client, "GET", job_url, tokens["team"])
    assert (team.status_code, team.get_json()["error"]["code"]) == (403, 403)


def test_filters_narrow_the_batch(client, tokens):
    response = call(client, "POST", JOBS, tokens["supervisor"], json={"round": "2025-26", "schulform": ["20"], "kreis": []})
    assert response.status_code == 202
    assert poll(client, response.headers["Location"], tokens["supervisor"])["total"] == 1
    download = call(client, "GET", f"{response.headers['Location']}/download", tokens["supervisor"])
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert archive.namelist() == ["bericht-2025-26-100002-birken-gymnasium.pdf"]


def test_the_traeger_filter_narrows_the_batch_to_the_schools_of_a_schultraeger(app, client, tokens):
    with app.app_context():
        db.session.execute(update(School).where(School.schulnummer == "100001").values(traeger_nummer="5913000"))
        db.session.commit()
    response = call(client, "POST", JOBS, tokens["adviser"], json={"round": "2025-26", "traeger": ["5913000"]})
    assert response.status_code == 202
    assert poll(client, response.headers["Location"], tokens["adviser"])["total"] == 1
    download = call(client, "GET", f"{response.headers['Location']}/download", tokens["adviser"])
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert archive.namelist() == [IN_DORTMUND[0]]


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({}, 422, [{"location": "round", "message": "Dieses Feld fehlt."}]),
        ({"round": "2025-26", "kreis": ["99999"]}, 422, [{"location": "kreis.0", "message": "Diesen Wert gibt es nicht."}]),
        ({"round": "2025-26", "traeger": ["12a"]}, 422, [{"location": "traeger.0", "message": "Das Format ist ungültig."}]),
        ({"round": "2025-26", "bezirk": ["Arnsberg"]}, 422, [{"location": "bezirk", "message": "Dieses Feld gibt es nicht."}]),
        ({"round": "Runde 1"}, 422, [{"location": "round", "message": "Das Format ist ungültig."}]),
        ({"round": "2030-31"}, 404, None),
        ({"round": "2025-26", "schulform": ["02"]}, 404, None),
    ],
)
def test_a_request_that_cannot_start_a_batch_is_refused_and_starts_none(app, client, tokens, body, status, errors):
    response = call(client, "POST", JOBS, tokens["adviser"], json=body)
    assert (response.status_code, response.get_json()["error"].get("errors")) == (status, errors)
    assert job_folders(app) == []


def test_one_batch_at_a_time_and_no_zip_before_it_is_done(client, tokens, gate):  # noqa: F811
    first = call(client, "POST", JOBS, tokens["adviser"], json={"round": "2025-26"})
    assert first.status_code == 202
    early = call(client, "GET", f"{first.headers['Location']}/download", tokens["adviser"])
    assert (early.status_code, early.get_json()["error"]["message"]) == (
        409,
        "Die Berichte sind nicht fertig (oder konnten nicht erstellt werden).",
    )
    second = call(client, "POST", JOBS, tokens["adviser"], json={"round": "2025-26"})
    assert (second.status_code, second.get_json()["error"]["message"]) == (
        409,
        "Ihre Berichte der Runde 2025/26 werden gerade erstellt. "
        "Einen weiteren Auftrag können Sie starten, sobald dieser fertig ist.",
    )
    gate.set()
    assert poll(client, first.headers["Location"], tokens["adviser"])["status"] == "done"


def test_a_report_that_cannot_be_made_is_named_and_the_others_are_in_the_zip(client, tokens, monkeypatch):
    real = batch.render_pdf

    def broken_for_birken(data):
        if data.school.schulnummer == "100002":
            raise ValueError("kaputt")
        return real(data)

    monkeypatch.setattr(batch, "render_pdf", broken_for_birken)
    response = call(client, "POST", JOBS, tokens["adviser"], json={"round": "2025-26"})
    job_url = response.headers["Location"]
    assert poll(client, job_url, tokens["adviser"]) == {
        "id": job_url.rsplit("/", 1)[1],
        "status": "done",
        "done": 2,
        "total": 2,
        "errors": ["Der Bericht für Birken-Gymnasium (100002) konnte nicht erstellt werden."],
    }
    with zipfile.ZipFile(io.BytesIO(call(client, "GET", f"{job_url}/download", tokens["adviser"]).data)) as archive:
        assert archive.namelist() == [IN_DORTMUND[0]]


RABBITMQ_URL = os.environ.get("SELFEVAL_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


def test_rabbitmq_works_as_the_broker_with_the_same_setting(app, tokens, tmp_path):
    try:
        with Connection(RABBITMQ_URL, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except OSError as exc:
        pytest.skip(f"no RabbitMQ at {RABBITMQ_URL} (SELFEVAL_TEST_RABBITMQ_URL): {exc}")
    queue = f"selfeval-test-{uuid.uuid4().hex[:8]}"
    rabbit = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "rabbit", SELFEVAL_BROKER_URL=RABBITMQ_URL,
                           SELFEVAL_BROKER_QUEUE=queue, SELFEVAL_REPORT_PART_SIZE=1)  # fmt: skip
    client = rabbit.test_client()
    with start_worker(rabbit.extensions["celery"], pool="solo", perform_ping_check=False, shutdown_timeout=60):
        response = call(client, "POST", JOBS, tokens["adviser"], json={"round": "2025-26"})
        assert response.status_code == 202
        job_url = response.headers["Location"]
        status = poll(client, job_url, tokens["adviser"])
    assert (status["status"], status["done"], status["total"]) == ("done", 2, 2)
    with zipfile.ZipFile(io.BytesIO(call(client, "GET", f"{job_url}/download", tokens["adviser"]).data)) as archive:
        assert sorted(archive.namelist()) == IN_DORTMUND
    with Connection(RABBITMQ_URL) as connection:  # the test's queue goes with it
        connection.default_channel.queue_delete(queue)
