"""Acceptance: an admin sets up a Kreis from scratch in the browser: import, a supervisor, an adviser,
a team with a Schulleitung member, a round; and each of them can log in.

Only the web client is used after the first admin account exists (made on the command line in real
life): every form is read from the page and sent back as a browser would, with its CSRF token.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

from selfeval.directory import COLUMNS
from tests.support.factories import login, make_user
from tests.support.html import soup_of, text

NEW_PASSWORD = "Ein Satz aus sieben Wörtern genügt"


def browser_data(form) -> dict[str, str | list[str]]:
    """What a browser sends for this form as shown: text fields, checked boxes, selected options."""
    data: dict[str, str | list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "file"):
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "y"))
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = field.get("value", "") if field.name == "input" else field.get_text()
    return data


def submit(client, url: str, form_class: str, **changes):
    """Open the page, fill in its form (class `form_class`) and send it."""
    form = soup_of(client.get(url)).find("form", class_=form_class)
    data = browser_data(form) | changes
    return client.post(form.get("action") or url, data=data, content_type="multipart/form-data")


def directory_file() -> bytes:
    """Three schools of the Kreis Unna and one broken row, as in the real schuldaten.csv."""
    buffer = io.StringIO()
    buffer.write("sep=;\r\n" + ";".join(COLUMNS) + ";\r\n")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    schools = [
        ("178000", "15", "Städtische Gesamtschule", "Königsborn; Sekundarstufe I und II", "Unna", "05978036"),
        ("178001", "02", "Katholische Grundschule", 'Haus "Am Bögel"', "Kamen", "05978020"),
        ("178002", "20", "Gymnasium", "", "Schwerte", "05978032"),
        ("17803", "20", "Gymnasium Süd", "", "Schwerte", "05978032"),
    ]
    for number, schulform, first, second, ort, gemeinde in schools:
        fields = dict.fromkeys(COLUMNS, "") | {
            "Schulnummer": number, "Schulform": schulform, "Schulbezeichnung_1": first, "Schulbezeichnung_2": second,
            "Ort": ort, "Gemeindeschluessel": gemeinde, "Bezirksregierung": "Arnsberg",
        }  # fmt: skip
        writer.writerow([fields[column] for column in COLUMNS] + [""])
    return buffer.getvalue().encode("utf-8")


def invite(client, url: str, **fields) -> tuple[str, str]:
    """Create an account through the form; returns the flash message and the one-time link's path."""
    page = soup_of(submit(client, url, "account-form", **fields))
    link = page.find("input", class_="password-link")
    assert link is not None, text(page.find("main"))
    return text(page.find("div", class_="flashes")), urlsplit(link["value"]).path


