"""Issue 15, item 4: who is in a team and who submitted is the team's own business and the admin's, not supervision's.

DATENSCHUTZ.md: "Schulaufsicht und Medienberatung sehen Ergebnisse und Berichte ohne Namen." The overview of a school's
assessment shows the team list and "abgeschlossen am … von <Name>" to the team and the admin; Schulaufsicht and
Medienberatung (in scope) see the same page with the team's size only and without any name.
"""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.models import Assessment
from selfeval.views.formatting import format_datetime
from tests.support.factories import login, make_round, make_school, make_user, submitted
from tests.support.html import soup_of, text

OVERVIEW = "/schulen/100001/2025-26/"
NAMES = ["Leitung-100001", "Lehrer", "leitung-100001@schule.test", "lehrer@schule.test"]


@pytest.fixture
def school(app):
    """A Gesamtschule in Dortmund whose Schulleitung submitted; a teacher in the team; one account per other role."""
    with app.app_context():
        school = make_school("100001", name="Adler-Gesamtschule")
        submitted(school, make_round("2025/26"), 6)
        make_user("lehrer@schule.test", school=school)
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
        make_user("beratung@medien.test", "adviser", kreise=["05913"])
        make_user("admin@land.test", "admin")
        return format_datetime(db.session.scalars(db.select(Assessment.submitted_at)).one())


def overview(client, email: str):
    login(client, email)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    return response, soup_of(response)


@pytest.mark.parametrize("email", ["lehrer@schule.test", "admin@land.test"])
def test_the_team_and_the_admin_see_the_team_list_and_who_submitted(client, school, email):
    _response, page = overview(client, email)
    assert text(page.find("p", class_="status-line")) == f"abgeschlossen am {school} von Leitung-100001"
    assert [text(li) for li in page.select("ul.team-list li")] == ["Leitung-100001 Schulleitung", "Lehrer"]
    assert page.find("a", string="Verlauf: wer hat wann was geändert")["href"] == "/schulen/100001/2025-26/verlauf"


@pytest.mark.parametrize("email", ["aufsicht@bezreg.test", "beratung@medien.test"])
def test_supervisors_and_advisers_see_the_teams_size_but_no_name(client, school, email):
    response, page = overview(client, email)
    assert text(page.find("p", class_="status-line")) == f"abgeschlossen am {school}"
    assert page.select("ul.team-list") == []
    team = page.find("section", attrs={"aria-labelledby": "team-heading"})
    assert [text(p) for p in team.find_all("p")] == [
        "Im Team sind 2 Mitglieder, davon 1 aus der Schulleitung. Namen sehen nur das Team selbst und die Verwaltung."
    ]
    assert page.find("a", string="Verlauf: wer hat wann was geändert") is None
    body = response.get_data(as_text=True)
    assert [name for name in NAMES if name in body] == []
