"""The plan service: goals replaced all or nothing with optimistic locking and an audit entry, last year's plan
followed up and its open measures carried over once, agreements recorded and confirmed once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent
from selfeval.planning import Goal, Measure, PlanInvalid
from selfeval.services.errors import NotFound
from selfeval.services.plan_agreements import AlreadyConfirmed, confirm_agreement, record_agreement
from selfeval.services.plans import PlanConflict, carry_over, load_plan, replace_goals
from tests.support.catalogue import INDICATORS
from tests.support.factories import leader, make_round, make_school, make_user, submitted

FIRST, SECOND = INDICATORS[0], INDICATORS[1]
GOAL = {
    "indicators": [FIRST],
    "target": 6,
    "success": "WLAN in allen Räumen",
    "measures": [
        {"what": "Ausleuchtung messen", "who": "Schulträger", "status": "erledigt"},
        {"what": "Ausbau beantragen", "who": "Schulleitung", "due": "2026-03-31", "status": "begonnen"},
    ],
}


@pytest.fixture
def world(app):
    with app.app_context():
        old, new = make_round("2024/25", is_open=False), make_round("2025/26")
        school = make_school("100001")
        submitted(school, old, 3)
        submitted(school, new, {i: 7 if i == FIRST else 5 for i in INDICATORS})
        yield school, old, new, leader(school)


def test_goals_are_kept_with_a_version_and_an_audit_entry(world):
    school, _, new, member = world
    assert (load_plan(school, new).version, load_plan(school, new).goals) == (0, ())
    state = replace_goals(school, new, member, 0, [GOAL])
    assert (state.version, state.updated_by, [g.indicators for g in state.goals]) == (1, member.display_name, [(FIRST,)])
    assert [m.status for m in state.goals[0].measures] == ["erledigt", "begonnen"]
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.changed")).all()
    assert event.changes == {
        "ziele": [[], [FIRST]],
        "massnahmen": [[], ["Ausleuchtung messen (erledigt)", "Ausbau beantragen (begonnen)"]],
    }


def test_a_stale_version_or_bad_input_saves_nothing(world):
    school, _, new, member = world
    replace_goals(school, new, member, 0, [GOAL])
    with pytest.raises(PlanConflict) as conflict:
        replace_goals(school, new, member, 0, [])
    assert (conflict.value.current.version, conflict.value.base_version) == (1, 0)
    with pytest.raises(PlanInvalid):
        replace_goals(school, new, member, 1, [{"indicators": []}])
    assert [g.indicators for g in load_plan(school, new).goals] == [(FIRST,)]


def test_no_plan_without_an_assessment(app):
    with app.app_context():
        school, round_ = make_school("100009"), make_round("2025/26")
        member = make_user("team@schule.test", school=school, leadership=True)
        with pytest.raises(NotFound, match="noch keine Bewertung"):
            replace_goals(school, round_, member, 0, [])


def test_next_year_shows_target_against_achieved_and_carries_open_measures_over_once(world):
    school, old, new, member = world
    replace_goals(school, old, member, 0, [GOAL, {"indicators": [SECOND], "target": 9}])
    state = load_plan(school, new)
    assert state.previous is not None
    assert [(o.goal.indicators, o.before, o.achieved, o.reached) for o in state.previous.outcomes] == [
        ((FIRST,), 3.0, 7.0, True),
        ((SECOND,), 3.0, 5.0, False),
    ]
    carried, count = carry_over(school, new, member, 0)
    assert (count, carried.version) == (1, 1)
    assert carried.goals == (
        Goal(
            1, (FIRST,), 6.0, "WLAN in allen Räumen", (Measure(2, "Ausbau beantragen", "Schulleitung", None, "begonnen", (), 3),)
        ),
    )
    again, count = carry_over(school, new, member, 1)
    assert (count, again.version) == (0, 1)


def test_an_agreement_is_recorded_by_the_adviser_and_confirmed_once(world):
    school, _, new, member = world
    adviser = make_user("beratung@mz.test", "adviser", kreise=[school.kreis])
    row = record_agreement(
        school, new, adviser, {"date": "2026-02-03", "participants": "Schulleitung, Medienberatung", "text": "Fortbildung"}
    )
    (agreement,) = load_plan(school, new).agreements
    assert (agreement.held_on, agreement.recorded_by, agreement.confirmed) == (date(2026, 2, 3), adviser.display_name, False)
    confirm_agreement(school, new, member, row.id)
    assert load_plan(school, new).agreements[0].confirmed is True
    with pytest.raises(AlreadyConfirmed):
        confirm_agreement(school, new, member, row.id)
    assert load_plan(school, new).version == 0  # an agreement does not change the goals' version
