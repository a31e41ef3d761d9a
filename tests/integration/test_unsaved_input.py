"""Issue 16: nothing a team types is lost when the session ends or the round closes while a criterion page is open.

Without JavaScript: a save that arrives after the session ended keeps the posted input on the server
(services.unsaved_input), the person logs in again and finds the page with exactly that input, not yet saved.
A save into a closed round or a submitted assessment shows the input read-only with what happened.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from selfeval.extensions import db
from selfeval.models import UnsavedInput, User
from selfeval.models.types import utcnow
from selfeval.services import assessments, unsaved_input
from selfeval.services.rounds import get_round, set_round_open
from selfeval.services.schools import get_school
from selfeval.views.unsaved import COOKIE, OLD_PAGE, OTHER_ACCOUNT, SESSION_ENDED
from tests.conftest import empty_tables, make_test_app
from tests.support.factories import PASSWORD, all_scores, login, make_round, make_school, make_user, rate
from tests.support.html import csrf, soup_of, text
from tests.support.rating_form import K1, OVERVIEW, form_data, stored

LOGIN_AGAIN = "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2Fkriterien%2Fk1"
COMMENT = "Medienkonzept 2024 beschlossen,\nÜberarbeitung läuft."
RESTORED_END = (
    "stehen wieder im Formular, sind aber noch nicht gespeichert. Prüfen Sie sie und klicken Sie auf „Entwurf speichern“."
)


@pytest.fixture
def team(app):
    with app.app_context():
        school = make_school("100001")
        make_round("2025/26")
        make_user("leitung@schule.de", school=school, leadership=True)
        make_user("lehrer@schule.de", school=school)
    return school


def typed(page) -> dict[str, str]:
    """What the teacher typed on criterion 1 before pressing "Entwurf speichern"."""
    return form_data(page) | {"k1a-score": "7", "k1b-comment": COMMENT, "goto": "k1"}


def kept_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(UnsavedInput))


def shown_input(page) -> dict[str, object]:
    """Score and comment per indicator as the form shows them, and the version it names."""
    shown: dict[str, object] = {"base_version": page.find("input", attrs={"name": "base_version"})["value"]}
    for fieldset in page.select("fieldset.rating"):
        checked = fieldset.find("input", attrs={"type": "radio", "checked": True})
        comment = fieldset.find("textarea").get_text().removeprefix("\r\n").removeprefix("\n")
        shown[fieldset["id"]] = (checked["value"] if checked else None, comment)
    return shown


def log_in_to(client, email: str, next_page: str):
    page = client.get("/anmelden").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    credentials = {"csrf_token": token, "email": email, "password": PASSWORD}
    return client.post("/anmelden", query_string={"next": next_page}, data=credentials)


def assert_restored_and_saved(app, client, team, *, version: int = 0) -> None:
    """The criterion page shows the typed input, marked as not saved; one click saves it."""
    page = soup_of(client.get(K1))
    assert text(page.find(id="wiederhergestellt")).endswith(RESTORED_END)
    assert shown_input(page) == {
        "base_version": str(version),
        "k1a": ("7", ""),
        "k1b": ("", COMMENT),
        "k1c": ("", ""),
        "k1d": ("", ""),
    }
    assert stored(app, team, "k1a") == (None, "", version)
    assert kept_rows(app) == 0
    assert client.get_cookie(COOKIE, path="/schulen/") is None
    response = client.post(K1, data=form_data(page) | {"goto": "k1"})
    assert (response.status_code, response.headers["Location"]) == (302, K1)
    assert stored(app, team, "k1a") == (7, "", version + 1)
    assert stored(app, team, "k1b") == (None, COMMENT, version + 1)
    # Used once: a reload shows the saved state, no restored input; and that page tells the browser to drop its
    # copy of the saved input (browser-copies.js), once.
    page = soup_of(client.get(K1))
    assert page.find(id="wiederhergestellt") is None
    key = f"selfeval:100001:2025-26:k1:{user_id(app, client)}"
    assert page.find("form", class_="rating-form")["data-draft-key"] == key
    assert page.find("meta", attrs={"name": "saved-copy"})["content"] == key
    assert soup_of(client.get(K1)).find("meta", attrs={"name": "saved-copy"}) is None


def user_id(app, client) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == "lehrer@schule.de"))


# --- the session ended while the page was open ------------------------------------------------------------------


@pytest.fixture
def short_idle_app(migrated_database, tmp_path):
    """A session idle time of three seconds (Flask compares the cookie's signed age in whole seconds)."""
    app = make_test_app(migrated_database, tmp_path / "instance", PERMANENT_SESSION_LIFETIME=timedelta(seconds=3))
    with app.app_context():
        school = make_school("100001")
        make_round("2025/26")
        make_user("lehrer@schule.de", school=school)
    yield app, school
    empty_tables(app)


def test_a_save_after_the_idle_timeout_keeps_the_input_across_the_new_log_in(short_idle_app):
    app, school = short_idle_app
    client = app.test_client()
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    assert page.find("form", class_="rating-form")["data-session-idle-seconds"] == "3"
    time.sleep(4.5)

    response = client.post(K1, data=typed(page))

    assert (response.status_code, response.headers["Location"]) == (303, LOGIN_AGAIN)
    assert stored(app, school, "k1a") == (None, "", 0)
    assert kept_rows(app) == 1
    login_page = soup_of(client.get(LOGIN_AGAIN))
    assert [text(p) for p in login_page.select(".flashes p")] == [SESSION_ENDED]
    response = log_in_to(client, "lehrer@schule.de", "/schulen/100001/2025-26/kriterien/k1")
    assert (response.status_code, response.headers["Location"]) == (302, K1)
    assert_restored_and_saved(app, client, school)


def test_a_save_after_a_log_out_on_another_device_keeps_the_input(app, team):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "lehrer@schule.de")
    login(elsewhere, "lehrer@schule.de")
    page = soup_of(here.get(K1))
    elsewhere.post("/abmelden", data={"csrf_token": csrf(elsewhere, OVERVIEW)})

    response = here.post(K1, data=typed(page))

    assert (response.status_code, response.headers["Location"]) == (303, LOGIN_AGAIN)
    assert [text(p) for p in soup_of(here.get(LOGIN_AGAIN)).select(".flashes p")] == [SESSION_ENDED]
    log_in_to(here, "lehrer@schule.de", K1)
    assert_restored_and_saved(app, here, team)


