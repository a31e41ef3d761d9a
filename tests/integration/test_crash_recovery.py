"""A server killed with SIGKILL in the middle of a burst of saves leaves every assessment whole.

A real gunicorn (2 workers) serves the test database; six schools' teams save at once, each save setting all 23
indicators to one score with a comment that names that save alone. When every school has a few saves accepted and
several PUTs are on their way, the whole process group is killed. A fresh connection then finds, for every
assessment: all ratings from one save (or none), the version equal to the number of saves that reached the
database, an audit trail that agrees with the ratings, and on SQLite an intact file. A restarted server saves again.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from selfeval.extensions import catalogs
from selfeval.models import Assessment, AuditEvent, Round, School
from tests.support.audit_chain import audit_chain_problems
from tests.support.factories import make_round, make_school, make_token, make_user
from tests.support.live_server import live_server

SCHOOLS = [f"3100{number:02d}" for number in range(6)]
WRITERS_PER_SCHOOL = 2
ACCEPTED_BEFORE_KILL = 3  # per school: the kill comes once every school has this many saves accepted,
PUTS_IN_FLIGHT = 4  # and this many PUTs have been sent and not yet answered ...
BURST_DEADLINE = 20.0  # ... or after this many seconds, whichever is first
REQUEST_TIMEOUT = 20.0
ROUND = "2025-26"

pytestmark = pytest.mark.timeout(240)


@dataclass
class Save:
    """One PUT as its writer saw it."""

    schulnummer: str
    marker: str  # the comment on every indicator; names this save alone
    score: int
    base_version: int
    outcome: str = "sent"  # accepted | refused (412) | lost (sent, no answer) | unreached (refused connection) | unexpected
    version: int | None = None  # what a 200 answered
    detail: str = ""


def path(schulnummer: str) -> str:
    return f"/api/v1/schools/{schulnummer}/assessments/{ROUND}"


@pytest.fixture
def tokens(app) -> dict[str, list[str]]:
    """Each school with an open round and its writers' API tokens."""
    with app.app_context():
        make_round("2025/26")
        result = {}
        for schulnummer in SCHOOLS:
            school = make_school(schulnummer)
            writers = [make_user(f"team{n}-{schulnummer}@schule.test", school=school) for n in range(WRITERS_PER_SCHOOL)]
            result[schulnummer] = [make_token(user) for user in writers]
    return result


def run_writer(url: str, schulnummer: str, number: int, token: str, indicators: list[str], saves: list[Save], deadline: float):
    """GET, then PUT all indicators on the version read, again and again, until the server is gone."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=REQUEST_TIMEOUT) as client:
        sequence = 0
        while time.monotonic() < deadline:
            try:
                read = client.get(path(schulnummer))
            except httpx.TransportError:
                return  # the server is gone
            if read.status_code != 200:
                saves.append(Save(schulnummer, "", 0, -1, "unexpected", detail=f"GET {read.status_code} {read.text[:300]}"))
                return
            sequence += 1
            save = Save(schulnummer, f"Sicherung {schulnummer}/{number}/{sequence}", sequence % 11, read.json()["version"])
            saves.append(save)
            body = {"ratings": {indicator: {"score": save.score, "comment": save.marker} for indicator in indicators}}
            try:
                answer = client.put(path(schulnummer), json=body, headers={"If-Match": f'"{save.base_version}"'})
            except httpx.ConnectError:
                save.outcome = "unreached"
                return
            except httpx.TransportError as exc:
                save.outcome, save.detail = "lost", type(exc).__name__
                return
            if answer.status_code == 200:
                save.outcome, save.version = "accepted", answer.json()["version"]
            elif answer.status_code == 412:
                save.outcome = "refused"
            else:
                save.outcome, save.detail = "unexpected", f"PUT {answer.status_code} {answer.text[:300]}"
                return


def burst_then_kill(server, tokens: dict[str, list[str]], indicators: list[str]) -> list[Save]:
    """All writers save until every school has enough saves accepted (or the deadline), then SIGKILL the server."""
    saves: list[Save] = []
    deadline = time.monotonic() + BURST_DEADLINE
    writers = [(schulnummer, n, tokens[schulnummer][n]) for n in range(WRITERS_PER_SCHOOL) for schulnummer in SCHOOLS]
    threads = [
        threading.Thread(target=run_writer, args=(server.url, *writer, indicators, saves, deadline + 5), daemon=True)
        for writer in writers
    ]
    for thread in threads:
        thread.start()
    while time.monotonic() < deadline and not (enough_accepted(saves) and puts_on_their_way(saves) >= PUTS_IN_FLIGHT):
        time.sleep(0.01)
    server.kill()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 10)
    assert [thread.is_alive() for thread in threads] == [False] * len(threads)
    return saves


def puts_on_their_way(saves: list[Save]) -> int:
    return sum(1 for save in list(saves) if save.outcome == "sent")


def enough_accepted(saves: list[Save]) -> bool:
    accepted = Counter(save.schulnummer for save in list(saves) if save.outcome == "accepted")
    return all(accepted[schulnummer] >= ACCEPTED_BEFORE_KILL for schulnummer in SCHOOLS)


def stored_assessments(database_url: str) -> dict[str, tuple[int, dict, list[AuditEvent]]]:
    """Per school, read with a fresh connection: (version, {indicator: (score, comment, changed_in_version)}, trail)."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            round_ = session.scalars(select(Round).filter_by(slug=ROUND)).one()
            return {schulnummer: stored_assessment(session, schulnummer, round_) for schulnummer in SCHOOLS}
    finally:
        engine.dispose()


