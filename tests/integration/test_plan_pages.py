"""The plan page (issue 18) through the real app, forms and database: the team writes goals and measures without
JavaScript and loses nothing (more rows, problems, a colleague's save, an ended session); the Medienberatung reads
the plan of a draft without its scores and records agreements, the team confirms them; last year's open measures
come over; readers outside the team and the Medienberatung see the plan only once it is shared."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent
from selfeval.services.accounts import find_user
from selfeval.services.assessments import set_comments_released
from selfeval.services.plan_agreements import record_agreement
from selfeval.services.plans import replace_goals
from selfeval.services.rounds import get_round, set_round_open
from selfeval.services.schools import get_school
from selfeval.views.unsaved import OLD_PAGE, SESSION_ENDED
from tests.support.catalogue import LEITFADEN
from tests.support.factories import login, make_round, make_school, make_user, rated, submitted
from tests.support.html import csrf, field_errors, soup_of, text
from tests.support.plan_page import PLAN, goal_headings, plan_form_data, shown_fields, stored_goals, summary

TEAM, COLLEAGUE = "leitung-100001@schule.test", "lehrer@schule.test"
ADVISER, SUPERVISOR = "medienberatung@mz.test", "aufsicht@bezreg.test"
OVERVIEW = "/schulen/100001/2025-26/"
TEXTS = {i.id: i.text for i in LEITFADEN.indicators}
#: Six indicators tied at the lowest score: all six are named, not the first three in Leitfaden order.
SCORES = dict.fromkeys(TEXTS, 6) | {"k1b": 1, "k2a": 1, "k3b": 1, "k4a": 1, "k5c": 1, "k6b": 1, "k1a": 2}
RESTORED = "Ihre Eingaben stehen wieder im Formular, sind aber noch nicht gespeichert. Bitte prüfen und speichern Sie sie."


@pytest.fixture
def school(app):
    with app.app_context():
        school = make_school("100001", name="Gesamtschule am Hafen")
        make_round("2024/25", is_open=False)
        make_round("2025/26")
        rated(school, get_round("2025-26"), SCORES)  # a draft, by the Schulleitung (TEAM)
        make_user(COLLEAGUE, school=school)
        make_user(ADVISER, "adviser", kreise=["05913"])
        make_user(SUPERVISOR, "supervisor", kreise=["05913"])
    return school


def first_goal(**more: str | list[str]) -> dict[str, str | list[str]]:
    return {"g0-indicator-1": "k1b", "g0-target": "4,5", "g0-success": "Jede Fachschaft hat eine Ansprechperson.",
            "g0-m0-what": "Ansprechpersonen benennen", "g0-m0-who": "Schulleitung", "g0-m0-due": "2026-03-31",
            "g0-m0-status": "begonnen"} | more  # fmt: skip


def test_an_empty_plan_names_every_tie_of_the_weakest_indicators_with_their_scores(client, school):
    login(client, TEAM)
    page = soup_of(client.get(PLAN))

    assert text(page.h1) == "Entwicklungsplan 2025/26"
    assert [text(li) for li in page.select(".suggestions li")] == [
        f"{label} {TEXTS[key]} Wert 1" for label, key in
        (("1b", "k1b"), ("2a", "k2a"), ("3b", "k3b"), ("4a", "k4a"), ("5c", "k5c"), ("6b", "k6b"))
    ]  # fmt: skip
    assert text(page.select_one("#vorschlag-titel + p")) == (
        "Am schwächsten bewertet – mit allen, die gleich schwach bewertet sind:"
    )
    assert goal_headings(page) == ["Ziel 1"]
    assert shown_fields(page, "version", "g0-id", "g0-indicator-1", "g0-m0-what", "g0-m0-status") == {
        "version": "0", "g0-id": "", "g0-indicator-1": "", "g0-m0-what": "", "g0-m0-status": "geplant"
    }  # fmt: skip
    assert text(page.select_one("label[for=g0-m0-who] + .hint")) == (
        "Eine Funktion, kein Name, z. B. Medienkoordination, Schulleitung, Fachkonferenz Deutsch."
    )
    assert text(page.select_one("#vereinbarungen p")) == "Noch keine Vereinbarungen festgehalten."
    assert page.find("form", action=f"{PLAN}/vereinbarungen") is None  # the team does not record agreements


def test_the_team_saves_two_goals_with_measures_and_offers_audited(app, client, school):
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    page = soup_of(client.post(PLAN, data=plan_form_data(page, **first_goal(), aktion="weiteres-ziel")))
    assert text(page.select_one(".notice--warning")) == (
        "Noch nicht gespeichert: Ihre Eingaben stehen unten, eine leere Zeile ist dazugekommen."
    )
    assert goal_headings(page) == ["Ziel 1: 1b", "Ziel 2"]
    offers = page.select("#g0-m0-offers li")
    assert offers and all(" – " in text(li) for li in offers)
    offer_id = offers[0].input["value"]
    data = plan_form_data(page, **{"g0-m0-offers": [offer_id], "g1-indicator-1": "k2a", "g1-indicator-2": "k3b",
                                   "g1-m0-what": "Fortbildung besuchen", "g1-m0-who": "Medienkoordination"})  # fmt: skip

    response = client.post(PLAN, data=data)

    assert (response.status_code, response.headers["Location"]) == (302, PLAN)
    assert stored_goals(app) == (1, [
        (("k1b",), 4.5, "Jede Fachschaft hat eine Ansprechperson.",
         [("Ansprechpersonen benennen", "Schulleitung", "2026-03-31", "begonnen", (offer_id,))]),
        (("k2a", "k3b"), None, "", [("Fortbildung besuchen", "Medienkoordination", None, "geplant", ())]),
    ])  # fmt: skip
    page = soup_of(client.get(PLAN))
    assert [text(p) for p in page.select(".flashes p")] == ["Der Entwicklungsplan ist gespeichert."]
    assert goal_headings(page) == ["Ziel 1: 1b", "Ziel 2: 2a, 3b"]
    assert shown_fields(page, "version", "g0-target", "g0-m0-due", "g0-m0-offers", "g0-m1-what") == {
        "version": "1", "g0-target": "4,5", "g0-m0-due": "2026-03-31", "g0-m0-offers": [offer_id], "g0-m1-what": ""
    }  # fmt: skip
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.changed")).all()
        assert [(e.actor_name, e.changes) for e in events] == [
            ("Leitung-100001", {"ziele": [[], ["k1b", "k2a, k3b"]],
                                "massnahmen": [[], ["Ansprechpersonen benennen (begonnen)", "Fortbildung besuchen (geplant)"]]})
        ]  # fmt: skip
    history = soup_of(client.get(OVERVIEW + "verlauf"))
    newest = history.select("tbody tr")[0]
    assert [text(td) for td in newest.find_all("td")[1:3]] == ["Leitung-100001", "Entwicklungsplan geändert"]
    assert [text(li) for li in newest.select(".audit-changes li")] == [
        "Ziele (Indikatoren): keine → 1b; 2a, 3b",
        "Maßnahmen: keine → Ansprechpersonen benennen (begonnen); Fortbildung besuchen (geplant)",
    ]


def test_removing_a_measure_and_a_goal_takes_effect_on_saving(app, client, school):
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    client.post(PLAN, data=plan_form_data(page, **first_goal(**{"g0-m1-what": "Zweite Maßnahme"})))
    page = soup_of(client.get(PLAN))
    assert [fs["id"] for fs in page.select("fieldset.measure")] == ["g0-m0", "g0-m1", "g0-m2"]  # and an empty one
    assert text(page.select_one("label[for=g0-m0-remove]")) == "Maßnahme 1 beim Speichern entfernen"

    response = client.post(PLAN, data=plan_form_data(page, **{"g0-m0-remove": "ja"}))

    assert response.status_code == 302
    assert stored_goals(app)[1][0][3] == [("Zweite Maßnahme", "", None, "geplant", ())]
    page = soup_of(client.get(PLAN))
    client.post(PLAN, data=plan_form_data(page, **{"g0-remove": "ja"}))
    assert stored_goals(app) == (3, [])
    assert goal_headings(soup_of(client.get(PLAN))) == ["Ziel 1"]  # an empty one to start again


def test_problems_stand_beside_their_fields_and_the_input_stays(app, client, school):
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    data = plan_form_data(page, **first_goal(**{"g0-target": "viel", "g0-m0-due": "31.03.2026", "g0-m0-what": ""}))

    response = client.post(PLAN, data=data)

    page = soup_of(response)
    assert response.status_code == 200
    assert summary(page) == [
        "Ziel 1, Zielwert: Der Zielwert muss eine Zahl von 0 bis 10 sein (oder leer bleiben).",
        "Ziel 1, Maßnahme 1, Was: Bitte beschreiben, was getan wird.",
        "Ziel 1, Maßnahme 1, Bis wann: Bitte ein Datum als JJJJ-MM-TT angeben, z. B. 2026-11-30.",
    ]
    assert field_errors(page) == {
        "g0-target": "Der Zielwert muss eine Zahl von 0 bis 10 sein (oder leer bleiben).",
        "g0-m0-what": "Bitte beschreiben, was getan wird.",
        "g0-m0-due": "Bitte ein Datum als JJJJ-MM-TT angeben, z. B. 2026-11-30.",
    }
    assert page.find(id="g0-target")["aria-describedby"] == "g0-target-hint g0-target-error"
    assert page.find(id="g0-target")["aria-invalid"] == "true"
    assert (page.find(id="fehler")["role"], page.find(id="fehler").has_attr("autofocus")) == ("alert", True)
    assert shown_fields(page, "g0-target", "g0-m0-due", "g0-m0-who", "g0-success") == {
        "g0-target": "viel", "g0-m0-due": "31.03.2026", "g0-m0-who": "Schulleitung",
        "g0-success": "Jede Fachschaft hat eine Ansprechperson.",
    }  # fmt: skip
    assert stored_goals(app) == (0, [])


def test_a_colleagues_save_in_between_is_shown_beside_the_kept_input(app, client, school):
    login(client, TEAM)
    mine = soup_of(client.get(PLAN))
    colleague = app.test_client()
    login(colleague, COLLEAGUE)
    theirs = soup_of(colleague.get(PLAN))
    colleague.post(PLAN, data=plan_form_data(theirs, **{"g0-indicator-1": "k6b", "g0-m0-what": "WLAN-Ausbau beantragen"}))

    response = client.post(PLAN, data=plan_form_data(mine, **first_goal()))

    page = soup_of(response)
    assert response.status_code == 409
    assert text(page.select_one("#konflikt h2")) == "Ein anderes Teammitglied hat den Plan inzwischen gespeichert."
    assert [text(h) for h in page.select("#konflikt .goal h4")] == ["Ziel 1: 6b"]
    assert text(page.select_one("#konflikt .stored-plan h3")).startswith("Der gespeicherte Plan (von Lehrer, ")
    assert text(page.select_one("#konflikt .measure-list li")) == "WLAN-Ausbau beantragen Wer: – · ohne Termin · Stand: geplant"
    assert shown_fields(page, "version", "g0-indicator-1", "g0-m0-what") == {
        "version": "1", "g0-indicator-1": "k1b", "g0-m0-what": "Ansprechpersonen benennen"
    }  # fmt: skip
    assert stored_goals(app)[1][0][0] == ("k6b",)
    assert client.post(PLAN, data=plan_form_data(page)).status_code == 302
    assert stored_goals(app)[0] == 2
    assert [g[0] for g in stored_goals(app)[1]] == [("k1b",)]


def test_a_save_after_the_session_ended_keeps_the_input_across_the_new_log_in(app, client, school):
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    client.delete_cookie("session")  # what the browser does when the idle time has passed

    response = client.post(PLAN, data=plan_form_data(page, **first_goal()))

    assert (response.status_code, response.headers["Location"]) == (303, "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2Fplan")
    assert [text(p) for p in soup_of(client.get(response.headers["Location"])).select(".flashes p")] == [SESSION_ENDED]
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    assert [text(p) for p in page.select(".flashes p")] == [RESTORED]
    assert shown_fields(page, "version", "g0-indicator-1", "g0-target", "g0-m0-what", "g0-m0-due") == {
        "version": "0", "g0-indicator-1": "k1b", "g0-target": "4,5", "g0-m0-what": "Ansprechpersonen benennen",
        "g0-m0-due": "2026-03-31",
    }  # fmt: skip
    assert stored_goals(app) == (0, [])
    assert client.post(PLAN, data=plan_form_data(page)).status_code == 302
    assert stored_goals(app)[1][0][0] == ("k1b",)
    # Handed out once: the page after saving shows the saved plan, no kept input.
    assert [text(p) for p in soup_of(client.get(PLAN)).select(".flashes p")] == ["Der Entwicklungsplan ist gespeichert."]


def test_a_save_from_a_tab_of_an_earlier_log_in_comes_back_with_its_input(app, client, school):
    login(client, TEAM)
    old_tab = soup_of(client.get(PLAN))
    client.post("/abmelden", data={"csrf_token": csrf(client, PLAN)})
    login(client, TEAM)  # a new session: the old tab's CSRF token no longer matches

    response = client.post(PLAN, data=plan_form_data(old_tab, **first_goal()))

    assert (response.status_code, response.headers["Location"]) == (303, PLAN)
    page = soup_of(client.get(PLAN))
    assert [text(p) for p in page.select(".flashes p")] == [OLD_PAGE, RESTORED]
    assert shown_fields(page, "g0-indicator-1", "g0-m0-who") == {"g0-indicator-1": "k1b", "g0-m0-who": "Schulleitung"}


def test_the_team_writes_its_plan_in_a_closed_round_too(app, client, school):
    with app.app_context():
        set_round_open(get_round("2025-26"), False, actor=None)
        db.session.commit()
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    assert client.post(PLAN, data=plan_form_data(page, **first_goal())).status_code == 302
    assert stored_goals(app)[0] == 1


def test_the_medienberatung_reads_a_drafts_plan_without_scores_and_records_an_agreement(app, client, school):
    with app.app_context():
        replace_goals(get_school("100001"), get_round("2025-26"), find_user(TEAM), 0, [{"indicators": ["k1b"], "target": 4}])
        db.session.commit()
    login(client, ADVISER)
    page = soup_of(client.get(PLAN))

    assert page.select(".suggestions") == [] and page.find("form", class_="plan-form") is None
    assert text(page.select_one("p.hint")) == (
        "Die Bewertung ist ein Entwurf: Ihre Werte und damit auch der Vorschlag, wo anzusetzen ist, sieht nur das Team."
    )
    assert "Wert 1" not in text(page.find("main"))
    assert goal_headings(page) == ["Ziel 1: 1b"]
    last_change = text(page.select("#ziele-titel ~ p.muted")[-1])
    assert last_change.startswith("Zuletzt geändert am ") and "Leitung" not in last_change  # no team names
    token = csrf(client, PLAN)
    response = client.post(PLAN + "/vereinbarungen", data={"csrf_token": token, "date": "", "participants": "Schulleitung",
                                                           "text": "", "next_contact": "2026-01-01"})  # fmt: skip
    page = soup_of(response)
    assert (response.status_code, summary(page)) == (200, [
        "Datum des Gesprächs: Bitte das Datum des Gesprächs angeben.",
        "Was vereinbart wurde: Bitte festhalten, was vereinbart wurde.",
    ])  # fmt: skip
    assert page.find(id="a-participants")["value"] == "Schulleitung"
    assert page.find(id="a-next_contact")["value"] == "2026-01-01"

    response = client.post(PLAN + "/vereinbarungen", data={
        "csrf_token": token, "date": "2025-12-01", "participants": "Schulleitung, Medienberatung",
        "text": "Zwei Lehrkräfte zur Fortbildung anmelden.", "next_contact": "2026-02-01"})  # fmt: skip

    assert (response.status_code, response.headers["Location"]) == (302, PLAN + "#vereinbarungen")
    page = soup_of(client.get(PLAN))
    assert [text(item) for item in page.select(".agreement dd")] == [
        "Schulleitung, Medienberatung",
        "Zwei Lehrkräfte zur Fortbildung anmelden.",
        "01.02.2026",
        "Medienberatung",
    ]
    assert text(page.select_one(".agreement__state")) == "Vom Team noch nicht bestätigt."
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.agreement_recorded")).all()
        assert (event.actor_name, event.subject) == ("Medienberatung", "2025-12-01")


def test_the_team_confirms_an_agreement_once(app, client, school):
    with app.app_context():
        values = {"date": "2025-12-01", "participants": "Schulleitung", "text": "Sprechstunde nutzen."}
        row = record_agreement(get_school("100001"), get_round("2025-26"), find_user(ADVISER), values)
        db.session.commit()
        agreement_id = row.id
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    assert text(page.select_one(".agreement button")) == "Bestätigen"
    confirm = f"{PLAN}/vereinbarungen/{agreement_id}/bestaetigen"

    response = client.post(confirm, data={"csrf_token": csrf(client, PLAN)})

    assert (response.status_code, response.headers["Location"]) == (302, PLAN + "#vereinbarungen")
    page = soup_of(client.get(PLAN))
    assert [text(p) for p in page.select(".flashes p")] == ["Die Vereinbarung vom 01.12.2025 ist bestätigt."]
    assert text(page.select_one(".agreement__state")).startswith("bestätigt vom Team am ")
    assert text(page.select(".agreement dd")[-1]) == "Medienberatung"  # the recorder's name, for the team
    client.post(confirm, data={"csrf_token": csrf(client, PLAN)})
    assert [text(p) for p in soup_of(client.get(PLAN)).select(".flashes p")] == ["Diese Vereinbarung ist schon bestätigt."]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.agreement_confirmed")).all()
        assert [(e.actor_name, e.subject) for e in events] == [("Leitung-100001", "2025-12-01")]


def test_supervision_reads_the_plan_only_when_submitted_and_released(app, client, school):
    login(client, SUPERVISOR)
    assert client.get(PLAN).status_code == 403
    overview = soup_of(client.get(OVERVIEW))
    assert [a for a in overview.select("a") if text(a) == "Entwicklungsplan"] == []
    with app.app_context():
        submitted(get_school("100001"), get_round("2025-26"), SCORES)
    assert client.get(PLAN).status_code == 403
    with app.app_context():
        set_comments_released(get_school("100001"), get_round("2025-26"), find_user(TEAM), True)
        db.session.commit()
        record_agreement(get_school("100001"), get_round("2025-26"), find_user(ADVISER),
                         {"date": "2025-12-01", "participants": "Schulleitung", "text": "Sprechstunde nutzen."})  # fmt: skip
        db.session.commit()

    page = soup_of(client.get(PLAN))

    assert page.find("form", class_="plan-form") is None and page.select(".agreement form") == []
    assert text(page.select_one("#ziele-titel + p")) == "Das Team hat noch keine Ziele festgelegt."
    assert text(page.select(".agreement dd")[-1]) == "der Medienberatung"
    assert text(page.select_one(".agreement__state")) == "Vom Team noch nicht bestätigt."
    overview = soup_of(client.get(OVERVIEW))
    assert [a["href"] for a in overview.select("a") if text(a) == "Entwicklungsplan"] == [PLAN]


def test_last_years_open_measures_are_carried_over_on_request(app, client, school):
    with app.app_context():
        last = get_round("2024-25")
        submitted(get_school("100001"), last, 3)
        replace_goals(get_school("100001"), last, find_user(TEAM), 0, [{"indicators": ["k1b"], "target": 5, "measures": [
            {"what": "Konzept schreiben", "status": "erledigt"}, {"what": "Konzept beschließen", "status": "begonnen"},
            {"what": "Eltern informieren", "status": "geplant"}]}])  # fmt: skip
        db.session.commit()
    login(client, TEAM)
    page = soup_of(client.get(PLAN))
    assert text(page.select_one("#vorjahr-titel")) == "Ziele aus 2024/25"
    assert text(page.select_one(".previous-goals li p")) == "Zielwert 5,0 · erreicht 1,0 (vorher 3,0) · noch nicht erreicht"
    assert text(page.select_one("#vorjahr-titel").parent.form) == (
        "Offene Maßnahmen übernehmen 2 Maßnahmen sind noch geplant oder begonnen."
    )

    response = client.post(PLAN + "/uebernehmen", data={"csrf_token": csrf(client, PLAN), "version": "0"})

    assert (response.status_code, response.headers["Location"]) == (302, PLAN)
    page = soup_of(client.get(PLAN))
    assert [text(p) for p in page.select(".flashes p")] == [
        "2 offene Maßnahmen sind aus dem letzten Schuljahr übernommen. Bitte prüfen Sie Termine und Zuständige."
    ]
    assert stored_goals(app)[1] == [
        (("k1b",), 5.0, "", [("Konzept beschließen", "", None, "begonnen", ()), ("Eltern informieren", "", None, "geplant", ())])
    ]
    assert page.select_one("#vorjahr-titel").parent.form is None


def test_the_overview_and_the_results_link_to_the_plan_for_the_team(client, school):
    login(client, TEAM)
    overview = soup_of(client.get(OVERVIEW))
    assert [a["href"] for a in overview.select("a") if text(a) == "Entwicklungsplan"] == [PLAN]
    results = soup_of(client.get(OVERVIEW + "ergebnis"))
    assert [a["href"] for a in results.select(".breadcrumb a") if text(a) == "Entwicklungsplan"] == [PLAN]
