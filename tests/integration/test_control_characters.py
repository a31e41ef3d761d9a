"""Control characters in requests: a clear refusal and nothing written, never a server error (PostgreSQL refuses NUL).

A NUL character in an address, a query, a form field or an uploaded file's name is refused with 400 before any view
runs (issue 15, item 8: a form field with NUL reached PostgreSQL where no service checked it); other control
characters in the names, Orte and e-mail addresses typed into forms are named on their fields, and the log-in treats
such an address as unknown.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent, School
from selfeval.services.accounts import create_user, find_user
from tests.support.directory_file import csv_file, record
from tests.support.factories import login, make_round, make_school, make_token, make_user
from tests.support.html import csrf, soup_of

ADMIN = "admin@land.test"
REFUSED = "Die Anfrage enthält ein unzulässiges Steuerzeichen (U+0000); nichts wurde verarbeitet."
EDIT = "/verwaltung/schulen/100001/bearbeiten"
NEW_ACCOUNT = "/verwaltung/konten/neu"
PAGES = [
    "/verwaltung/schulen?suche=%00",
    "/verwaltung/konten?suche=a%00",
    "/verwaltung/protokoll?wer=%00",
    "/verwaltung/protokoll?betrifft=%00",
    "/verwaltung/schulen/%00",
    "/auswertung/?runde=2025-26%00",
    "/schulen/%00/2025-26/ergebnis",
    "/schulen/100001/%00/ergebnis",
    "/verwaltung/schulen?%00=1",
]
API = [
    "/api/v1/schools/%00/assessments/2025-26",
    "/api/v1/schools/100001/assessments/%00",
    "/api/v1/schools?round=%00",
    "/api/v1/analytics?round=2025-26&kreis=%00",
]


@pytest.fixture
def area(app):
    with app.app_context():
        school = make_school("100001", name="Adler-Gesamtschule")
        make_round("2025/26")
        make_user(ADMIN, "admin")
        member = create_user("mitglied@schule.test", "Mitglied", "team", None, school=school)  # no password to hash
        return make_token(member)


def stored(app) -> tuple[list, int]:
    with app.app_context():
        schools = [tuple(row) for row in db.session.execute(select(School.schulnummer, School.name, School.ort))]
        return schools, len(db.session.scalars(select(AuditEvent.id)).all())


def assert_refused_page(response) -> None:
    assert (response.status_code, response.mimetype) == (400, "text/html")
    assert soup_of(response).h1.get_text() == "Ungültige Anfrage"


@pytest.mark.parametrize("url", PAGES)
def test_a_nul_character_in_a_page_address_or_query_is_refused(client, area, url):
    login(client, ADMIN)
    assert_refused_page(client.get(url))


@pytest.mark.parametrize("url", API)
def test_a_nul_character_in_an_api_address_or_query_is_refused(client, area, url):
    response = client.get(url, headers={"Authorization": f"Bearer {area}"})
    assert (response.status_code, response.get_json()) == (400, {"error": {"code": 400, "message": REFUSED}})


def test_a_control_character_in_the_log_in_address_is_an_unknown_address(client, area):
    data = {"csrf_token": csrf(client, "/anmelden"), "email": "admin@land.test\x07", "password": "x" * 12}
    response = client.post("/anmelden", data=data)
    assert response.status_code == 200
    assert field_errors(soup_of(response)) == {"password": "E-Mail-Adresse oder Passwort sind nicht richtig."}


def test_a_nul_character_in_any_form_field_is_refused_before_any_view_and_stores_nothing(app, client, area):
    login(client, ADMIN)
    with app.app_context():
        account = find_user("mitglied@schule.test").id
    before = stored(app)
    token = csrf(client, EDIT)
    school = {"name": "Adler\x00Nord", "schulform": "15", "kreis": "05913", "ort": "Dortmund"}
    new = {"role": "admin", "school": "", "email": "neu@schule.de", "display_name": "Nora\x00Neu"}
    changed = {"email": "mitglied@schule.test", "role": "team", "school": "100001", "display_name": "Mit\x00glied"}
    for url, data in [(EDIT, school), (NEW_ACCOUNT, new), (f"/verwaltung/konten/{account}/bearbeiten", changed)]:
        assert_refused_page(client.post(url, data={"csrf_token": token, **data}))
    assert stored(app) == before
    client.post("/abmelden", data={"csrf_token": token})
    data = {"csrf_token": csrf(client, "/anmelden"), "email": "admin@land.test\x00", "password": "x" * 12}
    assert_refused_page(client.post("/anmelden", data=data))


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f"])
def test_control_characters_in_the_school_form_are_named_on_their_fields(app, client, area, character):
    login(client, ADMIN)
    before = stored(app)
    data = {"csrf_token": csrf(client, EDIT), "name": f"Adler{character}Nord", "schulform": "15", "kreis": "05913"}

    response = client.post(EDIT, data={**data, "ort": f"Dort{character}mund"})

    assert response.status_code == 200
    assert field_errors(soup_of(response)) == {
        "name": "Der Name enthält unzulässige Steuerzeichen.",
        "ort": "Der Ort enthält unzulässige Steuerzeichen.",
    }
    assert stored(app) == before


@pytest.mark.parametrize("character", ["\x07", "\x1b", "\x7f"])
@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("email", "neu{}@schule.de", "„neu{}@schule.de“ ist keine E-Mail-Adresse."),
        ("display_name", "Nora{}Neu", "Der Name enthält unzulässige Steuerzeichen."),
    ],
)
def test_a_control_character_in_a_new_accounts_name_or_address_is_named_on_its_field(
    app, client, area, character, field, typed, message
):
    login(client, ADMIN)
    before = stored(app)
    data = {"csrf_token": csrf(client, NEW_ACCOUNT), "role": "admin", "school": "", "email": "neu@schule.de"}

    response = client.post(NEW_ACCOUNT, data={**data, "display_name": "Nora Neu", field: typed.format(character)})

    assert response.status_code == 200
    assert field_errors(soup_of(response)) == {field: message.format(character)}
    assert stored(app) == before


def field_errors(page) -> dict[str, str]:
    """The message under each field, by the field's name."""
    return {p["id"].removesuffix("-error"): p.get_text() for p in page.select("p.field-error")}


def test_a_nul_character_in_an_uploaded_file_name_is_refused_and_imports_nothing(app, client, area):
    login(client, ADMIN)
    before = stored(app)
    data = csv_file(record(Schulnummer="200001"))
    form = {"csrf_token": csrf(client, "/verwaltung/import"), "file": (io.BytesIO(data), "schul\x00daten.csv")}

    assert_refused_page(client.post("/verwaltung/import", data=form, content_type="multipart/form-data"))
    assert stored(app) == before


@pytest.mark.parametrize("character", ["\x07", "\x1b"])
def test_a_control_character_in_an_accounts_changed_name_is_named_on_its_field(app, client, area, character):
    login(client, ADMIN)
    with app.app_context():
        account = find_user("mitglied@schule.test").id
    url = f"/verwaltung/konten/{account}/bearbeiten"
    before = stored(app)
    data = {"csrf_token": csrf(client, url), "email": "mitglied@schule.test", "role": "team", "school": "100001"}

    response = client.post(url, data={**data, "display_name": f"Mit{character}glied"})

    assert response.status_code == 200
    assert field_errors(soup_of(response)) == {"display_name": "Der Name enthält unzulässige Steuerzeichen."}
    assert stored(app) == before
