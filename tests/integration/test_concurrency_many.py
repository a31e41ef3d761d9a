"""Six schools' teams save at once through the API, three writers each, on overlapping indicators, interleaved.

Every accepted update is in the final state, every refused writer got a 412 that reports a consistent state of the
assessment, nothing else (no 5xx, no deadlock) happens. The proof is exact because every writer records what it
saw: every 200 names the version it made, so the state of each assessment at every version can be rebuilt from the
accepted saves and compared with what the database holds at the end, with every GET and with every 412's report.
As in test_api_concurrency.py, the writers' transactions overlap for real on PostgreSQL; SQLite serialises them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from selfeval.extensions import catalogs, db
from selfeval.models import Assessment, AuditEvent, Round, School
from tests.support.audit_chain import audit_chain_problems
from tests.support.factories import make_round, make_school, make_token, make_user

SCHOOLS = [f"2000{number:02d}" for number in range(6)]
WRITERS_PER_SCHOOL = 3
SAVES_PER_WRITER = 3
INDICATORS_PER_SAVE = 3
DEADLINE_SECONDS = 60.0  # a hard stop against livelock and deadlock; the run itself takes a few seconds
ROUND = "2025-26"
UNRATED = {"score": None, "comment": ""}

pytestmark = pytest.mark.timeout(180)


@dataclass
class Writer:
    schulnummer: str
    number: int
    token: str
    accepted: list[tuple[int, dict]] = field(default_factory=list)  # (version made, {indicator: rating sent})
    seen: list[tuple[int, dict]] = field(default_factory=list)  # (version, ratings) of every GET and every 412 report
    refused: list[tuple[int, int, list[str]]] = field(default_factory=list)  # (base version, current version, changed)
    unexpected: list[tuple] = field(default_factory=list)


def plan(writer: Writer, indicators: list[str]) -> list[dict]:
    """Consecutive windows of indicators, shifted per writer so that colleagues overlap; comments name the save."""
    saves = []
    for save in range(SAVES_PER_WRITER):
        start = writer.number * 2 + save * INDICATORS_PER_SAVE
        chosen = [indicators[(start + offset) % len(indicators)] for offset in range(INDICATORS_PER_SAVE)]
        saves.append({
            indicator: {"score": (writer.number + save + offset) % 11, "comment": f"{writer.schulnummer}/{writer.number}/{save}"}
            for offset, indicator in enumerate(chosen)
        })  # fmt: skip
    return saves


def run_writer(app, writer: Writer, saves: list[dict], barrier: threading.Barrier, deadline: float) -> None:
    client = app.test_client()
    url = f"/api/v1/schools/{writer.schulnummer}/assessments/{ROUND}"
    headers = {"Authorization": f"Bearer {writer.token}"}
    try:
        barrier.wait(timeout=30)
        for ratings in saves:
            while True:
                if time.monotonic() > deadline:
                    writer.unexpected.append(("deadline", len(writer.accepted)))
                    return
                read = client.get(url, headers=headers)
                if read.status_code != 200:
                    writer.unexpected.append(("GET", read.status_code, read.get_data(as_text=True)[:300]))
                    return
                base = read.get_json()["version"]
                writer.seen.append((base, read.get_json()["ratings"]))
                saved = client.put(url, json={"ratings": ratings}, headers={**headers, "If-Match": f'"{base}"'})
                answer = saved.get_json(silent=True) or {}
                if saved.status_code == 200:
                    writer.accepted.append((answer["version"], ratings))
                    writer.seen.append((answer["version"], answer["ratings"]))
                    if (answer["version"], saved.headers.get("ETag")) != (base + 1, f'"{base + 1}"'):
                        writer.unexpected.append(("200 with the wrong version", base, answer["version"]))
                    break
                if saved.status_code == 412 and answer.get("error", {}).get("code") == 412:
                    current = answer["error"]["current"]
                    writer.refused.append((base, current["version"], answer["error"]["changed"]))
                    writer.seen.append((current["version"], current["ratings"]))
                    continue
                writer.unexpected.append(("PUT", saved.status_code, saved.get_data(as_text=True)[:300]))
                return
    except Exception as exc:  # a crashed thread must fail the test, not vanish
        writer.unexpected.append(("exception", repr(exc)))


@pytest.fixture
def writers(app) -> list[Writer]:
    """Interleaved: the first writer of every school, then the second of every school, and so on."""
    with app.app_context():
        make_round("2025/26")
        tokens = {}
        for schulnummer in SCHOOLS:
            school = make_school(schulnummer)
            for n in range(WRITERS_PER_SCHOOL):
                tokens[schulnummer, n] = make_token(make_user(f"team{n}-{schulnummer}@schule.test", school=school))
    return [Writer(s, n, tokens[s, n]) for n in range(WRITERS_PER_SCHOOL) for s in SCHOOLS]


def state_at(version: int, accepted: list[tuple[int, dict]], indicators: list[str]) -> dict:
    """The ratings an assessment holds at `version`, rebuilt from the accepted saves."""
    state = {indicator: UNRATED for indicator in indicators}
    for made, ratings in sorted(accepted, key=lambda pair: pair[0]):
        if made <= version:
            state.update(ratings)
    return state


def changed_between(base: int, current: int, accepted: list[tuple[int, dict]]) -> list[str]:
    return sorted({indicator for made, ratings in accepted if base < made <= current for indicator in ratings})


def stored(app, schulnummer: str) -> tuple[int, dict, list[str]]:
    """(version, ratings as the API shows them, audit problems) of one school's assessment, from the database."""
    with app.app_context():
        query = select(Assessment).join(School, Assessment.school_id == School.id).join(Round, Assessment.round_id == Round.id)
        assessment = db.session.scalars(query.where(School.schulnummer == schulnummer, Round.slug == ROUND)).one()
        ratings = {r.indicator_id: {"score": r.score, "comment": r.comment} for r in assessment.ratings}
        trail = db.session.scalars(select(AuditEvent).filter_by(school_id=assessment.school_id, round_id=assessment.round_id))
        problems = audit_chain_problems(list(trail), {key: (r["score"], r["comment"]) for key, r in ratings.items()})
        full = {indicator.id: ratings.get(indicator.id, UNRATED) for indicator in catalogs.active.indicators}
        return assessment.version, full, problems


