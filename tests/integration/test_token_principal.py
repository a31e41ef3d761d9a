"""The API's assessment routes take a token's account as a `Principal` (one Core statement): it must decide exactly as
the ORM `User` the other routes get (services.accounts.principal)."""

from __future__ import annotations

import pytest

from selfeval import permissions
from selfeval.extensions import db
from selfeval.models import Membership
from selfeval.services.accounts import user_for_token
from selfeval.services.accounts.principal import MembershipFacts, Principal, ScopeFacts, principal_for_token
from selfeval.vocabulary import SUBMITTED_STATUS
from tests.support.factories import make_school, make_token, make_user

PREDICATES = ("can_view_assessment", "can_edit_assessment", "can_release_texts", "is_team_member", "is_in_scope")


class Assessment:
    def __init__(self, status: str, comments_released: bool):
        self.status, self.comments_released = status, comments_released


@pytest.fixture
def world(app_context):
    """Three schools in two Kreise and two Schulformen; a team member of two of them, a supervisor, an adviser."""
    schools = [make_school("100001", kreis="05913"), make_school("100002", kreis="05911"),
               make_school("100003", kreis="05913", schulform="02")]  # fmt: skip
    member = make_user("team@schule.test", school=schools[0], leadership=True)
    db.session.add(Membership(user=member, school=schools[1], is_leadership=False))
    db.session.commit()
    supervisor = make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913", "05911"], schulformen=["15"])
    adviser = make_user("beratung@kreis.test", "adviser", kreise=["05911"])
    return schools, {"member": member, "supervisor": supervisor, "adviser": adviser}


def test_a_team_members_principal_names_its_memberships(world):
    schools, people = world
    token = make_token(people["member"])

    principal = principal_for_token(token)

    assert principal == Principal(
        people["member"].id, "Team", "team", (MembershipFacts(schools[0].id, True), MembershipFacts(schools[1].id, False)), ()
    )


def test_a_supervisors_principal_names_its_scopes_in_their_order(world):
    _, people = world

    principal = principal_for_token(make_token(people["supervisor"]))

    assert principal is not None
    assert (principal.role, principal.memberships) == ("supervisor", ())
    assert principal.scopes == tuple(ScopeFacts(s.kind, s.value) for s in people["supervisor"].scopes)
    assert [s.value for s in principal.scopes] == ["05913", "05911", "15"]


@pytest.mark.parametrize("who", ["member", "supervisor", "adviser"])
def test_the_permission_rules_decide_for_a_principal_as_for_the_user(world, who):
    schools, people = world
    token = make_token(people[who])
    user, principal = user_for_token(token), principal_for_token(token)
    shared = [None, Assessment("draft", False), Assessment(SUBMITTED_STATUS, False), Assessment(SUBMITTED_STATUS, True)]

    decisions = {
        (name, school.schulnummer): (getattr(permissions, name)(user, school), getattr(permissions, name)(principal, school))
        for name in PREDICATES
        for school in schools
    } | {
        (name, school.schulnummer, index): (
            getattr(permissions, name)(user, school, assessment), getattr(permissions, name)(principal, school, assessment)
        )
        for name in ("can_view_scores", "can_view_shared_texts")
        for school in schools
        for index, assessment in enumerate(shared)
    }

    assert {key: pair for key, pair in decisions.items() if pair[0] != pair[1]} == {}
    assert any(pair[0] for pair in decisions.values()) and not all(pair[0] for pair in decisions.values())


def test_no_principal_for_an_inactive_account_an_unknown_token_or_one_without_the_prefix(world):
    _, people = world
    token = make_token(people["adviser"])
    unknown = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")

    assert [principal_for_token(unknown), principal_for_token(token.removeprefix("sev_")), principal_for_token("")] == [
        None, None, None,
    ]  # fmt: skip
    people["adviser"].active = False  # the flag alone (deactivating also deletes the tokens)
    db.session.commit()
    assert (principal_for_token(token), user_for_token(token)) == (None, None)
