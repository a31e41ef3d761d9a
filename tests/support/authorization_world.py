"""The data set of the authorization matrix, the actors' log-ins and tokens, and putting the data back.

Two schools in different Kreise, a closed last round in which school A submitted, a current round with
a draft of A (some ratings and comments, so that results and reports have content), one account per
actor of authorization_table.ACTORS, a report job of the supervisor in scope, an invitation link, a support offer
of Dortmund kept by the Medienberatung, an agreement of the Medienberatung on A's plan in the current round.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import Engine, event

from selfeval.extensions import db
from selfeval.jobs.report_jobs import start_job
from selfeval.services.accounts import create_user, deactivate_user, issue_password_link
from selfeval.services.offers import OfferValues, create_offer
from selfeval.services.plan_agreements import record_agreement
from selfeval.services.reports import ReportSelection
from tests.support.authorization_table import (
    ACTORS,
    CURRENT_ROUND,
    SCHULNUMMER_A,
    SCHULNUMMER_B,
    TRAEGER_A,
    Check,
)
from tests.support.factories import PASSWORD, make_round, make_school, make_token, make_user, rate, submitted

#: actor -> (e-mail, role, school: "A", "B" or None, scopes)
ACCOUNTS = {
    # factories.leader() finds the Schulleitung of A by this address, so submitted() rates as this member.
    "team_a": (f"leitung-{SCHULNUMMER_A}@schule.test", "team", "A", {}),
    "team_b": ("team-b@schule.test", "team", "B", {}),
    "supervisor_in": ("aufsicht-arnsberg@bezreg.test", "supervisor", None, {"bezirke": ["Arnsberg"]}),
    "supervisor_out": ("aufsicht-duesseldorf@bezreg.test", "supervisor", None, {"bezirke": ["Düsseldorf"]}),
    "adviser_in": ("medienberatung-dortmund@mz.test", "adviser", None, {"kreise": ["05913"]}),
    "adviser_out": ("medienberatung-duesseldorf@mz.test", "adviser", None, {"kreise": ["05111"]}),
    "traeger_in": ("schultraeger@stadt.test", "traeger", None, {"traeger": [TRAEGER_A]}),
    "deactivated": ("ehemals-a@schule.test", "team", "A", {}),
    "admin": ("verwaltung@kreis.test", "admin", None, {}),
}
REPORT_JOB_THREAD = "report-job-"
#: An agreement of the Medienberatung on school A's plan in the current round, not yet confirmed by the team.
AGREEMENT = {"date": "2025-10-01", "participants": "Schulleitung, Medienberatung", "text": "WLAN-Ausbau beantragen."}


@dataclass
class World:
    #: Values for the URL arguments of every rule, by argument name.
    url_values: dict[str, str | int]
    #: The version of school A's draft in the current round (for If-Match).
    version: int
    #: actor -> the session cookie after a real log-in (None: no session).
    cookies: dict[str, str | None] = field(default_factory=dict)
    #: actor -> API token (None: no Authorization header).
    tokens: dict[str, str | None] = field(default_factory=dict)


def build_world(app: Flask) -> World:
    """The data set, every actor logged in once, the former team member deactivated, the report job done."""
    with app.app_context():
        schools = {
            "A": make_school(SCHULNUMMER_A, kreis="05913", name="Adler-Gesamtschule", traeger_nummer=TRAEGER_A),
            "B": make_school(SCHULNUMMER_B, kreis="05111", name="Birken-Gesamtschule", traeger_nummer="5111000"),
        }
        last, current = make_round("2024/25", is_open=False), make_round("2025/26")
        users = {actor: make_user(email, role, school=schools.get(school), leadership=actor == "team_a", **scopes)
                 for actor, (email, role, school, scopes) in ACCOUNTS.items()}  # fmt: skip
        submitted(schools["A"], last, 6)
        draft = rate(schools["A"], current, users["team_a"], {"k1a": 7, "k1b": 4, "k2a": 8}, {"k1a": "Steuergruppe seit 2023"})
        offer = create_offer(OfferValues("05913", "Sprechstunde", "Medienzentrum Dortmund", "Beratung.", fits=("k1b",)),
                             actor=None, catalog=app.extensions["selfeval.catalogs"], allowed_kreise=None)  # fmt: skip
        agreement = record_agreement(schools["A"], current, users["adviser_in"], AGREEMENT)
        invitee = create_user("eingeladen@schule.test", "Eingeladen", "team", None, school=schools["B"])
        link = issue_password_link(invitee, "invite", actor=None)
        db.session.commit()
        tokens = {actor: make_token(user) for actor, user in users.items()}
        world = World(
            url_values={"schulnummer": SCHULNUMMER_A, "round_slug": CURRENT_ROUND, "criterion_id": "k1",
                        "slug": CURRENT_ROUND, "user_id": users["team_b"].id, "token": link.token,
                        "offer_id": offer.id, "agreement_id": agreement.id},
            version=draft.version,
            tokens={"anonymous": None, **tokens},
        )  # fmt: skip
    world.cookies = {"anonymous": None, **{actor: log_in(app, ACCOUNTS[actor][0]) for actor in ACCOUNTS}}
    with app.app_context():
        # Deactivated after logging in: the old session cookie and the token are still presented, and must fail.
        deactivate_user(db.session.merge(users["deactivated"]), actor=None)
        db.session.commit()
        supervisor = db.session.merge(users["supervisor_in"])
        job = start_job(supervisor, db.session.merge(last), ReportSelection())
        db.session.commit()  # the job's work starts once it is stored
    wait_for_report_jobs()
    world.url_values["job_id"] = job.id
    assert sorted(world.cookies) == sorted(ACTORS) == sorted(world.tokens)
    return world


def log_in(app: Flask, email: str) -> str:
    """A real log-in through the form; the session cookie it sets."""
    client = app.test_client()
    response = client.post("/anmelden", data={"email": email, "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/schule"), email
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def wait_for_report_jobs() -> None:
    """Report jobs render in a thread: let them finish before the data they read changes."""
    for thread in threading.enumerate():
        if thread.name.startswith(REPORT_JOB_THREAD):
            thread.join(timeout=120)
            assert not thread.is_alive(), f"{thread.name} did not finish"


class WriteWatch:
    """Notes whether an INSERT, UPDATE or DELETE reached the database: comparing every table after every request is slow."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self, engine: Engine):
        self.engine, self.wrote = engine, False

    def __enter__(self) -> WriteWatch:
        event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc_info) -> None:
        event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, _connection, _cursor, statement: str, *_args) -> None:
        self.wrote = self.wrote or statement.lstrip()[:6].upper() in self.WRITES


