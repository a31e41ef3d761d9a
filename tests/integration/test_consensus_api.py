"""Issue 21 through the API: a team of four rates alone, then agrees; who may see what; the locking of both forms.

Runs on SQLite and on PostgreSQL (SELFEVAL_TEST_DATABASE_URL), like every integration test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import Assessment, MemberRating, MemberSheet, Round, School, User
from selfeval.services.accounts import find_user, privacy
from selfeval.services.consensus import sheets
from tests.support.api import ROUND_SLUG, SCHULNUMMER, URL, auth
from tests.support.factories import make_round, make_school, make_token, make_user
from tests.support.rendezvous import meet_after, run_together

PHASE, MINE, SPREAD = URL + "/phase", URL + "/mine", URL + "/spread"
MEMBERS = ("leitung", "anna", "ben", "cem")  # leitung is the Schulleitung member


@dataclass
class World:
    tokens: dict[str, str]  # team members, supervisor_in, adviser_in, admin, other_team


@pytest.fixture
def world(app) -> World:
    """School 123456 with a team of four, an open round, a supervisor and an adviser in scope, an admin, another team."""
    with app.app_context():
        school = make_school(SCHULNUMMER)
        other = make_school("654321")
        make_round("2025/26")
        tokens = {
            name: make_token(make_user(f"{name}@schule.test", school=school, leadership=name == "leitung")) for name in MEMBERS
        }
        tokens["supervisor_in"] = make_token(make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"]))
        tokens["adviser_in"] = make_token(make_user("beratung@kreis.test", "adviser", kreise=["05913"]))
        tokens["admin"] = make_token(make_user("admin@selfeval.test", "admin"))
        tokens["other_team"] = make_token(make_user("fremd@schule.test", school=other, leadership=True))
        return World(tokens)


def version_of(client, token: str) -> int:
    return client.get(URL, headers=auth(token)).get_json()["version"]


def put_phase(client, token: str, body: dict, version: int):
    return client.put(PHASE, json=body, headers={**auth(token), "If-Match": f'"{version}"'})


def put_mine(client, token: str, ratings: dict, version: int):
    return client.put(MINE, json={"ratings": ratings}, headers={**auth(token), "If-Match": f'"{version}"'})


def start_individual_phase(client, world: World, **options) -> int:
    response = put_phase(
        client, world.tokens["leitung"], {"phase": "individual", **options}, version_of(client, world.tokens["leitung"])
    )
    assert (response.status_code, response.get_json()["phase"]) == (200, "individual")
    return response.get_json()["version"]


# Four members' values for three indicators; by hand:
# k1a: 2, 7, 9, 4 → sorted 2 4 7 9, median 5.5, range 7 → disagreement; the form starts at 6 (half up).
# k1b: 5, 5, 6, None → 5 5 6, n 3, median 5, range 1.
# k2a: 8, 8, 8, 8 → median 8, range 0.
VALUES = {
    "leitung": {"k1a": 2, "k1b": 5, "k2a": 8},
    "anna": {"k1a": 7, "k1b": 5, "k2a": 8},
    "ben": {"k1a": 9, "k1b": 6, "k2a": 8},
    "cem": {"k1a": 4, "k1b": None, "k2a": 8},
}


def test_a_team_of_four_rates_alone_then_agrees_and_supervision_sees_only_the_consensus(app, client, world):
    start_individual_phase(client, world)
    for name, values in VALUES.items():
        response = put_mine(client, world.tokens[name], {k: {"score": v} for k, v in values.items()}, 0)
        assert (response.status_code, response.headers["ETag"], response.get_json()["version"]) == (200, '"1"', 1)
    own = client.get(MINE, headers=auth(world.tokens["anna"])).get_json()
    assert {k: v for k, v in own["ratings"].items() if v["score"] is not None} == {
        "k1a": {"score": 7, "comment": ""}, "k1b": {"score": 5, "comment": ""}, "k2a": {"score": 8, "comment": ""},
    }  # fmt: skip
    assert (own["phase"], own["editable"], own["members"], own["members_finished"]) == ("individual", True, 4, 0)

    # During the individual phase: no spread, no shared form, nothing of the sheets in the assessment.
    assert client.get(SPREAD, headers=auth(world.tokens["anna"])).status_code == 409
    document = client.get(URL, headers=auth(world.tokens["anna"])).get_json()
    assert (document["phase"], document["completeness"]) == ("individual", 0.0)
    blocked = client.put(
        URL,
        json={"ratings": {"k1a": {"score": 3}}},
        headers={**auth(world.tokens["anna"]), "If-Match": f'"{document["version"]}"'},
    )
    assert blocked.status_code == 409

    opened = put_phase(client, world.tokens["leitung"], {"phase": "consensus"}, document["version"])
    assert (opened.status_code, opened.get_json()["phase"]) == (200, "consensus")
    spread = client.get(SPREAD, headers=auth(world.tokens["ben"]))
    assert spread.status_code == 200
    body = spread.get_json()
    assert (body["phase"], body["members"], body["finished"]) == ("consensus", 4, 0)
    assert {k: body["indicators"][k] for k in ("k1a", "k1b", "k2a", "k3a")} == {
        "k1a": {"n": 4, "values": [2, 4, 7, 9], "median": 5.5, "min": 2, "max": 9, "disagreement": True},
        "k1b": {"n": 3, "values": [5, 5, 6], "median": 5.0, "min": 5, "max": 6, "disagreement": False},
        "k2a": {"n": 4, "values": [8, 8, 8, 8], "median": 8.0, "min": 8, "max": 8, "disagreement": False},
        "k3a": {"n": 0, "values": [], "median": None, "min": None, "max": None, "disagreement": False},
    }
    # Sheets are frozen in the consensus phase; the consensus goes through the assessment's own form.
    assert put_mine(client, world.tokens["anna"], {"k1a": {"score": 1}}, 1).status_code == 409
    consensus = client.put(
        URL, json={"ratings": {"k1a": {"score": 6, "comment": "Konsens nach Diskussion"}}},
        headers={**auth(world.tokens["cem"]), "If-Match": f'"{opened.get_json()["version"]}"'},
    )  # fmt: skip
    assert consensus.status_code == 200

    own = client.get(URL, headers=auth(world.tokens["anna"])).get_json()
    assert {k: v for k, v in own["ratings"].items() if v["score"] is not None} == {
        "k1a": {"score": 6, "comment": "Konsens nach Diskussion"}
    }
    # The assessment is still a draft, which is the team's (issue 19): supervision sees no value at all, neither
    # the consensus nor, ever, a member's own.
    seen = client.get(URL, headers=auth(world.tokens["supervisor_in"])).get_json()
    assert {k: v for k, v in seen["ratings"].items() if v["score"] is not None} == {}
    for outsider in ("supervisor_in", "adviser_in", "admin", "other_team"):
        for address in (MINE, SPREAD):
            refused = client.get(address, headers=auth(world.tokens[outsider]))
            assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, 403), (outsider, address)
        assert put_mine(client, world.tokens[outsider], {"k1a": {"score": 1}}, 0).status_code == 403
        assert put_phase(client, world.tokens[outsider], {"phase": "individual"}, 0).status_code == 403


def test_only_a_schulleitung_member_changes_the_phase_and_only_on_the_current_version(app, client, world):
    version = version_of(client, world.tokens["anna"])
    refused = put_phase(client, world.tokens["anna"], {"phase": "individual"}, version)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, 403)
    assert put_phase(client, world.tokens["leitung"], {"phase": "consensus"}, version).status_code == 409
    assert put_phase(client, world.tokens["leitung"], {"phase": "shared"}, version).status_code == 422
    assert put_phase(client, world.tokens["leitung"], {"phase": "individual", "extra": 1}, version).status_code == 422
    stale = put_phase(client, world.tokens["leitung"], {"phase": "individual"}, version + 5)
    assert stale.status_code == 412
    no_version = client.put(PHASE, json={"phase": "individual"}, headers=auth(world.tokens["leitung"]))
    assert no_version.status_code == 428
    with app.app_context():
        assert db.session.scalars(select(Assessment.phase)).all() == []  # nothing was created by the refusals


def test_members_saving_their_own_sheets_in_parallel_never_conflict(app, world):
    with app.app_context():
        start_individual_phase(app.test_client(), world)

    def save(name: str):
        client = app.test_client()
        return put_mine(client, world.tokens[name], {"k1a": {"score": VALUES[name]["k1a"], "comment": name}}, 0)

    with app.app_context(), meet_after(db.engine, r"^\s*SELECT .*FROM member_sheets", parties=len(MEMBERS)):
        answers = run_together(*(lambda name=name: save(name) for name in MEMBERS))
    assert [(a.status_code, a.get_json()["version"]) for a in answers] == [(200, 1)] * len(MEMBERS)
    with app.app_context():
        stored = db.session.execute(
            select(User.email, MemberRating.score, MemberRating.comment).join(MemberSheet, MemberSheet.user_id == User.id)
            .join(MemberRating, MemberRating.sheet_id == MemberSheet.id).order_by(User.email)
        ).all()  # fmt: skip
    assert [tuple(row) for row in stored] == sorted((f"{name}@schule.test", VALUES[name]["k1a"], name) for name in MEMBERS)


def test_one_member_in_two_tabs_gets_412_and_nothing_changes(app, client, world):
    start_individual_phase(client, world)
    assert put_mine(client, world.tokens["anna"], {"k1a": {"score": 3}}, 0).status_code == 200
    stale = put_mine(client, world.tokens["anna"], {"k1a": {"score": 9}}, 0)
    assert (stale.status_code, stale.get_json()["error"]["code"]) == (412, 412)
    assert client.get(MINE, headers=auth(world.tokens["anna"])).get_json()["ratings"]["k1a"] == {"score": 3, "comment": ""}


def test_the_consensus_form_keeps_the_optimistic_locking(app, client, world):
    version = start_individual_phase(client, world)
    version = put_phase(client, world.tokens["leitung"], {"phase": "consensus"}, version).get_json()["version"]
    first = client.put(
        URL, json={"ratings": {"k1a": {"score": 5}}}, headers={**auth(world.tokens["anna"]), "If-Match": f'"{version}"'}
    )
    late = client.put(
        URL, json={"ratings": {"k1a": {"score": 7}}}, headers={**auth(world.tokens["ben"]), "If-Match": f'"{version}"'}
    )
    assert (first.status_code, late.status_code, late.get_json()["error"]["changed"]) == (200, 412, ["k1a"])


def test_the_last_member_finishing_opens_the_consensus_phase(app, client, world):
    start_individual_phase(client, world)
    with app.app_context():
        school, round_ = _school_and_round()
        for name in MEMBERS:
            state = sheets.finish_sheet(school, round_, find_user(f"{name}@schule.test"))
            db.session.commit()
        assert (state.phase, state.finished, state.members) == ("consensus", 4, 4)
    assert client.get(SPREAD, headers=auth(world.tokens["anna"])).status_code == 200


@pytest.mark.parametrize("delete", [True, False])
def test_sheets_are_deleted_on_submission_only_if_the_team_chose_so(app, client, world, delete):
    version = start_individual_phase(client, world, delete_sheets_on_submit=delete)
    assert put_mine(client, world.tokens["anna"], {"k1a": {"score": 3}}, 0).status_code == 200
    version = put_phase(client, world.tokens["leitung"], {"phase": "consensus"}, version).get_json()["version"]
    from tests.support.catalogue import INDICATORS

    everything = {"ratings": {key: {"score": 5} for key in INDICATORS}}
    saved = client.put(URL, json=everything, headers={**auth(world.tokens["leitung"]), "If-Match": f'"{version}"'})
    submitted = client.post(URL + "/submit", headers={**auth(world.tokens["leitung"]), "If-Match": saved.headers["ETag"]})
    assert submitted.status_code == 200
    with app.app_context():
        counts = (db.session.scalar(select(func.count()).select_from(MemberSheet)),
                  db.session.scalar(select(func.count()).select_from(MemberRating)))  # fmt: skip
    assert counts == ((0, 0) if delete else (1, 1))


def test_the_dsgvo_export_holds_the_own_sheet_and_the_erasure_deletes_it(app, client, world):
    start_individual_phase(client, world)
    put_mine(client, world.tokens["anna"], {"k1a": {"score": 3, "comment": "meine Sicht"}}, 0)
    put_mine(client, world.tokens["ben"], {"k1a": {"score": 8}}, 0)
    with app.app_context():
        anna, admin = find_user("anna@schule.test"), find_user("admin@selfeval.test")
        document = privacy.export_user(anna, actor=admin)
        assert document["individual_sheets"] == [
            {"schulnummer": SCHULNUMMER, "round": "2025/26", "version": 1, "finished_at": None,
             "ratings": {"k1a": {"score": 3, "comment": "meine Sicht"}}}
        ]  # fmt: skip
        assert "individual_sheets" not in privacy.export_user(find_user("cem@schule.test"), actor=admin)
        privacy.erase_user(anna, actor=admin)
        db.session.commit()
        left = db.session.execute(select(MemberSheet.user_id, MemberRating.score).join(MemberRating)).all()
        assert [tuple(row) for row in left] == [(find_user("ben@schule.test").id, 8)]


def _school_and_round() -> tuple[School, Round]:
    school = db.session.scalars(select(School).filter_by(schulnummer=SCHULNUMMER)).one()
    return school, db.session.scalars(select(Round).filter_by(slug=ROUND_SLUG)).one()


def test_back_from_the_consensus_to_the_sheets_everyone_finishes_again(app, client, world):
    start_individual_phase(client, world)
    with app.app_context():
        school, round_ = _school_and_round()
        for name in MEMBERS:
            sheets.finish_sheet(school, round_, find_user(f"{name}@schule.test"))
            db.session.commit()
    version = version_of(client, world.tokens["leitung"])
    back = put_phase(client, world.tokens["leitung"], {"phase": "individual"}, version)
    assert (back.status_code, back.get_json()["phase"]) == (200, "individual")
    mine = client.get(MINE, headers=auth(world.tokens["anna"])).get_json()
    assert (mine["finished"], mine["members_finished"], mine["editable"]) == (False, 0, True)
    assert client.get(SPREAD, headers=auth(world.tokens["anna"])).status_code == 409
