"""The plan's API (issue 18): read with ETag, replace the goals with If-Match (428, 412 with the current plan, 422 at the
planning rules' places), agreements recorded by the adviser in scope and confirmed by the team, and who may do what.

Every request goes through the real app and database; what was stored is read back through the service."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import Assessment, PlanAgreement, School
from selfeval.services import assessments
from selfeval.services.plans import load_plan
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.api import TEXT, auth
from tests.support.factories import all_scores, leader, rate
from tests.support.plans import CURRENT, LAST, SCHULNUMMER, URL, add_agreement, build_plan_world

LAST_MEASURE = {"id": 2, "what": "Konzept entwerfen", "who": "Steuergruppe", "due": None, "status": "begonnen", "offers": []}
LAST_GOAL_BODY = {"id": 1, "indicators": ["k1a"], "target": 6.0, "success": "Konzept beschlossen", "measures": [LAST_MEASURE]}


def previous(*, shown: bool) -> dict:
    """Last year's goal followed up: k1a went from 3 to 7 (target 6), unless this year's scores are withheld."""
    goal = {**LAST_GOAL_BODY, "achieved": 7.0 if shown else None, "before": 3.0, "reached": True if shown else None}
    return {"round": LAST, "goals": [goal], "scores_withheld": not shown}


def plan_body(version=0, goals=(), agreements=(), *, shown=True) -> dict:
    return {"version": version, "goals": list(goals), "agreements": list(agreements), "previous": previous(shown=shown)}


def error(status: int, **details) -> dict:
    return {"error": {"code": status, "message": TEXT, **details}}


@pytest.fixture
def world(app):
    with app.app_context():
        return build_plan_world()


def goal_input(world, **changes) -> dict:
    measure = {"what": "Fortbildung buchen", "who": "Medienkoordination", "due": "2026-03-31", "offers": [world.offer_id]}
    return {"indicators": ["k1b", "k1c"], "target": 7.5, "success": "Alle nutzen die Plattform", "measures": [measure]} | changes


def saved_goal(world) -> dict:
    measure = {
        "id": 2, "what": "Fortbildung buchen", "who": "Medienkoordination", "due": "2026-03-31", "status": "geplant",
        "offers": [world.offer_id],
    }  # fmt: skip
    return {"id": 1, "indicators": ["k1b", "k1c"], "target": 7.5, "success": "Alle nutzen die Plattform", "measures": [measure]}


def stored_goals(app) -> list:
    with app.app_context():
        return [(goal.indicators, goal.target) for goal in load_plan(get_school(SCHULNUMMER), get_round(CURRENT)).goals]


def answer(response) -> tuple:
    return response.status_code, response.headers.get("ETag"), response.get_json()


# --- GET -----------------------------------------------------------------------------------------------------------------


def test_the_team_reads_an_empty_plan_with_last_years_goal_followed_up(client, world):
    response = client.get(URL, headers=auth(world.team))

    assert answer(response) == (200, '"0"', plan_body())
    assert (response.headers["Cache-Control"], response.mimetype) == ("no-store", "application/json")


def test_the_adviser_reads_a_drafts_plan_without_the_drafts_scores(client, world):
    assert answer(client.get(URL, headers=auth(world.adviser))) == (200, '"0"', plan_body(shown=False))


@pytest.mark.parametrize("caller", ["other_team", "adviser_elsewhere", "supervisor"])
def test_others_may_not_read_a_drafts_plan(client, world, caller):
    """Out of scope, or supervision while the assessment is a draft: 403 as the assessment's API answers out of scope."""
    response = client.get(URL, headers=auth(getattr(world, caller)))

    assert (response.status_code, response.get_json()) == (403, error(403))


def test_supervision_reads_the_plan_once_submitted_and_released(app, client, world):
    with app.app_context():
        school, round_ = get_school(SCHULNUMMER), get_round(CURRENT)
        state = rate(school, round_, leader(school), all_scores(7))
        assessments.submit(school, round_, leader(school), state.version)
        db.session.commit()
    submitted_only = client.get(URL, headers=auth(world.supervisor))
    with app.app_context():
        assessments.set_comments_released(get_school(SCHULNUMMER), get_round(CURRENT), leader(get_school(SCHULNUMMER)), True)
        db.session.commit()
    released = client.get(URL, headers=auth(world.supervisor))

    assert (submitted_only.status_code, submitted_only.get_json()) == (403, error(403))
    assert answer(released) == (200, '"0"', plan_body())


