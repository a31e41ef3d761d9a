"""The team's history page (/schulen/<nr>/<runde>/verlauf): who changed what and when, and who may see it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent
from selfeval.services import assessments
from selfeval.services.accounts import erase_user, find_user
from selfeval.services.rounds import get_round
from selfeval.services.schools import find_school
from tests.support.factories import all_scores, login, make_round, make_school, make_user, rate
from tests.support.html import page_rows, soup_of, text

HISTORY = "/schulen/100001/2025-26/verlauf"
START = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)  # 08:00 in Germany (summer time)
K1A = "Indikator 1a) Die Schule hat verantwortliche Ansprechpartner für die einzelnen …"
K1B = "Indikator 1b) Die Schule hat ein Konzept erarbeitet und/oder etabliert, das ihren …"
LONG = ("Unser Medienkonzept:\n" + "Jede Klasse hat einen Satz Tablets und ein digitales Board. " * 40)[:2000]


@pytest.fixture
def history(app):
    """Edits by two people (one merged), a long comment, all rated, submitted and reopened; one minute apart."""
    with app.app_context():
        school = make_school("100001", name="Adler-Gesamtschule")
        round_ = make_round("2025/26")
        leitung = make_user("leitung@schule.de", school=school, leadership=True)
        lehrer = make_user("lehrer@schule.de", school=school)
        rate(school, round_, lehrer, {"k1a": 4}, {"k1a": "Beamer"})
        rate(school, round_, lehrer, {"k1a": 6})  # within minutes, nothing in between: the same entry
        rate(school, round_, leitung, {"k1b": 3})
        rate(school, round_, lehrer, {}, {"k1a": LONG})
        state = rate(school, round_, leitung, all_scores(7) | {"k1a": 6, "k1b": 3})
        assessments.submit(school, round_, leitung, state.version)
        assessments.reopen(school, round_, leitung)
        for minutes, event in enumerate(
            db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.round_id.is_not(None))
                .where(AuditEvent.action != "round.created")
                .order_by(AuditEvent.id)
            )
        ):
            event.at = START + timedelta(minutes=minutes)
        db.session.commit()
    return school


def test_the_history_lists_who_changed_what_newest_first(app, client, history):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(HISTORY))
    assert text(page.h1) == "Verlauf der Bewertung 2025/26"
    entries = page_rows(page, "table.audit-table")
    assert text(page.select_one("table.audit-table caption")) == "26 Einträge, der neueste zuerst"
    assert [text(th) for th in page.select("table.audit-table thead th")] == ["Zeitpunkt", "Wer", "Was", "Änderung"]
    assert entries[:3] == [
        ["01.09.2025, 08:25 Uhr", "Leitung", "Bewertung wieder geöffnet", "–"],
        ["01.09.2025, 08:24 Uhr", "Leitung", "Bewertung abgeschlossen", "–"],
        [
            "01.09.2025, 08:23 Uhr",
            "Leitung",
            "Indikator 6d) Es gibt Selbstlern-Möglichkeiten (Pädagogik).",
            "Bewertung: nicht bewertet → 7",
        ],
    ]
    assert entries[-3:] == [
        [
            "01.09.2025, 08:02 Uhr",
            "Lehrer",
            K1A,
            f"Anmerkung geändert (6 → {len(LONG)} Zeichen) vorher Beamer jetzt {text_of(LONG)}",
        ],
        ["01.09.2025, 08:01 Uhr", "Leitung", K1B, "Bewertung: nicht bewertet → 3"],
        ["01.09.2025, 08:00 Uhr", "Lehrer", K1A, "Bewertung: nicht bewertet → 6 Anmerkung: (leer) → „Beamer“"],
    ]
    # The long comment is folded away, complete, with its line breaks.
    details = page.select("table.audit-table tbody tr")[-3].find("details")
    assert details.find_all("dd")[1].get_text() == LONG
    assert not details.has_attr("open")


def text_of(value: str) -> str:
    return " ".join(value.split())


def test_the_overview_and_the_results_page_link_to_the_history(client, history):
    login(client, "lehrer@schule.de")
    for page_url in ("/schulen/100001/2025-26/", "/schulen/100001/2025-26/ergebnis"):
        page = soup_of(client.get(page_url))
        assert [a["href"] for a in page.find_all("a") if "verlauf" in a["href"]] == [HISTORY], page_url


def test_an_empty_history_says_so(app, client):
    with app.app_context():
        school = make_school("100001")
        make_round("2025/26")
        make_user("lehrer@schule.de", school=school)
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(HISTORY))
    assert page.select_one("table.audit-table") is None
    assert "Bisher hat niemand etwas an dieser Bewertung geändert." in text(page.find("main"))


@pytest.mark.parametrize(
    ("email", "role", "scopes", "status"),
    [
        ("leitung@schule.de", None, None, 200),
        # Supervision in scope sees the results, but who in the team changed what is the team's own business.
        ("aufsicht@bezreg.de", "supervisor", {"kreise": ["05913"]}, 403),
        ("gymnasien@bezreg.de", "supervisor", {"bezirke": ["Arnsberg"], "schulformen": ["20"]}, 403),
        ("beratung@mz.de", "adviser", {"kreise": ["05911"]}, 403),
        ("admin@amt.de", "admin", {}, 200),
        ("andere@schule.de", "team", "other school", 403),
    ],
)
def test_the_history_is_visible_to_the_team_and_admins_only(app, client, history, email, role, scopes, status):
    with app.app_context():
        if scopes == "other school":
            make_user(email, school=make_school("100002"))
        elif role is not None:
            make_user(email, role, **scopes)
    login(client, email)
    assert client.get(HISTORY).status_code == status


def test_unknown_schools_and_rounds_are_not_found_and_a_login_is_needed(app, client, history):
    response = client.get(HISTORY)
    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2Fverlauf")
    login(client, "leitung@schule.de")
    assert client.get("/schulen/999999/2025-26/verlauf").status_code == 404
    assert client.get("/schulen/100001/1999-00/verlauf").status_code == 404


def test_after_erasure_the_history_names_the_neutral_marker(app, client, history):
    with app.app_context():
        erase_user(find_user("lehrer@schule.de"), actor=None)
        db.session.commit()
        state = assessments.load_state(find_school("100001"), get_round("2025-26"))
        assert (state.rating("k1a").updated_by, state.rating("k1b").updated_by) == ("Gelöschtes Konto", "Leitung")
        assert (state.rating("k1a").score, state.rating("k1a").comment) == (6, LONG)
    login(client, "leitung@schule.de")
    entries = page_rows(soup_of(client.get(HISTORY)), "table.audit-table")
    assert [entry[1] for entry in entries[-3:]] == ["Gelöschtes Konto", "Leitung", "Gelöschtes Konto"]
    assert "Lehrer" not in {entry[1] for entry in entries}
