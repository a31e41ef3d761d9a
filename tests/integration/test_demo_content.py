"""The demo has enough schools that the overview, the heatmap and the comparison groups mean something."""

from __future__ import annotations

import pytest

from selfeval.extensions import catalogs, db
from selfeval.services.demo import LOGINS, load_demo_content


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
        32, 25, {"05911", "05913", "05914", "05915", "05954", "05962", "05978", "05513", "05562"},
        {"02", "04", "08", "10", "15", "20", "30"},
    )  # fmt: skip
    assert participation(client, emails["Schulaufsicht Dortmund (nur lesen)"]) == (
        12, 9, {"05913"}, {"02", "04", "08", "10", "15", "20", "30"},
    )  # fmt: skip
    assert participation(client, emails["Medienberatung Dortmund und Bochum"]) == (
        17, 14, {"05911", "05913"}, {"02", "04", "08", "10", "15", "20", "30"},
    )  # fmt: skip
    assert participation(client, emails["Schulaufsicht Gymnasien, Bezirksregierung Arnsberg"]) == (
        7, 6, {"05911", "05913", "05914", "05915", "05962", "05978"}, {"20"},
    )  # fmt: skip


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
    assert "Kriterienwerte je Schule, Schulen 1 bis 12 von 12." in page