def set_password_and_log_in(app, path: str, email: str) -> tuple[str, str, str, str]:
    """As the invited person, in their own browser: set the password, log in.

    Returns the message after setting the password, the start page's path, its heading, and what it
    says about the person's schools (the figures of the supervision overview, the team's progress).
    """
    browser = app.test_client()
    response = submit(browser, path, "stack", password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden")
    flashed = text(soup_of(browser.get("/anmelden")).find("div", class_="flashes"))
    response = login(browser, email, NEW_PASSWORD)
    assert response.status_code == 302
    target = response.headers["Location"]
    while target.startswith("/") and (step := browser.get(target)).status_code == 302:
        target = step.headers["Location"]
    start = browser.get(target)
    assert start.status_code == 200
    page = soup_of(start)
    summary = page.find("dl", class_="figures") or page.find("p", id="progress-label")
    return flashed, target, text(page.find("h1")), text(summary)


def test_an_admin_sets_up_a_kreis_in_the_browser(app, client):
    with app.app_context():
        make_user("admin@kreis-unna.test", "admin")
    login(client, "admin@kreis-unna.test")

    # 1. The school directory.
    page = soup_of(submit(client, "/verwaltung/import", "upload-form", file=(io.BytesIO(directory_file()), "schuldaten.csv")))
    figures = {text(d.dt): text(d.dd) for d in page.select("dl.figures > div")}
    assert figures == {"neu angelegt": "3", "geändert": "0", "unverändert": "0", "abgelehnte Zeilen": "1", "Hinweise": "0"}
    schools = soup_of(client.get("/verwaltung/schulen?kreis=05978"))
    assert [text(row.th) for row in schools.select("table tbody tr")] == [
        "Städtische Gesamtschule Königsborn; Sekundarstufe I und II",
        'Katholische Grundschule Haus "Am Bögel"',
        "Gymnasium",
    ]

    # 2. The round.
    response = submit(client, "/verwaltung/runden", "narrow-form", name="2025/26")
    assert response.headers["Location"] == "/verwaltung/runden"
    assert (
        text(soup_of(client.get("/verwaltung/runden")).find("div", class_="flashes"))
        == "Die Erhebungsrunde 2025/26 ist angelegt und geöffnet."
    )

    # 3. Supervision and media advice for the Kreis.
    new = "/verwaltung/konten/neu"
    accounts = {
        "aufsicht@kreis-unna.test": invite(
            client, new, email="aufsicht@kreis-unna.test", display_name="Dr. Petra Lang", role="supervisor", kreise=["05978"]
        ),
        "medien@kreis-unna.test": invite(
            client, new, email="medien@kreis-unna.test", display_name="Sven Öztürk", role="adviser", kreise=["05978"]
        ),
    }

    # 4. The Gesamtschule's team, from the school's page: a Schulleitung member and a teacher.
    school_page = soup_of(client.get("/verwaltung/schulen/178000"))
    assert text(school_page.find("p", class_="notice--warning")).startswith("Im Team ist kein aktives Mitglied der Schulleitung.")
    team_url = school_page.find("a", string="Neues Teammitglied")["href"]
    accounts["leitung@gesamtschule.test"] = invite(
        client, team_url, email="leitung@gesamtschule.test", display_name="Ayşe Demir", is_leadership=["y"]
    )
    accounts["lehrer@gesamtschule.test"] = invite(client, team_url, email="lehrer@gesamtschule.test", display_name="Jan Kowalski")
    assert [flash for flash, _ in accounts.values()] == [f"Das Konto für {email} ist angelegt." for email in accounts]

    school_page = soup_of(client.get("/verwaltung/schulen/178000"))
    assert school_page.find("p", class_="notice--warning") is None
    assert text(school_page.find("p", class_="notice--info")) == (
        "Das Mitglied der Schulleitung im Team hat die Einladung noch nicht angenommen. "
        "Erst wenn es sein Passwort gesetzt hat, kann das Team seine Bewertung abschließen."
    )
    assert [[text(c) for c in row.find_all(["th", "td"])] for row in school_page.find("table").select("tbody tr")] == [
        ["Ayşe Demir", "leitung@gesamtschule.test", "ja", "eingeladen"],
        ["Jan Kowalski", "lehrer@gesamtschule.test", "nein", "eingeladen"],
    ]
    home = soup_of(client.get("/verwaltung/"))
    figures = {text(d.dt): text(d.dd) for d in home.select("dl.figures > div")}
    assert figures == {"Schulen": "3", "Konten mit Passwort": "1", "offene Einladungen": "4", "offene Erhebungsrunden": "1"}

    # 5. Each of them sets a password with the link and logs in to their start page.
    starts = {email: set_password_and_log_in(app, path, email) for email, (_, path) in accounts.items()}
    saved = "Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden."
    scope = "Schulen in der Auswahl3 abgeschlossen0 Entwurf0 nicht begonnen3"
    progress = "0 von 23 Indikatoren bewertet"
    assert starts == {
        "aufsicht@kreis-unna.test": (saved, "/auswertung/", "Auswertung 2025/26", scope),
        "medien@kreis-unna.test": (saved, "/auswertung/", "Auswertung 2025/26", scope),
        "leitung@gesamtschule.test": (saved, "/schulen/178000/2025-26/", "Selbstevaluation 2025/26", progress),
        "lehrer@gesamtschule.test": (saved, "/schulen/178000/2025-26/", "Selbstevaluation 2025/26", progress),
    }
    team_rows = soup_of(client.get("/verwaltung/schulen/178000")).find("table").select("tbody tr")
    assert [text(row.find_all("td")[-1]) for row in team_rows] == ["aktiv", "aktiv"]
    home = soup_of(client.get("/verwaltung/"))
    assert {text(d.dt): text(d.dd) for d in home.select("dl.figures > div")}["offene Einladungen"] == "0"
