"""Issue 15, item 8: odd input is a 4xx or a form error, never a 500 (on SQLite and PostgreSQL).

Found by an independent attack: dates at the calendar's edges in the audit filter, account ids beyond the database's
integer range in addresses, a NUL character in form fields (PostgreSQL cannot store or compare it), and control
characters in round names. The property test at the end draws such values for every query and form field of these
pages, so it would have found each of them.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import AuditEvent, Round
from selfeval.services.accounts import find_user
from tests.support.factories import login, make_round, make_school, make_user, submitted
from tests.support.html import csrf, soup_of, text
from tests.support.properties import budget

ADMIN = "admin@land.test"
REFUSED_TITLE = "Ungültige Anfrage"
AUDIT = "/verwaltung/protokoll"
EDGE_DATES = ["0001-01-01", "9999-12-31", "01.01.0001", "31.12.9999", "0001-01-02", "9999-12-30"]
HUGE_IDS = [2**31 - 1 + 1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]
ACCOUNT_ACTIONS = ["passwort-link", "deaktivieren", "aktivieren", "auskunft", "loeschen", "bearbeiten"]


@pytest.fixture
def area(app, client):
    with app.app_context():
        round_ = make_round("2025/26")
        submitted(make_school("100001", name="Adler-Gesamtschule"), round_, 5)
        make_user(ADMIN, "admin")
    login(client, ADMIN)
    return client


def audit_entries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


def shown_entries(client, query: str) -> str:
    page = soup_of(client.get(f"{AUDIT}?{query}"))
    assert page.select("p.field-error") == []
    table = page.find("table")
    return "none" if table is None else f"{len(table.select('tbody tr'))} rows"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("von=0001-01-01", "all"), ("von=01.01.0001", "all"), ("von=0001-01-02", "all"),
        ("bis=9999-12-31", "all"), ("bis=31.12.9999", "all"), ("bis=9999-12-30", "all"),
        ("von=9999-12-31", "none"), ("von=31.12.9999", "none"),
        ("bis=0001-01-01", "none"), ("bis=01.01.0001", "none"),
        ("von=0001-01-01&bis=9999-12-31", "all"),
    ],
)  # fmt: skip
def test_dates_at_the_calendars_edges_filter_the_audit_trail(area, query, expected):
    everything = shown_entries(area, "")
    assert everything != "none"
    assert shown_entries(area, query) == (everything if expected == "all" else "none")


@pytest.mark.parametrize("number", HUGE_IDS)
def test_an_account_id_beyond_the_databases_range_is_not_found(area, number):
    assert area.get(f"/verwaltung/konten/{number}").status_code == 404
    token = csrf(area, "/verwaltung/konten")
    for action in ACCOUNT_ACTIONS:
        response = area.post(f"/verwaltung/konten/{number}/{action}", data={"csrf_token": token})
        assert (action, response.status_code, text(soup_of(response).h1)) == (action, 404, "Seite nicht gefunden")


def test_the_largest_id_the_database_holds_is_still_looked_up(area):
    assert area.get(f"/verwaltung/konten/{2**31 - 1}").status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/auswertung/berichte/", {"runde": "2025\x00-26"}),
        ("/verwaltung/runden", {"name": "2027\x00/28"}),
        ("/verwaltung/schulen/neu", {"schulnummer": "100\x00002", "name": "Neu", "schulform": "15", "kreis": "05913"}),
        ("/verwaltung/konten/neu", {"email": "neu@schule.de", "display_name": "Neu\x00", "role": "admin"}),
    ],
)
def test_a_nul_character_in_a_form_field_is_refused_and_changes_nothing(app, area, url, data):
    before = audit_entries(app)
    response = area.post(url, data={"csrf_token": csrf(area, "/verwaltung/"), **data})
    assert (response.status_code, text(soup_of(response).h1)) == (400, REFUSED_TITLE)
    assert audit_entries(app) == before


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f", "\x0b"])
def test_a_control_character_in_a_round_name_is_named_on_the_field(app, area, character):
    token = csrf(area, "/verwaltung/runden")
    response = area.post("/verwaltung/runden", data={"csrf_token": token, "name": f"2027{character}/28"})
    assert response.status_code == 200
    errors = [text(p) for p in soup_of(response).select("p.field-error")]
    example = "Bitte geben Sie das Schuljahr in der Form JJJJ/JJ an, z. B. 2026/27."
    assert errors == [f"Der Name enthält Steuerzeichen (etwa aus einer Kopie). {example}"]
    with app.app_context():
        assert db.session.scalars(select(Round.name)).all() == ["2025/26"]


# --- the property test that would have found all of the above ------------------------------------------------------

EDGE_DAY = st.sampled_from(EDGE_DATES + ["2025-02-29", "31.02.2025", "0000-01-01", "10000-01-01", "2025-13-01"])
BIG_NUMBER = st.one_of(
    st.sampled_from([str(n) for n in HUGE_IDS] + ["-1", "0", str(-(2**63)), "9" * 40]),
    st.integers(-(2**70), 2**70).map(str),
)
ODD_TEXT = st.one_of(st.text(max_size=20), st.text(max_size=10).map(lambda t: t + "\x00"), st.sampled_from(["\x00", "a\x00b"]))
AUDIT_FIELDS = ["von", "bis", "seite", "konto", "wer", "betrifft", "schulnummer", "art"]


@budget(0.3, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(query=st.dictionaries(st.sampled_from(AUDIT_FIELDS), st.one_of(EDGE_DAY, BIG_NUMBER, ODD_TEXT), max_size=4))
def test_any_audit_filter_is_answered_without_a_server_error(area, query):
    response = area.get(AUDIT, query_string=query)
    assert response.status_code in (200, 400), (query, response.status_code)


@budget(0.2, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(number=BIG_NUMBER.filter(lambda n: not n.startswith("-")), action=st.sampled_from(["", *ACCOUNT_ACTIONS]))
def test_any_account_number_in_the_address_is_answered_without_a_server_error(area, number, action):
    url = f"/verwaltung/konten/{number}" + (f"/{action}" if action else "")
    response = area.post(url, data={"csrf_token": csrf(area, "/verwaltung/")}) if action else area.get(url)
    assert response.status_code in (200, 302, 404), (url, response.status_code)


FORMS = {
    "/auswertung/berichte/": ["runde", "kreis", "schulform", "bezirk"],
    "/verwaltung/runden": ["name"],
    "/verwaltung/schulen/neu": ["schulnummer", "name", "schulform", "kreis", "ort"],
    "/verwaltung/konten/neu": ["email", "display_name", "role", "school", "kreise"],
    "/verwaltung/konten/{id}/bearbeiten": ["email", "display_name", "role", "school"],
    "/verwaltung/schulen/100001/bearbeiten": ["name", "schulform", "kreis", "ort"],
}


@budget(0.3, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(url=st.sampled_from(sorted(FORMS)), data=st.data())
def test_a_nul_character_in_any_form_field_is_refused_without_a_server_error(app, area, url, data):
    field = data.draw(st.sampled_from(FORMS[url]))
    value = data.draw(st.text(max_size=8)) + "\x00" + data.draw(st.text(max_size=8))
    with app.app_context():
        url = url.format(id=find_user(ADMIN).id)
    response = area.post(url, data={"csrf_token": csrf(area, "/verwaltung/"), field: value})
    assert response.status_code == 400, (url, field, response.status_code)
