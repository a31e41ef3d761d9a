"""Issue 21: the radar chart with the team's median and range band is the team's alone.

A team of three rated alone (one Schulleitung member), the consensus is set and submitted. Its members see the band
on the spread page and, when they ask for it, on the results page; supervision, an adviser and an admin see the
results but never the band, whatever the address asks for."""

from __future__ import annotations

import pytest

from selfeval.extensions import catalogs, db
from selfeval.services import assessments
from selfeval.services.consensus import phase as phases
from selfeval.services.consensus import sheets
from selfeval.services.rating_input import parse_rating_changes
from selfeval.vocabulary import INDIVIDUAL_PHASE
from tests.support.catalogue import CRITERIA
from tests.support.factories import all_scores, login, make_round, make_school, make_user, rate
from tests.support.html import soup_of, text

RESULTS = "/schulen/100001/2025-26/ergebnis"
SPREAD = "/schulen/100001/2025-26/streuung"
TEAM = ("leitung", "anna", "ben")
#: Each member gives one value to every indicator of a criterion: k1 2, 7, 9 (so 2 to 9, median 7); k2 4, 4, 5;
#: otherwise 5, 6, 7. The consensus is 6 everywhere.
SHEETS = {
    "leitung": {"k1": 2, "k2": 4},
    "anna": {"k1": 7, "k2": 4},
    "ben": {"k1": 9, "k2": 5},
}
OTHERWISE = {"leitung": 5, "anna": 6, "ben": 7}
BAND_ROWS = [
    ["1. Dauerhafte Implementierung von Konzepten zur digitalen Bildung", "6,0", "7,0", "2,0 bis 9,0", "3"],
    ["2. Pädagogik und Lernkulturen (Unterrichtsentwicklung)", "6,0", "4,0", "4,0 bis 5,0", "3"],
    ["3. Qualifizierung der Lehrkräfte", "6,0", "6,0", "5,0 bis 7,0", "3"],
    ["4. Digitale Schulorganisation", "6,0", "6,0", "5,0 bis 7,0", "3"],
    ["5. Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen", "6,0", "6,0", "5,0 bis 7,0", "3"],
    ["6. Zugang zur Technik und Ausstattung der Schule", "6,0", "6,0", "5,0 bis 7,0", "3"],
]  # fmt: skip
SHOW = "Spannweite des Teams zeigen"


def team_of_three(*, submit: bool, delete_sheets: bool = False):
    school = make_school("100001")
    round_ = make_round("2025/26")
    members = {name: make_user(f"{name}@schule.de", school=school, leadership=name == "leitung") for name in TEAM}
    version = assessments.load_state(school, round_).version
    options = phases.TeamOptions(delete_sheets_on_submit=delete_sheets)
    phases.set_phase(school, round_, members["leitung"], version, INDIVIDUAL_PHASE, options)
    for name, user in members.items():
        scores = {key: SHEETS[name].get(criterion, OTHERWISE[name]) for criterion, keys in CRITERIA.items() for key in keys}
        raw = {key: {"score": value} for key, value in scores.items()}
        sheets.save_sheet(school, round_, user, 0, parse_rating_changes(catalogs.active, raw))
        sheets.finish_sheet(school, round_, user)
    db.session.commit()
    state = rate(school, round_, members["leitung"], all_scores(6))
    if submit:
        assessments.submit(school, round_, members["leitung"], state.version)
        db.session.commit()


@pytest.fixture
def readers(app):
    with app.app_context():
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
        make_user("beratung@medienzentrum.test", "adviser", kreise=["05913"])
        make_user("admin@selfeval.test", "admin")
    return app


def page_as(app, email: str, url: str):
    client = app.test_client()
    login(client, email)
    response = client.get(url)
    assert response.status_code == 200
    return soup_of(response)


def band_rows(page) -> list[list[str]]:
    table = page.find(id="spannweite").find("table")
    return [[text(cell) for cell in row.find_all(["th", "td"])] for row in table.tbody.find_all("tr")]


def test_the_team_asks_for_the_band_on_its_results_and_sees_the_values_by_hand(app, readers):
    with app.app_context():
        team_of_three(submit=True)
    plain = page_as(app, "anna@schule.de", RESULTS)
    assert plain.find(id="spannweite") is None
    toggle = plain.find("a", string=SHOW)
    assert toggle["href"] == RESULTS + "?spannweite=ja#spannweite"

    shown = page_as(app, "anna@schule.de", RESULTS + "?spannweite=ja")
    assert band_rows(shown) == BAND_ROWS
    chart = shown.find(id="spannweite").find("svg")
    assert len(chart.select("line.radar-band__range")) == 6
    assert [text(li) for li in shown.find(id="spannweite").select("ul.legend li")] == [
        "Konsens des Teams (durchgezogen)",
        "Median der Einzelbewertungen (gestrichelt)",
        "Spannweite der Einzelbewertungen (schraffiert)",
    ]
    assert shown.find("a", string="Spannweite des Teams ausblenden")["href"] == RESULTS
    assert shown.find("a", string=SHOW) is None


def test_the_spread_page_shows_the_band_to_the_team(app, readers):
    with app.app_context():
        team_of_three(submit=False)
    page = page_as(app, "ben@schule.de", SPREAD)
    assert band_rows(page) == BAND_ROWS
    assert text(page.find(id="spannweite-heading")) == "Spannweite des Teams"


@pytest.mark.parametrize("email", ["aufsicht@bezreg.test", "beratung@medienzentrum.test", "admin@selfeval.test"])
def test_supervision_advisers_and_admins_see_the_results_never_the_band(app, readers, email):
    with app.app_context():
        team_of_three(submit=True)
    page = page_as(app, email, RESULTS + "?spannweite=ja")
    assert text(page.find("h1")) == "Ergebnis 2025/26"
    assert page.find(id="spannweite") is None
    assert page.select("svg .radar-band") == []
    assert "Spannweite" not in text(page)
    client = app.test_client()
    login(client, email)
    assert client.get(SPREAD).status_code == 403


def test_no_band_without_sheets_deleted_on_submission_or_a_shared_form(app, readers):
    with app.app_context():
        team_of_three(submit=True, delete_sheets=True)
        shared = make_school("100002")
        make_user("team@zwei.de", school=shared, leadership=True)

    for email, url in (("anna@schule.de", RESULTS), ("team@zwei.de", "/schulen/100002/2025-26/ergebnis")):
        page = page_as(app, email, url + "?spannweite=ja")
        assert (page.find(id="spannweite"), page.find("a", string=SHOW)) == (None, None)
