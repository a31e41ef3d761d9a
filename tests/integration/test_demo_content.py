"""The demo has enough schools that the overview, the heatmap and the comparison groups mean something."""

from __future__ import annotations

import re
from statistics import mean

import pytest
from sqlalchemy import func, select

from selfeval.extensions import catalogs, db
from selfeval.models import Assessment, AuditEvent, School
from selfeval.services import assessments
from selfeval.services.demo import LOGINS, load_demo_content
from selfeval.services.plans import load_plan
from selfeval.services.rounds import all_rounds, get_round, previous_round
from selfeval.services.schools import get_school
from tests.support.html import soup_of, text


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo_content(catalogs.active)
        db.session.commit()
    return app


def log_in(client, email: str) -> None:
    client.post("/abmelden")
    with client.session_transaction() as session:
        session.clear()
    page = client.get("/anmelden").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post("/anmelden", data={"csrf_token": token, "email": email, "password": "selfeval-demo"})
    assert response.status_code == 302


def participation(client, email: str) -> tuple[int, int, set[str], set[str]]:
    log_in(client, email)
    schools = client.get("/api/v1/schools?round=2025-26").get_json()
    analytics = client.get("/api/v1/analytics?round=2025-26").get_json()
    return (
        analytics["n_schools_in_scope"],
        analytics["n_submitted"],
        {school["kreis"] for school in schools},
        {school["schulform"] for school in schools},
    )


def test_each_demo_login_sees_a_meaningful_scope(demo):
    client = demo.test_client()
    emails = {who: email for email, _, who in LOGINS}
    assert participation(client, emails["Verwaltung (alle Schulen)"]) == (
        39, 30, {"05911", "05913", "05914", "05915", "05954", "05962", "05978", "05513", "05562"},
        {"02", "04", "08", "10", "15", "20", "30"},
    )  # fmt: skip
    assert participation(client, emails["Schulaufsicht Dortmund (nur lesen)"]) == (
        13, 9, {"05913"}, {"02", "04", "08", "10", "15", "20", "30"},
    )  # fmt: skip
    assert participation(client, emails["Medienberatung Dortmund und Bochum"]) == (
        18, 14, {"05911", "05913"}, {"02", "04", "08", "10", "15", "20", "30"},
    )  # fmt: skip
    assert participation(client, emails["Schulaufsicht Gymnasien, Bezirksregierung Arnsberg"]) == (
        8, 7, {"05911", "05913", "05914", "05915", "05962", "05978"}, {"20"},
    )  # fmt: skip


def test_the_demo_schultraeger_sees_exactly_the_schools_of_the_stadt_unna(demo):
    """A kreisangehörige Gemeinde: its schools, not the Kreis Unna's others (Kamen, Lünen, Schwerte, the Kreis's own)."""
    client = demo.test_client()
    log_in(client, "schultraeger@demo.selfeval.de")
    schools = client.get("/api/v1/schools?round=2025-26").get_json()

    assert [(school["schulnummer"], school["name"]) for school in schools] == [
        ("199005", "Demo-Gesamtschule Unna-Königsborn"),
        ("199060", "Demo-Grundschule Unna-Massen"),
        ("199061", "Demo-Grundschule Unna-Hemmerde"),
        ("199062", "Demo-Grundschule Unna-Mitte"),
        ("199063", "Demo-Gymnasium Unna"),
        ("199064", "Demo-Realschule Unna"),
        ("199065", "Demo-Hauptschule Unna-Königsborn"),
    ]
    overview = client.get("/auswertung/?runde=2025-26")
    assert overview.status_code == 200


def test_the_demo_gesamtschule_sees_a_comparison_group_and_last_year(demo):
    client = demo.test_client()
    log_in(client, "schulleitung@demo.selfeval.de")
    page = client.get("/schulen/199001/2025-26/ergebnis").get_data(as_text=True)
    assert "Vergleichsgruppe: die 5 anderen Schulen der Schulform Gesamtschule" in page
    assert "Vorjahr 2024/25" in page
    assert "Demo-Gesamtschule Bochum-Wattenscheid" not in page


def test_the_overview_shows_change_since_last_year(demo):
    client = demo.test_client()
    log_in(client, "schulaufsicht@demo.selfeval.de")
    page = client.get("/auswertung/?runde=2025-26").get_data(as_text=True)
    assert "Mittelwerte der Schulen, die in 2024/25 und 2025/26 abgeschlossen haben" in page
    assert "Kriterienwerte je Schule, Schulen 1 bis 13 von 13." in page


