"""The team's pages: log-in, overview, rating a criterion (incl. conflicts), submit, reopen, results."""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.limits import MAX_COMMENT_LENGTH, MAX_COMMENT_LINES
from selfeval.services import assessments
from selfeval.services.accounts import create_user
from tests.support.factories import all_scores, login, make_round, make_school, make_user, rate
from tests.support.html import soup_of, text
from tests.support.rating_form import K1, OVERVIEW, form_data, stored


@pytest.fixture
def team(app):
    """A Gesamtschule with a Schulleitung member and a teacher, an open round 2025/26."""
    with app.app_context():
        school = make_school("100001")
        make_round("2025/26")
        make_user("leitung@schule.de", school=school, leadership=True)
        make_user("lehrer@schule.de", school=school)
    return school


def csrf(client, url: str) -> str:
    return soup_of(client.get(url)).find("meta", attrs={"name": "csrf-token"})["content"]


def test_login_with_wrong_password_shows_a_generic_message(client, team):
    response = login(client, "leitung@schule.de", "wrong password!!")
    page = soup_of(response)
    assert response.status_code == 200
    assert text(page.find("p", class_="field-error")) == "E-Mail-Adresse oder Passwort sind nicht richtig."
    assert page.find("input", attrs={"name": "email"})["value"] == "leitung@schule.de"


def test_login_renews_the_session_and_leads_the_team_to_its_assessment(client, team):
    with client.session_transaction() as session:
        session["left_over"] = "from before"
    response = login(client, "lehrer@schule.de")
    assert (response.status_code, response.headers["Location"]) == (302, "/schule")
    with client.session_transaction() as session:
        assert "left_over" not in session
    response = client.get("/schule")
    assert (response.status_code, response.headers["Location"]) == (302, OVERVIEW)


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, team, target):
    page = client.get("/anmelden").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    credentials = {"csrf_token": token, "email": "lehrer@schule.de", "password": "correct horse battery"}
    response = client.post("/anmelden", query_string={"next": target}, data=credentials)
    assert response.headers["Location"] == "/schule"


def test_pages_need_a_login(client, team):
    response = client.get(K1)
    assert (response.status_code, response.headers["Location"]) == (
        302,
        "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2Fkriterien%2Fk1",
    )


def test_logout_needs_the_csrf_token_and_ends_the_session(client, team):
    login(client, "lehrer@schule.de")
    assert client.post("/abmelden").status_code == 400
    assert client.get(OVERVIEW).status_code == 200
    response = client.post("/abmelden", data={"csrf_token": csrf(client, OVERVIEW)})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert client.get(OVERVIEW).status_code == 302


def test_overview_shows_progress_criteria_team_and_the_leadership_hint(app, client):
    with app.app_context():
        school = make_school("100001")
        round_ = make_round("2025/26")
        teacher = make_user("lehrer@schule.de", school=school)
        rate(school, round_, teacher, {"k1a": 4, "k1b": 6, "k2a": 10})
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(OVERVIEW))
    assert text(page.find("p", id="progress-label")) == "3 von 23 Indikatoren bewertet"
    assert [text(li) for li in page.select("ol.criteria-status li")][:3] == [
        "Kriterium 1: Dauerhafte Implementierung von Konzepten zur digitalen Bildung – 2 von 4 bewertet, Wert 5,0",
        "Kriterium 2: Pädagogik und Lernkulturen (Unterrichtsentwicklung) – 1 von 4 bewertet, Wert 10,0",
        "Kriterium 3: Qualifizierung der Lehrkräfte – 0 von 3 bewertet",
    ]
    assert text(page.find("p", class_="notice--warning")).startswith("Im Team ist noch kein Mitglied der Schulleitung.")
    assert [text(li) for li in page.select("ul.team-list li")] == ["Lehrer"]


def test_criterion_page_saves_only_what_the_user_changed(app, client, team):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    assert [fs["id"] for fs in page.select("fieldset.rating")] == ["k1a", "k1b", "k1c", "k1d"]
    assert [text(o) for o in page.select("#k1a .score-option label")] == [*map(str, range(11)), "keine Angabe"]
    data = form_data(page)
    data.update({"k1a-score": "7", "k1b-comment": "Medienkonzept 2024", "goto": "k1"})
    response = client.post(K1, data=data)
    assert (response.status_code, response.headers["Location"]) == (302, K1)
    assert stored(app, team, "k1a") == (7, "", 1)
    assert stored(app, team, "k1b") == (None, "Medienkonzept 2024", 1)
    follow = soup_of(client.get(K1))
    assert text(follow.find("div", class_="flashes")) == "Entwurf gespeichert."
    assert follow.find("input", attrs={"name": "k1a-score", "value": "7"}).has_attr("checked")
    assert follow.find("input", attrs={"name": "base_version"})["value"] == "1"