Snapshot = dict[str, list[tuple]]


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table, by primary key."""
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(table.select().order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables
        }


def restore(engine: Engine, saved: Snapshot) -> None:
    """Put every table back as it was in `saved` (ids included, so sessions and links stay valid)."""
    with engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in db.metadata.sorted_tables:
            keys = [column.key for column in table.columns]
            if saved[table.name]:
                connection.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in saved[table.name]])


IGNORED_METHODS = {"HEAD", "OPTIONS"}


def routes(app) -> list[tuple[str, str, object]]:
    """(endpoint, method, rule) for every rule but `static`, by endpoint and method."""
    found = [
        (rule.endpoint, method, rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
    ]
    return sorted(found, key=lambda item: item[:2])


def request(app, world: World, actor: str, method: str, path: str, check: Check, *, api: bool):
    """One request as `actor`: pages with the actor's session, the API with the actor's token only."""
    client = app.test_client()
    headers = {}
    if api:
        if world.tokens[actor] is not None:
            headers["Authorization"] = f"Bearer {world.tokens[actor]}"
    elif world.cookies[actor] is not None:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], world.cookies[actor])
    if check.if_match:
        headers["If-Match"] = f'"{world.version}"'
    headers.update(check.headers)
    body = {"json": check.json} if check.json is not None else {"data": check.form}
    return client.open(path, method=method, query_string=check.query, headers=headers, **body)
