"""Escaping in the supervision's overview and the administration's pages: school names and Orte, account names,
comments in the audit trail, and search texts shown back in the search forms; every payload shows as the text typed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from selfeval.extensions import db
from selfeval.models import Assessment
from selfeval.services.schools import find_school
from selfeval.vocabulary import DRAFT_STATUS, SUBMITTED_STATUS
from tests.support.escaping_area import ADMIN, FIRST, LEADER_NAME, SCHOOLS, member_email, populated_app
from tests.support.factories import login
from tests.support.html import soup_of
from tests.support.payloads import PAYLOADS, as_comment, as_name, as_place, hostile_markup_in, new_comment_in


@pytest.fixture(scope="module")
def area_app(migrated_database, tmp_path_factory):
    """One populated app for the whole module: its tests only read."""
    yield from populated_app(migrated_database, tmp_path_factory.mktemp("instance"))


@pytest.fixture
def client(area_app):
    client = area_app.test_client()
    login(client, ADMIN)
    return client


def page(client, url: str, **query):
    """The page, parsed, after checking it is an HTML page without markup from a payload."""
    response = client.get(url, query_string=query)
    assert (response.status_code, response.mimetype) == (200, "text/html")
    soup = soup_of(response)
    assert hostile_markup_in(soup) == []
    return soup


def test_the_supervision_overview_lists_the_school_names_as_text(client):
    soup = page(client, "/auswertung/", runde="2025-26")  # an administrator sees every school

    shown = {row.th.select_one("span.muted").get_text(): row.th.a.get_text() for row in soup.select("table.heatmap tbody tr")}
    assert shown == {number: as_name(payload) for number, payload in SCHOOLS.items()}


def test_the_school_list_shows_names_and_orte_as_text(client):
    soup = page(client, "/verwaltung/schulen")

    shown = {}
    for row in soup.select("table.data-table tbody tr"):
        cells = row.find_all("td")
        shown[cells[0].get_text()] = (row.th.a.get_text(), cells[2].get_text())
    assert shown == {number: (as_name(payload), as_place(payload)) for number, payload in SCHOOLS.items()}


def test_the_school_page_shows_its_name_ort_and_team_as_text(client):
    soup = page(client, f"/verwaltung/schulen/{FIRST}")

    assert soup.h1.get_text() == as_name(SCHOOLS[FIRST])
    facts = {item.dt.get_text(): item.dd.get_text() for item in soup.select("dl > div") if item.dt and item.dd}
    assert facts["Ort"] == as_place(SCHOOLS[FIRST])
    team = soup.find(id="team-caption").find_parent("table")
    members = [row.th.a.get_text() for row in team.tbody.find_all("tr")]
    assert sorted(members) == sorted([LEADER_NAME, *(as_name(payload) for payload in PAYLOADS)])


def test_the_account_list_and_an_account_page_show_the_names_as_text(client):
    soup = page(client, "/verwaltung/konten")
    shown = {row.find("td").get_text(): row.th.a.get_text() for row in soup.select("table.data-table tbody tr")}
    assert {email: shown[email] for email in map(member_email, range(len(PAYLOADS)))} == {
        member_email(number): as_name(payload) for number, payload in enumerate(PAYLOADS)
    }

    for row in soup.select("table.data-table tbody tr"):
        if row.find("td").get_text() == member_email(1):
            account = page(client, row.th.a["href"])
            assert account.h1.get_text() == as_name(PAYLOADS[1])
            assert account.title.get_text() == f"{as_name(PAYLOADS[1])} – Konten – selfeval"


@pytest.fixture
def released(area_app):
    """The assessment submitted with its comments released, so that the admin may read them; a draft again after."""

    def mark(status: str, comments_released: bool) -> None:
        with area_app.app_context():
            school_id = find_school(FIRST).id
            values = {"status": status, "comments_released": comments_released}
            db.session.execute(update(Assessment).where(Assessment.school_id == school_id).values(**values))
            db.session.commit()

    mark(SUBMITTED_STATUS, True)
    yield
    mark(DRAFT_STATUS, False)


def test_the_audit_trail_shows_names_and_comments_as_text(client, released):
    soup = page(client, "/verwaltung/protokoll", art="rating.changed", schulnummer=FIRST)

    written = {}
    for row in soup.select("table.audit-table tbody tr"):
        cells = row.find_all("td")
        assert cells[3].select_one("span.audit-line").get_text() == f"{FIRST} {as_name(SCHOOLS[FIRST])}"
        if cells[1].get_text() != LEADER_NAME:
            written[cells[1].get_text()] = new_comment_in(cells[4])
    assert written == {as_name(payload): as_comment(payload) for payload in PAYLOADS}


@pytest.mark.parametrize(
    ("url", "field"), [("/verwaltung/schulen", "suche"), ("/verwaltung/konten", "suche"), ("/verwaltung/protokoll", "wer")]
)
def test_a_search_text_is_shown_back_as_the_value_of_its_field(client, url, field):
    for payload in PAYLOADS:
        soup = page(client, url, **{field: payload})
        assert soup.find("input", attrs={"name": field})["value"] == payload
