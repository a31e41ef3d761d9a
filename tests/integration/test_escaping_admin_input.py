"""Escaping of what administrators type or upload: a school's name and Ort in the edit form, and a directory file
whose names, Orte, Schulnummern and file name are payloads. Each is shown back as the text typed, never as markup.
"""

from __future__ import annotations

import io

import pytest

from tests.support.directory_file import csv_file, record
from tests.support.factories import login, make_school, make_user
from tests.support.html import csrf, soup_of
from tests.support.payloads import PAYLOADS, as_name, as_place, hostile_markup_in

ADMIN = "admin@land.test"
EDIT, SCHOOL, IMPORT = "/verwaltung/schulen/100001/bearbeiten", "/verwaltung/schulen/100001", "/verwaltung/import"


@pytest.fixture
def admin(app):
    with app.app_context():
        make_school("100001", name="Adler-Gesamtschule")
        make_user(ADMIN, "admin")


def parsed(response, status: int = 200):
    assert (response.status_code, response.mimetype) == (status, "text/html")
    soup = soup_of(response)
    assert hostile_markup_in(soup) == []
    return soup


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_name_and_ort_typed_in_the_school_form_are_shown_back_and_saved_as_text(client, admin, payload):
    login(client, ADMIN)
    typed = {"csrf_token": csrf(client, EDIT), "name": payload, "schulform": "15", "ort": payload}

    refused = parsed(client.post(EDIT, data={**typed, "kreis": ""}))  # no Kreis: the form comes back with the input
    assert refused.find("input", attrs={"name": "name"})["value"] == as_name(payload)
    assert refused.find("input", attrs={"name": "ort"})["value"] == as_place(payload)

    assert client.post(EDIT, data={**typed, "kreis": "05913"}).status_code == 302
    school = parsed(client.get(SCHOOL))
    assert school.h1.get_text() == as_name(payload)
    facts = {item.dt.get_text(): item.dd.get_text() for item in school.select("dl > div") if item.dt and item.dd}
    assert facts["Ort"] == as_place(payload)


def test_an_uploaded_directory_shows_its_file_name_rejected_values_and_imported_names_as_text(client, admin):
    login(client, ADMIN)
    imported = [record(Schulnummer=f"{200001 + n}", Schulbezeichnung_1=p, Ort=p) for n, p in enumerate(PAYLOADS)]
    refused = [record(Schulnummer=payload) for payload in PAYLOADS]
    filename = "<img src=x onerror=alert(1)>.csv"  # browsers send a quote or a slash in a file name percent-encoded
    form = {"csrf_token": csrf(client, IMPORT), "file": (io.BytesIO(csv_file(*imported, *refused)), filename)}

    result = parsed(client.post(IMPORT, data=form, content_type="multipart/form-data"))

    notice = result.select_one("div.notice--success p").get_text()
    assert notice == f"Das Schulverzeichnis aus der Datei „{filename}“ ist importiert und gespeichert."
    reasons = [row.td.get_text() for row in result.select("#abgelehnte-zeilen tbody tr")]
    # A quoted CR makes a record span two lines; the reason then says so in a second sentence.
    assert [reason.split(" Der Datensatz reicht")[0] for reason in reasons] == [
        f"Schulnummer „{payload.strip()}“ hat nicht 6 Ziffern." for payload in PAYLOADS
    ]
    schools = parsed(client.get("/verwaltung/schulen", query_string={"suche": "2000"}))
    shown = {row.find("td").get_text(): (row.th.a.get_text(), row.find_all("td")[2].get_text()) for row in schools.tbody("tr")}
    assert shown == {f"{200001 + n}": (as_name(payload), as_name(payload)) for n, payload in enumerate(PAYLOADS)}