def test_save_and_continue_goes_to_the_next_criterion(client, team):
    login(client, "lehrer@schule.de")
    data = form_data(soup_of(client.get(K1))) | {"k1c-score": "3", "goto": "k2"}
    assert client.post(K1, data=data).headers["Location"] == "/schulen/100001/2025-26/kriterien/k2"


def test_a_late_save_is_refused_and_shows_both_values_keeping_the_input(app, team):
    first, second = app.test_client(), app.test_client()
    login(first, "leitung@schule.de")
    login(second, "lehrer@schule.de")
    page_first, page_second = soup_of(first.get(K1)), soup_of(second.get(K1))

    first.post(K1, data=form_data(page_first) | {"k1a-score": "7", "k1c-score": "2", "goto": "k1"})
    late = form_data(page_second) | {"k1a-score": "3", "k1a-comment": "Unsere Sicht", "k1b-score": "4", "goto": "k1"}
    response = second.post(K1, data=late)

    page = soup_of(response)
    assert response.status_code == 200
    assert text(page.find(id="konflikt").find("h2")) == "Jemand anderes hat diese Bewertung inzwischen geändert"
    assert text(page.find(id="konflikt").find_all("p")[1]) == (
        "Ebenfalls geändert; das Formular zeigt dort den aktuellen Stand: Indikator 1c)."
    )
    assert [fs["id"] for fs in page.select("fieldset.rating--conflict")] == ["k1a"]
    note = text(page.select_one("#k1a .conflict-note"))
    assert note.startswith("Aktuell gespeichert von Leitung (")
    assert note.endswith("): Bewertung 7. Unten steht Ihre Eingabe.")
    assert page.find("input", attrs={"name": "k1a-score", "value": "3"}).has_attr("checked")
    assert text(page.find("textarea", attrs={"name": "k1a-comment"})) == "Unsere Sicht"
    assert page.find("input", attrs={"name": "k1b-score", "value": "4"}).has_attr("checked")
    assert page.find("input", attrs={"name": "k1c-score", "value": "2"}).has_attr("checked")
    assert stored(app, team, "k1a") == (7, "", 1)
    assert stored(app, team, "k1b") == (None, "", 1)

    # The teacher decides that their input counts and saves again: nothing of either is lost.
    response = second.post(K1, data=form_data(page) | {"goto": "k1"})
    assert response.status_code == 302
    assert stored(app, team, "k1a") == (3, "Unsere Sicht", 2)
    assert stored(app, team, "k1b") == (4, "", 2)
    assert stored(app, team, "k1c") == (2, "", 2)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("k1a-score", "11", "Indikator 1a), Bewertung: Keine gültige Auswahl."),
        (  # the one rule of services.rating_input, for form and API alike (issue 15, item 10)
            "k1a-comment",
            "x" * 2001,
            "Indikator 1a), Belege/Anmerkungen: Der Kommentar darf höchstens 2.000 Zeichen lang sein (jetzt: 2.001).",
        ),
        ("base_version", "abc", "Version: Die Seite ist unvollständig übertragen worden. Bitte laden Sie sie neu."),
    ],
)
def test_bad_input_is_explained_at_the_field_and_nothing_is_saved(app, client, team, field, value, message):
    login(client, "lehrer@schule.de")
    data = form_data(soup_of(client.get(K1))) | {"k1b-score": "5", field: value, "goto": "k1"}
    response = client.post(K1, data=data)
    page = soup_of(response)
    assert response.status_code == 200
    assert [text(li) for li in page.select("#fehler li")] == [message]
    assert page.find("input", attrs={"name": "k1b-score", "value": "5"}).has_attr("checked")
    assert stored(app, team, "k1b") == (None, "", 0)


