"""Escaping in the team's pages and the report page: every payload shows as the text typed, never as markup.

Comments (Belege/Anmerkungen), the school's name and Ort, and the names of the team members who wrote them
(see tests/support/escaping_area.py). Each page is parsed with BeautifulSoup: no element or event attribute
came from a payload, and the text node where the value is shown equals the stored text exactly.
"""

from __future__ import annotations

import pytest

from tests.support.escaping_area import BASE, FIRST, LEADER_NAME, SCHOOLS, member_email, populated_app
from tests.support.factories import login
from tests.support.html import soup_of
from tests.support.payloads import PAYLOADS, as_comment, as_name, as_place, hostile_markup_in, new_comment_in

NAME, PLACE = as_name(SCHOOLS[FIRST]), as_place(SCHOOLS[FIRST])
COMMENTS = [as_comment(payload) for payload in PAYLOADS]


@pytest.fixture(scope="module")
def area_app(migrated_database, tmp_path_factory):
    """One populated app for the whole module: its tests only read."""
    yield from populated_app(migrated_database, tmp_path_factory.mktemp("instance"))


@pytest.fixture
def client(area_app):
    return area_app.test_client()


def page(client, url: str):
    """The page, parsed, after checking it is an HTML page without markup from a payload."""
    response = client.get(url)
    assert (response.status_code, response.mimetype) == (200, "text/html")
    soup = soup_of(response)
    assert hostile_markup_in(soup) == []
    return soup


def test_the_results_page_shows_comments_school_and_account_name_as_text(client):
    login(client, member_email(0))
    soup = page(client, f"{BASE}/ergebnis")

    assert [p.get_text() for p in soup.select("p.comment")] == COMMENTS
    assert soup.title.get_text() == f"Ergebnis 2025/26 – {NAME} – selfeval"
    assert soup.select_one("p.eyebrow").get_text() == f"{NAME} · Schulnummer {FIRST} · Erhebungsrunde 2025/26"
    assert soup.select_one(".account__name").get_text() == as_name(PAYLOADS[0])


def test_the_report_page_shows_comments_school_name_and_ort_as_text(client):
    login(client, member_email(0))  # the school's draft: the team's own report (issue 19)
    soup = page(client, f"{BASE}/bericht")

    # The report trims each comment (a leading tab or line break would only indent the printed text).
    assert [p.get_text() for p in soup.select("p.comment")] == [f"Kommentar des Teams: {c.strip()}" for c in COMMENTS]
    assert soup.select_one("h1#report-title").get_text() == NAME
    facts = {item.dt.get_text(): item.dd.get_text() for item in soup.select("dl.report__facts > div")}
    assert facts["Ort"] == f"{PLACE} (Dortmund)"


def test_the_rating_page_puts_comments_into_the_text_areas_as_text(client):
    login(client, member_email(0))
    soup = page(client, f"{BASE}/kriterien/k1")

    areas = soup.find_all("textarea")
    # The HTML parser drops the line break that WTForms writes right after <textarea>; BeautifulSoup keeps it.
    assert [area.get_text().removeprefix("\r\n") for area in areas] == COMMENTS[:4]
    assert soup.find_all("textarea") == areas  # "</textarea>" in a comment closed no text area early


def test_the_history_shows_who_wrote_which_comment_as_text(client):
    login(client, member_email(0))
    soup = page(client, f"{BASE}/verlauf")

    written = {}
    for row in soup.select("table.audit-table tbody tr"):
        cells = row.find_all("td")
        if cells[1].get_text() != LEADER_NAME:
            written[cells[1].get_text()] = new_comment_in(cells[3])
    assert written == {as_name(payload): as_comment(payload) for payload in PAYLOADS}
