"""Issue 21 on the pages: a team of four chooses "erst einzeln, dann gemeinsam", rates alone, sees the spread and sets
the consensus (prefilled with the median); supervision sees neither sheets nor spread, only the consensus."""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.services import assessments
from tests.support.factories import login, make_round, make_school, make_user
from tests.support.html import csrf, soup_of, text
from tests.support.rating_form import OVERVIEW, form_data
from tests.support.reports import pdf_text

BASE = "/schulen/100001/2025-26/"
WAY, MINE, SPREAD = BASE + "arbeitsweise", BASE + "einzeln/", BASE + "streuung"
SHEET_K1 = BASE + "einzeln/kriterien/k1"
TEAM = ("leitung", "anna", "ben", "cem")
# k1a by hand: 2, 7, 9, 4 → median 5.5 → the consensus form starts at 6; range 7: "stark uneinig".
K1A = {"leitung": 2, "anna": 7, "ben": 9, "cem": 4}


@pytest.fixture
def school(app):
    with app.app_context():
        school = make_school("100001")
        make_round("2025/26")
        for name in TEAM:
            make_user(f"{name}@schule.de", school=school, leadership=name == "leitung")
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
        return school


def client_of(app, email: str):
    client = app.test_client()
    login(client, email)
    return client


def choose_individual(client, **options) -> None:
    page = soup_of(client.get(WAY))
    version = page.find("input", attrs={"name": "base_version"})["value"]
    data = {"csrf_token": csrf(client, WAY), "base_version": version, "phase": "individual", **options}
    response = client.post(WAY, data=data)
    assert (response.status_code, response.headers["Location"]) == (302, MINE)


def rate_k1a_alone(client, score: int) -> None:
    page = soup_of(client.get(SHEET_K1))
    data = form_data(page) | {"k1a-score": str(score), "goto": "k1"}
    response = client.post(SHEET_K1, data=data)
    assert (response.status_code, response.headers["Location"]) == (302, SHEET_K1)


def test_a_team_of_four_through_both_phases_on_the_pages(app, school):
    clients = {name: client_of(app, f"{name}@schule.de") for name in TEAM}
    overview = soup_of(clients["leitung"].get(OVERVIEW))
    assert text(overview.find(id="arbeitsweise-heading").parent.find("p")).startswith("Das Team bewertet gemeinsam")
    choose_individual(clients["leitung"], names_visible="ja")

    for name in TEAM:
        rate_k1a_alone(clients[name], K1A[name])
    page = soup_of(clients["anna"].get(MINE))
    assert text(page.find(id="fortschritt-team")) == "0 von 4 Kolleg:innen fertig"
    # The shared rating page leads to the own sheet; the spread is not there yet.
    assert clients["anna"].get(OVERVIEW + "kriterien/k1").headers["Location"] == SHEET_K1
    assert clients["anna"].get(SPREAD).headers["Location"] == OVERVIEW

    for done, name in enumerate(TEAM, start=1):
        response = clients[name].post(BASE + "einzeln/fertig", data={"csrf_token": csrf(clients[name], MINE)})
        if done < len(TEAM):
            progress = text(soup_of(clients[name].get(MINE)).find(id="fortschritt-team"))
            assert progress.startswith(f"{done} von 4 Kolleg:innen fertig"), progress
    assert (response.status_code, response.headers["Location"]) == (302, SPREAD)  # the last one opens the consensus

    spread = soup_of(clients["ben"].get(SPREAD))
    first = spread.find("ol", class_="spread-order").find("li")
    assert text(first) == "Indikator 1a): Spannweite 2 bis 9, Median 5,5 – stark uneinig"
    k1a_text = spread.find("p", class_="spread__text")
    assert text(k1a_text) == "4 Werte: 2, 4, 7, 9 · Median 5,5 · Spannweite 2 bis 9 stark uneinig"
    assert text(spread.find("p", class_="spread__names")) == "Leitung: 2 · Cem: 4 · Anna: 7 · Ben: 9"
    assert spread.find("svg", class_="spread__line")["aria-hidden"] == "true"

    consensus_page = soup_of(clients["cem"].get(OVERVIEW + "kriterien/k1"))
    chosen = consensus_page.find("input", attrs={"name": "k1a-score", "checked": True})
    assert (chosen["value"], consensus_page.find("input", attrs={"name": "k1a-seen_score"})["value"]) == ("6", "")
    data = form_data(consensus_page) | {"k1a-comment": "Einigung: 6", "goto": "k1"}
    assert clients["cem"].post(OVERVIEW + "kriterien/k1", data=data).status_code == 302

    with app.app_context():
        state = assessments.load_state(db.session.merge(school), _round())
    assert (state.phase, state.rating("k1a").score, state.rating("k1a").comment) == ("consensus", 6, "Einigung: 6")

    supervisor = client_of(app, "aufsicht@bezreg.test")
    for address in (WAY, MINE, SHEET_K1, SPREAD):
        assert supervisor.get(address).status_code == 403, address
    result = supervisor.get(BASE + "ergebnis")
    assert result.status_code == 200
    seen, overview = soup_of(result), soup_of(supervisor.get(OVERVIEW))
    assert "Einigung: 6" not in text(seen)  # a draft is the team's (issue 19): not even the consensus yet
    assert ("Streuung" in text(seen), "Einzel" in text(seen), overview.find(id="arbeitsweise-heading")) == (False, False, None)