def test_a_comment_of_the_maximum_length_with_browser_line_breaks_is_saved_with_lf(app, client, team):
    """Issue 15, item 10: a browser sends a textarea's line breaks as CRLF; each counts as one character, as in the API."""
    comment = "\n".join(["ä" * 99] * 19 + ["ö" * 100])
    assert (len(comment), comment.count("\n")) == (MAX_COMMENT_LENGTH, 19)
    login(client, "lehrer@schule.de")
    data = form_data(soup_of(client.get(K1))) | {"k1a-comment": comment.replace("\n", "\r\n"), "goto": "k1"}
    response = client.post(K1, data=data)
    assert (response.status_code, response.headers["Location"]) == (302, K1)
    assert stored(app, team, "k1a") == (None, comment, 1)


def test_a_comment_of_too_many_lines_is_refused_with_the_reason_and_kept_in_the_form(app, client, team):
    """Issue 15, item 2: line breaks are what make a report expensive, so a comment has at most 40 lines."""
    lines = ["Zeile"] * (MAX_COMMENT_LINES + 1)
    login(client, "lehrer@schule.de")
    data = form_data(soup_of(client.get(K1))) | {"k1a-score": "4", "k1a-comment": "\r\n".join(lines), "goto": "k1"}
    response = client.post(K1, data=data)
    page = soup_of(response)
    message = "Der Kommentar darf höchstens 40 Zeilen haben (jetzt: 41). Bitte fassen Sie kurze Zeilen zusammen."
    assert response.status_code == 200
    assert [text(p) for p in page.select(".field-error")] == [message]
    assert page.find("textarea", attrs={"name": "k1a-comment"}).get_text().strip("\r\n").splitlines() == lines
    assert stored(app, team, "k1a") == (None, "", 0)
    exactly = "\r\n".join(lines[:-1])
    response = client.post(K1, data=form_data(soup_of(client.get(K1))) | {"k1a-comment": exactly, "goto": "k1"})
    assert response.status_code == 302
    assert stored(app, team, "k1a") == (None, "\n".join(lines[:-1]), 1)


def test_control_characters_in_a_comment_are_refused_with_the_reason(app, client, team):
    login(client, "lehrer@schule.de")
    data = form_data(soup_of(client.get(K1))) | {"k1a-score": "6", "k1a-comment": "Text mit \x00 Nullzeichen", "goto": "k1"}
    page = soup_of(client.post(K1, data=data))
    assert [text(p) for p in page.select(".field-error")] == ["Der Kommentar enthält unzulässige Steuerzeichen."]
    assert stored(app, team, "k1a") == (None, "", 0)


def test_forged_fields_are_ignored(app, client, team):
    login(client, "lehrer@schule.de")
    data = form_data(soup_of(client.get(K1))) | {"k9z-score": "5", "k2a-score": "9", "k1a-score": "1", "goto": "k1"}
    assert client.post(K1, data=data).status_code == 302
    assert stored(app, team, "k1a") == (1, "", 1)
    assert stored(app, team, "k2a") == (None, "", 1)


def test_submit_lists_what_is_missing_then_submits_and_locks(app, client, team):
    with app.app_context():
        from selfeval.models import User
        from selfeval.services.rounds import get_round

        teacher = db.session.scalars(db.select(User).filter_by(email="lehrer@schule.de")).one()
        scores = all_scores(6)
        del scores["k6d"]
        rate(db.session.merge(team), get_round("2025-26"), teacher, scores)
    login(client, "lehrer@schule.de")
    page = soup_of(client.get("/schulen/100001/2025-26/abschliessen"))
    assert [text(li) for li in page.select("main ul li")] == [
        "Indikator 6d): Es gibt Selbstlern-Möglichkeiten (Pädagogik)."
    ]
    assert page.find("button", string="Ja, Bewertung jetzt abschließen") is None

    data = form_data(soup_of(client.get("/schulen/100001/2025-26/kriterien/k6"))) | {"k6d-score": "4", "goto": "k6"}
    client.post("/schulen/100001/2025-26/kriterien/k6", data=data)
    page = soup_of(client.get("/schulen/100001/2025-26/abschliessen"))
    assert text(page.find("p", class_="lead")) == "Alle 23 Indikatoren sind bewertet. Gesamtwert: 5,9."
    version = page.find("input", attrs={"name": "base_version"})["value"]
    submit_form = {"csrf_token": csrf(client, OVERVIEW), "base_version": version}
    response = client.post("/schulen/100001/2025-26/abschliessen", data=submit_form)
    assert response.headers["Location"] == "/schulen/100001/2025-26/ergebnis"
    with app.app_context():
        from selfeval.services.rounds import get_round

        assert assessments.load_state(db.session.merge(team), get_round("2025-26")).status == "submitted"
    assert client.get(K1).headers["Location"] == "/schulen/100001/2025-26/ergebnis"