@pytest.mark.parametrize(
    ("address", "answer"),
    [
        ("/schulen/10%0001/2025-26/kriterien/k1", (400, None)),
        ("/schulen/100001/2025%00-26/kriterien/k1", (400, None)),
        (K1, (302, LOGIN_AGAIN)),  # the log-in the page would ask for anyway; the input with a NUL is not kept
    ],
)
def test_a_nul_character_in_a_save_without_a_session_keeps_nothing_and_is_no_server_error(app, team, address, answer):
    """Keeping the input of a save whose session ended must not look a NUL up (a 500 on PostgreSQL, which cannot
    even compare text holding one). No page of ours sends one, so nothing is kept."""
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "lehrer@schule.de")
    login(elsewhere, "lehrer@schule.de")
    page = soup_of(here.get(K1))
    elsewhere.post("/abmelden", data={"csrf_token": csrf(elsewhere, OVERVIEW)})

    response = here.post(address, data=typed(page) | {"k1b-comment": "Medien\x00konzept"})

    assert (response.status_code, response.headers.get("Location"), kept_rows(app)) == (*answer, 0)


def test_a_save_from_a_tab_opened_before_a_new_log_in_keeps_the_input(app, client, team):
    login(client, "lehrer@schule.de")
    old_tab = soup_of(client.get(K1))
    client.post("/abmelden", data={"csrf_token": csrf(client, OVERVIEW)})
    login(client, "lehrer@schule.de")  # a new session: the old tab's CSRF token no longer matches

    response = client.post(K1, data=typed(old_tab))

    assert (response.status_code, response.headers["Location"]) == (303, K1)
    page = soup_of(client.get(K1))
    assert [text(p) for p in page.select(".flashes p")] == [OLD_PAGE]
    assert text(page.find(id="wiederhergestellt")).endswith(RESTORED_END)
    assert shown_input(page)["k1a"] == ("7", "")
    response = client.post(K1, data=form_data(page) | {"goto": "k1"})
    assert (response.status_code, stored(app, team, "k1a"), stored(app, team, "k1b")) == (302, (7, "", 1), (None, COMMENT, 1))


