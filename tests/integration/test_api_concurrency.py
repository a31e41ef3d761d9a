"""Many team members save the same assessment at once through the API: no update is lost, every refused writer is told.

What this proves depends on the database (SELFEVAL_TEST_DATABASE_URL):

* PostgreSQL (the real proof): the writers' transactions overlap for real under READ COMMITTED; the version
  compare-and-set in the database must let exactly one of several writers that read the same version win, and the
  losers must get 412, never a silent overwrite, a 409 or a 5xx.
* SQLite (the default): the requests interleave for real in threads, but SQLite lets only one write transaction run
  at a time, so the database serialises the writers by itself. The run checks the HTTP contract under interleaving
  (read a version, lose the race, get 412, re-read, retry) and that no 5xx ("database is locked") escapes, not the
  row-level behaviour of a server database.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import Assessment, Round, School
from tests.support.catalogue import INDICATORS
from tests.support.factories import make_round, make_school, make_token, make_user

SCHULNUMMER = "123456"
URL = f"/api/v1/schools/{SCHULNUMMER}/assessments/2025-26"
WRITERS = 8
PASSES = 2  # every writer saves each of its indicators this many times, each time with a new score and comment
DEADLINE_SECONDS = 40.0  # a hard stop against livelock; the run itself takes about 8-15 s


@dataclass
class Writer:
    number: int
    token: str
    plan: list[tuple[str, int, str]]  # (indicator, score, comment), in order
    accepted: list[tuple[str, int, str, int]] = field(default_factory=list)  # ... and the version the 200 answered
    refused: int = 0  # 412s received
    unexpected: list[tuple] = field(default_factory=list)  # anything but 200 for a GET, or but 200/412 for a PUT


def make_plan(number: int) -> list[tuple[str, int, str]]:
    mine = INDICATORS[number::WRITERS]
    # Score (number + index + 3 * pass) mod 11: consecutive passes differ, so every accepted PUT changes something.
    return [
        (indicator, (number + index + 3 * pass_) % 11, f"Schreiber {number}, Durchgang {pass_}")
        for pass_ in range(PASSES)
        for index, indicator in enumerate(mine)
    ]


def run_writer(app, writer: Writer, barrier: threading.Barrier, deadline: float) -> None:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {writer.token}"}
    try:
        barrier.wait(timeout=30)
        for indicator, score, comment in writer.plan:
            while True:
                if time.monotonic() > deadline:
                    writer.unexpected.append(("deadline", indicator))
                    return
                read = client.get(URL, headers=headers)
                if read.status_code != 200:
                    writer.unexpected.append(("GET", read.status_code, read.get_data(as_text=True)[:300]))
                    return
                version = read.get_json()["version"]
                body = {"ratings": {indicator: {"score": score, "comment": comment}}}
                saved = client.put(URL, json=body, headers={**headers, "If-Match": f'"{version}"'})
                answer = saved.get_json(silent=True)
                if saved.status_code == 200:
                    rating = answer["ratings"][indicator]
                    if (answer["version"], saved.headers.get("ETag"), rating) != (
                        version + 1,
                        f'"{version + 1}"',
                        {"score": score, "comment": comment},
                    ):
                        writer.unexpected.append(("200 with wrong state", version, answer["version"], rating))
                    writer.accepted.append((indicator, score, comment, answer["version"]))
                    break
                if saved.status_code == 412:
                    writer.refused += 1
                    error = answer["error"] if answer else {}
                    current = error.get("current") or {}
                    # Told so: someone else moved the version on, and this writer's own indicator was not touched.
                    if (
                        error.get("code") != 412
                        or current.get("version", -1) <= version
                        or indicator in error.get("changed", [indicator])
                    ):
                        writer.unexpected.append(("412 without a proper report", version, error))
                    continue
                writer.unexpected.append(("PUT", saved.status_code, saved.get_data(as_text=True)[:300]))
                return
    except Exception as exc:  # a crashed thread must fail the test, not vanish
        writer.unexpected.append(("exception", repr(exc)))


@pytest.fixture
def writers(app) -> list[Writer]:
    with app.app_context():
        school = make_school(SCHULNUMMER)
        make_round("2025/26")
        tokens = [make_token(make_user(f"team{n}@schule.test", school=school, leadership=n == 0)) for n in range(WRITERS)]
    return [Writer(number, token, make_plan(number)) for number, token in enumerate(tokens)]


def test_parallel_writers_with_if_match_lose_no_update_and_get_412_when_outrun(app, writers, database_url, record_property):
    assert sorted(indicator for w in writers for indicator in {i for i, _, _ in w.plan}) == sorted(INDICATORS)
    barrier = threading.Barrier(WRITERS)
    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    threads = [threading.Thread(target=run_writer, args=(app, w, barrier, deadline), daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS + 30)
    elapsed = time.monotonic() - started

    assert [thread.is_alive() for thread in threads] == [False] * WRITERS
    assert [(w.number, w.unexpected) for w in writers] == [(w.number, []) for w in writers]
    assert [len(w.accepted) for w in writers] == [len(w.plan) for w in writers]

    # No lost update: each indicator holds exactly what its writer's last 200 confirmed.
    last_accepted = {indicator: (score, comment) for w in writers for indicator, score, comment, _ in w.accepted}
    with app.app_context():
        query = select(Assessment).join(School, Assessment.school_id == School.id).join(Round, Assessment.round_id == Round.id)
        assessment = db.session.scalars(query.where(School.schulnummer == SCHULNUMMER, Round.slug == "2025-26")).one()
        stored = {rating.indicator_id: (rating.score, rating.comment) for rating in assessment.ratings}
        final_version = assessment.version
    assert stored == last_accepted
    assert sorted(stored) == sorted(INDICATORS)

    # Every accepted PUT changed something, so each one made exactly one new version, and no two got the same.
    accepted_versions = sorted(version for w in writers for *_, version in w.accepted)
    assert final_version == len(accepted_versions) == sum(len(w.plan) for w in writers)
    assert accepted_versions == list(range(1, final_version + 1))

    refused = sum(w.refused for w in writers)
    backend = database_url.split(":", 1)[0]
    record_property("accepted_puts", len(accepted_versions))
    record_property("refused_412", refused)
    print(f"\n[{backend}] {WRITERS} writers: {len(accepted_versions)} PUTs accepted, {refused} refused with 412, {elapsed:.1f}s")