def test_reopen_is_for_the_schulleitung_only(app, team):
    with app.app_context():
        from selfeval.models import User
        from selfeval.services.rounds import get_round

        leader = db.session.scalars(db.select(User).filter_by(email="leitung@schule.de")).one()
        round_ = get_round("2025-26")
        state = rate(db.session.merge(team), round_, leader, all_scores(5))
        assessments.submit(db.session.merge(team), round_, leader, state.version)
        db.session.commit()
    teacher, leader_client = app.test_client(), app.test_client()
    login(teacher, "lehrer@schule.de")
    login(leader_client, "leitung@schule.de")
    url = "/schulen/100001/2025-26/wieder-oeffnen"

    assert soup_of(teacher.get(OVERVIEW)).find(["a", "button"], string="Bewertung wieder öffnen") is None
    response = teacher.get(url)
    assert response.headers["Location"] == OVERVIEW
    flash = text(soup_of(teacher.get(OVERVIEW)).find("div", class_="flashes"))
    assert flash == "Nur ein Mitglied der Schulleitung im Team kann eine Bewertung wieder öffnen."
    response = teacher.post(url, data={"csrf_token": csrf(teacher, OVERVIEW)})
    assert response.headers["Location"] == OVERVIEW
    flash = text(soup_of(teacher.get(OVERVIEW)).find("div", class_="flashes"))
    assert flash == "Nur ein Mitglied der Schulleitung im Team kann eine Bewertung wieder öffnen."

    assert soup_of(leader_client.get(OVERVIEW)).find("a", string="Bewertung wieder öffnen")["href"] == url
    leader_client.post(url, data={"csrf_token": csrf(leader_client, OVERVIEW)})
    page = soup_of(leader_client.get(OVERVIEW))
    assert text(page.find("div", class_="flashes")) == "Die Bewertung ist wieder geöffnet und kann bearbeitet werden."
    assert text(page.find("span", class_="badge--draft")) == "Entwurf"


def test_reopening_asks_first_and_says_the_result_leaves_the_statistics(app, team):
    """Issue 16: "Wieder öffnen" took one click with no confirmation."""
    with app.app_context():
        from selfeval.models import User
        from selfeval.services.rounds import get_round

        leader = db.session.scalars(db.select(User).filter_by(email="leitung@schule.de")).one()
        round_ = get_round("2025-26")
        state = rate(db.session.merge(team), round_, leader, all_scores(5))
        assessments.submit(db.session.merge(team), round_, leader, state.version)
        db.session.commit()
    client = app.test_client()
    login(client, "leitung@schule.de")
    url = "/schulen/100001/2025-26/wieder-oeffnen"
    page = soup_of(client.get(url))
    assert text(page.find("h1")) == "Bewertung wieder öffnen?"
    explanation = [text(li) for li in page.select("#was-wieder-oeffnen-bedeutet li")]
    assert explanation[1] == (
        "zählt Ihr Ergebnis nicht mehr in den Auswertungen der Schulaufsicht und der Medienberatung und nicht mehr "
        "im Vergleich mit den Schulen Ihrer Schulform, bis Sie die Bewertung erneut abschließen;"
    )
    form = page.find("form", attrs={"action": url})
    assert (form["method"], text(form.button)) == ("post", "Ja, Bewertung wieder öffnen")
    assert form.find("input", attrs={"name": "csrf_token"}) is not None
    assert [a["href"] for a in form.find_all("a")] == [OVERVIEW]
    with app.app_context():
        assert assessments.load_state(db.session.merge(team), get_round("2025-26")).status == "submitted"
    assert client.post(url, data={}).status_code == 400  # the confirmation needs the CSRF token
    response = client.post(url, data={"csrf_token": csrf(client, url)})
    assert response.headers["Location"] == OVERVIEW
    with app.app_context():
        assert assessments.load_state(db.session.merge(team), get_round("2025-26")).status == "draft"
    flash = text(soup_of(client.get(OVERVIEW)).find("div", class_="flashes"))
    assert flash == "Die Bewertung ist wieder geöffnet und kann bearbeitet werden."
    response = client.get(url)  # a draft has nothing to reopen
    assert response.headers["Location"] == OVERVIEW
    assert text(soup_of(client.get(OVERVIEW)).find("div", class_="flashes")) == "Die Bewertung ist nicht abgeschlossen."