def test_names_stay_hidden_unless_the_team_chose_them_and_only_schulleitung_chooses(app, school):
    anna = client_of(app, "anna@schule.de")
    page = soup_of(anna.get(WAY))
    assert page.find("form", attrs={"action": WAY}) is None
    assert text(page.find("p", class_="notice")) == "Die Arbeitsweise wählt ein Mitglied der Schulleitung im Team."
    leitung = client_of(app, "leitung@schule.de")
    choose_individual(leitung)
    for name, client in (("leitung", leitung), ("anna", anna)):
        rate_k1a_alone(client, K1A[name])
    page = soup_of(leitung.get(WAY))
    version = page.find("input", attrs={"name": "base_version"})["value"]
    leitung.post(WAY, data={"csrf_token": csrf(leitung, WAY), "base_version": version, "phase": "consensus"})
    spread = soup_of(anna.get(SPREAD))
    assert spread.find("p", class_="spread__names") is None
    assert text(spread.find("p", class_="spread__text")) == "2 Werte: 2, 7 · Median 4,5 · Spannweite 2 bis 7 stark uneinig"


def test_a_stale_phase_change_changes_nothing_and_says_so(app, school):
    leitung = client_of(app, "leitung@schule.de")
    response = leitung.post(WAY, data={"csrf_token": csrf(leitung, WAY), "base_version": "7", "phase": "individual"})
    assert (response.status_code, response.headers["Location"]) == (302, WAY)
    with app.app_context():
        assert assessments.load_state(db.session.merge(school), _round()).phase == "shared"


def _round():
    from selfeval.services.rounds import get_round

    return get_round("2025-26")


def test_the_report_page_on_the_spread_is_the_teams_if_it_chose_so_and_never_supervisions(app, school):
    leitung, anna = client_of(app, "leitung@schule.de"), client_of(app, "anna@schule.de")
    choose_individual(leitung, spread_in_report="ja", names_visible="ja")
    for name, client in (("leitung", leitung), ("anna", anna)):
        rate_k1a_alone(client, K1A[name])
    page = soup_of(leitung.get(WAY))
    version = page.find("input", attrs={"name": "base_version"})["value"]
    data = {"csrf_token": csrf(leitung, WAY), "base_version": version, "phase": "consensus", "spread_in_report": "ja"}
    leitung.post(WAY, data=data)
    consensus_page = soup_of(anna.get(BASE + "kriterien/k1"))
    anna.post(BASE + "kriterien/k1", data=form_data(consensus_page) | {"goto": "k1"})  # takes the median 4,5 → 5

    report = soup_of(anna.get(BASE + "bericht"))
    section = report.find("section", class_="report-spread")
    assert text(section.find("h2")) == "Wo wir uns einig und uneinig waren"
    first_row = section.find("tbody").find("tr")
    assert [text(cell) for cell in first_row.find_all(["th", "td"])][1:] == ["2, 7", "4,5", "2 bis 7 (stark uneinig)"]
    assert "Leitung" not in text(section) and "Anna" not in text(section)  # never names, whatever the page shows
    pdf = pdf_text(anna.get(BASE + "bericht.pdf").data)
    assert "Wo wir uns einig und uneinig waren" in pdf

    supervisor = client_of(app, "aufsicht@bezreg.test")
    assert soup_of(supervisor.get(BASE + "bericht")).find("section", class_="report-spread") is None
    refused = supervisor.get(BASE + "bericht.pdf")  # a draft's report is the team's (issue 19)
    assert (refused.status_code, refused.headers["Location"]) == (302, BASE + "ergebnis")


def test_own_sheet_input_sent_after_a_log_out_elsewhere_comes_back_on_the_sheet_not_in_the_teams_form(app, school):
    leitung = client_of(app, "leitung@schule.de")
    choose_individual(leitung)
    here, elsewhere = client_of(app, "anna@schule.de"), client_of(app, "anna@schule.de")
    page = soup_of(here.get(SHEET_K1))
    elsewhere.post("/abmelden", data={"csrf_token": csrf(elsewhere, MINE)})

    response = here.post(SHEET_K1, data=form_data(page) | {"k1a-score": "8", "k1a-comment": "meine Sicht", "goto": "k1"})

    assert (response.status_code, response.headers["Location"]) == (
        303,
        "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2Feinzeln%2Fkriterien%2Fk1",
    )
    login(here, "anna@schule.de")
    assert soup_of(here.get(OVERVIEW + "kriterien/k1")).find("textarea", attrs={"name": "k1a-comment"}) is None  # redirected
    restored = soup_of(here.get(SHEET_K1))
    assert (
        restored.find("input", attrs={"name": "k1a-score", "checked": True})["value"],
        text(restored.find("textarea", attrs={"name": "k1a-comment"})),
    ) == ("8", "meine Sicht")
    assert here.post(SHEET_K1, data=form_data(restored) | {"goto": "k1"}).status_code == 302
    with app.app_context():
        from selfeval.services.accounts import find_user
        from selfeval.services.consensus.sheets import load_sheet

        sheet = load_sheet(db.session.merge(school), _round(), find_user("anna@schule.de"))
    assert (sheet.rating("k1a").score, sheet.rating("k1a").comment, sheet.version) == (8, "meine Sicht", 1)
