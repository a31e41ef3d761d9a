"""The administration's school pages and the directory import, through the real app, form and database."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from selfeval.directory import COLUMNS
from selfeval.extensions import db
from selfeval.models import AuditEvent, School
from selfeval.services.accounts import deactivate_user, find_user
from selfeval.services.schools import update_school
from tests.support.directory_file import generate_directory, make_directory_file
from tests.support.factories import login, make_round, make_school, make_user, rate, submitted
from tests.support.html import csrf, rows, soup_of, text

SCHOOL = "/verwaltung/schulen/100001"
EDIT = "/verwaltung/schulen/100001/bearbeiten"
NEW = "/verwaltung/schulen/neu"
IMPORT = "/verwaltung/import"
LOST_ZERO = "vermutlich ging eine führende Null verloren (in Excel gespeichert?)."
PAGES = ["/verwaltung/", "/verwaltung/schulen", SCHOOL, EDIT, NEW, IMPORT]


def flash(page) -> str:
    return text(page.find("div", class_="flashes"))


def events(app, action: str | None = None) -> list[tuple[str, str, str, dict]]:
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [(e.action, e.actor_name, e.subject, e.changes) for e in db.session.scalars(query)]


def schools_in_db(app) -> list[tuple[str, str, str, str, str]]:
    with app.app_context():
        found = db.session.scalars(select(School).order_by(School.schulnummer))
        return [(s.schulnummer, s.name, s.schulform, s.kreis, s.ort) for s in found]


@pytest.fixture
def admin(app):
    with app.app_context():
        make_school("100001", name="Adler-Gesamtschule")
        make_user("admin@land.test", "admin")
    return "admin@land.test"


@pytest.mark.parametrize("role", ["team", "supervisor", "adviser"])
def test_other_roles_get_403_on_every_school_page(app, client, admin, role):
    with app.app_context():
        school = db.session.scalars(select(School)).one()
        make_user("jemand@test.de", role, school=school if role == "team" else None, kreise=["05913"] if role != "team" else [])
    login(client, "jemand@test.de")
    assert [client.get(url).status_code for url in PAGES] == [403] * len(PAGES)
    token = csrf(client)
    for url in (EDIT, NEW, IMPORT):
        assert client.post(url, data={"csrf_token": token, "name": "X", "schulnummer": "100002"}).status_code == 403
    assert schools_in_db(app) == [("100001", "Adler-Gesamtschule", "15", "05913", "Dortmund")]


def test_anonymous_visitors_are_sent_to_the_login(client, admin):
    for url in PAGES:
        response = client.get(url)
        assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/anmelden")
    assert client.get(SCHOOL).headers["Location"] == "/anmelden?next=%2Fverwaltung%2Fschulen%2F100001"


def test_school_list_searches_filters_and_pages(app, client, admin):
    with app.app_context():
        for number in range(100002, 100062):
            make_school(str(number), name=f"Grundschule {number}", schulform="02", kreis="05315")
        make_school("200001", name="Gymnasium am Dom", schulform="20", kreis="05315")
    login(client, admin)
    page = soup_of(client.get("/verwaltung/schulen"))
    assert text(page.find("p", class_="result-count")) == "62 Schulen insgesamt."
    assert text(page.find("caption")) == "Schulen 1 bis 50 von 62, nach Schulnummer"
    assert rows(page.find("table"))[0] == ["100001", "Adler-Gesamtschule", "Gesamtschule", "Dortmund", "Dortmund"]
    assert page.find("a", rel="next")["href"] == "/verwaltung/schulen?seite=2"
    second = soup_of(client.get("/verwaltung/schulen?seite=2"))
    assert [r[0] for r in rows(second.find("table"))] == [*map(str, range(100051, 100062)), "200001"]
    assert text(second.find("nav", class_="pagination")) == "Vorherige Seite Seite 2 von 2"

    found = soup_of(client.get("/verwaltung/schulen", query_string={"suche": "dom", "kreis": "05315", "schulform": "20"}))
    assert text(found.find("p", class_="result-count")) == "1 Schule passt zur Suche."
    assert rows(found.find("table")) == [["200001", "Gymnasium am Dom", "Gymnasium", "Dortmund", "Köln"]]
    assert found.find("input", attrs={"name": "suche"})["value"] == "dom"
    assert found.find("select", attrs={"name": "kreis"}).find("option", selected=True)["value"] == "05315"
    by_kreis = soup_of(client.get("/verwaltung/schulen?kreis=05315&schulform=02&seite=2"))
    assert by_kreis.find("a", rel="prev")["href"] == "/verwaltung/schulen?kreis=05315&schulform=02&seite=1"
    nothing = soup_of(client.get("/verwaltung/schulen?suche=Zeche"))
    assert (text(nothing.find("p", class_="result-count")), nothing.find("table")) == ("Keine Schule passt zur Suche.", None)


def test_school_list_ignores_an_unknown_kreis_and_says_so(client, admin):
    login(client, admin)
    page = soup_of(client.get("/verwaltung/schulen?kreis=99999"))
    assert [text(li) for li in page.select("#fehler li")] == [
        "Kreis: Diesen Kreis gibt es nicht; die Auswahl wurde nicht angewendet."
    ]
    assert text(page.find("p", class_="result-count")) == "1 Schule insgesamt."


def test_school_page_shows_data_team_assessments_and_history(app, client, admin):
    with app.app_context():
        school = db.session.scalars(select(School)).one()
        old = make_round("2024/25", is_open=False)
        make_round("2025/26")
        submitted(school, old, 6)
        make_user("lehrer@schule.test", school=school)
        gone = make_user("alt@schule.test", school=school, leadership=True)
        deactivate_user(gone, actor=None)
        db.session.commit()
        leader_id = db.session.scalars(select(School)).one().memberships[0].user_id
    login(client, admin)
    page = soup_of(client.get(SCHOOL))
    assert text(page.find("h1")) == "Adler-Gesamtschule"
    facts = {text(d.dt): text(d.dd) for d in page.select("dl.facts > div")}
    assert facts == {
        "Schulnummer": "100001",
        "Schulform": "Gesamtschule (15)",
        "Ort": "Dortmund",
        "Kreis": "Dortmund (kreisfreie Stadt, 05913)",
        "Bezirksregierung": "Arnsberg",
        "Gemeindeschlüssel (AGS)": "nicht angegeben",
        "Schulträger": "nicht angegeben",
        "Rechtsform": "nicht angegeben",
    }
    tables = page.find_all("table")
    assert rows(tables[0]) == [
        ["Alt", "alt@schule.test", "ja", "deaktiviert"],
        ["Leitung-100001", "leitung-100001@schule.test", "ja", "aktiv"],
        ["Lehrer", "lehrer@schule.test", "nein", "aktiv"],
    ]
    assert tables[0].find("a")["href"].startswith("/verwaltung/konten/")
    assert f"/verwaltung/konten/{leader_id}" in [a["href"] for a in tables[0].find_all("a")]
    assert page.find("p", class_="notice--warning") is None
    assessments = rows(tables[1])
    assert assessments[0] == ["2025/26", "nicht begonnen", "–", "–"]
    assert assessments[1][0] == "2024/25 (geschlossen)"
    assert assessments[1][1].startswith("abgeschlossen am ")
    assert assessments[1][2:] == ["6,0", "Ergebnis 2024/25"]
    assert tables[1].find("a")["href"] == "/schulen/100001/2024-25/ergebnis"
    history = rows(tables[2])
    assert text(tables[2].find("caption")) == "Die letzten 20 von 25 Einträgen zu dieser Schule, der neueste zuerst"
    newest = ["Leitung-100001", "Bewertung abgeschlossen", "100001 Adler-Gesamtschule Runde 2024/25", "–"]
    assert (len(history), history[0][1:]) == (20, newest)
    assert page.find("a", string="Ganzes Protokoll dieser Schule")["href"] == "/verwaltung/protokoll?schulnummer=100001"
    new_member = page.find("a", string="Neues Teammitglied")["href"]
    assert new_member in ("/verwaltung/konten/neu?school=100001&role=team", "/verwaltung/konten/neu?role=team&school=100001")


def test_school_history_names_who_changed_what(app, client, admin):
    with app.app_context():
        school = db.session.scalars(select(School)).one()
        teacher = make_user("lehrer@schule.test", school=school)
        rate(school, make_round("2025/26"), teacher, {"k1a": 4}, {"k1a": "Medienkonzept 2024"})
        update_school(school, actor=find_user("admin@land.test"), name="Adler-Schule", schulform="15", kreis_key="05913", ort="")
        db.session.commit()
    login(client, admin)
    table = soup_of(client.get(SCHOOL)).find_all("table")[-1]
    history = rows(table)
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", row[0]) for row in history)
    assert [row[1:] for row in history] == [
        ["Admin", "Schule geändert", "100001 Adler-Schule", "Name: Adler-Gesamtschule → Adler-Schule Ort: Dortmund → (leer)"],
        [
            "Lehrer",
            "Bewertung geändert",
            "100001 Adler-Schule Runde 2025/26 Indikator 1a) Die Schule hat verantwortliche Ansprechpartner für die einzelnen …",
            # A draft: the admin reads that the team changed something, not what (DATENSCHUTZ.md).
            "Bewertung: geändert (Wert eines Entwurfs, nur für das Team) "
            "Anmerkung: geändert (Text eines Entwurfs, nur für das Team)",
        ],
        [
            "Kommandozeile",
            "Schule angelegt",
            "100001 Adler-Schule",
            "Name: Adler-Gesamtschule Schulform: Gesamtschule Kreis: Dortmund (05913) Ort: Dortmund",
        ],
    ]
    assert text(table.find("caption")) == "Alle 3 Einträge zu dieser Schule, der neueste zuerst"


def test_school_page_warns_without_an_active_schulleitung(app, client, admin):
    with app.app_context():
        make_user("lehrer@schule.test", school=db.session.scalars(select(School)).one())
    login(client, admin)
    page = soup_of(client.get(SCHOOL))
    assert text(page.find("p", class_="notice--warning")).startswith("Im Team ist kein aktives Mitglied der Schulleitung.")
    assert rows(page.find("table")) == [["Lehrer", "lehrer@schule.test", "nein", "aktiv"]]


def test_unknown_school_is_404(client, admin):
    login(client, admin)
    assert client.get("/verwaltung/schulen/999999").status_code == 404
    assert client.get("/verwaltung/schulen/999999/bearbeiten").status_code == 404


def test_editing_a_school_saves_audits_and_redirects(app, client, admin):
    login(client, admin)
    form = soup_of(client.get(EDIT))
    assert form.find("input", attrs={"name": "name"})["value"] == "Adler-Gesamtschule"
    assert form.find("select", attrs={"name": "kreis"}).find("option", selected=True)["value"] == "05913"
    data = {
        "csrf_token": csrf(client, EDIT),
        "name": "  Adler-Gesamtschule   Nord ",
        "schulform": "15",
        "kreis": "05911",
        "ort": "Bochum",
    }
    response = client.post(EDIT, data=data)
    assert (response.status_code, response.headers["Location"]) == (302, SCHOOL)
    assert flash(soup_of(client.get(SCHOOL))) == "Die Änderungen sind gespeichert."
    assert schools_in_db(app) == [("100001", "Adler-Gesamtschule Nord", "15", "05911", "Bochum")]
    assert events(app, "school.updated") == [
        (
            "school.updated",
            "Admin",
            "100001",
            {
                "name": ["Adler-Gesamtschule", "Adler-Gesamtschule Nord"],
                "kreis": ["05913", "05911"],
                "ort": ["Dortmund", "Bochum"],
            },
        )
    ]
    client.post(EDIT, data=data)
    assert flash(soup_of(client.get(SCHOOL))) == "Es gab nichts zu ändern."
    assert len(events(app, "school.updated")) == 1


def test_wrong_input_keeps_what_was_typed_and_writes_nothing(app, client, admin):
    login(client, admin)
    data = {"csrf_token": csrf(client, EDIT), "name": " ", "schulform": "15", "kreis": "99999", "ort": "Ort" * 41}
    response = client.post(EDIT, data=data)
    page = soup_of(response)
    assert response.status_code == 200
    assert [text(li) for li in page.select("#fehler li")] == [
        "Name der Schule: Bitte geben Sie den Namen der Schule an.",
        "Kreis oder kreisfreie Stadt: Bitte wählen Sie einen Kreis aus der Liste.",
        "Ort: Hier sind höchstens 120 Zeichen möglich.",
    ]
    assert page.find("input", attrs={"name": "ort"})["value"] == "Ort" * 41
    assert page.find("input", attrs={"name": "ort"})["aria-invalid"] == "true"
    assert page.find("input", attrs={"name": "ort"})["aria-describedby"] == "ort-error"
    assert page.find("select", attrs={"name": "schulform"}).find("option", selected=True)["value"] == "15"
    assert schools_in_db(app) == [("100001", "Adler-Gesamtschule", "15", "05913", "Dortmund")]
    assert events(app, "school.updated") == []


def test_an_unknown_imported_schulform_stays_choosable(app, client, admin):
    with app.app_context():
        db.session.scalars(select(School)).one().schulform = "12"
        db.session.commit()
    login(client, admin)
    select_ = soup_of(client.get(EDIT)).find("select", attrs={"name": "schulform"})
    assert text(select_.find("option", selected=True)) == "12 (unbekannt)"
    data = {"csrf_token": csrf(client, EDIT), "name": "Adler-Schule", "schulform": "12", "kreis": "05913", "ort": "Dortmund"}
    assert client.post(EDIT, data=data).status_code == 302
    assert schools_in_db(app) == [("100001", "Adler-Schule", "12", "05913", "Dortmund")]
    data["schulform"] = "11"
    page = soup_of(client.post(EDIT, data=data))
    assert [text(li) for li in page.select("#fehler li")] == ["Schulform: Bitte wählen Sie eine Schulform aus der Liste."]


def test_adding_a_school(app, client, admin):
    login(client, admin)
    data = {
        "csrf_token": csrf(client, NEW),
        "schulnummer": "100002",
        "name": "Birken-Grundschule",
        "schulform": "02",
        "kreis": "05911",
        "ort": "",
    }
    response = client.post(NEW, data=data)
    assert (response.status_code, response.headers["Location"]) == (302, "/verwaltung/schulen/100002")
    assert flash(soup_of(client.get("/verwaltung/schulen/100002"))) == "Die Schule Birken-Grundschule (100002) ist angelegt."
    assert schools_in_db(app)[1] == ("100002", "Birken-Grundschule", "02", "05911", "")
    created = {"name": [None, "Birken-Grundschule"], "schulform": [None, "02"], "kreis": [None, "05911"], "ort": [None, ""]}
    assert events(app, "school.created")[1:] == [("school.created", "Admin", "100002", created)]


def test_adding_a_school_twice_or_wrongly_is_refused_with_the_input_kept(app, client, admin):
    login(client, admin)
    token = csrf(client, NEW)
    data = {
        "csrf_token": token,
        "schulnummer": "100001",
        "name": "Noch eine",
        "schulform": "02",
        "kreis": "05911",
        "ort": "Bochum",
    }
    page = soup_of(client.post(NEW, data=data))
    assert [text(li) for li in page.select("#fehler li")] == [
        "Schulnummer: Es gibt schon eine Schule mit der Schulnummer 100001."
    ]
    assert page.find("input", attrs={"name": "name"})["value"] == "Noch eine"
    assert page.find("select", attrs={"name": "kreis"}).find("option", selected=True)["value"] == "05911"
    page = soup_of(client.post(NEW, data=data | {"schulnummer": "12345", "schulform": ""}))
    assert [text(li) for li in page.select("#fehler li")] == [
        "Schulnummer: Die Schulnummer hat 6 Ziffern, z. B. 123456.",
        "Schulform: Bitte wählen Sie die Schulform.",
    ]
    assert page.find("input", attrs={"name": "schulnummer"})["value"] == "12345"
    assert len(schools_in_db(app)) == 1
    assert len(events(app)) == 2  # the fixture's school and account


# --- the directory import --------------------------------------------------------------------------------


def directory_line(schulnummer: str, schulform: str, names: tuple[str, ...], ort: str, gemeinde: str) -> str:
    fields = dict.fromkeys(COLUMNS, "")
    fields.update(zip(("Schulbezeichnung_1", "Schulbezeichnung_2", "Schulbezeichnung_3"), names, strict=False))
    fields.update({"Schulnummer": schulnummer, "Schulform": schulform, "Ort": ort, "Gemeindeschluessel": gemeinde})
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow([fields[c] for c in COLUMNS] + [""])
    return buffer.getvalue()


SMALL_FILE = (
    "sep=;\r\n"
    + ";".join(COLUMNS) + ";\r\n"
    + directory_line("100001", "15", ("Adler-Gesamtschule",), "Dortmund", "05913000")  # line 3: unchanged
    + directory_line("100002", "02", ("Städtische Grundschule", "Am Ölbach; Primarstufe"), "Köln", "05315000")  # 4: new
    + directory_line("10003", "02", ("Grundschule Süd",), "Köln", "05315000")  # 5: rejected
    + directory_line("100004", "12", ("Katholische Schule", 'Haus "Zur Linde"'), "Münster", "05515000")  # 6: new, warning
    + directory_line("100005", "20", ("Gymnasium Nord",), "Bochum", "5911000")  # 7: rejected
    + directory_line("100006", "20", ("Gymnasium am Park",), "Bochum", "05911000")  # 8: updated
)  # fmt: skip


def upload(client, data: bytes | None, filename: str = "schuldaten.csv"):
    form = {"csrf_token": csrf(client, IMPORT)}
    form["file"] = (io.BytesIO(data), filename) if data is not None else (io.BytesIO(b""), "")
    return client.post(IMPORT, data=form, content_type="multipart/form-data")


def test_import_page_explains_the_file(client, admin):
    login(client, admin)
    page = soup_of(client.get(IMPORT))
    assert text(page.find("h1")) == "Schulverzeichnis importieren"
    file_input = page.find("input", attrs={"type": "file"})
    assert (file_input["accept"], file_input["aria-describedby"]) == (".csv,text/csv", "file-hint")
    assert page.find("form", class_="upload-form")["enctype"] == "multipart/form-data"
    assert "Es wird keine Schule gelöscht" in text(page)


def test_import_gives_the_exact_report_and_writes_the_schools(app, client, admin):
    with app.app_context():
        make_school("100006", name="Gymnasium Park", schulform="20", kreis="05911", gemeindeschluessel="05911000")
        db.session.scalars(select(School).filter_by(schulnummer="100001")).one().gemeindeschluessel = "05913000"
        db.session.commit()  # both as the directory has them
    login(client, admin)
    response = upload(client, SMALL_FILE.encode("utf-8"))
    page = soup_of(response)
    assert response.status_code == 200
    assert text(page.find("h1")) == "Ergebnis des Imports"
    figures = {text(d.dt): text(d.dd) for d in page.select("dl.figures > div")}
    assert figures == {"neu angelegt": "2", "geändert": "1", "unverändert": "1", "abgelehnte Zeilen": "2", "Hinweise": "1"}
    assert rows(page.find("table", id="abgelehnte-zeilen")) == [
        ["5", "Schulnummer „10003“ hat nicht 6 Ziffern."],
        ["7", f"Gemeindeschluessel „5911000“ hat nicht 8 Ziffern; {LOST_ZERO}"],
    ]
    assert rows(page.find("table", id="hinweis-zeilen")) == [
        ["6", "Schulform „12“ steht nicht im Schlüsselverzeichnis; die Schule wird trotzdem importiert."]
    ]
    assert schools_in_db(app) == [
        ("100001", "Adler-Gesamtschule", "15", "05913", "Dortmund"),
        ("100002", "Städtische Grundschule Am Ölbach; Primarstufe", "02", "05315", "Köln"),
        ("100004", 'Katholische Schule Haus "Zur Linde"', "12", "05515", "Münster"),
        ("100006", "Gymnasium am Park", "20", "05911", "Bochum"),
    ]
    summary = {"created": [None, 2], "updated": [None, 1], "unchanged": [None, 1], "rejected": [None, 2], "warnings": [None, 1]}
    assert events(app, "schools.imported") == [("schools.imported", "Admin", "schuldaten.csv", summary)]
    assert events(app, "school.updated") == [
        ("school.updated", "Admin", "100006", {"name": ["Gymnasium Park", "Gymnasium am Park"], "ort": ["Dortmund", "Bochum"]})
    ]
    assert [e[2] for e in events(app, "school.created")] == ["100001", "100006", "100002", "100004"]

    again = soup_of(upload(client, SMALL_FILE.encode("utf-8")))
    figures = {text(d.dt): text(d.dd) for d in again.select("dl.figures > div")}
    assert figures == {"neu angelegt": "0", "geändert": "0", "unverändert": "4", "abgelehnte Zeilen": "2", "Hinweise": "1"}
    assert len(schools_in_db(app)) == 4


NOT_THE_FORMAT = "Das ist nicht das Format der schuldaten.csv: keine Zeile beginnt mit „Schulnummer;Schulform“."
NOT_UTF8 = (
    "Die Datei ist nicht UTF-8-kodiert (Zeile 4 enthält das Byte 0xE4). "
    "Bitte speichern Sie sie als UTF-8 (in Excel: „CSV UTF-8“) und importieren Sie sie erneut."
)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (None, "", "Bitte wählen Sie die Datei schuldaten.csv aus."),
        (b"", "leer.csv", "Die Datei ist leer."),
        (b"Name;Ort\r\nSchule;Dortmund\r\n", "falsch.csv", NOT_THE_FORMAT),
        (SMALL_FILE.encode("cp1252"), "ansi.csv", NOT_UTF8),
    ],
)
def test_an_unusable_file_is_refused_and_nothing_is_written(app, client, admin, data, filename, message):
    login(client, admin)
    before = events(app)
    response = upload(client, data, filename)
    page = soup_of(response)
    assert response.status_code == 200
    assert text(page.find("h1")) == "Schulverzeichnis importieren"
    assert text(page.find("h2")) == "Die Datei wurde nicht importiert."
    assert [text(li) for li in page.select("#fehler li")] == [f"Datei schuldaten.csv: {message}"]
    assert page.find("input", attrs={"type": "file"})["aria-describedby"] == "file-hint file-error"
    assert events(app) == before
    assert len(schools_in_db(app)) == 1


def test_the_real_file_size_is_accepted_and_much_larger_files_get_a_german_413(app, client, admin):
    login(client, admin)
    generated = generate_directory(10000)
    assert 2_000_000 < len(generated.data) < 2_200_000
    page = soup_of(upload(client, generated.data))
    figures = {text(d.dt): text(d.dd) for d in page.select("dl.figures > div")}
    new = len([row for row in generated.rows if row[0] != "100001"])
    assert (figures["neu angelegt"], figures["abgelehnte Zeilen"]) == (str(new), str(len(generated.rejected)))
    assert len(schools_in_db(app)) == new + 1
    too_big = upload(client, b"x" * (20 * 1024 * 1024 + 1))
    assert too_big.status_code == 413
    assert text(soup_of(too_big).find("h1")) == "Zu große Anfrage"


def test_the_larger_limit_is_for_the_import_of_administrators_only(app, client, admin):
    two_megabytes = make_directory_file(10000)
    anonymous = client.post(
        IMPORT, data={"file": (io.BytesIO(two_megabytes), "schuldaten.csv")}, content_type="multipart/form-data"
    )
    assert anonymous.status_code == 413
    login(client, admin)
    data = {"csrf_token": csrf(client, EDIT), "name": "Adler-Schule", "file": (io.BytesIO(two_megabytes), "schuldaten.csv")}
    assert client.post(EDIT, data=data, content_type="multipart/form-data").status_code == 413
    assert schools_in_db(app) == [("100001", "Adler-Gesamtschule", "15", "05913", "Dortmund")]


def test_the_schulträger_gemeindeschlüssel_and_rechtsform_are_shown_and_edited(app, client, admin):
    login(client, admin)
    facts = {text(d.dt): text(d.dd) for d in soup_of(client.get(SCHOOL)).select("dl.facts > div")}
    assert [facts[key] for key in ("Gemeindeschlüssel (AGS)", "Schulträger", "Rechtsform")] == ["nicht angegeben"] * 3
    data = {
        "csrf_token": csrf(client, EDIT), "name": "Adler-Gesamtschule", "schulform": "15", "kreis": "05978", "ort": "Unna",
        "gemeindeschluessel": "05913000", "traeger_nummer": "12a", "traeger_name": "Stadt Unna", "rechtsform": "3",
    }  # fmt: skip
    page = soup_of(client.post(EDIT, data=data))
    assert [text(li) for li in page.select("#fehler li")] == [
        "Trägernummer: Die Trägernummer besteht aus höchstens 10 Ziffern.",
        "Rechtsform: Bitte wählen Sie die Rechtsform aus der Liste.",
    ]
    data |= {"traeger_nummer": "978036", "rechtsform": "1"}
    page = soup_of(client.post(EDIT, data=data))
    assert [text(li) for li in page.select("#fehler li")] == [
        "Gemeindeschlüssel (AGS): Der Gemeindeschlüssel 05913000 liegt nicht im gewählten Kreis: seine ersten fünf Ziffern "
        "sind der Kreisschlüssel (05913)."
    ]
    assert page.find("input", attrs={"name": "traeger_name"})["value"] == "Stadt Unna"
    data["gemeindeschluessel"] = "05978036"
    assert client.post(EDIT, data=data).headers["Location"] == SCHOOL
    facts = {text(d.dt): text(d.dd) for d in soup_of(client.get(SCHOOL)).select("dl.facts > div")}
    assert [facts[key] for key in ("Gemeindeschlüssel (AGS)", "Schulträger", "Rechtsform")] == [
        "05978036", "Stadt Unna (Trägernummer 978036)", "öffentlich",
    ]  # fmt: skip
    assert events(app, "school.updated")[-1][3] == {
        "kreis": ["05913", "05978"], "ort": ["Dortmund", "Unna"], "gemeindeschluessel": [None, "05978036"],
        "traeger_nummer": [None, "978036"], "traeger_name": [None, "Stadt Unna"], "rechtsform": [None, "1"],
    }  # fmt: skip
    form = soup_of(client.get(EDIT))
    assert form.find("input", attrs={"name": "gemeindeschluessel"})["value"] == "05978036"
    assert form.find("select", attrs={"name": "rechtsform"}).find("option", selected=True)["value"] == "1"