def test_results_show_scores_chart_and_previous_round(app, client):
    with app.app_context():
        school = make_school("100001")
        last = make_round("2024/25")
        user = make_user("leitung@schule.de", school=school, leadership=True)
        rate(school, last, user, all_scores(4))
        current = make_round("2025/26")
        rate(school, current, user, all_scores(6) | {"k1a": 10}, {"k1a": "<b>fett</b> & mehr"})
    login(client, "leitung@schule.de")
    page = soup_of(client.get("/schulen/100001/2025-26/ergebnis"))
    rows = [[text(cell) for cell in row.find_all(["th", "td"])] for row in page.select("table.data-table tbody tr")]
    assert rows[0] == ["1. Dauerhafte Implementierung von Konzepten zur digitalen Bildung", "7,0", "4,0", "+3,0"]
    assert rows[1] == ["2. Pädagogik und Lernkulturen (Unterrichtsentwicklung)", "6,0", "4,0", "+2,0"]
    assert [text(cell) for cell in page.select("table.data-table tfoot td")] == ["6,2", "4,0", "+2,2"]
    svg = page.find("svg")
    assert (svg["role"], len(svg.select(".radar-ring"))) == ("img", 5)
    assert sorted(p["class"][-1] for p in svg.select("polygon.radar-series")) == [
        "radar-series--primary",
        "radar-series--secondary",
    ]
    assert text(page.find("p", class_="comment")) == "<b>fett</b> & mehr"
    assert page.find("p", class_="comment").find("b") is None


def test_other_schools_and_supervision_cannot_edit(app, client, team):
    with app.app_context():
        other = make_school("100002")
        make_user("fremd@schule.de", school=other)
        make_user("aufsicht@bezreg.de", "supervisor", kreise=["05913"])
    login(client, "fremd@schule.de")
    assert client.get(OVERVIEW).status_code == 403
    assert client.post(K1, data={}).status_code == 400  # CSRF first: a forged post never reaches the view
    client.post("/abmelden", data={"csrf_token": csrf(client, "/leitfaden")})

    login(client, "aufsicht@bezreg.de")
    assert client.get(OVERVIEW).status_code == 200
    assert client.get(K1).headers["Location"] == OVERVIEW
    assert client.get("/schule").headers["Location"] == "/auswertung/"
    page = soup_of(client.get("/auswertung/"))
    assert [text(a) for a in page.select("table.heatmap tbody a")] == ["Testschule 100001", "Testschule 100002"]


def test_unknown_school_round_or_criterion_answers_404(client, team):
    login(client, "lehrer@schule.de")
    assert client.get("/schulen/999999/2025-26/").status_code == 404
    assert client.get("/schulen/100001/1999-00/").status_code == 404
    assert client.get("/schulen/100001/2025-26/kriterien/k9").status_code == 404


def test_an_invited_schulleitung_who_never_logged_in_does_not_count_for_submitting(app, client):
    """Issue 15, item 15: the submit page names the reason, and submitting leaves the draft as it is."""
    with app.app_context():
        school = make_school("100001")
        round_ = make_round("2025/26")
        teacher = make_user("lehrer@schule.de", school=school)
        create_user("leitung@schule.de", "Leitung", "team", None, school=school, is_leadership=True)
        db.session.commit()
        version = rate(school, round_, teacher, all_scores(6)).version
    login(client, "lehrer@schule.de")
    page = soup_of(client.get("/schulen/100001/2025-26/abschliessen"))
    assert text(page.find("p", class_="lead")) == "Die Bewertung kann noch nicht abgeschlossen werden."
    assert text(page.find("p", class_="notice--warning")) == (
        "Im Team ist noch kein Mitglied der Schulleitung. Der Leitfaden verlangt mindestens eines. Ein eingeladenes "
        "Mitglied zählt erst, wenn es die Einladung angenommen und sein Passwort gesetzt hat."
    )
    token = csrf(client, OVERVIEW)
    client.post("/schulen/100001/2025-26/abschliessen", data={"csrf_token": token, "base_version": str(version)})
    with app.app_context():
        school, round_ = db.session.merge(school), db.session.merge(round_)
        assert assessments.load_state(school, round_).status == "draft"
        assert assessments.has_leadership_member(school) is False
    overview = soup_of(client.get(OVERVIEW))
    assert [text(li) for li in overview.select("ul.team-list li")] == [
        "Leitung Schulleitung (Einladung noch nicht angenommen)",
        "Lehrer",
    ]