def test_the_demo_has_three_school_years_with_a_rising_trend(demo):
    with demo.app_context():
        rounds = all_rounds()
        assert [(r.name, r.is_open) for r in rounds] == [("2023/24", False), ("2024/25", False), ("2025/26", True)]
        assert [getattr(previous_round(r), "name", None) for r in rounds] == [None, "2023/24", "2024/25"]
        gesamtschule = get_school("199001")
        overall = [assessments.load_state(gesamtschule, r).scores.overall for r in rounds]
        assert overall == sorted(overall) and len(set(overall)) == 3
        means, submitted_counts = [], []
        for round_ in rounds:
            query = select(Assessment).where(Assessment.round_id == round_.id, Assessment.status == "submitted")
            found = db.session.scalars(query).all()
            submitted_counts.append(len(found))
            means.append(mean(assessments.load_state(a.school, round_).scores.overall for a in found))
        assert submitted_counts == [20, 20, 30]
        assert means == sorted(means) and len(set(means)) == 3


def test_the_demo_gesamtschule_starts_on_its_rounds_and_the_grundschule_on_its_draft(demo):
    client = demo.test_client()
    log_in(client, "schulleitung@demo.selfeval.de")
    page = soup_of(client.get("/schule"))
    entries = [text(li) for li in page.select("ul.round-list li")]
    assert [entry.split(" – ")[0] for entry in entries] == [
        "Erhebungsrunde 2025/26",
        "Erhebungsrunde 2024/25",
        "Erhebungsrunde 2023/24",
    ]
    assert all(" – abgeschlossen am " in entry for entry in entries)
    log_in(client, "grundschule@demo.selfeval.de")
    response = client.get("/schule")
    assert (response.status_code, response.headers["Location"]) == (302, "/schulen/199002/2025-26/")
    progress = soup_of(client.get("/schulen/199002/2025-26/")).find("p", id="progress-label")
    assert text(progress) == "14 von 23 Indikatoren bewertet"


@pytest.mark.parametrize(
    ("schulnummer", "place", "dortmund", "medienscouts", "internet_abc"),
    [
        # Its report is built around its plan: the offers it chose (LOGINEO NRW, Bildungsmediathek NRW, Qualifizierung der
        # Medienkoordinator:innen), no suggestions, so no Internet-ABC; every one of them fits a Grundschule in Bochum.
        ("199022", "", False, False, False),
        ("199051", "(Bochum) und die Schulform (Berufskolleg)", False, False, False),
        ("199050", "(Dortmund) und die Schulform (Berufskolleg)", True, False, False),
        ("199010", "(Dortmund) und die Schulform (Gymnasium)", True, True, False),
    ],
)
def test_demo_reports_outside_dortmund_and_for_grundschule_and_berufskolleg_show_only_fitting_offers(
    demo, schulnummer, place, dortmund, medienscouts, internet_abc
):
    """Issue 18: the Medienberatung Dortmund und Bochum opens the reports of the demo's schools in both cities."""
    client = demo.test_client()
    log_in(client, "medienberatung@demo.selfeval.de")
    response = client.get(f"/schulen/{schulnummer}/2025-26/bericht")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if place:
        steps = page.split('id="steps-heading"', 1)[1]
        assert f"landesweite und solche für den Kreis bzw. die kreisfreie Stadt {place}." in steps
    offers, titles = offers_in_report(page)
    assert titles  # every demo school has Entwicklungsfelder with offers, or a plan with offers chosen
    dortmund_only = {title for title in titles if "Dortmund" in title or title in DORTMUND_TITLES}
    assert (bool(dortmund_only), "Medienscouts NRW" in titles, "Internet-ABC" in titles) == (dortmund, medienscouts, internet_abc)
    if not dortmund:
        assert ("Dortmunder" in offers, "Kompetenzteam Dortmund" in offers) == (False, False)


def offers_in_report(page: str) -> tuple[str, set[str]]:
    """The offers a report page names, and their titles: the suggestions' (with those named by title only), or, where
    the school set goals (issue 18), the offers its plan chose."""
    if 'id="steps-heading"' in page:
        offers = page.split('id="steps-heading"', 1)[1].split("</section>\n\n<section", 1)[0]
    else:
        offers = page.split('id="plan-heading"', 1)[1].split('id="criteria-heading"', 1)[0]
    titles = set(re.findall(r"<li><strong>([^<]+)</strong>", offers))
    titles |= {title for line in re.findall(r"Weitere Angebote: (.*?) – Auskunft gibt", offers) for title in line.split("; ")}
    return offers, titles