def test_restored_input_meets_a_colleagues_save_with_the_usual_conflict_handling(app, client, team):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    client.delete_cookie("session")  # what the browser does when the idle time has passed
    assert client.post(K1, data=typed(page)).status_code == 303
    with app.app_context():
        leader = db.session.scalars(select(User).filter_by(email="leitung@schule.de")).one()
        rate(db.session.merge(team), get_round("2025-26"), leader, {"k1a": 2, "k1c": 9})

    log_in_to(client, "lehrer@schule.de", K1)
    restored = soup_of(client.get(K1))
    assert shown_input(restored)["base_version"] == "0"
    response = client.post(K1, data=form_data(restored) | {"goto": "k1"})

    conflict = soup_of(response)
    assert response.status_code == 200
    assert text(conflict.find(id="konflikt").find("h2")) == "Jemand anderes hat diese Bewertung inzwischen geändert"
    assert [fs["id"] for fs in conflict.select("fieldset.rating--conflict")] == ["k1a"]
    assert shown_input(conflict) == {
        "base_version": "1",
        "k1a": ("7", ""),
        "k1b": ("", COMMENT),
        "k1c": ("9", ""),
        "k1d": ("", ""),
    }
    assert stored(app, team, "k1a") == (2, "", 1)
    response = client.post(K1, data=form_data(conflict) | {"goto": "k1"})
    assert response.status_code == 302
    assert [stored(app, team, key) for key in ("k1a", "k1b", "k1c")] == [(7, "", 2), (None, COMMENT, 2), (9, "", 2)]


def test_kept_input_goes_only_to_the_account_whose_page_sent_it(app, client, team):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    client.delete_cookie("session")
    assert client.post(K1, data=typed(page)).status_code == 303

    # A colleague logs in on the same browser: the input is not theirs.
    log_in_to(client, "leitung@schule.de", K1)
    colleague = soup_of(client.get(K1))
    assert colleague.find(id="wiederhergestellt") is None
    assert shown_input(colleague)["k1a"] == ("", "")
    assert kept_rows(app) == 1
    client.post("/abmelden", data={"csrf_token": csrf(client, OVERVIEW)})

    log_in_to(client, "lehrer@schule.de", K1)
    assert_restored_and_saved(app, client, team)


def test_an_old_tab_of_another_account_keeps_the_input_for_that_account(app, client, team):
    login(client, "lehrer@schule.de")
    old_tab = soup_of(client.get(K1))
    client.post("/abmelden", data={"csrf_token": csrf(client, OVERVIEW)})
    login(client, "leitung@schule.de")

    response = client.post(K1, data=typed(old_tab))

    assert (response.status_code, response.headers["Location"]) == (303, K1)
    page = soup_of(client.get(K1))
    assert [text(p) for p in page.select(".flashes p")] == [OTHER_ACCOUNT]
    assert page.find(id="wiederhergestellt") is None
    assert kept_rows(app) == 1