def test_unknown_school_round_or_no_assessment_is_404(app, client, world):
    with app.app_context():
        db.session.delete(db.session.scalars(select(Assessment).join(School).where(School.schulnummer == SCHULNUMMER)
                                             .where(Assessment.round_id == get_round(CURRENT).id)).one())  # fmt: skip
        db.session.commit()

    responses = [
        client.get(f"/api/v1/schools/999999/plans/{CURRENT}", headers=auth(world.team)),
        client.get(f"/api/v1/schools/{SCHULNUMMER}/plans/2030-31", headers=auth(world.team)),
        client.get(URL, headers=auth(world.team)),
        client.put(URL, headers=auth(world.team) | {"If-Match": '"0"'}, json={"goals": []}),
        client.get(URL + ".docx", headers=auth(world.team)),
    ]

    assert [(r.status_code, r.get_json()) for r in responses] == [(404, error(404))] * 5
    assert responses[2].get_json()["error"]["message"].startswith("Für diese Runde gibt es noch keine Bewertung.")


def test_without_a_token_401(client, world):
    response = client.get(URL)

    assert (response.status_code, response.get_json(), response.headers["WWW-Authenticate"]) == (
        401, error(401), 'Bearer realm="selfeval"',
    )  # fmt: skip


# --- PUT -----------------------------------------------------------------------------------------------------------------


def test_the_team_replaces_the_goals_and_gets_the_new_version(app, client, world):
    response = client.put(URL, headers=auth(world.team) | {"If-Match": '"0"'}, json={"goals": [goal_input(world)]})

    assert answer(response) == (200, '"1"', plan_body(1, [saved_goal(world)]))
    assert stored_goals(app) == [(("k1b", "k1c"), 7.5)]
    again = client.get(URL, headers=auth(world.team))
    assert answer(again) == (200, '"1"', plan_body(1, [saved_goal(world)]))


def test_ids_sent_back_are_kept_and_an_empty_list_removes_every_goal(client, world):
    client.put(URL, headers=auth(world.team) | {"If-Match": '"0"'}, json={"goals": [goal_input(world)]})
    changed = saved_goal(world) | {"target": 8.0}
    changed["measures"] = [changed["measures"][0] | {"status": "erledigt"}]

    kept = client.put(URL, headers=auth(world.team) | {"If-Match": 'W/"1"'}, json={"goals": [changed]})
    emptied = client.put(URL, headers=auth(world.team) | {"If-Match": '"2"'}, json={"goals": []})

    assert answer(kept) == (200, '"2"', plan_body(2, [changed]))
    assert answer(emptied) == (200, '"3"', plan_body(3))


def test_without_if_match_428_and_nothing_changes(app, client, world):
    response = client.put(URL, headers=auth(world.team), json={"goals": [goal_input(world)]})

    assert (response.status_code, response.get_json()) == (428, error(428))
    assert stored_goals(app) == []


def test_a_stale_version_is_412_with_the_current_plan(app, client, world):
    client.put(URL, headers=auth(world.team) | {"If-Match": '"0"'}, json={"goals": [goal_input(world)]})

    response = client.put(URL, headers=auth(world.team) | {"If-Match": '"0"'}, json={"goals": []})

    assert (response.status_code, response.get_json()) == (412, error(412, current=plan_body(1, [saved_goal(world)])))
    assert stored_goals(app) == [(("k1b", "k1c"), 7.5)]


def test_a_malformed_if_match_is_412_without_a_plan(client, world):
    response = client.put(URL, headers=auth(world.team) | {"If-Match": "drei"}, json={"goals": []})

    assert (response.status_code, response.get_json()) == (412, error(412))


def test_invalid_shapes_are_422_naming_each_place(app, client, world):
    body = {"goals": [{"indicators": [], "target": 11, "x": 1, "measures": [{"what": "", "status": "fertig"}]}]}

    response = client.put(URL, headers=auth(world.team) | {"If-Match": '"0"'}, json=body)

    assert (response.status_code, response.get_json()) == (422, error(422, errors=[
        {"location": "goals[0].indicators", "message": "Bitte mindestens einen Indikator wählen."},
        {"location": "goals[0].target", "message": "Der Zielwert liegt außerhalb der Skala."},
        {"location": "goals[0].measures[0].what", "message": "Bitte ausfüllen."},
        {"location": "goals[0].measures[0].status", "message": "Der Stand ist einer von geplant, begonnen, erledigt, verworfen."},
        {"location": "goals[0].x", "message": "Dieses Feld gibt es nicht."},
    ]))  # fmt: skip
    assert stored_goals(app) == []


