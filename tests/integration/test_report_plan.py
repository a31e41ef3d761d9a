"""The report built around the plan (issue 18), gathered from the database: the team's plan, last school year's goals
and the agreements in the PDF and its HTML twin; shown only to readers allowed to see the plan (issue 19), in the
single download and in a supervisor's ZIP alike; read for a whole batch without a query per school."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from selfeval.display import format_date
from selfeval.extensions import db
from selfeval.reports import plan_section
from selfeval.reports import text as report_text
from selfeval.services import assessments
from selfeval.services.accounts import find_user
from selfeval.services.plan_agreements import confirm_agreement, record_agreement
from selfeval.services.plans import load_plan, replace_goals
from selfeval.services.reports import iter_reports
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.factories import leader, login, make_round, submitted
from tests.support.html import rows, soup_of, text
from tests.support.queries import counted_statements
from tests.support.report_jobs import IN_DORTMUND, start_from_the_overview, wait_until_finished
from tests.support.reports import HTML, PDF, USERS, pdf_text, populate

GOALS = [
    {"indicators": ["k1a", "k1b"], "target": 4, "success": "Das Team Digitalisierung trifft sich monatlich.",
     "measures": [
         {"what": "Team Digitalisierung einrichten", "who": "Schulleitung", "due": "2026-02-28", "status": "erledigt",
          "offers": ["medienberater-region"]},
         {"what": "Aufgaben im Team verteilen", "who": "Medienkoordination", "due": "2026-04-30", "status": "begonnen"},
     ]},
    {"indicators": ["k2a"], "target": 5, "measures": [
        {"what": "Medienkonzept überarbeiten", "who": "Steuergruppe", "offers": ["land-onlineangebotsverzeichnis"]},
    ]},
]  # fmt: skip
LAST_YEAR = [
    {"indicators": ["k1d"], "target": 5, "measures": [{"what": "Konzept schreiben", "status": "erledigt"}]},
    {"indicators": ["k3a"], "target": 5, "measures": [{"what": "Netzwerk besuchen", "status": "begonnen"}]},
]
FIRST_TALK = {"date": "2025-11-20", "participants": "Schulleitung, Medienberatung", "text": "Pädagogischer Tag im Februar.",
              "next_contact": "2026-01-15"}  # fmt: skip
SECOND_TALK = {"date": "2026-01-15", "participants": "Medienkoordination, Medienberatung", "text": "Zwischenstand besprochen."}
MEASURE = "Team Digitalisierung einrichten"


def give_plan(schulnummer: str, goals: list, *, talks: tuple = (), last_year: list | None = None) -> None:
    """The school's plan for 2025/26 (and 2024/25) saved by its Schulleitung, the talks recorded by the adviser."""
    school, member = get_school(schulnummer), leader(get_school(schulnummer))
    replace_goals(school, get_round("2025-26"), member, 0, goals)
    for talk in talks:
        record_agreement(school, get_round("2025-26"), find_user(USERS["adviser"]), talk)
    if last_year:
        replace_goals(school, get_round("2024-25"), member, 0, last_year)
    db.session.commit()


@pytest.fixture
def area(app):
    """test_reports' schools; Adler (100001) also submitted last school year (all 3) and has both years' plans
    and two agreements, the first confirmed by the team."""
    populate(app)
    with app.app_context():
        adler = get_school("100001")
        submitted(adler, make_round("2024/25", is_open=False), 3)
        give_plan("100001", GOALS, talks=(FIRST_TALK, SECOND_TALK), last_year=LAST_YEAR)
        first = load_plan(adler, get_round("2025-26")).agreements[0]
        confirm_agreement(adler, get_round("2025-26"), leader(adler), first.id)
        db.session.commit()


def test_the_teams_report_page_is_built_around_its_plan(client, area):
    login(client, USERS["team"])
    page = soup_of(client.get(HTML))

    assert [text(h) for h in page.select("article h2")] == [
        "Auf einen Blick", "Stärken und Entwicklungsfelder", "Entwicklungsschwerpunkte", "Ergebnisse je Kriterium", "Hinweise",
    ]  # fmt: skip
    plan = page.select_one("section.report-plan")
    assert [text(h) for h in plan.select("h3, h4, caption")] == [
        "Schwerpunkt 1: 1a, 1b", "Indikatoren von Schwerpunkt 1", "Maßnahmen zu Schwerpunkt 1", "Gewählte Unterstützungsangebote",
        "Schwerpunkt 2: 2a", "Indikatoren von Schwerpunkt 2", "Maßnahmen zu Schwerpunkt 2", "Gewählte Unterstützungsangebote",
        "Ziele aus dem Schuljahr 2024/25: Ziel und Ergebnis", "Vereinbarungen mit der Medienberatung",
    ]  # fmt: skip
    assert [text(p) for p in plan.select("p.plan-target")] == [
        "Zielwert für das nächste Schuljahr: 4,0 (heute 1,5)", "Zielwert für das nächste Schuljahr: 5,0 (heute 3,0)",
    ]  # fmt: skip
    assert rows(plan.select_one("table.plan-measures")) == [
        [MEASURE, "Schulleitung", "28.02.2026", "erledigt"],
        ["Aufgaben im Team verteilen", "Medienkoordination", "30.04.2026", "begonnen"],
    ]
    assert [text(li) for li in plan.select("ul.plan-offers li")][0].startswith(
        "Beratung durch die Medienberater:innen vor Ort – Medienberater:innen im Kreis"
    )
    assert text(plan.select_one("p.plan-not-covered")) == (
        "Ebenfalls unter den am niedrigsten bewerteten Indikatoren, aber in keinem Schwerpunkt: 1c (Wert 3), 2b (Wert 3)."
    )
    assert [row[1:] for row in rows(plan.select_one("table.plan-previous"))] == [
        ["5,0", "3,0", "4,0", "noch nicht erreicht"], ["5,0", "3,0", "6,0", "erreicht"],
    ]  # fmt: skip
    assert [[text(p) for p in li.find_all("p")] for li in plan.select("ul.plan-agreements > li")] == [
        ["Gespräch am 20.11.2025 · Teilnehmende: Schulleitung, Medienberatung · nächster Kontakt: 15.01.2026",
         "Pädagogischer Tag im Februar.", f"Vom Team bestätigt am {format_date(confirmed_on(client))}."],
        ["Gespräch am 15.01.2026 · Teilnehmende: Medienkoordination, Medienberatung", "Zwischenstand besprochen.",
         "Vom Team noch nicht bestätigt."],
    ]  # fmt: skip