DORTMUND_TITLES = {
    "Entwicklung und Fortschreibung von Medienkonzepten",
    "Schulung der Kollegien zu den technischen Grundlagen",
    "Fachunterricht mit digitalen Medien",
    "Mehrstufiges Beratungsmodul (Medienzentrum-Schule)",
    "Beratung, Unterstützung und Qualifizierung der Schulleitungen",
    "Digital Coaching aus Sicht der Schulpsychologie",
    "Digital Coaching zur individuellen Förderung",
    "Schulaufsicht und Netzwerkförderung der Schulen",
    "Arbeit mit digitalen Medien in spezifischen Projektzusammenhängen",
    "Stärkung der zielgenauen Ausbildung",
}


def test_the_demo_medienberatung_keeps_bochum_offers_that_bochum_reports_show(demo):
    """Issue 18: offers kept on /angebote by the demo's Medienberatung, in the reports of Bochum's schools only."""
    client = demo.test_client()
    log_in(client, "medienberatung@demo.selfeval.de")
    page = soup_of(client.get("/angebote/"))
    assert [[text(cell) for cell in row.find_all(["th", "td"])][:3] for row in page.select("tbody tr")] == [
        ["Demo-Netzwerk Medienbildung Bochum Demo-Medienzentrum Bochum", "Bochum", "alle Schulen des Kreises"],
        ["Demo-Sprechstunde Grundschule digital Demo-Medienzentrum Bochum", "Bochum", "Primarstufe"],
    ]
    with demo.app_context():
        trail = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "offer.created").order_by(AuditEvent.id))
        assert [(event.actor_name, event.subject) for event in trail] == [
            ("Şebnem Kaya", "Demo-Netzwerk Medienbildung Bochum (Bochum)"),
            ("Şebnem Kaya", "Demo-Sprechstunde Grundschule digital (Bochum)"),
        ]
    shown = {}
    for schulnummer in ("199022", "199051", "199010"):
        _offers, titles = offers_in_report(client.get(f"/schulen/{schulnummer}/2025-26/bericht").get_data(as_text=True))
        shown[schulnummer] = sorted(title for title in titles if title.startswith("Demo-"))
    assert shown == {
        "199022": [],  # its report shows its plan: only the offers it chose, none of these
        "199051": ["Demo-Netzwerk Medienbildung Bochum"],
        "199010": [],
    }


def test_the_demo_has_a_kreisangehoerige_gemeinde_with_several_schools_under_one_schultraeger(demo):
    with demo.app_context():
        query = select(School.schulnummer, School.gemeindeschluessel, School.traeger_name, School.rechtsform).where(
            School.traeger_nummer == "05978036"
        )
        unna = db.session.execute(query.order_by(School.schulnummer)).all()
        assert [tuple(row) for row in unna] == [
            (number, "05978036", "Stadt Unna", "1")
            for number in ("199005", "199060", "199061", "199062", "199063", "199064", "199065")
        ]
        assert db.session.scalar(select(func.count()).select_from(School).where(School.gemeindeschluessel.is_(None))) == 0
        private = db.session.execute(select(School.traeger_name, School.rechtsform).filter_by(schulnummer="199016")).one()
        assert tuple(private) == ("Demo-Schulwerk Dortmund e. V.", "2")


def test_the_demo_team_of_four_is_in_the_consensus_phase_with_visible_disagreements(demo):
    client = demo.test_client()
    log_in(client, "informatik@demo.selfeval.de")
    spread = client.get("/api/v1/schools/199033/assessments/2025-26/spread").get_json()
    assert (spread["phase"], spread["members"], spread["finished"]) == ("consensus", 4, 4)
    disagreements = {key: item["values"] for key, item in spread["indicators"].items() if item["disagreement"]}
    assert disagreements == {
        "k2b": [2, 5, 6, 7], "k4c": [3, 5, 7, 7], "k5a": [3, 3, 4, 7], "k6a": [4, 6, 6, 8], "k6b": [4, 6, 7, 9],
    }  # fmt: skip
    progress = soup_of(client.get("/schulen/199033/2025-26/")).find("p", id="progress-label")
    assert text(progress) == "15 von 23 Indikatoren bewertet"
    page = soup_of(client.get("/schulen/199033/2025-26/ergebnis?spannweite=ja"))
    rows = [[text(cell) for cell in row.find_all(["th", "td"])][1:] for row in page.find(id="spannweite").tbody("tr")]
    # Criterion 6 by hand: the members' means 6, 7.5, 4.25, 5.75 → 4,3 bis 7,5, median (5.75 + 6) / 2 = 5.875.
    assert rows == [
        ["6,0", "5,6", "5,0 bis 6,0", "4"],
        ["4,5", "4,8", "3,5 bis 5,3", "4"],
        ["5,0", "5,0", "4,0 bis 5,3", "4"],
        ["5,8", "5,6", "5,0 bis 6,3", "4"],
        ["–", "3,6", "3,3 bis 5,0", "4"],
        ["–", "5,9", "4,3 bis 7,5", "4"],
    ]
    log_in(client, "schulaufsicht@demo.selfeval.de")
    withheld = soup_of(client.get("/schulen/199033/2025-26/ergebnis?spannweite=ja"))
    assert withheld.find(id="spannweite") is None


