"""Issue 18 with issue 16: what the Medienberatung types into the plan page's agreement form is not lost when the
session has ended (kept across the new log-in, for that adviser only), and the plan page's buttons without typed
input ("Bestätigen", "Offene Maßnahmen übernehmen") lead back to the page with a message instead of a bare 400."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import PlanAgreement, UnsavedInput, User
from selfeval.services.accounts import find_user
from selfeval.services.plan_agreements import record_agreement
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from selfeval.views.plans import AGREEMENT_RESTORED
from selfeval.views.unsaved import OLD_PAGE, SESSION_ENDED
from tests.support.factories import login, make_round, make_school, make_user, rated
from tests.support.html import csrf, soup_of, text
from tests.support.plan_page import PLAN, agreement_form_data, plan_form_data, shown_agreement

TEAM, ADVISER, OTHER_ADVISER = "leitung-100001@schule.test", "medienberatung@mz.test", "beratung2@mz.test"
AGREEMENTS = PLAN + "/vereinbarungen"
LOGIN_AGAIN = "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2Fplan"
TYPED = {"date": "2025-12-01", "participants": "Schulleitung, Medienberatung",
         "text": "Zwei Lehrkräfte zur Fortbildung anmelden.\nSprechstunde im Februar.", "next_contact": "2026-02-01"}  # fmt: skip
EMPTY = {"date": "", "participants": "", "text": "", "next_contact": ""}


@pytest.fixture
def school(app):
    with app.app_context():
        school = make_school("100001", name="Gesamtschule am Hafen")
        make_round("2025/26")
        rated(school, get_round("2025-26"), {"k1a": 3})  # a draft, by the Schulleitung (TEAM)
        make_user(ADVISER, "adviser", kreise=["05913"])
        make_user(OTHER_ADVISER, "adviser", kreise=["05913"])
    return school


def kept_rows(app) -> list[tuple[str, str]]:
    with app.app_context():
        query = select(UnsavedInput.criterion_id, User.email).join(User, User.id == UnsavedInput.user_id)
        return [tuple(row) for row in db.session.execute(query.order_by(UnsavedInput.id))]


def agreements(app) -> list[tuple]:
    with app.app_context():
        query = select(PlanAgreement.held_on, PlanAgreement.text, PlanAgreement.confirmed_at).order_by(PlanAgreement.id)
        return [(held_on.isoformat(), body, confirmed is not None) for held_on, body, confirmed in db.session.execute(query)]


def flashes(page) -> list[str]:
    return [text(p) for p in page.select(".flashes p")]


def log_out(client) -> None:
    client.post("/abmelden", data={"csrf_token": csrf(client, "/")})


def test_an_agreement_sent_after_the_session_ended_comes_back_to_its_adviser_only(app, client, school):
    login(client, ADVISER)
    page = soup_of(client.get(PLAN))
    client.delete_cookie("session")  # what the browser does when the idle time has passed

    response = client.post(AGREEMENTS, data=agreement_form_data(page, **TYPED))

    assert (response.status_code, response.headers["Location"]) == (303, LOGIN_AGAIN)
    assert flashes(soup_of(client.get(LOGIN_AGAIN))) == [SESSION_ENDED]
    assert (agreements(app), kept_rows(app)) == ([], [("vereinbarung", ADVISER)])
    # Someone else logging in on this browser never gets it: the team has no agreement form, another adviser an
    # empty one.
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    assert (flashes(page), page.find("form", class_="agreement-form")) == ([], None)
    log_out(client)
    login(client, OTHER_ADVISER)
    page = soup_of(client.get(PLAN))
    assert (flashes(page), shown_agreement(page)) == ([], EMPTY)
    log_out(client)
    assert kept_rows(app) == [("vereinbarung", ADVISER)]

    login(client, ADVISER)
    page = soup_of(client.get(PLAN))

    assert (flashes(page), shown_agreement(page)) == ([AGREEMENT_RESTORED], TYPED)
    assert (agreements(app), kept_rows(app)) == ([], [])
    response = client.post(AGREEMENTS, data=agreement_form_data(page))
    assert (response.status_code, response.headers["Location"]) == (302, PLAN + "#vereinbarungen")
    assert agreements(app) == [("2025-12-01", TYPED["text"], False)]
    # Handed out once: the next page shows the recorded agreement and an empty form.
    page = soup_of(client.get(PLAN))
    assert (flashes(page)[0][:27], shown_agreement(page)) == ("Die Vereinbarung ist festge", EMPTY)


def test_an_agreement_from_a_tab_of_an_earlier_log_in_comes_back_with_its_input(app, client, school):
    login(client, ADVISER)
    old_tab = soup_of(client.get(PLAN))
    log_out(client)
    login(client, ADVISER)  # a new session: the old tab's CSRF token no longer matches

    response = client.post(AGREEMENTS, data=agreement_form_data(old_tab, **TYPED))

    assert (response.status_code, response.headers["Location"]) == (303, PLAN + "#vereinbarungen")
    page = soup_of(client.get(PLAN))
    assert (flashes(page), shown_agreement(page), agreements(app)) == ([OLD_PAGE, AGREEMENT_RESTORED], TYPED, [])


def test_an_owner_field_of_the_other_form_keeps_nothing(app, client, school):
    """The team's plan form and the adviser's agreement form sign their owner fields apart: neither is taken for the
    other, and a team member's field never keeps an agreement (nor an adviser's a plan)."""
    login(client, TEAM)
    team_page = soup_of(client.get(PLAN))
    log_out(client)
    login(client, ADVISER)
    adviser_page = soup_of(client.get(PLAN))
    client.delete_cookie("session")
    team_owner = team_page.find("form", class_="plan-form").find("input", attrs={"name": "page_owner"})["value"]
    adviser_owner = agreement_form_data(adviser_page)["page_owner"]

    as_agreement = client.post(AGREEMENTS, data=agreement_form_data(adviser_page, **TYPED, page_owner=team_owner))
    as_plan = client.post(PLAN, data=plan_form_data(team_page, page_owner=adviser_owner, **{"g0-target": "4"}))
    without = client.post(AGREEMENTS, data=agreement_form_data(adviser_page, **TYPED, page_owner=""))

    assert [r.status_code for r in (as_agreement, as_plan, without)] == [400, 400, 400]
    assert (kept_rows(app), agreements(app)) == ([], [])


def test_an_agreement_form_sent_empty_keeps_nothing(app, client, school):
    login(client, ADVISER)
    page = soup_of(client.get(PLAN))
    client.delete_cookie("session")

    response = client.post(AGREEMENTS, data=agreement_form_data(page))

    assert (response.status_code, kept_rows(app)) == (400, [])


@pytest.fixture
def agreement_id(app, school):
    with app.app_context():
        values = {"date": "2025-12-01", "participants": "Schulleitung", "text": "Sprechstunde nutzen."}
        row = record_agreement(get_school("100001"), get_round("2025-26"), find_user(ADVISER), values)
        db.session.commit()
        return row.id


def test_confirming_after_the_session_ended_leads_back_to_the_plan_with_a_message(app, client, agreement_id):
    login(client, TEAM)
    token = csrf(client, PLAN)
    client.delete_cookie("session")

    response = client.post(f"{AGREEMENTS}/{agreement_id}/bestaetigen", data={"csrf_token": token})

    assert (response.status_code, response.headers["Location"]) == (303, LOGIN_AGAIN)
    assert flashes(soup_of(client.get(LOGIN_AGAIN))) == [
        "Ihre Sitzung war abgelaufen, deshalb ist die Vereinbarung noch nicht bestätigt. Bitte melden Sie sich wieder "
        "an und wählen Sie dann noch einmal „Bestätigen“."
    ]
    assert agreements(app) == [("2025-12-01", "Sprechstunde nutzen.", False)]
    login(client, TEAM)
    assert text(soup_of(client.get(PLAN)).select_one(".agreement button")) == "Bestätigen"


def test_confirming_after_a_log_out_on_another_device_leads_to_the_log_in_with_the_message(app, client, agreement_id):
    elsewhere = app.test_client()
    login(client, TEAM)
    login(elsewhere, TEAM)
    token = csrf(client, PLAN)
    log_out(elsewhere)  # ends every session of the account: here the CSRF token is still good, the user is gone

    response = client.post(f"{AGREEMENTS}/{agreement_id}/bestaetigen", data={"csrf_token": token})

    assert (response.status_code, response.headers["Location"]) == (303, LOGIN_AGAIN)
    assert flashes(soup_of(client.get(LOGIN_AGAIN)))[0].startswith("Ihre Sitzung war abgelaufen, deshalb ist die Vereinbarung")
    assert agreements(app) == [("2025-12-01", "Sprechstunde nutzen.", False)]


def test_buttons_from_a_tab_of_an_earlier_log_in_say_to_choose_them_again(app, client, agreement_id):
    login(client, TEAM)
    old_token = csrf(client, PLAN)
    log_out(client)
    login(client, TEAM)

    confirm = client.post(f"{AGREEMENTS}/{agreement_id}/bestaetigen", data={"csrf_token": old_token})
    confirm_page = soup_of(client.get(confirm.headers["Location"]))
    carry = client.post(PLAN + "/uebernehmen", data={"csrf_token": old_token, "version": "0"})
    carry_page = soup_of(client.get(carry.headers["Location"]))

    assert [(r.status_code, r.headers["Location"]) for r in (confirm, carry)] == [
        (303, PLAN + "#vereinbarungen"), (303, PLAN),
    ]  # fmt: skip
    assert flashes(confirm_page) == [
        "Diese Seite stammte aus einer früheren Anmeldung, deshalb ist die Vereinbarung noch nicht bestätigt. "
        "Bitte wählen Sie noch einmal „Bestätigen“."
    ]
    assert flashes(carry_page) == [
        "Diese Seite stammte aus einer früheren Anmeldung, deshalb ist noch nichts übernommen. "
        "Bitte wählen Sie noch einmal „Offene Maßnahmen übernehmen“."
    ]
    assert agreements(app) == [("2025-12-01", "Sprechstunde nutzen.", False)]


def test_a_button_for_a_school_that_does_not_exist_gets_the_plain_400(app, client, agreement_id):
    login(client, TEAM)
    client.delete_cookie("session")

    response = client.post("/schulen/999999/2025-26/plan/uebernehmen", data={"version": "0"})

    assert (response.status_code, text(soup_of(response).h1)) == (400, "Ungültige Anfrage")