@pytest.mark.parametrize(
    "forged",
    [
        {"page_owner": ""},  # no owner: from no page of ours (a cross-site form, say)
        {"page_owner": "eyJ1c2VyIjoxfQ.forged.signature"},
        {"k1a-score": "11"},
        {"k1b-comment": "x" * 2001},
        {"base_version": "drei"},
    ],
)
def test_a_post_that_came_from_no_page_of_ours_is_refused_as_before_and_keeps_nothing(app, client, team, forged):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    client.delete_cookie("session")
    response = client.post(K1, data=typed(page) | forged)
    assert (response.status_code, text(soup_of(response).h1)) == (400, "Ungültige Anfrage")
    assert kept_rows(app) == 0


def test_a_page_of_another_school_cannot_lend_its_owner_field(app, client, team):
    with app.app_context():
        other = make_school("100002")
        make_user("fremd@schule.de", school=other)
    login(client, "fremd@schule.de")
    foreign_page = soup_of(client.get("/schulen/100002/2025-26/kriterien/k1"))
    foreign_owner = foreign_page.find("input", attrs={"name": "page_owner"})["value"]
    client.delete_cookie("session")
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    client.delete_cookie("session")
    response = client.post(K1, data=typed(page) | {"page_owner": foreign_owner})
    assert response.status_code == 400
    assert kept_rows(app) == 0


def test_kept_input_expires_after_four_hours_and_is_purged_at_the_next_log_in(app, client, team):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    client.delete_cookie("session")
    assert client.post(K1, data=typed(page)).status_code == 303
    with app.app_context():
        old = utcnow() - unsaved_input.KEEP_FOR - timedelta(seconds=1)
        db.session.execute(update(UnsavedInput).values(created_at=old))
        db.session.commit()
    log_in_to(client, "lehrer@schule.de", K1)
    assert kept_rows(app) == 0
    page = soup_of(client.get(K1))
    assert (page.find(id="wiederhergestellt"), shown_input(page)["k1a"]) == (None, ("", ""))