def test_writers_of_many_schools_at_once_lose_no_update_and_every_refusal_is_a_consistent_412(app, writers, database_url):
    with app.app_context():
        indicators = [indicator.id for indicator in catalogs.active.indicators]
    barrier = threading.Barrier(len(writers))
    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    threads = [
        threading.Thread(target=run_writer, args=(app, w, plan(w, indicators), barrier, deadline), daemon=True) for w in writers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS + 30)
    elapsed = time.monotonic() - started

    assert [thread.is_alive() for thread in threads] == [False] * len(writers)
    assert [(w.schulnummer, w.number, w.unexpected) for w in writers] == [(w.schulnummer, w.number, []) for w in writers]
    for schulnummer in SCHOOLS:
        mine = [w for w in writers if w.schulnummer == schulnummer]
        accepted = [save for w in mine for save in w.accepted]
        version, ratings, audit_problems = stored(app, schulnummer)
        # Each accepted save made exactly one version; the last state is what all of them together leave.
        assert (
            sorted(made for made, _ in accepted)
            == list(range(1, WRITERS_PER_SCHOOL * SAVES_PER_WRITER + 1))
            == list(range(1, version + 1))
        ), schulnummer
        assert ratings == state_at(version, accepted, indicators), schulnummer
        assert audit_problems == [], schulnummer
        # Every GET, every 200 and every 412 showed the assessment exactly as it was at the version it named.
        shown = [(seen_version, seen) for w in mine for seen_version, seen in w.seen]
        torn = [(v, s) for v, s in shown if s != state_at(v, accepted, indicators)]
        assert torn == [], schulnummer
        # A 412 names exactly the indicators changed since the version the writer saw.
        refused = [(base, current, changed) for w in mine for base, current, changed in w.refused]
        assert [current > base for base, current, _ in refused] == [True] * len(refused), schulnummer
        expected_changed = [changed_between(base, current, accepted) for base, current, _ in refused]
        assert [sorted(changed) for _, _, changed in refused] == expected_changed, schulnummer

    refusals = sum(len(w.refused) for w in writers)
    backend = database_url.split(":", 1)[0]
    print(f"\n[{backend}] {len(writers)} writers on {len(SCHOOLS)} schools: {refusals} refused with 412, {elapsed:.1f}s")
