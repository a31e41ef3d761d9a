"""The administration's rounds page and start page, through the real app, form and database."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, select

from selfeval.extensions import catalogs, db
from selfeval.models import AuditEvent, Round
from selfeval.services import assessments
from selfeval.services.accounts import create_user, issue_password_link
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.factories import leader, login, make_round, make_school, make_user, rate, rated, submitted
from tests.support.html import csrf, rows, soup_of, text
from tests.support.school_years import EXAMPLE, WRONG_NAMES

ROUNDS = "/verwaltung/runden"
CLOSE = "/verwaltung/runden/2025-26/schliessen"
OPEN = "/verwaltung/runden/2025-26/oeffnen"


def version(app) -> str:
    with app.app_context():
        return f"{catalogs.active.title}, Version {catalogs.active.version}"


def flash(page) -> str:
    return text(page.find("div", class_="flashes"))


def round_events(app) -> list[tuple[str, str, str, dict]]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action.startswith("round.")).order_by(AuditEvent.id)
        return [(e.action, e.actor_name, e.subject, e.changes) for e in db.session.scalars(query)]


def rounds_in_db(app) -> list[tuple[str, str, bool]]:
    with app.app_context():
        return [(r.name, r.slug, r.is_open) for r in db.session.scalars(select(Round).order_by(Round.id))]


@pytest.fixture
def admin(app):
    with app.app_context():
        make_user("admin@land.test", "admin")
    return "admin@land.test"


@pytest.fixture
def two_rounds(app):
    """2024/25 closed with one submitted school; 2025/26 open with one submitted, two drafts."""
    with app.app_context():
        old, current = make_round("2024/25", is_open=False), make_round("2025/26")
        schools = [make_school(f"10001{n}") for n in range(1, 5)]
        submitted(schools[0], old, 5)
        submitted(schools[0], current, 6)
        rated(schools[1], current, 3)
        rated(schools[2], current, {"k1a": 2})


@pytest.mark.parametrize("role", ["team", "supervisor", "adviser"])
def test_other_roles_get_403_on_rounds_and_the_start_page(app, client, admin, two_rounds, role):
    with app.app_context():
        # A scoped role needs an area (issue 19); the Kreis is the one the admin's test data are in.
        scopes = {"kreise": ["05913"]} if role in ("supervisor", "adviser") else {}
        make_user("jemand@test.de", role, school=make_school() if role == "team" else None, **scopes)
    login(client, "jemand@test.de")
    assert [client.get(url).status_code for url in ("/verwaltung/", ROUNDS)] == [403, 403]
    token = csrf(client)
    assert client.get(CLOSE).status_code == 403
    for url in (ROUNDS, CLOSE, OPEN, "/verwaltung/runden/2025-26/loeschen"):
        assert client.post(url, data={"csrf_token": token, "name": "2026/27"}).status_code == 403
    assert rounds_in_db(app) == [("2024/25", "2024-25", False), ("2025/26", "2025-26", True)]


def test_anonymous_visitors_are_sent_to_the_login(client, admin, two_rounds):
    assert client.get(ROUNDS).headers["Location"] == "/anmelden?next=%2Fverwaltung%2Frunden"
    assert client.get("/verwaltung/").headers["Location"] == "/anmelden?next=%2Fverwaltung%2F"
    assert client.post(CLOSE).status_code == 400  # no CSRF token: refused before anything else


def test_rounds_page_lists_rounds_with_their_assessments(app, client, admin, two_rounds):
    login(client, admin)
    page = soup_of(client.get(ROUNDS))
    table = page.find("table", class_="rounds-table")
    assert text(table.find("caption")) == "Erhebungsrunden, das neueste Schuljahr zuerst"
    assert rows(table) == [
        ["2025/26", "offen", version(app), "2", "1", "Schließen: Runde 2025/26"],
        ["2024/25", "geschlossen", version(app), "0", "1", "Wieder öffnen: Runde 2024/25"],
    ]
    # Closing asks first (a page of its own); opening again is one click; neither round can be deleted.
    assert [a["href"] for a in table.find_all("a")] == [CLOSE]
    assert [form["action"] for form in table.find_all("form")] == ["/verwaltung/runden/2024-25/oeffnen"]
    assert text(page.find("p", id="schliessen-hinweis")).startswith(
        "Eine geschlossene Runde bleibt vollständig erhalten: Entwürfe sind dann schreibgeschützt"
    )


def test_creating_a_round(app, client, admin):
    login(client, admin)
    assert text(soup_of(client.get(ROUNDS)).find("section")) == "Alle Runden Es gibt noch keine Erhebungsrunde."
    response = client.post(ROUNDS, data={"csrf_token": csrf(client, ROUNDS), "name": " 2026/27 "})
    assert (response.status_code, response.headers["Location"]) == (302, ROUNDS)
    page = soup_of(client.get(ROUNDS))
    assert flash(page) == "Die Erhebungsrunde 2026/27 ist angelegt und geöffnet."
    assert rows(page.find("table"))[0][:5] == ["2026/27", "offen", version(app), "0", "0"]
    assert rounds_in_db(app) == [("2026/27", "2026-27", True)]
    with app.app_context():
        catalog = f"{catalogs.active.id} {catalogs.active.version}"
    assert round_events(app) == [("round.created", "Admin", "2026/27", {"name": [None, "2026/27"], "catalog": [None, catalog]})]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Bitte geben Sie einen Namen an, z. B. 2026/27."),
        ("2025/26", "Die Erhebungsrunde 2025/26 (Kurzname 2025-26) gibt es schon."),
        ("2025-26", f"„2025-26“ ist nicht in der Form JJJJ/JJ. Meinen Sie 2025/26? {EXAMPLE}"),
        ("//", f"„//“ ist kein Schuljahr. {EXAMPLE}"),
        # A NUL never reaches the form: the request guard refuses it for every form but the rating form (400).
        *[(name, message) for name, message in WRONG_NAMES if "\x00" not in name],
        ("x" * 41, "Hier sind höchstens 40 Zeichen möglich."),
    ],
)
def test_a_wrong_round_name_is_refused_with_the_input_kept(app, client, admin, two_rounds, name, message):
    login(client, admin)
    response = client.post(ROUNDS, data={"csrf_token": csrf(client, ROUNDS), "name": name})
    page = soup_of(response)
    assert response.status_code == 200
    assert [text(li) for li in page.select("#fehler li")] == [f"Name der Erhebungsrunde: {message}"]
    field = page.find("input", attrs={"name": "name"})
    assert (field.get("value", ""), field["aria-invalid"], field["aria-describedby"]) == (name, "true", "name-hint name-error")
    assert rounds_in_db(app) == [("2024/25", "2024-25", False), ("2025/26", "2025-26", True)]
    assert [e[0] for e in round_events(app)] == ["round.created", "round.created"]


def test_closing_and_reopening_a_round(app, client, admin, two_rounds):
    login(client, admin)
    token = csrf(client, ROUNDS)
    response = client.post(CLOSE, data={"csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (302, ROUNDS)
    page = soup_of(client.get(ROUNDS))
    assert flash(page) == "Die Erhebungsrunde 2025/26 ist geschlossen."
    assert rows(page.find("table"))[0][1] == "geschlossen"
    assert rounds_in_db(app)[1] == ("2025/26", "2025-26", False)
    client.post(CLOSE, data={"csrf_token": token})
    assert flash(soup_of(client.get(ROUNDS))) == "Die Erhebungsrunde 2025/26 war schon geschlossen."
    client.post(OPEN, data={"csrf_token": token})
    assert flash(soup_of(client.get(ROUNDS))) == "Die Erhebungsrunde 2025/26 ist wieder geöffnet."
    assert rounds_in_db(app)[1] == ("2025/26", "2025-26", True)
    assert round_events(app)[2:] == [
        ("round.closed", "Admin", "2025/26", {"is_open": [True, False]}),
        ("round.opened", "Admin", "2025/26", {"is_open": [False, True]}),
    ]
    assert client.post("/verwaltung/runden/1999-00/schliessen", data={"csrf_token": token}).status_code == 404


def test_closing_keeps_the_drafts_and_makes_them_read_only(app, client, admin, two_rounds):
    login(client, admin)
    client.post(CLOSE, data={"csrf_token": csrf(client, ROUNDS)})
    assert rows(soup_of(client.get(ROUNDS)).find("table"))[0][:5] == ["2025/26", "geschlossen", version(app), "2", "1"]
    with app.app_context():
        school = get_school("100012")
        with pytest.raises(assessments.AssessmentLocked):
            rate(school, get_round("2025-26"), leader(school), {"k1a": 4})
        db.session.rollback()
        assert assessments.load_state(school, get_round("2025-26")).scores.rated == 23


def test_start_page_counts_and_next_steps(app, client, admin, two_rounds):
    with app.app_context():
        make_user("aufsicht@bezreg.test", "supervisor", bezirke=["Arnsberg"])
        invited = create_user("neu@schule.test", "Neu", "team", None, school=make_school(kreis="05315"))
        issue_password_link(invited, "invite", actor=None)
        create_user("alt@schule.test", "Alt", "adviser", None, kreise=["05913"])
        db.session.commit()
    login(client, admin)
    page = soup_of(client.get("/verwaltung/"))
    assert text(page.find("h1")) == "Verwaltung"
    figures = {text(d.dt): text(d.dd) for d in page.select("dl.figures > div")}
    assert figures == {"Schulen": "5", "Konten mit Passwort": "5", "offene Einladungen": "1", "offene Erhebungsrunden": "1"}
    steps = page.select("ol.setup-steps > li")
    assert [(a.get_text(), a["href"]) for a in steps[0].find_all("a")] == [
        ("Schulverzeichnis importieren", "/verwaltung/import"),
        ("von Hand anlegen", "/verwaltung/schulen/neu"),
    ]
    assert text(steps[0].find("span", class_="step-state")) == "Stand: 5 Schulen vorhanden."
    assert steps[1].a["href"] == ROUNDS
    assert text(steps[1].find("span", class_="step-state")) == "Stand: Die Runde 2025/26 ist offen."
    assert steps[2].a["href"] == "/verwaltung/konten/neu"
    tables = page.find_all("table")
    assert rows(tables[0]) == [
        ["Arnsberg", "1", "4"],
        ["Detmold", "0", "0"],
        ["Düsseldorf", "0", "0"],
        ["Köln", "1", "1"],
        ["Münster", "0", "0"],
    ]
    assert [text(cell) for cell in tables[0].select("tfoot th, tfoot td")] == ["Zusammen", "2", "5"]
    assert rows(tables[1]) == [["Dortmund 05913", "Arnsberg", "4"], ["Köln 05315", "Köln", "1"]]
    assert tables[1].find("a")["href"] == "/verwaltung/schulen?kreis=05913"
    assert rows(tables[2]) == [
        ["Team Digitalisierung", "3", "1", "0"],
        ["Schulaufsicht", "1", "0", "0"],
        ["Medienberatung", "0", "1", "0"],
        ["Schulträger", "0", "0", "0"],
        ["Verwaltung", "1", "0", "0"],
    ]
    assert "Bei 1 Konto ist der Einladungslink abgelaufen" in text(page.find("section", attrs={"aria-labelledby": "konten"}))
    assert rows(tables[3]) == [["2025/26", "offen", "2", "1"], ["2024/25", "geschlossen", "0", "1"]]


def test_start_page_of_a_fresh_installation(client, admin):
    login(client, admin)
    page = soup_of(client.get("/verwaltung/"))
    states = [text(span) for span in page.select("ol.setup-steps .step-state")]
    assert states == [
        "Stand: noch keine Schulen.",
        "Stand: noch keine Erhebungsrunde.",
        "Stand: noch keine.",
        "Stand: noch keine.",
    ]
    assert text(page.find("section", attrs={"aria-labelledby": "schulen"}).p).startswith("Es gibt noch keine Schulen.")
    assert (
        page.find("nav", attrs={"aria-label": "Verwaltung"}).find("a", attrs={"aria-current": "page"}).get_text() == "Übersicht"
    )


def test_closing_asks_first_and_says_how_many_schools_have_open_drafts(app, client, admin, two_rounds):
    """Issue 16.2: the admin closed a round with one click, no confirmation."""
    login(client, admin)
    page = soup_of(client.get(CLOSE))
    assert text(page.find("h1")) == "Erhebungsrunde 2025/26 schließen?"
    assert text(page.find(id="offene-entwuerfe")) == (
        "2 Schulen haben in dieser Runde noch einen offenen Entwurf, der nicht abgeschlossen ist."
    )
    form = page.find("form", attrs={"action": CLOSE})
    assert (form["method"], form.find("input", attrs={"name": "csrf_token"}) is not None) == ("post", True)
    assert text(form.find("button")) == "Runde 2025/26 schließen"
    assert form.find("a")["href"] == ROUNDS
    assert rounds_in_db(app)[1] == ("2025/26", "2025-26", True)  # asking changed nothing
    assert [e[0] for e in round_events(app)] == ["round.created", "round.created"]
    assert client.post(CLOSE, data={}).status_code == 400  # the confirmation needs the CSRF token
    response = client.post(CLOSE, data={"csrf_token": csrf(client, CLOSE)})
    assert (response.status_code, response.headers["Location"]) == (302, ROUNDS)
    assert rounds_in_db(app)[1] == ("2025/26", "2025-26", False)
    assert flash(soup_of(client.get(ROUNDS))) == "Die Erhebungsrunde 2025/26 ist geschlossen."
    again = client.get(CLOSE)
    assert (again.status_code, again.headers["Location"]) == (302, ROUNDS)
    assert flash(soup_of(client.get(ROUNDS))) == "Die Erhebungsrunde 2025/26 war schon geschlossen."


def test_closing_a_round_without_drafts_says_so(app, client, admin):
    with app.app_context():
        submitted(make_school("100011"), make_round("2025/26"), 5)
    login(client, admin)
    assert text(soup_of(client.get(CLOSE)).find(id="offene-entwuerfe")) == (
        "Keine Schule hat in dieser Runde noch einen offenen Entwurf."
    )


def test_deleting_an_empty_round_after_a_confirmation(app, client, admin, two_rounds):
    login(client, admin)
    client.post(ROUNDS, data={"csrf_token": csrf(client, ROUNDS), "name": "2062/63"})
    table = soup_of(client.get(ROUNDS)).find("table", class_="rounds-table")
    assert rows(table)[0] == ["2062/63", "offen", version(app), "0", "0", "Schließen: Runde 2062/63 Löschen: Runde 2062/63"]
    delete = "/verwaltung/runden/2062-63/loeschen"
    assert [a["href"] for a in table.find_all("a")] == ["/verwaltung/runden/2062-63/schliessen", delete, CLOSE]
    page = soup_of(client.get(delete))
    assert text(page.find("h1")) == "Erhebungsrunde 2062/63 löschen?"
    assert text(page.find("form", attrs={"action": delete}).find("button")) == "Runde 2062/63 löschen"
    assert [r[0] for r in rounds_in_db(app)] == ["2024/25", "2025/26", "2062/63"]
    assert client.post(delete, data={}).status_code == 400
    response = client.post(delete, data={"csrf_token": csrf(client, delete)})
    assert (response.status_code, response.headers["Location"]) == (302, ROUNDS)
    assert flash(soup_of(client.get(ROUNDS))) == "Die Erhebungsrunde 2062/63 ist gelöscht."
    assert rounds_in_db(app) == [("2024/25", "2024-25", False), ("2025/26", "2025-26", True)]
    assert round_events(app)[2:] == [
        ("round.created", "Admin", "2062/63", {"name": [None, "2062/63"], "catalog": [None, version_id(app)]}),
        ("round.deleted", "Admin", "2062/63", {"name": ["2062/63", None]}),
    ]
    assert client.get(delete).status_code == 404


def test_a_round_with_assessments_is_not_deleted(app, client, admin, two_rounds):
    login(client, admin)
    delete = "/verwaltung/runden/2024-25/loeschen"
    response = client.get(delete)
    assert (response.status_code, response.headers["Location"]) == (302, ROUNDS)
    message = (
        "Die Erhebungsrunde 2024/25 kann nicht gelöscht werden: 1 Schule hat darin schon bewertet. Sie können sie schließen."
    )
    assert flash(soup_of(client.get(ROUNDS))) == message
    response = client.post("/verwaltung/runden/2025-26/loeschen", data={"csrf_token": csrf(client, ROUNDS)})
    assert (response.status_code, response.headers["Location"]) == (302, ROUNDS)
    assert flash(soup_of(client.get(ROUNDS))) == message.replace("2024/25", "2025/26").replace("1 Schule hat", "3 Schulen haben")
    assert rounds_in_db(app) == [("2024/25", "2024-25", False), ("2025/26", "2025-26", True)]
    assert [e[0] for e in round_events(app)] == ["round.created", "round.created"]


def version_id(app) -> str:
    with app.app_context():
        return f"{catalogs.active.id} {catalogs.active.version}"


def test_a_double_submitted_round_is_created_once_and_the_other_answer_is_the_form_error(app, admin):
    """Both requests pass the service's check before either inserts: the second INSERT or commit meets the unique key."""
    clients = [app.test_client() for _ in range(2)]
    tokens = []
    for client in clients:
        login(client, admin)
        tokens.append(csrf(client, ROUNDS))
    both_checked, this_thread = threading.Barrier(2, timeout=10), threading.local()

    def wait_for_the_other_check(conn, cursor, statement, parameters, context, executemany):
        # After the service's look-up for an existing round, once per request: then both go on to insert.
        if "FROM rounds" in statement and "school_year" in statement and not getattr(this_thread, "checked", False):
            this_thread.checked = True
            both_checked.wait()

    answers = []

    def submit(client, token):
        response = client.post(ROUNDS, data={"csrf_token": token, "name": "2026/27"})
        answers.append((response.status_code, soup_of(response) if response.status_code == 200 else response.headers["Location"]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", wait_for_the_other_check)
    try:
        threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, tokens, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(engine, "after_cursor_execute", wait_for_the_other_check)

    assert sorted(status for status, _ in answers) == [200, 302]
    redirect_to = next(answer for status, answer in answers if status == 302)
    page = next(answer for status, answer in answers if status == 200)
    assert redirect_to == ROUNDS
    assert [text(li) for li in page.select("#fehler li")] == [
        "Name der Erhebungsrunde: Die Erhebungsrunde 2026/27 (Kurzname 2026-27) gibt es schon."
    ]
    assert page.find("input", attrs={"name": "name"})["value"] == "2026/27"
    assert rounds_in_db(app) == [("2026/27", "2026-27", True)]
    assert [e[0] for e in round_events(app)] == ["round.created"]