def test_two_tabs_asking_at_once_get_the_kept_input_exactly_once(app, client, team):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    client.delete_cookie("session")
    assert client.post(K1, data=typed(page)).status_code == 303
    log_in_to(client, "lehrer@schule.de", K1)
    tabs = [app.test_client() for _ in range(4)]
    for tab in tabs:
        tab.set_cookie("session", client.get_cookie("session").value)
        tab.set_cookie(COOKIE, client.get_cookie(COOKIE, path="/schulen/").value, path="/schulen/")
    barrier, pages = threading.Barrier(len(tabs)), []

    def open_page(tab):
        barrier.wait()
        pages.append(soup_of(tab.get(K1)))

    threads = [threading.Thread(target=open_page, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(pages) == len(tabs)
    assert sorted(page.find(id="wiederhergestellt") is not None for page in pages) == [False, False, False, True]
    assert kept_rows(app) == 0


# --- the round closed, or the assessment was submitted or reopened, while the page was open -------------------


def test_a_save_into_a_round_closed_meanwhile_shows_what_happened_and_the_input(app, client, team):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    with app.app_context():
        set_round_open(get_round("2025-26"), False, actor=None)
        db.session.commit()

    response = client.post(K1, data=typed(page))

    answer = soup_of(response)
    assert response.status_code == 409
    notice = answer.find(id="nicht-gespeichert")
    assert (notice["role"], text(notice.h2)) == ("alert", "Ihre Eingaben sind nicht gespeichert")
    assert [text(p) for p in notice.find_all("p")] == [
        "Die Erhebungsrunde 2025/26 wurde inzwischen geschlossen. Deshalb lässt sie sich nicht mehr ändern.",
        "Ihre Eingaben stehen unten unverändert; Sie können die Texte markieren und kopieren.",
        "Zur Übersicht der Bewertung",
    ]
    assert shown_input(answer) == {"base_version": "0", "k1a": ("7", ""), "k1b": ("", COMMENT), "k1c": ("", ""), "k1d": ("", "")}
    assert answer.find("textarea", attrs={"name": "k1b-comment"}).has_attr("readonly")
    assert all(radio.has_attr("disabled") for radio in answer.select("input[type=radio]"))
    assert answer.find("button", string="Entwurf speichern") is None
    assert [script["src"] for script in answer.find_all("script", src=True)] == ["/static/js/browser-copies.js"]  # no autosave
    assert stored(app, team, "k1a") == (None, "", 0)


def test_a_first_save_into_a_round_deleted_in_that_moment_shows_what_happened_and_the_input(app, client, team):
    """The admin deletes the (still empty) round while the first save of the school runs: no 500, the input stays."""
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))

    def round_deleted_just_before_the_draft(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO ASSESSMENTS"):
            conn.exec_driver_sql("DELETE FROM rounds")  # inside the savepoint: the foreign key then refuses the draft

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", round_deleted_just_before_the_draft)
    try:
        response = client.post(K1, data=typed(page))
    finally:
        event.remove(engine, "before_cursor_execute", round_deleted_just_before_the_draft)

    answer = soup_of(response)
    assert response.status_code == 409
    notice = answer.find(id="nicht-gespeichert")
    assert [text(p) for p in notice.find_all("p")] == [
        "Die Erhebungsrunde 2025/26 wurde inzwischen von der Verwaltung gelöscht.",
        "Ihre Eingaben stehen unten unverändert; Sie können die Texte markieren und kopieren.",
        "Zur Startseite Ihrer Schule",
    ]
    assert shown_input(answer) == {"base_version": "0", "k1a": ("7", ""), "k1b": ("", COMMENT), "k1c": ("", ""), "k1d": ("", "")}
    assert answer.find("textarea", attrs={"name": "k1b-comment"}).has_attr("readonly")


def test_a_save_into_an_assessment_submitted_meanwhile_names_who_submitted(app, client, team):
    login(client, "lehrer@schule.de")
    with app.app_context():
        leader = db.session.scalars(select(User).filter_by(email="leitung@schule.de")).one()
        school, round_ = db.session.merge(team), get_round("2025-26")
        state = rate(school, round_, leader, all_scores(5) | {"k1a": None})
    page = soup_of(client.get(K1))
    with app.app_context():
        leader = db.session.scalars(select(User).filter_by(email="leitung@schule.de")).one()
        school, round_ = db.session.merge(team), get_round("2025-26")
        state = rate(school, round_, leader, {"k1a": 4})
        assessments.submit(school, round_, leader, state.version)
        db.session.commit()

    response = client.post(K1, data=form_data(page) | {"k1a-score": "8", "k1b-comment": COMMENT, "goto": "k1"})

    answer = soup_of(response)
    assert response.status_code == 409
    first = text(answer.find(id="nicht-gespeichert").find("p"))
    assert first.startswith("Die Bewertung wurde inzwischen abgeschlossen von Leitung (")
    assert first.endswith(" Uhr). Deshalb lässt sie sich nicht mehr ändern.")
    assert text(answer.find(id="nicht-gespeichert").find_all("p")[1]) == (
        "Ihre Eingaben stehen unten unverändert; Sie können die Texte markieren und kopieren. "
        "Ein Mitglied der Schulleitung kann die Bewertung wieder öffnen; danach können Sie sie eintragen."
    )
    assert (shown_input(answer)["k1a"], shown_input(answer)["k1b"]) == (("8", ""), ("5", COMMENT))
    assert stored(app, team, "k1a") == (4, "", 3)


def test_a_save_after_the_assessment_was_submitted_and_reopened_says_so_and_keeps_the_input(app, client, team):
    with app.app_context():
        leader = db.session.scalars(select(User).filter_by(email="leitung@schule.de")).one()
        rate(db.session.merge(team), get_round("2025-26"), leader, all_scores(5))
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    with app.app_context():
        leader = db.session.scalars(select(User).filter_by(email="leitung@schule.de")).one()
        school, round_ = db.session.merge(team), get_round("2025-26")
        assessments.submit(school, round_, leader, 1)
        assessments.reopen(school, round_, leader)
        db.session.commit()

    response = client.post(K1, data=form_data(page) | {"k1a-score": "8", "goto": "k1"})

    answer = soup_of(response)
    assert response.status_code == 200
    assert text(answer.find(id="konflikt").h2) == "Die Bewertung wurde inzwischen abgeschlossen und wieder geöffnet"
    assert (shown_input(answer)["base_version"], shown_input(answer)["k1a"]) == ("3", ("8", ""))
    assert client.post(K1, data=form_data(answer) | {"goto": "k1"}).status_code == 302
    assert stored(app, team, "k1a") == (8, "", 4)


def test_kept_input_whose_round_closed_before_the_log_in_is_shown_read_only(app, client, team):
    login(client, "lehrer@schule.de")
    page = soup_of(client.get(K1))
    client.delete_cookie("session")
    assert client.post(K1, data=typed(page)).status_code == 303
    with app.app_context():
        set_round_open(get_round("2025-26"), False, actor=None)
        db.session.commit()
    log_in_to(client, "lehrer@schule.de", K1)
    response = client.get(K1)
    answer = soup_of(response)
    assert response.status_code == 200
    assert text(answer.find(id="nicht-gespeichert").p).startswith("Die Erhebungsrunde 2025/26 wurde inzwischen geschlossen.")
    assert shown_input(answer)["k1b"] == ("", COMMENT)
    assert kept_rows(app) == 0


# --- the page keeps the session alive on request ---------------------------------------------------------------


def test_keep_alive_renews_the_session_and_says_how_long_it_lasts(app, client, team):
    login(client, "lehrer@schule.de")
    token = csrf(client, K1)
    response = client.post("/sitzung/verlaengern", headers={"X-CSRFToken": token})
    assert (response.status_code, response.get_json(), response.headers["Cache-Control"]) == (
        200,
        {"idle_seconds": 1800},
        "no-store",
    )
    assert "session=" in response.headers["Set-Cookie"]
    client.delete_cookie("session")
    response = client.post("/sitzung/verlaengern", headers={"X-CSRFToken": token})
    assert (response.status_code, text(soup_of(response).h1)) == (400, "Ungültige Anfrage")


def keep_for(email: str, note: str) -> str:
    owner = db.session.scalar(select(User).where(User.email == email))
    token = unsaved_input.keep(get_school("100001"), get_round("2025-26"), "k1", owner, {"note": note})
    db.session.commit()
    return token


def test_one_account_replaying_its_page_keeps_its_newest_input_and_leaves_room_for_the_others(app, team, monkeypatch):
    monkeypatch.setattr(unsaved_input, "MAX_ROWS", unsaved_input.MAX_ROWS_PER_ACCOUNT + 1)
    with app.app_context():
        tokens = [keep_for("lehrer@schule.de", f"Eingabe {n}") for n in range(25)]
        rows = db.session.scalars(select(UnsavedInput).order_by(UnsavedInput.id)).all()
        assert [row.payload["note"] for row in rows] == [f"Eingabe {n}" for n in range(5, 25)]
        keep_for("leitung@schule.de", "Eingabe der Leitung")
        assert kept_rows(app) == 21
        # The global bound still holds for everyone else.
        with pytest.raises(unsaved_input.NoRoomToKeep):
            keep_for("leitung@schule.de", "noch eine")
        db.session.rollback()
        teacher = db.session.scalar(select(User).where(User.email == "lehrer@schule.de"))
        school, round_ = get_school("100001"), get_round("2025-26")
        assert unsaved_input.take(tokens[:5], school, round_, "k1", teacher) is None
        newest = unsaved_input.take(tokens, school, round_, "k1", teacher)
        assert (newest.payload, newest.token) == ({"note": "Eingabe 24"}, tokens[24])