def test_the_demo_gesamtschule_follows_up_last_years_plan(demo):
    """Issue 18: 2024/25's plan (agreed with the Medienberatung, confirmed) in 2025/26: one goal reached, one not."""
    client = demo.test_client()
    log_in(client, "schulleitung@demo.selfeval.de")
    section = soup_of(client.get("/schulen/199001/2025-26/ergebnis")).select_one("section.follow-up")
    goals = [
        (text(goal.h3), text(goal.select_one(".goal-outcome__values")), text(goal.select_one(".goal-outcome__measures-head")))
        for goal in section.select("li.goal-outcome")
    ]
    assert (text(section.h2), goals) == (
        "Ziele aus 2024/25",
        [
            ("Ziel 1 noch nicht erreicht", "Zielwert: 5 2025/26: 4 vorher (2024/25): 3", "Maßnahmen: 1 erledigt, 1 begonnen"),
            ("Ziel 2 erreicht", "Zielwert: 5 2025/26: 5 vorher (2024/25): 3", "Maßnahmen: 3 erledigt"),
        ],
    )
    assert [text(li) for li in section.select("li.goal-outcome")[1].select(".goal-outcome__measures li")] == [
        "Fortbildungsbedarf im Kollegium erheben (Online-Umfrage) (Medienkoordination, bis 31.10.2024): erledigt",
        "Pädagogischer Tag „Unterrichten mit Tablets“ (Schulleitung, bis 14.02.2025): erledigt "
        "Angebot: Fortbildungen des Kompetenzteams Dortmund",
        "Zwei Kolleg:innen zur Qualifizierung der Medienkoordinator:innen anmelden (Schulleitung, bis 31.03.2025): "
        "erledigt Angebot: Qualifizierung der Medienkoordinator:innen",
    ]
    with demo.app_context():
        school = get_school("199001")
        last_year, this_year = (load_plan(school, get_round(slug)) for slug in ("2024-25", "2025-26"))
        assert [(a.held_on.isoformat(), a.recorded_by, a.confirmed) for a in last_year.agreements] == [
            ("2024-11-12", "Şebnem Kaya", True)
        ]
        assert [(a.held_on.isoformat(), a.recorded_by, a.confirmed) for a in this_year.agreements] == [
            ("2025-11-18", "Şebnem Kaya", False)
        ]
        measures = [
            (g.indicators, g.target, [(m.what, m.status, m.carried_from is not None) for m in g.measures])
            for g in this_year.goals
        ]
        assert measures == [
            (("k2d",), 5.0, [
                ("Lernplattform in allen Klassen für Aufgaben und Rückmeldungen nutzen", "begonnen", False),
                ("Austauschrunde zu guten Beispielen", "geplant", False),
            ]),
            (("k5d",), 4.0, [("Leitlinie mit der Datenschutzbeauftragten abstimmen", "geplant", False)]),
            (("k2b",), 5.0, [("Fachcurricula Deutsch, Englisch und Gesellschaftslehre ergänzen", "begonnen", True)]),
        ]  # fmt: skip


def test_the_demo_grundschule_in_bochum_has_a_plan_with_offers_that_fit_it(demo):
    with demo.app_context():
        school = get_school("199022")
        plan = load_plan(school, get_round("2025-26"))
        chosen = [(g.indicators, [(m.what, m.offers) for m in g.measures]) for g in plan.goals]
        assert chosen == [
            (("k3b",), [("Medienkoordination qualifizieren", ("medienkoordinatoren-qualifizierung",))]),
            (("k6d",), [("LOGINEO NRW LMS in den Klassen 3 und 4 einführen", ("logineo-nrw", "bildungsmediathek-nrw"))]),
        ]
        assert {offer for g in plan.goals for m in g.measures for offer in m.offers} <= set(plan.offers)
        assert all(not plan.offers[o].kreise or "05911" in plan.offers[o].kreise for o in plan.offers)
