"""The permission predicates as one table: actor × question → allowed (plain objects, no database needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from selfeval.jobs.report_jobs import ReportJob
from selfeval.models import Membership, School, User, UserScope
from selfeval.permissions import (
    account_key,
    can_administer,
    can_edit_assessment,
    can_use_analytics,
    can_view_assessment,
    can_view_history,
    can_view_report_job,
    is_own_account,
)

#: School A: a Gesamtschule in Dortmund (Bezirksregierung Arnsberg); B: one in Düsseldorf.
SCHOOL_A = School(id=1, schulnummer="100001", name="A", schulform="15", kreis="05913", ort="Dortmund")
SCHOOL_B = School(id=2, schulnummer="100002", name="B", schulform="15", kreis="05111", ort="Düsseldorf")

#: name -> (id, role, school of the membership, scopes as (kind, value), active)
ACTORS = {
    "team A": (1, "team", SCHOOL_A, [], True),
    "team B": (2, "team", SCHOOL_B, [], True),
    "supervisor in scope": (3, "supervisor", None, [("bezirk", "Arnsberg")], True),
    "supervisor out of scope": (4, "supervisor", None, [("bezirk", "Düsseldorf")], True),
    "supervisor of another Schulform": (5, "supervisor", None, [("kreis", "05913"), ("schulform", "20")], True),
    "adviser in scope": (6, "adviser", None, [("kreis", "05913")], True),
    "adviser out of scope": (7, "adviser", None, [("kreis", "05111")], True),
    "admin": (8, "admin", None, [], True),
    "deactivated team A": (9, "team", SCHOOL_A, [], False),
    "deactivated supervisor in scope": (10, "supervisor", None, [("kreis", "05913")], False),
    "deactivated admin": (11, "admin", None, [], False),
}
#: When each test account was made (account_key names an account by its id and this moment).
MADE = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
QUESTIONS = ("administer", "analytics", "view A", "edit A", "history A", "view B", "job of 3", "own account 3")
TABLE = {
    #                                   admin  analyt view A edit A hist A view B job 3  self 3
    "team A": (                         False, False, True,  True,  True,  False, False, False),
    "team B": (                         False, False, False, False, False, True,  False, False),
    "supervisor in scope": (            False, True,  True,  False, False, False, True,  True),
    "supervisor out of scope": (        False, True,  False, False, False, True,  False, False),
    "supervisor of another Schulform": (False, True,  False, False, False, False, False, False),
    "adviser in scope": (               False, True,  True,  False, False, False, False, False),
    "adviser out of scope": (           False, True,  False, False, False, True,  False, False),
    "admin": (                          True,  True,  True,  False, True,  True,  False, False),
    "deactivated team A": (             False, False, False, False, False, False, False, False),
    "deactivated supervisor in scope": (False, False, False, False, False, False, False, False),
    "deactivated admin": (              False, False, False, False, False, False, False, False),
}  # fmt: skip


def build(name: str) -> User:
    user_id, role, school, scopes, active = ACTORS[name]
    made = MADE + timedelta(days=user_id)
    user = User(id=user_id, email=f"{user_id}@example.de", display_name=name, role=role, active=active, created_at=made)
    user.memberships = [Membership(school_id=school.id, is_leadership=True)] if school else []
    user.scopes = [UserScope(kind=kind, value=value) for kind, value in scopes]
    return user


def answers(user: User) -> tuple[bool, ...]:
    supervisor_in_scope = build("supervisor in scope")
    return (
        can_administer(user),
        can_use_analytics(user),
        can_view_assessment(user, SCHOOL_A),
        can_edit_assessment(user, SCHOOL_A),
        can_view_history(user, SCHOOL_A),
        can_view_assessment(user, SCHOOL_B),
        can_view_report_job(user, JOB),
        is_own_account(user, supervisor_in_scope),
    )


#: The job belongs to the supervisor in scope (id 3).
JOB = ReportJob(id="j" * 22, owner=account_key(build("supervisor in scope")), round_name="2025/26", round_slug="2025-26", total=1)


def test_a_job_belongs_to_one_account_not_to_whoever_gets_its_id_later():
    """Issue 15, item 9: SQLite gives an erased account's id to the next new one."""
    owner = build("supervisor in scope")
    successor = build("supervisor in scope")
    successor.created_at = owner.created_at + timedelta(microseconds=1)
    assert (successor.id, can_view_report_job(owner, JOB), can_view_report_job(successor, JOB)) == (3, True, False)
    assert account_key(owner) == account_key(build("supervisor in scope"))
    assert len(account_key(owner)) == 32


def test_the_table_asks_every_question_of_every_actor():
    assert sorted(TABLE) == sorted(ACTORS)
    assert {len(row) for row in TABLE.values()} == {len(QUESTIONS)}


@pytest.mark.parametrize("name", list(TABLE))
def test_every_predicate_answers_as_the_table_says(name):
    assert dict(zip(QUESTIONS, answers(build(name)), strict=True)) == dict(zip(QUESTIONS, TABLE[name], strict=True))


def test_the_operator_at_the_command_line_acts_on_no_own_account():
    assert is_own_account(None, build("admin")) is False
