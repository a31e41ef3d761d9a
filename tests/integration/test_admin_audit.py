"""The audit-trail browser (/verwaltung/protokoll): entries, filters, wrong filters, pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent
from selfeval.services import assessments, audit
from selfeval.services.accounts import find_user, update_user
from selfeval.services.rounds import get_round, set_round_open
from selfeval.services.schools import find_school
from tests.support.factories import leader, login, make_round, make_school, make_user, rate, rated
from tests.support.html import field_errors, page_rows, soup_of, text

TRAIL = "/verwaltung/protokoll"
START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)  # 09:00 in Germany
K1A = "Indikator 1a) Die Schule hat verantwortliche Ansprechpartner für die einzelnen …"


@pytest.fixture
def trail(app, client):
    """Eight entries of every kind, one hour apart from 01.03.2025, 09:00 Uhr on; the admin is logged in."""
    with app.app_context():
        school = make_school("100001", name="Adler-Gesamtschule")
        round_ = make_round("2025/26")
        admin = make_user("admin@amt.de", "admin")
        teacher = make_user("lehrer@schule.de", school=school)
        rate(school, round_, teacher, {"k1a": 4}, {"k1a": "Beamer in allen Räumen"})
        update_user(
            teacher, actor=admin, email="lehrer@schule.de", display_name="Lena Lehrer", role="supervisor", kreise=["05913"]
        )
        counts = {"created": 2, "updated": 1, "unchanged": 30, "rejected": 0, "warnings": 1}
        audit.record("schools.imported", actor=admin, subject="schuldaten.csv", changes={k: [None, v] for k, v in counts.items()})
        set_round_open(round_, False, actor=admin)
        for hours, event in enumerate(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))):
            event.at = START + timedelta(hours=hours)
        db.session.commit()
    login(client, "admin@amt.de")
    return client


def ids(app) -> dict[str, int]:
    with app.app_context():
        return {email: find_user(email).id for email in ("admin@amt.de", "lehrer@schule.de")}


def test_the_trail_lists_every_entry_newest_first_in_words(app, trail):
    page = soup_of(trail.get(TRAIL))
    assert text(page.select_one("table.audit-table caption")) == "Einträge 1 bis 8 von 8, der neueste zuerst"
    assert [text(th) for th in page.select("table.audit-table thead th")] == ["Zeitpunkt", "Wer", "Was", "Betrifft", "Änderungen"]
    assert page_rows(page) == [
        ["01.03.2025, 16:00 Uhr", "Admin", "Erhebungsrunde geschlossen", "Runde 2025/26", "Stand: offen → geschlossen"],
        ["01.03.2025, 15:00 Uhr", "Admin", "Schulverzeichnis importiert", "schuldaten.csv",
         "neu angelegt: 2 geändert: 1 unverändert: 30 abgelehnt: 0 Warnungen: 1"],
        ["01.03.2025, 14:00 Uhr", "Admin", "Konto geändert", "lehrer@schule.de",
         "Name: Lehrer → Lena Lehrer Rolle: Team Digitalisierung → Schulaufsicht Schule: 100001 → (leer) "
         "Zuständigkeit: (leer) → Kreis Dortmund (05913)"],
        ["01.03.2025, 13:00 Uhr", "Lehrer", "Bewertung geändert", f"100001 Adler-Gesamtschule Runde 2025/26 {K1A}",
         # A draft is the team's: the admin sees that the team changed it, not what it wrote (issue 19).
         "Bewertung: geändert (Wert eines Entwurfs, nur für das Team) "
         "Anmerkung: geändert (Text eines Entwurfs, nur für das Team)"],
        ["01.03.2025, 12:00 Uhr", "Kommandozeile", "Konto angelegt", "lehrer@schule.de",
         "E-Mail: lehrer@schule.de Name: Lehrer Rolle: Team Digitalisierung Schule: 100001"],
        ["01.03.2025, 11:00 Uhr", "Kommandozeile", "Konto angelegt", "admin@amt.de",
         "E-Mail: admin@amt.de Name: Admin Rolle: Verwaltung"],
        ["01.03.2025, 10:00 Uhr", "Kommandozeile", "Erhebungsrunde angelegt", "Runde 2025/26",
         "Name: 2025/26 Leitfaden: dortmund-leitfaden 4"],
        ["01.03.2025, 09:00 Uhr", "Kommandozeile", "Schule angelegt", "100001 Adler-Gesamtschule",
         "Name: Adler-Gesamtschule Schulform: Gesamtschule Kreis: Dortmund (05913) Ort: Dortmund"],
    ]  # fmt: skip
    # People are linked to their accounts: the actor, and the account an entry is about.
    accounts = ids(app)
    first_account_row = page.select("table.audit-table tbody tr")[2]
    assert [a["href"] for a in first_account_row.find_all("a")] == [
        f"/verwaltung/konten/{accounts['admin@amt.de']}", f"/verwaltung/konten/{accounts['lehrer@schule.de']}",
    ]  # fmt: skip


def whats(client, **query) -> list[str]:
    page = soup_of(client.get(TRAIL, query_string=query))
    table = page.select_one("table.audit-table")
    return [] if table is None else [f"{row[2]} {row[0][-9:-4]}" for row in page_rows(page, "table.audit-table")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"art": "bewertungen"}, ["Bewertung geändert 13:00"]),
        ({"art": "konten"}, ["Konto geändert 14:00", "Konto angelegt 12:00", "Konto angelegt 11:00"]),
        ({"art": "schulen"}, ["Schulverzeichnis importiert 15:00", "Schule angelegt 09:00"]),
        ({"art": "runden"}, ["Erhebungsrunde geschlossen 16:00", "Erhebungsrunde angelegt 10:00"]),
        ({"art": "user.created"}, ["Konto angelegt 12:00", "Konto angelegt 11:00"]),
        (
            {"wer": "kommando"},
            ["Konto angelegt 12:00", "Konto angelegt 11:00", "Erhebungsrunde angelegt 10:00", "Schule angelegt 09:00"],
        ),
        ({"wer": "lehr"}, ["Bewertung geändert 13:00"]),
        ({"schulnummer": "100001"}, ["Bewertung geändert 13:00", "Schule angelegt 09:00"]),
        ({"schulnummer": "100002"}, []),
        ({"betrifft": "LEHRER@"}, ["Konto geändert 14:00", "Konto angelegt 12:00"]),
        ({"betrifft": "k1a"}, ["Bewertung geändert 13:00"]),
        ({"art": "konten", "wer": "admin"}, ["Konto geändert 14:00"]),
        (
            {"von": "2025-03-01", "bis": "2025-03-01"},
            [
                "Erhebungsrunde geschlossen 16:00",
                "Schulverzeichnis importiert 15:00",
                "Konto geändert 14:00",
                "Bewertung geändert 13:00",
                "Konto angelegt 12:00",
                "Konto angelegt 11:00",
                "Erhebungsrunde angelegt 10:00",
                "Schule angelegt 09:00",
            ],
        ),
        ({"von": "02.03.2025"}, []),
        ({"bis": "28.02.2025"}, []),
    ],
)
def test_the_filters_narrow_the_trail(trail, query, expected):
    assert whats(trail, **query) == expected


def test_dates_are_german_days(app, trail):
    """23:30 UTC on 1 March is 00:30 on 2 March in Germany: the entry belongs to 2 March."""
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).filter_by(action="round.closed")).one()
        event.at = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)
        db.session.commit()
    assert whats(trail, von="2025-03-02") == ["Erhebungsrunde geschlossen 00:30"]
    assert "Erhebungsrunde geschlossen 00:30" not in whats(trail, bis="2025-03-01")


def test_the_filter_form_keeps_its_values_and_explains_when_nothing_matches(trail):
    page = soup_of(trail.get(TRAIL, query_string={"art": "konten", "wer": "niemand", "von": "01.03.2025"}))
    assert page.select_one("select[name=art] option[selected]")["value"] == "konten"
    assert [g["label"] for g in page.select("select[name=art] optgroup")] == ["Bereiche", "Einzelne Aktionen"]
    assert page.find("input", attrs={"name": "wer"})["value"] == "niemand"
    assert page.find("input", attrs={"name": "von"})["value"] == "2025-03-01"
    assert page.find("input", attrs={"name": "von"})["type"] == "date"
    assert "Keine Einträge für diese Auswahl." in text(page.find("main"))


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"von": "31.02.2025"}, {"von": "Kein gültiges Datum; bitte so angeben: 31.12.2025."}),
        ({"bis": "gestern"}, {"bis": "Kein gültiges Datum; bitte so angeben: 31.12.2025."}),
        ({"art": "user.hacked"}, {"art": "Keine gültige Auswahl."}),
        ({"schulnummer": "12345"}, {"schulnummer": "Eine Schulnummer hat 6 Ziffern, z. B. 199001."}),
        ({"von": "2025-03-02", "bis": "2025-03-01"}, {"bis": "Das Ende liegt vor dem Anfang."}),
        (
            {"seite": "x", "konto": "abc", "schulnummer": "1000011"},
            {"schulnummer": "Eine Schulnummer hat 6 Ziffern, z. B. 199001."},
        ),
    ],
)
def test_wrong_filters_are_explained_and_nothing_is_shown(trail, query, errors):
    response = trail.get(TRAIL, query_string=query)
    page = soup_of(response)
    assert response.status_code == 200
    assert field_errors(page) == errors
    labels = {"art": "Art", "von": "von", "bis": "bis", "schulnummer": "Schulnummer"}
    assert [text(a) for a in page.select("#fehler li a")] == [f"{labels[name]}: {m}" for name, m in errors.items()]
    assert page.select_one("table.audit-table") is None
    assert "Mit dieser Auswahl lässt sich nicht suchen." in text(page.find("main"))


def test_the_trail_pages_by_fifty_and_keeps_the_filters(app, trail):
    with app.app_context():
        for number in range(55):
            audit.record("school.updated", actor=None, subject="100001", changes={"ort": [str(number), str(number + 1)]},
                         school=find_school("100001"))  # fmt: skip
        db.session.commit()
    page = soup_of(trail.get(TRAIL, query_string={"art": "schulen"}))
    assert text(page.select_one("table.audit-table caption")) == "Einträge 1 bis 50 von 57, der neueste zuerst"
    assert len(page_rows(page)) == 50
    following = page.select_one("nav.pagination a[rel=next]")["href"]
    assert following == f"{TRAIL}?art=schulen&seite=2"
    second = soup_of(trail.get(following))
    assert text(second.select_one("table.audit-table caption")) == "Einträge 51 bis 57 von 57, der neueste zuerst"
    assert [row[2] for row in page_rows(second)][-2:] == ["Schulverzeichnis importiert", "Schule angelegt"]
    assert [text(li) for li in second.select("nav.pagination li")] == ["Neuere Einträge", "Seite 2 von 2"]


def test_one_accounts_entries_by_or_about_it(app, trail):
    teacher = ids(app)["lehrer@schule.de"]
    page = soup_of(trail.get(TRAIL, query_string={"konto": teacher}))
    assert [row[2] for row in page_rows(page)] == ["Konto geändert", "Bewertung geändert", "Konto angelegt"]
    notice = page.select_one("p.notice--info")
    assert text(notice) == "Nur Einträge von oder zu Lena Lehrer. Alle Konten zeigen"
    assert notice.find_all("a")[1]["href"] == TRAIL
    assert page.find("input", attrs={"name": "konto"})["value"] == str(teacher)


def test_a_long_comment_is_folded_away_with_both_versions(app, trail):
    long_comment = ("Medienkonzept:\n" + "Alle Klassen arbeiten mit Tablets. " * 60)[:1999] + "."
    with app.app_context():
        school, round_ = find_school("100001"), get_round("2025-26")
        round_.is_open = True
        db.session.commit()
        state = rated(school, round_, 5)
        teacher = make_user("kollege@schule.de", school=school)
        state = rate(school, round_, teacher, {}, {"k1a": long_comment})
        # Submitted with the comments released: the admin may read them (issue 19).
        assessments.submit(school, round_, leader(school), state.version, release_comments=True)
        db.session.commit()
    page = soup_of(trail.get(TRAIL, query_string={"art": "rating.changed"}))
    cell = page.select("table.audit-table tbody tr")[0].find_all("td")[-1]
    assert text(cell.find("summary")) == "Anmerkung geändert (22 → 2000 Zeichen)"
    before, after = cell.select("dd.comment")
    assert (text(before), after.get_text()) == ("Beamer in allen Räumen", long_comment)


def test_the_trail_is_for_admins_only(app, client):
    with app.app_context():
        make_user("aufsicht@bezreg.de", "supervisor", kreise=["05913"])
    login(client, "aufsicht@bezreg.de")
    assert client.get(TRAIL).status_code == 403


@pytest.mark.parametrize("query", ["seite=²", "konto=²", "konto=-3", "seite=abc"])
def test_odd_page_and_account_numbers_show_the_first_page_of_the_whole_trail(client, trail, query):
    """'²' counts as a digit for str.isdigit() but int() refuses it: it must not end in a 500."""
    response = client.get(f"{TRAIL}?{query}")
    caption = text(soup_of(response).select_one("table.audit-table caption"))
    assert (response.status_code, caption.startswith("Einträge 1 bis ")) == (200, True)
