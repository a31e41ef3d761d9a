"""GET /api/v1/schools before any round exists: the schools each caller may see, without status or score."""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.services.school_import import import_directory
from selfeval.services.schools import find_school
from tests.support.directory_file import csv_file, record
from tests.support.factories import make_round, make_token, make_user


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def school(number: str, name: str, schulform: str, kreis: str, bezirk: str, ort: str) -> dict:
    return {
        "schulnummer": number, "name": name, "schulform": schulform, "kreis": kreis, "bezirksregierung": bezirk,
        "ort": ort, "status": None, "overall": None,
    }  # fmt: skip


NORD = school("100001", "Gesamtschule Nord", "15", "05913", "Arnsberg", "Dortmund")
LINDE = school("100002", 'Grundschule Haus "Zur Linde"', "02", "05911", "Arnsberg", "Bochum")
DOM = school("100003", "Domgymnasium", "20", "05315", "Köln", "Köln")
VERSUCH = school("100004", "Versuchsschule", "12", "05913", "Arnsberg", "Dortmund")


@pytest.fixture
def tokens(app) -> dict[str, str]:
    """Four schools imported from the directory, no round; tokens of a team member, a Dortmund supervisor,
    an Arnsberg supervisor for Grundschulen, a Köln adviser and an admin."""
    with app.app_context():
        data = csv_file(
            record(),
            record(Schulnummer="100002", Schulform="02", Schulbezeichnung_1="Grundschule", Schulbezeichnung_2='Haus "Zur Linde"',
                   Ort="Bochum", Gemeindeschluessel="05911000"),
            record(Schulnummer="100003", Schulform="20", Schulbezeichnung_1="Domgymnasium", Ort="Köln",
                   Gemeindeschluessel="05315000"),
            record(Schulnummer="100004", Schulform="12", Schulbezeichnung_1="Versuchsschule"),
        )  # fmt: skip
        import_directory(data, actor=None, filename="schuldaten.csv")
        db.session.commit()
        team = make_user("lehrer@schule.test", school=find_school("100002"))
        return {
            "team": make_token(team),
            "supervisor": make_token(make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])),
            "grundschulen": make_token(make_user("gs@bezreg.test", "supervisor", bezirke=["Arnsberg"], schulformen=["02"])),
            "adviser": make_token(make_user("berater@kommune.test", "adviser", kreise=["05315"])),
            "admin": make_token(make_user("admin@land.test", "admin")),
        }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("team", [LINDE]),
        ("supervisor", [NORD, VERSUCH]),
        ("grundschulen", [LINDE]),
        ("adviser", [DOM]),
        ("admin", [NORD, LINDE, DOM, VERSUCH]),
    ],
)
def test_without_a_round_the_list_shows_the_visible_schools_without_status(client, tokens, who, expected):
    response = client.get("/api/v1/schools", headers=auth(tokens[who]))

    assert (response.status_code, response.get_json()) == (200, expected)


def test_without_a_round_a_named_round_is_still_unknown_and_anonymous_callers_are_refused(client, tokens):
    response = client.get("/api/v1/schools?round=2025-26", headers=auth(tokens["admin"]))
    assert (response.status_code, response.get_json()) == (
        404, {"error": {"code": 404, "message": "Erhebungsrunde 2025-26 nicht gefunden"}},
    )  # fmt: skip
    response = client.get("/api/v1/schools")
    assert (response.status_code, response.get_json()) == (
        401, {"error": {"code": 401, "message": "Anmeldung erforderlich: Authorization: Bearer <Token>."}},
    )  # fmt: skip


def test_once_a_round_exists_the_list_has_status_and_score_again(app, client, tokens):
    with app.app_context():
        make_round("2025/26")

    response = client.get("/api/v1/schools", headers=auth(tokens["supervisor"]))

    assert response.get_json() == [NORD | {"status": "not_started"}, VERSUCH | {"status": "not_started"}]


def test_the_openapi_document_describes_the_list_without_a_round(client):
    document = client.get("/api/v1/openapi.json").get_json()

    operation = document["paths"]["/schools"]["get"]
    assert (
        operation["description"]
        == "Before any round exists (and without `round`), the schools alone: `status` and `overall` are null."
    )
    assert operation["responses"]["404"]["description"] == "Unknown round"
    properties = document["components"]["schemas"]["SchoolSummary"]["properties"]
    assert properties["status"] == {
        "enum": ["submitted", "draft", "not_started", None],
        "description": "null when no round exists",
    }
    assert properties["overall"] == {"type": ["number", "null"]}