def confirmed_on(client) -> date | None:
    with client.application.app_context():
        return load_plan(get_school("100001"), get_round("2025-26")).agreements[0].confirmed_on


def test_the_teams_pdf_puts_the_plan_before_the_details(client, area):
    login(client, USERS["team"])
    printed = pdf_text(client.get(PDF).data)
    markers = [
        "Auf einen Blick", "Entwicklungsschwerpunkte", "Schwerpunkt 1: 1a, 1b",
        f"{MEASURE} Schulleitung 28.02.2026 erledigt", "Gewählte Unterstützungsangebote", "Schwerpunkt 2: 2a",
        "Medienkonzept überarbeiten Steuergruppe – geplant", "Ziele aus dem Schuljahr 2024/25", "noch nicht erreicht",
        "Vereinbarungen mit der Medienberatung", "Gespräch am 20.11.2025", "Gespräch am 15.01.2026",
        "Ergebnisse je Kriterium",
    ]  # fmt: skip
    assert sorted((m for m in markers if m in printed), key=printed.index) == markers


#: (reader, the team released its texts) -> whether the report holds the plan.
SHARING = [("adviser", False, True), ("supervisor", False, False), ("supervisor", True, True), ("admin", False, False)]


@pytest.mark.parametrize(("reader", "released", "sees"), SHARING)
def test_the_plan_goes_only_to_readers_allowed_to_see_it(app, client, area, reader, released, sees):
    if released:
        with app.app_context():
            assessments.set_comments_released(get_school("100001"), get_round("2025-26"), leader(get_school("100001")), True)
            db.session.commit()
    login(client, USERS[reader])
    page, printed = soup_of(client.get(HTML)), pdf_text(client.get(PDF).data)

    withheld = [] if sees else [plan_section.PLAN_WITHHELD]
    assert [text(p) for p in page.select("p.plan-withheld")] == withheld
    assert (len(page.select("section.plan-goal")), MEASURE in printed, plan_section.PLAN_WITHHELD in printed) == (
        (2, True, False) if sees else (0, False, True)
    )
    assert ("Vereinbarungen mit der Medienberatung" in printed, "Zwischenstand besprochen." in page.text) == (sees, sees)


def test_a_supervisors_zip_holds_the_plan_only_when_released(app, client, area):
    login(client, USERS["supervisor"])

    def adler_in_zip() -> str:
        status = wait_until_finished(client, start_from_the_overview(client, kreis=["05913"]).headers["Location"])
        with zipfile.ZipFile(io.BytesIO(client.get(status["download_url"]).data)) as archive:
            return pdf_text(archive.read(IN_DORTMUND[0]))

    withheld = adler_in_zip()
    assert (plan_section.PLAN_WITHHELD in withheld, MEASURE in withheld) == (True, False)
    assert withheld == pdf_text(client.get(PDF).data)
    with app.app_context():
        assessments.set_comments_released(get_school("100001"), get_round("2025-26"), leader(get_school("100001")), True)
        db.session.commit()
    shared = adler_in_zip()
    assert (plan_section.PLAN_WITHHELD in shared, MEASURE in shared) == (False, True)


def test_a_school_without_a_plan_keeps_the_suggestions(client, area):
    login(client, USERS["adviser"])
    page = soup_of(client.get("/schulen/100002/2025-26/bericht"))
    headings = [text(h) for h in page.select("article h2")]
    assert ("Entwicklungsschwerpunkte" in headings, headings[2]) == (False, report_text.SUGGESTIONS_HEADING)


def test_a_batch_reads_the_plans_without_a_query_per_school(app, area):
    """Plans for one school or for three: the same two statements (plans, agreements) for the whole chunk."""
    with app.app_context():
        round_ = get_round("2025-26")
        schools = [get_school(n) for n in ("100001", "100002", "300001")]
        db.session.expire_all()  # both counts start from the same session state
        with counted_statements(app) as before:
            first = list(iter_reports(round_, schools))
        give_plan("100002", GOALS[1:], talks=(SECOND_TALK,))
        give_plan("300001", GOALS[:1])
        db.session.expire_all()
        with counted_statements(app) as after:
            second = list(iter_reports(round_, schools))
    plan_statements = [[s.split("\n")[1].strip() for s in run if "plan" in s] for run in (before, after)]
    two = ["FROM assessments JOIN plans ON plans.assessment_id = assessments.id", "FROM plan_agreements"]
    assert plan_statements == [two, two]
    assert [len(r.plan.focus) if r.plan else 0 for r in first] == [2, 0, 0]
    assert [(len(r.plan.focus), len(r.plan.agreements)) for r in second] == [(2, 2), (1, 1), (1, 0)]
