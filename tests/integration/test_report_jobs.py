"""All reports of a selection as one ZIP: started from the overview, made in the background, only for its owner."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import threading
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from selfeval.extensions import db
from selfeval.jobs import report_jobs
from selfeval.models import ReportJobRow, School
from selfeval.services.accounts import find_user, privacy
from tests.conftest import empty_tables, make_test_app
from tests.support import report_jobs as job_support
from tests.support.factories import login, make_user
from tests.support.html import csrf, soup_of, text
from tests.support.report_jobs import (
    IN_DORTMUND,
    OVERVIEW,
    START,
    change_job,
    file_folders,
    job_folders,
    start_from_the_overview,
    wait_until_finished,
)
from tests.support.reports import USERS, pdf_text, populate

gate = job_support.gate  # the fixture that holds every job before its first report

REDIS_URL = os.environ.get("SELFEVAL_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(params=["thread", "celery"])
def app(request, migrated_database, tmp_path):
    """Every test twice: jobs in a thread of the web process (no broker), and on a Celery worker through Redis.

    The worker runs in this process (Celery's embedded test worker), so a test may hold its reports (`gate`);
    its queue is the test's own. tests/integration/test_distributed_jobs.py runs workers as separate processes.
    """
    config = {}
    if request.param == "celery":
        config = {"SELFEVAL_BROKER_URL": REDIS_URL, "SELFEVAL_BROKER_QUEUE": f"selfeval-test-{uuid.uuid4().hex[:8]}"}
    app = make_test_app(migrated_database, tmp_path / "instance", **config)
    with contextlib.ExitStack() as running:
        if request.param == "celery":
            running.enter_context(start_worker(app.extensions["celery"], pool="solo", perform_ping_check=False))
        yield app
    empty_tables(app)


def stall_limit(app) -> float:
    """Seconds of silence after which the app shows an unfinished job as failed (more with a broker)."""
    with app.app_context():
        return report_jobs.stall_limit()


@pytest.fixture
def area(app):
    """The schools, ratings and users of test_reports."""
    populate(app)


def test_an_adviser_gets_a_zip_of_the_submitted_schools_in_scope(app, client, area):
    login(client, USERS["adviser"])
    response = start_from_the_overview(client)
    assert response.status_code == 303
    job_url = response.headers["Location"]
    job_id = job_url.removeprefix(START)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", job_id)
    assert job_folders(app) == [job_id]

    page = client.get(job_url)
    assert (page.status_code, text(soup_of(page).h1)) == (200, "Alle Berichte der Runde 2025/26")
    assert soup_of(page).find("section", class_="report-job")["data-status-url"] == f"{job_url}/stand"

    status = wait_until_finished(client, job_url)
    assert status == {"state": "done", "done": 2, "total": 2, "failed": 0, "download_url": f"{job_url}/berichte.zip"}
    finished = soup_of(client.get(job_url))
    assert text(finished.find(id="job-status")) == "Fertig: 2 von 2 Berichten erstellt."
    assert finished.find(id="job-download").has_attr("hidden") is False

    download = client.get(status["download_url"])
    assert (download.status_code, download.mimetype) == (200, "application/zip")
    assert download.headers["Content-Disposition"] == "attachment; filename=berichte-2025-26.zip"
    assert download.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert sorted(archive.namelist()) == IN_DORTMUND  # not the draft 100003, not Gelsenkirchen's 300001
        entries = {name: archive.read(name) for name in archive.namelist()}
    assert [pdf[:5] for pdf in entries.values()] == [b"%PDF-"] * 2
    # The ZIP's report and the one the page offers are the same report.
    single = client.get("/schulen/100001/2025-26/bericht.pdf")
    assert pdf_text(entries[IN_DORTMUND[0]]) == pdf_text(single.data)


def test_filters_of_the_overview_narrow_the_zip(app, client, area):
    login(client, USERS["supervisor"])
    response = start_from_the_overview(client, schulform=["20"])
    assert response.status_code == 303
    status = wait_until_finished(client, response.headers["Location"])
    assert (status["state"], status["done"], status["total"]) == ("done", 1, 1)
    with zipfile.ZipFile(io.BytesIO(client.get(status["download_url"]).data)) as archive:
        assert archive.namelist() == ["bericht-2025-26-100002-birken-gymnasium.pdf"]


def give_traeger(app, numbers: dict[str, str]) -> None:
    """{Schulnummer: Trägernummer}: the directory import's Träger of these schools."""
    with app.app_context():
        for schulnummer, traeger in numbers.items():
            db.session.execute(update(School).where(School.schulnummer == schulnummer).values(traeger_nummer=traeger))
        db.session.commit()


@pytest.mark.parametrize(
    ("user", "entries"),
    [
        # 300001 has the same Träger but lies in Gelsenkirchen, outside the adviser's Kreis and the supervisor's Bezirk.
        ("adviser", ["bericht-2025-26-100001-adler-gesamtschule.pdf"]),
        ("supervisor", ["bericht-2025-26-100001-adler-gesamtschule.pdf"]),
        ("admin", ["bericht-2025-26-100001-adler-gesamtschule.pdf", "bericht-2025-26-300001-zechen-gesamtschule.pdf"]),
    ],
)
def test_the_overviews_schultraeger_filter_goes_into_the_zip(app, client, area, user, entries):
    """Issue 19: "Alle Berichte (ZIP)" is there with a Schulträger chosen, and the ZIP holds that Träger's schools in scope."""
    give_traeger(app, {"100001": "5913000", "300001": "5913000", "100002": "5913001", "100003": "5913000"})
    login(client, USERS[user])
    page = soup_of(client.get(f"{OVERVIEW}&traeger=5913000"))
    form = page.find("form", action=START)
    fields = [(field["name"], field["value"]) for field in form.find_all("input", type="hidden")]
    assert (text(form.button), fields[1:]) == ("Alle Berichte (ZIP)", [("runde", "2025-26"), ("traeger", "5913000")])
    response = client.post(START, data=MultiDict(fields))
    assert response.status_code == 303
    status = wait_until_finished(client, response.headers["Location"])
    assert (status["state"], status["done"], status["total"]) == ("done", len(entries), len(entries))
    with zipfile.ZipFile(io.BytesIO(client.get(status["download_url"]).data)) as archive:
        assert sorted(archive.namelist()) == entries  # not the draft 100003, not Birken of another Träger


def test_only_the_owner_sees_the_job(app, client, area):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    assert wait_until_finished(client, job_url)["state"] == "done"

    other = app.test_client()
    login(other, USERS["admin"])  # may see every school, but not someone else's job
    for url in (job_url, f"{job_url}/stand", f"{job_url}/berichte.zip"):
        response = other.get(url)
        assert (response.status_code, response.mimetype) == (404, "text/html")
        assert text(soup_of(response).h1) == "Seite nicht gefunden"
    for url in (f"{START}nicht-da", f"{START}{'A' * 22}", f"{START}{'A' * 22}/berichte.zip"):
        assert client.get(url).status_code == 404
    assert client.get(f"{job_url}/berichte.zip").status_code == 200  # still there for its owner


def test_team_users_may_not_start_or_see_jobs(app, client, area):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    wait_until_finished(client, job_url)

    team = app.test_client()
    login(team, USERS["team"])
    token = csrf(team, "/schulen/100001/2025-26/ergebnis")
    response = team.post(START, data={"csrf_token": token, "runde": "2025-26"})
    assert (response.status_code, text(soup_of(response).h1)) == (403, "Kein Zugriff")
    assert (team.get(job_url).status_code, team.get(f"{job_url}/berichte.zip").status_code) == (403, 403)
    assert len(job_folders(app)) == 1


def test_anonymous_users_are_sent_to_the_login(client, area):
    response = client.post(START, data={"csrf_token": csrf(client, "/anmelden"), "runde": "2025-26"})
    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden?next=%2Fauswertung%2Fberichte%2F")
    response = client.get(f"{START}{'A' * 22}")
    assert (response.status_code, response.headers["Location"]) == (302, f"/anmelden?next=%2Fauswertung%2Fberichte%2F{'A' * 22}")


@pytest.mark.parametrize(
    ("fields", "back", "message"),
    [
        (
            {"schulform": ["02"]},
            "/auswertung/?runde=2025-26&schulform=02",
            "In dieser Auswahl hat noch keine Schule ihre Bewertung der Runde 2025/26 abgeschlossen.",
        ),
        (
            {"traeger": ["5913999"]},
            "/auswertung/?runde=2025-26&traeger=5913999",
            "In dieser Auswahl hat noch keine Schule ihre Bewertung der Runde 2025/26 abgeschlossen.",
        ),
        (
            {"traeger": ["59a"]},
            "/auswertung/?runde=2025-26&traeger=59a",
            "Die Auswahl ist ungültig („59a“ ist keine Trägernummer (höchstens 10 Ziffern)). Es wurden keine Berichte erstellt.",
        ),
        (
            {"kreis": ["99999"]},
            "/auswertung/?runde=2025-26&kreis=99999",
            "Die Auswahl ist ungültig (unbekannter Kreis „99999“ (erwartet wird der Kreisschlüssel, z. B. 05913)). "
            "Es wurden keine Berichte erstellt.",
        ),
    ],
)
def test_a_selection_without_reports_leads_back_with_a_message(app, client, area, fields, back, message):
    login(client, USERS["adviser"])
    response = start_from_the_overview(client, **fields)
    assert (response.status_code, response.headers["Location"]) == (302, back)
    page = soup_of(client.get(back))
    assert [text(p) for p in page.select(".flashes p")] == [message]
    assert job_folders(app) == []


def test_an_unknown_round_leads_back_with_a_message(app, client, area):
    login(client, USERS["adviser"])
    token = csrf(client, OVERVIEW)
    response = client.post(START, data={"csrf_token": token, "runde": "2030-31"})
    assert (response.status_code, response.headers["Location"]) == (302, "/auswertung/?runde=2030-31")
    page = soup_of(client.get(OVERVIEW))
    assert [text(p) for p in page.select(".flashes p")] == ["Diese Erhebungsrunde gibt es nicht."]
    assert job_folders(app) == []


def test_a_job_whose_process_died_shows_as_failed_not_running_forever(app, client, area):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    assert wait_until_finished(client, job_url)["state"] == "done"
    # As a restart of the web server would leave it: still "running", progress silent for too long.
    change_job(app, job_url, state="running", beat_seconds_ago=0)
    assert client.get(f"{job_url}/stand").get_json()["state"] == "running"
    change_job(app, job_url, beat_seconds_ago=stall_limit(app) + 1)

    status = client.get(f"{job_url}/stand").get_json()
    assert (status["state"], status["download_url"]) == ("failed", None)
    page = soup_of(client.get(job_url))
    assert text(page.find(id="job-status")).startswith("Die Berichte konnten nicht erstellt werden.")


# --- issue 15, item 9: one running job per account, honest states, expiry on every access, private files,
# --- and jobs that belong to one account's lifetime.


def logged_in(app, email: str):
    client = app.test_client()
    login(client, email)
    return client


def overview_form(client) -> MultiDict:
    form = soup_of(client.get(OVERVIEW)).find("form", action=START)
    return MultiDict([(field["name"], field["value"]) for field in form.find_all("input", type="hidden")])


def test_an_account_has_one_running_job_even_when_it_starts_many_at_once(app, area, gate):
    clients = [logged_in(app, USERS["adviser"]) for _ in range(8)]
    forms = [overview_form(each) for each in clients]
    barrier = threading.Barrier(len(clients))
    answers: list[tuple[int, str]] = []

    def start(each, form) -> None:
        barrier.wait()
        response = each.post(START, data=form)
        answers.append((response.status_code, response.headers.get("Location", "")))

    threads = [threading.Thread(target=start, args=pair) for pair in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(job_folders(app)) == 1
    job_url = f"{START}{job_folders(app)[0]}"
    assert sorted(answers) == [(303, job_url)] * 8
    running = (
        "Ihre Berichte der Runde 2025/26 werden gerade erstellt. "
        "Einen weiteren Auftrag können Sie starten, sobald dieser fertig ist."
    )
    # Whichever request won the race started the job; each of the seven others is told about it.
    told = [running in [text(p) for p in soup_of(each.get(job_url)).select(".flashes p")] for each in clients]
    assert sorted(told) == [False] + [True] * 7
    # Another account is not held up by it.
    other = logged_in(app, USERS["supervisor"])
    assert other.post(START, data=overview_form(other)).status_code == 303
    assert len(job_folders(app)) == 2

    gate.set()
    assert wait_until_finished(clients[0], job_url)["state"] == "done"
    again = clients[0].post(START, data=overview_form(clients[0]))
    assert (again.status_code, len(job_folders(app))) == (303, 3)
    assert again.headers["Location"] != job_url


def test_a_job_stays_running_while_its_thread_works_however_long_a_report_takes(app, client, area, gate, monkeypatch):
    monkeypatch.setattr(report_jobs, "STALL_AFTER", 0.6)
    monkeypatch.setattr(report_jobs, "HEARTBEAT", 0.05, raising=False)  # raising: the old code had none
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    seen = set()
    deadline = time.monotonic() + 2.0  # more than three times STALL_AFTER without any progress
    while time.monotonic() < deadline:
        seen.add(client.get(f"{job_url}/stand").get_json()["state"])
        time.sleep(0.05)
    assert seen == {"running"}
    assert text(soup_of(client.get(job_url)).find(id="job-status")) == "0 von 2 Berichten erstellt …"
    gate.set()
    assert wait_until_finished(client, job_url)["state"] == "done"


def age_job(app, job_url: str, hours: float) -> Path:
    """Move the job's times into the past, as if it had finished `hours` ago; its folder of files."""
    change_job(app, job_url, created_at=time.time() - hours * 3600 - 60, finished_at=time.time() - hours * 3600)
    return Path(app.instance_path) / "report-jobs" / job_url.rsplit("/", 1)[1]


@pytest.mark.parametrize("asked", ["berichte.zip", "stand", ""])
def test_an_expired_job_is_deleted_on_any_access_not_only_when_a_new_one_starts(app, client, area, asked):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    assert wait_until_finished(client, job_url)["state"] == "done"
    folder = age_job(app, job_url, 1.9)
    assert client.get(f"{job_url}/berichte.zip").status_code == 200  # within the two hours
    age_job(app, job_url, 3)

    assert folder.is_dir()
    response = client.get(f"{job_url}/{asked}".rstrip("/"))
    assert (response.status_code, text(soup_of(response).h1)) == (404, "Seite nicht gefunden")
    assert (folder.exists(), job_folders(app), file_folders(app)) == (False, [], [])


def test_job_files_are_readable_by_the_server_account_only(app, client, area):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    assert wait_until_finished(client, job_url)["state"] == "done"
    folder = Path(app.instance_path) / "report-jobs" / job_url.rsplit("/", 1)[1]
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in [folder.parent, folder, *folder.iterdir()]}
    assert modes == {"report-jobs": 0o700, folder.name: 0o700, "berichte.zip": 0o600}  # the state is in the database


def erase(app, email: str) -> None:
    with app.app_context():
        privacy.erase_user(find_user(email), actor=find_user(USERS["admin"]))
        db.session.commit()


def test_erasing_an_account_deletes_its_jobs_and_zips(app, client, area):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    assert wait_until_finished(client, job_url)["state"] == "done"
    other = logged_in(app, USERS["supervisor"])
    other_job = other.post(START, data=overview_form(other)).headers["Location"]
    assert wait_until_finished(other, other_job)["state"] == "done"

    assert file_folders(app) == sorted([job_url.removeprefix(START), other_job.removeprefix(START)])
    erase(app, USERS["adviser"])
    assert job_folders(app) == file_folders(app) == [other_job.removeprefix(START)]


def test_a_new_account_that_gets_an_erased_ones_id_inherits_none_of_its_jobs(app, area, tmp_path):
    with app.app_context():
        make_user("neu@kommune.test", "adviser", kreise=["05913"])  # the newest account: SQLite reuses its id
        first_id = find_user("neu@kommune.test").id
    first = logged_in(app, "neu@kommune.test")
    job_url = first.post(START, data=overview_form(first)).headers["Location"]
    assert wait_until_finished(first, job_url)["state"] == "done"
    kept = tmp_path / "kept"
    # A finished job's parts may still be going away (.deleted-parts-…) while the copy is made: not part of the job.
    shutil.copytree(Path(app.instance_path) / "report-jobs", kept, ignore=shutil.ignore_patterns(".deleted-*"))
    with app.app_context():
        row = db.session.get_one(ReportJobRow, job_url.removeprefix(START))
        kept_row = {column.key: getattr(row, column.key) for column in ReportJobRow.__table__.columns}

    erase(app, "neu@kommune.test")
    # Even a job left behind (its row and ZIP restored from a backup, say) is not the new account's.
    shutil.rmtree(Path(app.instance_path) / "report-jobs")
    shutil.copytree(kept, Path(app.instance_path) / "report-jobs")
    with app.app_context():
        db.session.add(ReportJobRow(**kept_row))
        db.session.commit()
    with app.app_context():
        make_user("neu@kommune.test", "adviser", kreise=["05913"])
        second_id = find_user("neu@kommune.test").id
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert second_id == first_id  # the situation of issue 15: same id, another person
    second = logged_in(app, "neu@kommune.test")
    for url in (job_url, f"{job_url}/stand", f"{job_url}/berichte.zip"):
        assert second.get(url).status_code == 404
    assert second.post(START, data=overview_form(second)).status_code == 303  # not held up by the old job either


def test_a_job_running_longer_than_the_lifetime_is_not_deleted_while_its_heartbeat_lives(app, client, area, gate):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    change_job(app, job_url, created_at=time.time() - 3 * 3600, beat_seconds_ago=0)  # started three hours ago, still alive

    status = client.get(f"{job_url}/stand").get_json()
    assert (status["state"], status["done"], status["download_url"]) == ("running", 0, None)
    assert job_folders(app) == [job_url.removeprefix(START)]
    gate.set()
    assert wait_until_finished(client, job_url)["state"] == "done"


def test_a_job_whose_process_died_expires_two_hours_after_its_last_heartbeat(app, client, area):
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    assert wait_until_finished(client, job_url)["state"] == "done"
    # As a restart of the web server would leave a job that started three hours ago: "running", never finished.
    change_job(app, job_url, state="running", finished_at=None, created_at=time.time() - 3 * 3600,
               beat_seconds_ago=stall_limit(app) + 1)  # fmt: skip
    status = client.get(f"{job_url}/stand").get_json()
    assert (status["state"], status["download_url"]) == ("failed", None)
    assert job_folders(app) == [job_url.removeprefix(START)]

    change_job(app, job_url, beat_seconds_ago=report_jobs.JOB_LIFETIME.total_seconds() + 1)
    response = client.get(f"{job_url}/stand")
    assert (response.status_code, job_folders(app), file_folders(app)) == (404, [], [])


def test_a_supervisors_zip_leaves_out_the_comments_the_team_did_not_release(app, client, area):
    """Issue 19: the ZIP holds what each school shares with whoever started the job, as the single download does."""
    login(client, USERS["supervisor"])
    status = wait_until_finished(client, start_from_the_overview(client, kreis=["05913"]).headers["Location"])
    with zipfile.ZipFile(io.BytesIO(client.get(status["download_url"]).data)) as archive:
        adler = pdf_text(archive.read(IN_DORTMUND[0]))
    single = pdf_text(client.get("/schulen/100001/2025-26/bericht.pdf").data)

    withheld = "Die Anmerkungen des Teams sind nicht enthalten, weil die Schule sie nicht freigegeben hat."
    assert (withheld in adler, "Ayşe Yılmaz kümmert sich." in adler) == (True, False)
    assert adler == single