def test_the_planning_rules_problems_are_422_with_their_keys(app, client, world):
    body = {"goals": [
        goal_input(world, indicators=["k1a"], measures=[{"what": "Messen", "due": "2026-02-30", "offers": ["gibt-es-nicht"]}]),
        goal_input(world, indicators=["k1a"], id=99),
    ]}  # fmt: skip

    response = client.put(URL, headers=auth(world.team) | {"If-Match": '"0"'}, json=body)

    assert (response.status_code, response.get_json()) == (422, error(422, errors=[
        {"location": "goals[1].id", "message": "Dieses Ziel gibt es in diesem Plan nicht (mehr); neue Ziele haben keine id."},
        {"location": "goals[0].measures[0].due", "message": "Bitte ein Datum als JJJJ-MM-TT angeben, z. B. 2026-11-30."},
        {"location": "goals[0].measures[0].offers",
         "message": "Diese Angebote passen nicht zur Schule oder gibt es nicht: gibt-es-nicht."},
        {"location": "goals[1].indicators",
         "message": "Der Indikator k1a gehört schon zu Ziel 1; ein Indikator gehört zu einem Ziel."},
    ]))  # fmt: skip
    assert stored_goals(app) == []


@pytest.mark.parametrize("caller", ["adviser", "supervisor", "other_team", "adviser_elsewhere"])
def test_only_the_team_writes(app, client, world, caller):
    response = client.put(URL, headers=auth(getattr(world, caller)) | {"If-Match": '"0"'}, json={"goals": []})

    assert (response.status_code, response.get_json()) == (403, error(403))
    assert stored_goals(app) == []


# --- agreements ----------------------------------------------------------------------------------------------------------

AGREEMENT_INPUT = {"date": "2025-12-01", "participants": "Schulleitung, Medienkoordination", "text": "Pilot im Jahrgang 5.",
                   "next_contact": "2026-02-01"}  # fmt: skip


def test_the_adviser_records_an_agreement_and_gets_the_plan(app, client, world):
    response = client.post(URL + "/agreements", headers=auth(world.adviser), json=AGREEMENT_INPUT)

    with app.app_context():
        (stored_id,) = db.session.scalars(select(PlanAgreement.id)).all()
    agreement = {"id": stored_id, "date": "2025-12-01", "participants": "Schulleitung, Medienkoordination",
                 "text": "Pilot im Jahrgang 5.", "next_contact": "2026-02-01", "confirmed": False}  # fmt: skip
    assert answer(response) == (201, '"0"', plan_body(agreements=[agreement], shown=False))
    assert answer(client.get(URL, headers=auth(world.team))) == (200, '"0"', plan_body(agreements=[agreement]))


def test_an_invalid_agreement_is_422(client, world):
    late = client.post(URL + "/agreements", headers=auth(world.adviser), json=AGREEMENT_INPUT | {"next_contact": "2025-11-01"})
    shape = client.post(URL + "/agreements", headers=auth(world.adviser), json={"date": "1.12.2025", "text": ""})

    assert (late.status_code, late.get_json()) == (422, error(422, errors=[
        {"location": "next_contact", "message": "Der nächste Kontakt kann nicht vor dem Gespräch liegen."},
    ]))  # fmt: skip
    assert (shape.status_code, shape.get_json()) == (422, error(422, errors=[
        {"location": "date", "message": "Bitte ein Datum als JJJJ-MM-TT angeben."},
        {"location": "participants", "message": "Dieses Feld fehlt."},
        {"location": "text", "message": "Bitte ausfüllen."},
    ]))  # fmt: skip
    assert client.get(URL, headers=auth(world.team)).get_json()["agreements"] == []


@pytest.mark.parametrize("caller", ["team", "supervisor", "adviser_elsewhere"])
def test_only_the_adviser_in_scope_records_agreements(client, world, caller):
    response = client.post(URL + "/agreements", headers=auth(getattr(world, caller)), json=AGREEMENT_INPUT)

    assert (response.status_code, response.get_json()) == (403, error(403))


def test_the_team_confirms_an_agreement_once(app, client, world):
    with app.app_context():
        agreement_id = add_agreement()

    confirmed = client.post(f"{URL}/agreements/{agreement_id}/confirm", headers=auth(world.team))
    again = client.post(f"{URL}/agreements/{agreement_id}/confirm", headers=auth(world.team))
    unknown = client.post(f"{URL}/agreements/{agreement_id + 1}/confirm", headers=auth(world.team))
    by_adviser = client.post(f"{URL}/agreements/{agreement_id}/confirm", headers=auth(world.adviser))

    agreement = {"id": agreement_id, "date": "2025-11-20", "participants": "Schulleitung, Medienberatung",
                 "text": "Fortbildung planen.", "next_contact": None, "confirmed": True}  # fmt: skip
    assert answer(confirmed) == (200, '"0"', plan_body(agreements=[agreement]))
    assert (again.status_code, again.get_json()) == (409, error(409))
    assert again.get_json()["error"]["message"] == "Diese Vereinbarung ist schon bestätigt."
    assert (unknown.status_code, unknown.get_json()) == (404, error(404))
    assert (by_adviser.status_code, by_adviser.get_json()) == (403, error(403))