def stored_assessment(session: Session, schulnummer: str, round_: Round) -> tuple[int, dict, list[AuditEvent]]:
    school = session.scalars(select(School).filter_by(schulnummer=schulnummer)).one()
    trail = list(session.scalars(select(AuditEvent).filter_by(school_id=school.id, round_id=round_.id)))
    assessment = session.scalars(select(Assessment).filter_by(school_id=school.id, round_id=round_.id)).one_or_none()
    if assessment is None:
        return 0, {}, trail
    return assessment.version, {r.indicator_id: (r.score, r.comment, r.changed_in_version) for r in assessment.ratings}, trail


def problems_of(schulnummer: str, stored, saves: list[Save], indicators: list[str]) -> list[str]:
    """Everything about one assessment that whole-or-nothing saves would not leave behind; [] if all is well."""
    version, ratings, trail = stored
    mine = [save for save in saves if save.schulnummer == schulnummer]
    if version == 0:
        return [] if not ratings and not trail else [f"version 0 with ratings {ratings} and {len(trail)} audit entries"]
    by_marker = {save.marker: save for save in mine}
    comments = {comment for _, comment, _ in ratings.values()}
    last = by_marker.get(comments.pop()) if len(comments) == 1 else None
    if last is None:
        return [f"version {version}: the ratings do not come from one save of this school: {ratings}"]
    problems = []
    if ratings != {indicator: (last.score, last.marker, version) for indicator in indicators}:
        problems.append(f"version {version}: not every indicator holds save {last.marker!r}: {ratings}")
    if last.outcome not in ("accepted", "lost") or last.base_version != version - 1 or last.version not in (None, version):
        problems.append(f"version {version} was made by {last}, which cannot have made it")
    accepted = sorted(save.version for save in mine if save.outcome == "accepted")
    if len(set(accepted)) != len(accepted) or not set(accepted) <= set(range(1, version + 1)):
        problems.append(f"version {version}, but 200s answered the versions {accepted}")
    # Every version counts one save that reached the database: a 200, or a save whose answer the kill swallowed.
    lost_bases = {save.base_version for save in mine if save.outcome == "lost"}
    unexplained = [v for v in range(1, version + 1) if v not in accepted and v - 1 not in lost_bases]
    if unexplained:
        problems.append(f"versions {unexplained} were made by no save that can have reached the database")
    problems += audit_chain_problems(trail, {indicator: (score, comment) for indicator, (score, comment, _) in ratings.items()})
    recorded = {event.changes["comment"][1] for event in trail if "comment" in event.changes}
    reached = {save.marker for save in mine if save.outcome in ("accepted", "lost")}
    if recorded - reached:
        problems.append(f"the audit trail records saves that were refused or never sent: {sorted(recorded - reached)}")
    return problems


def sqlite_integrity(database_url: str) -> list[str]:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
    finally:
        engine.dispose()


def test_a_server_killed_during_a_burst_of_saves_leaves_every_assessment_whole(app, tokens, database_url, tmp_path):
    with app.app_context():
        indicators = [indicator.id for indicator in catalogs.active.indicators]
    assert len(indicators) == 23
    started = time.monotonic()
    with live_server(database_url, tmp_path / "server") as server:
        serving = time.monotonic()
        saves = burst_then_kill(server, tokens, indicators)
        killed = time.monotonic()
    outcomes = Counter(save.outcome for save in saves)
    assert [save for save in saves if save.outcome in ("unexpected", "sent")] == []
    assert outcomes["lost"] >= 1  # the kill did hit saves on their way: otherwise this test proved nothing

    stored = stored_assessments(database_url)
    assert {s: problems_of(s, stored[s], saves, indicators) for s in SCHOOLS} == {s: [] for s in SCHOOLS}
    if database_url.startswith("sqlite"):
        assert sqlite_integrity(database_url) == ["ok"]

    # After a restart, the first school saves again on the version the kill left behind.
    schulnummer, (version, _, _) = SCHOOLS[0], stored[SCHOOLS[0]]
    with live_server(database_url, tmp_path / "server") as server:
        headers = {"Authorization": f"Bearer {tokens[schulnummer][0]}", "If-Match": f'"{version}"'}
        body = {"ratings": {"k1a": {"score": 4, "comment": "nach dem Neustart"}}}
        answer = httpx.put(server.url + path(schulnummer), json=body, headers=headers, timeout=REQUEST_TIMEOUT)
    assert (answer.status_code, answer.json()["version"], answer.json()["ratings"]["k1a"]) == (
        200,
        version + 1,
        {"score": 4, "comment": "nach dem Neustart"},
    )
    backend = database_url.split(":", 1)[0]
    print(
        f"\n[{backend}] server up in {serving - started:.1f}s, killed {killed - serving:.1f}s later: {dict(outcomes)}; "
        f"versions {[stored[s][0] for s in SCHOOLS]}; total {time.monotonic() - started:.1f}s"
    )
