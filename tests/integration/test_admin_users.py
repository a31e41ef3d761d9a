"""Account administration (/verwaltung/konten) through the real app: list, invite, edit, links, deactivate, export, erase."""

from __future__ import annotations

import hashlib
import json
import socket
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import ApiToken, AuditEvent, Membership, PasswordLink, Rating, User
from selfeval.models.types import utcnow
from selfeval.services import assessments
from selfeval.services.accounts import create_user, find_user, issue_password_link
from selfeval.services.rounds import get_round
from selfeval.services.schools import find_school
from selfeval.views.formatting import format_datetime
from tests.conftest import make_test_app
from tests.support.factories import login, make_round, make_school, make_token, make_user, rate
from tests.support.html import csrf, field_errors, page_rows, soup_of, text

USERS = "/verwaltung/konten"
NEW = "/verwaltung/konten/neu"
NEW_PASSWORD = "ein ganz neues Passwort"


def flashes(page) -> list[str]:
    return [text(p) for p in page.select("div.flashes p")]


def account_id(app, email: str) -> int:
    with app.app_context():
        return find_user(email).id


def events(app, *actions: str) -> list[tuple[str, str, str, dict]]:
    """(action, actor_name, subject, changes) of the trail, oldest first; only these actions if given."""
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if actions:
            query = query.where(AuditEvent.action.in_(actions))
        return [(e.action, e.actor_name, e.subject, e.changes) for e in db.session.scalars(query)]


def new_account(client, **fields) -> object:
    data = {"csrf_token": csrf(client, NEW), "email": "", "display_name": "", "role": "team", "school": ""}
    data.update(fields)
    return client.post(NEW, data=data)


def link_of(page) -> str:
    return page.select_one("input.password-link")["value"]


def set_password(client, url: str, password: str = NEW_PASSWORD):
    token = soup_of(client.get(url)).find("input", attrs={"name": "csrf_token"})["value"]
    return client.post(url, data={"csrf_token": token, "password": password, "confirm": password})


@pytest.fixture
def admin(app, client):
    """An administrator (logged in with `client`), the school 100001 and the open round 2025/26."""
    with app.app_context():
        make_school("100001", name="Adler-Gesamtschule")
        make_round("2025/26")
        make_user("admin@amt.de", "admin")
    login(client, "admin@amt.de")
    return client


# --- who may -------------------------------------------------------------------------------------

PAGES = ["", "/neu", "/{id}", "/{id}/bearbeiten", "/{id}/loeschen"]
ACTIONS = [
    "/neu",
    "/{id}/bearbeiten",
    "/{id}/passwort-link",
    "/{id}/deaktivieren",
    "/{id}/aktivieren",
    "/{id}/auskunft",
    "/{id}/loeschen",
]


@pytest.mark.parametrize("role", ["team", "supervisor", "adviser"])
def test_every_account_page_and_action_is_forbidden_for_other_roles(app, client, role):
    with app.app_context():
        school = make_school("100001")
        scopes = {"team": {"school": school}, "supervisor": {"kreise": ["05913"]}, "adviser": {"kreise": ["05913"]}}[role]
        target = make_user("someone@schule.de", school=school).id
        make_user(f"{role}@amt.de", role, **scopes)
    login(client, f"{role}@amt.de")
    token = csrf(client, "/")
    for path in PAGES:
        assert client.get(USERS + path.format(id=target)).status_code == 403, path
    assert client.get("/verwaltung/protokoll").status_code == 403
    for path in ACTIONS:
        assert client.post(USERS + path.format(id=target), data={"csrf_token": token}).status_code == 403, path
    with app.app_context():
        assert find_user("someone@schule.de").active
        assert events(app, "user.deactivated", "user.exported", "user.erased", "user.invited", "user.reset_requested") == []


def test_account_pages_need_a_login(app, client):
    with app.app_context():
        make_user("admin@amt.de", "admin")
    response = client.get(USERS)
    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden?next=%2Fverwaltung%2Fkonten")


# --- the list -----------------------------------------------------------------------------------


@pytest.fixture
def accounts(app, admin):
    """Five accounts in every status: active, invited (open and expired link), deactivated."""
    with app.app_context():
        school = find_school("100001")
        make_user("leitung@schule.de", school=school, leadership=True)
        make_user("aufsicht@bezreg.de", "supervisor", bezirke=["Arnsberg"], kreise=["05913"], schulformen=["20"])
        beratung = make_user("beratung@mz.de", "adviser", kreise=["05911", "05913"])
        beratung.active = False
        invited = create_user("neu@schule.de", "Neu Eingeladen", "team", None, school=school)
        link = issue_password_link(invited, "invite", actor=None)
        expired = create_user("alt@schule.de", "Alt Eingeladen", "team", None, school=school)
        issue_password_link(expired, "invite", actor=None)
        db.session.flush()
        db.session.execute(PasswordLink.__table__.update().where(PasswordLink.user_id == expired.id).values(expires_at=utcnow()))
        db.session.commit()
        return format_datetime(link.expires_at)


def test_the_list_shows_every_account_with_role_area_and_status(admin, accounts):
    page = soup_of(admin.get(USERS))
    assert text(page.select_one("table.data-table caption")) == "Konten 1 bis 6 von 6, nach Name sortiert"
    assert page_rows(page) == [
        ["Admin", "admin@amt.de", "Verwaltung", "alle Schulen", "aktiv"],
        [
            "Alt Eingeladen",
            "alt@schule.de",
            "Team Digitalisierung",
            "Adler-Gesamtschule (100001)",
            "eingeladen, Einladung abgelaufen",
        ],
        [
            "Aufsicht",
            "aufsicht@bezreg.de",
            "Schulaufsicht",
            "Bezirksregierung Arnsberg, Kreis Dortmund, Schulform Gymnasium",
            "aktiv",
        ],
        ["Beratung", "beratung@mz.de", "Medienberatung", "Kreis Bochum, Kreis Dortmund", "deaktiviert"],
        ["Leitung", "leitung@schule.de", "Team Digitalisierung", "Adler-Gesamtschule (100001), Schulleitung", "aktiv"],
        [
            "Neu Eingeladen",
            "neu@schule.de",
            "Team Digitalisierung",
            "Adler-Gesamtschule (100001)",
            f"eingeladen, Einladung offen bis {accounts}",
        ],
    ]
    assert page.select_one("a.button")["href"] == NEW
    assert [th["scope"] for th in page.select("table.data-table thead th")] == ["col"] * 5


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"suche": "schule.de"}, ["Alt Eingeladen", "Leitung", "Neu Eingeladen"]),
        ({"suche": "AUFSICHT"}, ["Aufsicht"]),
        ({"rolle": "team"}, ["Alt Eingeladen", "Leitung", "Neu Eingeladen"]),
        ({"status": "eingeladen"}, ["Alt Eingeladen", "Neu Eingeladen"]),
        ({"status": "deaktiviert"}, ["Beratung"]),
        ({"status": "aktiv", "rolle": "team"}, ["Leitung"]),
        (
            {"rolle": "unbekannt", "status": "irgendwas"},
            ["Admin", "Alt Eingeladen", "Aufsicht", "Beratung", "Leitung", "Neu Eingeladen"],
        ),
    ],
)
def test_the_list_searches_by_name_or_email_role_and_status(admin, accounts, query, names):
    page = soup_of(admin.get(USERS, query_string=query))
    assert [row[0] for row in page_rows(page)] == names


def test_the_list_keeps_the_search_and_says_when_nothing_matches(admin, accounts):
    page = soup_of(admin.get(USERS, query_string={"suche": "niemand", "rolle": "adviser", "status": "aktiv"}))
    assert page.find("input", id="suche")["value"] == "niemand"
    assert page.select_one("#rolle option[selected]")["value"] == "adviser"
    assert page.select_one("#status option[selected]")["value"] == "aktiv"
    assert page.select_one("table.data-table") is None
    assert "Keine Konten gefunden. Ändern Sie die Suche oder zeigen Sie alle Konten." in text(page.find("main"))


def test_the_list_pages_by_fifty(app, admin):
    with app.app_context():
        for number in range(51):
            create_user(f"person{number:02d}@schule.de", f"Person {number:02d}", "admin", None)
        db.session.commit()
    first = soup_of(admin.get(USERS))
    assert text(first.select_one("table.data-table caption")) == "Konten 1 bis 50 von 52, nach Name sortiert"
    assert len(page_rows(first)) == 50
    assert [text(li) for li in first.select("nav.pagination li")] == ["Seite 1 von 2", "Nächste Seite"]
    second = soup_of(admin.get(first.select_one("nav.pagination a[rel=next]")["href"]))
    assert text(second.select_one("table.data-table caption")) == "Konten 51 bis 52 von 52, nach Name sortiert"
    assert [row[0] for row in page_rows(second)] == ["Person 49", "Person 50"]


@pytest.mark.parametrize("value", ["²", "-1", "x", "99999999"])
def test_a_page_number_that_is_no_small_ascii_number_shows_the_first_page(admin, accounts, value):
    """'²' counts as a digit for str.isdigit() but int() refuses it: it must not end in a 500."""
    page = soup_of(admin.get(f"{USERS}?seite={value}"))
    assert text(page.select_one("table.data-table caption")).startswith("Konten 1 bis ")


# --- a new account ----------------------------------------------------------------------------------


def test_a_new_account_without_mail_shows_the_invitation_link_once(app, admin):
    response = new_account(admin, email="Neu@Schule.de", display_name="Nora Neu", school="100001", is_leadership="y")
    page = soup_of(response)
    assert response.status_code == 200
    assert (response.headers["Cache-Control"], response.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    assert flashes(page) == ["Das Konto für neu@schule.de ist angelegt."]
    assert text(page.h1) == "Einladungslink für Nora Neu"
    url = link_of(page)
    assert url.startswith("http://localhost/passwort-festlegen/")
    token = url.rsplit("/", 1)[1]
    with admin.session_transaction() as session:
        assert token not in json.dumps(dict(session), default=str)
    with app.app_context():
        user = find_user("neu@schule.de")
        assert (user.display_name, user.role, user.active, user.password_hash) == ("Nora Neu", "team", True, None)
        assert [(m.school.schulnummer, m.is_leadership) for m in user.memberships] == [("100001", True)]
        link = db.session.scalars(select(PasswordLink)).one()
        assert (link.user_id, link.purpose, link.token_hash) == (user.id, "invite", hashlib.sha256(token.encode()).hexdigest())
        assert timedelta(hours=71, minutes=59) < link.expires_at - utcnow() <= timedelta(hours=72)
        assert f"gilt einmal und bis {format_datetime(link.expires_at)}" in text(
            page.find("label", attrs={"for": "password-link"})
        )
    assert events(app, "user.created", "user.invited")[1:] == [
        ("user.created", "Admin", "neu@schule.de", {
            "email": [None, "neu@schule.de"], "display_name": [None, "Nora Neu"], "role": [None, "team"],
            "school": [None, "100001 (Schulleitung)"],
        }),
        ("user.invited", "Admin", "neu@schule.de", {}),
    ]  # fmt: skip

    # The invitee sets a password through the link, logs in; the link is then used up.
    invitee = app.test_client()
    response = set_password(invitee, url)
    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden")
    assert login(invitee, "neu@schule.de", NEW_PASSWORD).headers["Location"] == "/schule"
    again = invitee.get(url)
    assert again.status_code == 404
    assert text(soup_of(again).h1) == "Dieser Link gilt nicht mehr"
    # The account page now says "aktiv".
    assert "aktiv" in facts(soup_of(admin.get(f"{USERS}/{account_id(app, 'neu@schule.de')}")))["Status"]


def facts(page) -> dict[str, str]:
    return {text(div.dt): text(div.dd) for div in page.select("dl.facts > div")}


def test_new_team_member_from_a_school_page_shows_only_what_a_team_member_needs(admin):
    """"Neues Teammitglied" (?school=…&role=team): no role to choose, no Kreise, Bezirke, Träger or Schulformen."""
    response = admin.get(NEW, query_string={"school": "100001", "role": "team"})
    page = soup_of(response)
    assert text(page.h1) == "Neues Teammitglied"
    assert page.find("input", attrs={"name": "school"})["value"] == "100001"
    assert page.find("input", attrs={"name": "role"})["value"] == "team"
    assert page.find("input", attrs={"name": "role"})["type"] == "hidden"
    assert page.select("select[name=role]") == []
    assert page.select("input[type=checkbox]") == [page.find("input", attrs={"name": "is_leadership"})]
    assert page.select("input[name=traeger]") == []
    assert page.find("form", class_="account-form")["action"] == f"{NEW}?school=100001&role=team"
    assert page.find("input", attrs={"name": "school"})["aria-describedby"] == "school-hint"


def test_the_new_account_form_offers_every_role_and_area(admin):
    page = soup_of(admin.get(NEW, query_string={"role": "supervisor"}))
    assert page.select_one("select[name=role] option[selected]")["value"] == "supervisor"
    assert [text(o) for o in page.select("select[name=role] option")] == [
        "Team Digitalisierung", "Schulaufsicht", "Medienberatung", "Schulträger", "Verwaltung",
    ]  # fmt: skip
    assert page.find("input", attrs={"name": "traeger"})["aria-describedby"] == "traeger-hint"
    kreise = page.find("fieldset", id="kreise")
    assert text(kreise.legend) == "Kreise und kreisfreie Städte"
    assert [text(fs.legend) for fs in kreise.find_all("fieldset")] == [
        "Bezirksregierung Arnsberg", "Bezirksregierung Detmold", "Bezirksregierung Düsseldorf",
        "Bezirksregierung Köln", "Bezirksregierung Münster",
    ]  # fmt: skip
    assert len(kreise.select("input[type=checkbox]")) == 53
    assert [text(label) for label in kreise.find_all("fieldset")[0].select("label")][:3] == [
        "Bochum",
        "Dortmund",
        "Ennepe-Ruhr-Kreis",
    ]
    assert text(page.find("fieldset", id="bezirke").legend) == "Bezirksregierungen"
    assert len(page.select("fieldset#schulformen input[type=checkbox]")) == 15


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"school": "999999"}, {"school": "Es gibt keine Schule mit der Schulnummer 999999."}),
        ({"school": "12ab"}, {"school": "Eine Schulnummer hat 6 Ziffern, z. B. 199001."}),
        ({"school": ""}, {"school": "Ein Teammitglied braucht eine Schule (Schulnummer)."}),
        ({"email": "admin@amt.de"}, {"email": "Es gibt schon ein Konto für admin@amt.de."}),
        ({"email": "kein-at-zeichen"}, {"email": "„kein-at-zeichen“ ist keine E-Mail-Adresse."}),
        ({"display_name": " "}, {"display_name": "Dieses Feld wird benötigt."}),
        (
            {"email": "kaputt", "display_name": "", "school": "999999"},
            {
                "email": "„kaputt“ ist keine E-Mail-Adresse.",
                "display_name": "Dieses Feld wird benötigt.",
                "school": "Es gibt keine Schule mit der Schulnummer 999999.",
            },
        ),
        (
            {"role": "supervisor", "schulformen": "20"},
            {
                "kreise": "Schulformen grenzen den Bereich einer Schulaufsicht nur ein; "
                "nennen Sie auch einen Kreis oder eine Bezirksregierung.",
            },
        ),
        ({"role": "adviser", "kreise": ["05913", "99999"]}, {"kreise": "„99999“ ist keine der angebotenen Möglichkeiten."}),
        ({"role": "chef"}, {"role": "Keine gültige Auswahl."}),
    ],
)
def test_wrong_input_is_explained_at_the_field_and_nothing_is_created(app, admin, fields, errors):
    before = events(app)
    data = {"email": "neu@schule.de", "display_name": "Nora Neu", "school": "100001", "is_leadership": "y"} | fields
    response = new_account(admin, **data)
    page = soup_of(response)
    assert response.status_code == 200
    assert field_errors(page) == errors
    assert [text(a) for a in page.select("#fehler li a")] == [
        f"{text(page.find('label', attrs={'for': name}) or page.find('fieldset', id=name).legend)}: {message}"
        for name, message in errors.items()
    ]
    # What was typed stays.
    assert page.find("input", attrs={"name": "email"})["value"] == data["email"]
    assert page.find("input", attrs={"name": "display_name"}).get("value", "") == data["display_name"]
    assert page.find("input", attrs={"name": "is_leadership"}).has_attr("checked")
    checked = [box["value"] for box in page.select("input[type=checkbox][checked]") if box["name"] != "is_leadership"]
    assert checked == [
        value
        for key in ("kreise", "schulformen")
        for value in [data.get(key, [])]
        for value in ([value] if isinstance(value, str) else value)
        if value != "99999"
    ]
    with app.app_context():
        assert db.session.scalars(select(User.email).order_by(User.email)).all() == ["admin@amt.de"]
    assert events(app) == before


def test_a_supervisor_gets_scopes_and_fields_of_other_roles_are_ignored(app, admin):
    response = new_account(
        admin, email="aufsicht@bezreg.de", display_name="Dr. Petra Schulte", role="supervisor", school="100001",
        is_leadership="y", bezirke="Arnsberg", kreise=["05913", "05911"], schulformen=["20", "15"],
    )  # fmt: skip
    assert response.status_code == 200
    with app.app_context():
        user = find_user("aufsicht@bezreg.de")
        assert sorted((s.kind, s.value) for s in user.scopes) == [
            ("bezirk", "Arnsberg"), ("kreis", "05911"), ("kreis", "05913"), ("schulform", "15"), ("schulform", "20"),
        ]  # fmt: skip
        assert user.memberships == []
    assert events(app, "user.created")[-1][3] == {
        "email": [None, "aufsicht@bezreg.de"], "display_name": [None, "Dr. Petra Schulte"], "role": [None, "supervisor"],
        "scopes": [None, "bezirk Arnsberg, kreis 05911, kreis 05913, schulform 15, schulform 20"],
    }  # fmt: skip


# --- invitations by e-mail ----------------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mail_client(app, migrated_database, tmp_path, port: int):
    """A second app on the same database, configured to send mail through 127.0.0.1:port."""
    mail_app = make_test_app(
        migrated_database, tmp_path / "mail-instance",
        SELFEVAL_SMTP_HOST="127.0.0.1", SELFEVAL_SMTP_PORT=port, SELFEVAL_SMTP_SECURITY="none",
        SELFEVAL_SMTP_USER="", SELFEVAL_SMTP_PASSWORD="", SELFEVAL_MAIL_FROM="selfeval@kreis.de",
    )  # fmt: skip
    client = mail_app.test_client()
    login(client, "admin@amt.de")
    return mail_app, client


def test_with_a_mail_server_the_invitation_is_sent_and_its_link_works(app, admin, smtp, migrated_database, tmp_path):
    controller, inbox = smtp
    mail_app, client = mail_client(app, migrated_database, tmp_path, controller.port)
    response = new_account(client, email="neu@schule.de", display_name="Nora Neu", school="100001")
    user_id = account_id(app, "neu@schule.de")
    assert (response.status_code, response.headers["Location"]) == (302, f"{USERS}/{user_id}")
    page = soup_of(client.get(response.headers["Location"]))
    assert flashes(page) == ["Das Konto für neu@schule.de ist angelegt.", "Die Einladung wurde an neu@schule.de gesendet."]
    assert page.select_one(".password-link") is None
    [message] = inbox.messages
    assert (message["To"], message["From"], message["Subject"]) == (
        "neu@schule.de",
        "selfeval@kreis.de",
        "Ihr Zugang zu selfeval",
    )
    body = message.get_content()
    url = next(line for line in body.splitlines() if "/passwort-festlegen/" in line)
    assert url.startswith("http://localhost/passwort-festlegen/")
    assert set_password(app.test_client(), url).headers["Location"] == "/anmelden"
    assert login(app.test_client(), "neu@schule.de", NEW_PASSWORD).headers["Location"] == "/schule"
    with mail_app.app_context():
        db.engine.dispose()


def test_with_a_mail_server_a_reset_link_is_sent(app, admin, teacher, smtp, migrated_database, tmp_path):
    controller, inbox = smtp
    mail_app, client = mail_client(app, migrated_database, tmp_path, controller.port)
    response = post(client, f"{USERS}/{teacher}/passwort-link")
    assert (response.status_code, response.headers["Location"]) == (302, f"{USERS}/{teacher}")
    page = soup_of(client.get(response.headers["Location"]))
    assert flashes(page) == ["Der Link zum Zurücksetzen des Passworts wurde an lehrer@schule.de gesendet."]
    [message] = inbox.messages
    assert (message["To"], message["Subject"]) == ("lehrer@schule.de", "Neues Passwort für selfeval")
    url = next(line for line in message.get_content().splitlines() if "/passwort-festlegen/" in line)
    assert set_password(app.test_client(), url).headers["Location"] == "/anmelden"
    assert events(app, "user.reset_requested") == [("user.reset_requested", "Admin", "lehrer@schule.de", {})]
    with mail_app.app_context():
        db.engine.dispose()


def test_when_mail_fails_the_error_and_the_link_are_shown(app, admin, migrated_database, tmp_path):
    port = free_port()  # nothing listens there
    mail_app, client = mail_client(app, migrated_database, tmp_path, port)
    response = new_account(client, email="neu@schule.de", display_name="Nora Neu", school="100001")
    page = soup_of(response)
    assert response.status_code == 200
    messages = flashes(page)
    assert messages[0] == "Das Konto für neu@schule.de ist angelegt."
    assert messages[1].startswith(f"Die E-Mail konnte nicht gesendet werden (127.0.0.1:{port}: ")
    assert len(messages) == 2
    assert set_password(app.test_client(), link_of(page)).headers["Location"] == "/anmelden"
    with mail_app.app_context():
        db.engine.dispose()


# --- one account --------------------------------------------------------------------------------------


@pytest.fixture
def teacher(app, admin):
    """A teacher of 100001 (Schulleitung) with every indicator rated: 24 entries by or about the account."""
    with app.app_context():
        school = find_school("100001")
        user = make_user("lehrer@schule.de", school=school, leadership=True)
        rate(school, get_round("2025-26"), user, {ind: 5 for ind in _indicator_ids()})
        return user.id


def _indicator_ids() -> list[str]:
    from selfeval.extensions import catalogs

    return [indicator.id for indicator in catalogs.active.indicators]


def test_the_account_page_shows_data_status_and_the_last_twenty_entries(app, admin, teacher):
    page = soup_of(admin.get(f"{USERS}/{teacher}"))
    with app.app_context():
        created = format_datetime(db.session.get(User, teacher).created_at)
    assert text(page.h1) == "Lehrer"
    assert facts(page) == {
        "E-Mail-Adresse": "lehrer@schule.de",
        "Rolle": "Team Digitalisierung",
        "Schule": "Adler-Gesamtschule (100001)",
        "Schulleitung": "ja",
        "Status": "aktiv",
        "Angelegt am": created,
    }
    table = page.select_one("table.audit-table")
    assert text(table.caption) == "Die letzten 20 von 24 Einträgen von oder zu diesem Konto, der neueste zuerst"
    entries = page_rows(page, "table.audit-table")
    assert len(entries) == 20
    assert entries[0][1:4] == [
        "Lehrer", "Bewertung geändert",
        "100001 Adler-Gesamtschule Runde 2025/26 Indikator 6d) Es gibt Selbstlern-Möglichkeiten (Pädagogik).",
    ]  # fmt: skip
    # The teacher's school has a draft: the admin sees that a rating changed, not its value (DATENSCHUTZ.md).
    assert entries[0][4] == "Bewertung: geändert (Wert eines Entwurfs, nur für das Team)"
    assert page.find("a", string="Alle Einträge zu diesem Konto im Protokoll")["href"] == f"/verwaltung/protokoll?konto={teacher}"
    buttons = [text(b) for b in page.select("form button")]
    assert buttons == ["Abmelden", "Link zum Zurücksetzen des Passworts", "Deaktivieren", "Auskunft herunterladen (JSON)"]
    assert page.find("a", string="Bearbeiten")["href"] == f"{USERS}/{teacher}/bearbeiten"
    assert page.find("a", string="Konto löschen …")["href"] == f"{USERS}/{teacher}/loeschen"


def test_an_unknown_account_is_not_found(admin):
    assert admin.get(f"{USERS}/999999").status_code == 404
    assert admin.post(f"{USERS}/999999/deaktivieren", data={"csrf_token": csrf(admin, USERS)}).status_code == 404


def edit(client, user_id: int, **fields):
    url = f"{USERS}/{user_id}/bearbeiten"
    page = soup_of(client.get(url))
    data = {"csrf_token": csrf(client, url)}
    for field in page.select("form.account-form input, form.account-form select"):
        name = field.get("name")
        if field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field["value"])
        elif name != "csrf_token":
            data[name] = field.get("value", "")
    data.update(fields)
    return client.post(url, data={key: value for key, value in data.items() if value is not None})


def test_the_edit_form_shows_the_current_values_and_saves_changes(app, admin, teacher):
    page = soup_of(admin.get(f"{USERS}/{teacher}/bearbeiten"))
    assert page.find("input", attrs={"name": "email"})["value"] == "lehrer@schule.de"
    assert page.find("input", attrs={"name": "school"})["value"] == "100001"
    assert page.find("input", attrs={"name": "is_leadership"}).has_attr("checked")
    assert page.select_one("select[name=role] option[selected]")["value"] == "team"

    response = edit(admin, teacher, role="supervisor", display_name="Lena Lehrer", kreise=["05913"], is_leadership=None)
    assert (response.status_code, response.headers["Location"]) == (302, f"{USERS}/{teacher}")
    assert flashes(soup_of(admin.get(f"{USERS}/{teacher}"))) == ["Die Änderungen sind gespeichert."]
    with app.app_context():
        user = db.session.get(User, teacher)
        assert (user.role, user.display_name, [(s.kind, s.value) for s in user.scopes], user.memberships) == (
            "supervisor",
            "Lena Lehrer",
            [("kreis", "05913")],
            [],
        )
    assert events(app, "user.updated") == [
        ("user.updated", "Admin", "lehrer@schule.de", {
            "display_name": ["Lehrer", "Lena Lehrer"], "role": ["team", "supervisor"],
            "school": ["100001 (Schulleitung)", ""], "scopes": ["", "kreis 05913"],
        }),
    ]  # fmt: skip


def test_saving_without_changes_records_nothing(app, admin, teacher):
    response = edit(admin, teacher)
    assert response.status_code == 302
    assert flashes(soup_of(admin.get(response.headers["Location"]))) == ["Es gab nichts zu ändern."]
    assert events(app, "user.updated") == []


def test_an_admin_cannot_change_their_own_role(app, admin):
    own = account_id(app, "admin@amt.de")
    response = edit(admin, own, role="adviser", kreise=["05913"])
    page = soup_of(response)
    assert response.status_code == 200
    assert field_errors(page) == {"role": "Sie können Ihre eigene Rolle nicht ändern."}
    assert page.select_one("select[name=role] option[selected]")["value"] == "adviser"
    with app.app_context():
        assert find_user("admin@amt.de").role == "admin"
    assert events(app, "user.updated") == []


# --- links, deactivation -------------------------------------------------------------------------------


def post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf(client, USERS), **data})


def test_a_reset_link_works_once(app, admin, teacher):
    response = post(admin, f"{USERS}/{teacher}/passwort-link")
    page = soup_of(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert text(page.h1) == "Link zum Zurücksetzen des Passworts für Lehrer"
    url = link_of(page)
    assert events(app, "user.reset_requested") == [("user.reset_requested", "Admin", "lehrer@schule.de", {})]
    # Until it is used, the old password still works.
    assert login(app.test_client(), "lehrer@schule.de").headers["Location"] == "/schule"
    user = app.test_client()
    assert set_password(user, url).headers["Location"] == "/anmelden"
    second = user.get(url)
    assert (second.status_code, text(soup_of(second).h1)) == (404, "Dieser Link gilt nicht mehr")
    assert login(app.test_client(), "lehrer@schule.de").status_code == 200  # old password: refused
    assert login(app.test_client(), "lehrer@schule.de", NEW_PASSWORD).headers["Location"] == "/schule"


def test_an_invitation_expires_after_72_hours_and_can_be_renewed(app, admin):
    url = link_of(soup_of(new_account(admin, email="neu@schule.de", display_name="Nora Neu", school="100001")))
    user_id = account_id(app, "neu@schule.de")
    with app.app_context():
        link = db.session.scalars(select(PasswordLink)).one()
        link.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert app.test_client().get(url).status_code == 404
    page = soup_of(admin.get(f"{USERS}/{user_id}"))
    assert facts(page)["Status"] == "eingeladen, Einladung abgelaufen"
    assert [text(b) for b in page.select("form button")][1] == "Link erneut erzeugen"  # no mail configured here (issue 19)

    renewed = link_of(soup_of(post(admin, f"{USERS}/{user_id}/passwort-link")))
    assert renewed != url
    assert events(app, "user.invited")[-1] == ("user.invited", "Admin", "neu@schule.de", {})
    assert set_password(app.test_client(), renewed).headers["Location"] == "/anmelden"


def test_deactivation_ends_sessions_and_api_tokens_at_once(app, admin, teacher):
    with app.app_context():
        token = make_token(db.session.get(User, teacher))
    session = app.test_client()
    login(session, "lehrer@schule.de")
    assert session.get("/schulen/100001/2025-26/").status_code == 200
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/schools/100001/assessments/2025-26", headers=bearer).status_code == 200

    response = post(admin, f"{USERS}/{teacher}/deaktivieren")
    assert (response.status_code, response.headers["Location"]) == (302, f"{USERS}/{teacher}")
    page = soup_of(admin.get(f"{USERS}/{teacher}"))
    assert flashes(page) == ["Das Konto von Lehrer ist deaktiviert; alle Sitzungen und API-Tokens sind beendet."]
    assert facts(page)["Status"] == "deaktiviert"
    assert [text(b) for b in page.select("form button")][1:] == ["Wieder aktivieren", "Auskunft herunterladen (JSON)"]

    after = session.get("/schulen/100001/2025-26/")
    assert (after.status_code, after.headers["Location"]) == (302, "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2F")
    assert app.test_client().get("/api/v1/schools/100001/assessments/2025-26", headers=bearer).status_code == 401
    with app.app_context():
        assert db.session.get(User, teacher).active is False
        assert db.session.scalars(select(ApiToken)).all() == []
        # The data stay.
        assert len(db.session.scalars(select(Rating)).all()) == 23
    assert events(app, "user.deactivated") == [("user.deactivated", "Admin", "lehrer@schule.de", {"active": [True, False]})]

    response = post(admin, f"{USERS}/{teacher}/aktivieren")
    assert flashes(soup_of(admin.get(response.headers["Location"]))) == ["Das Konto von Lehrer ist wieder aktiv."]
    assert events(app, "user.reactivated") == [("user.reactivated", "Admin", "lehrer@schule.de", {"active": [False, True]})]
    assert login(app.test_client(), "lehrer@schule.de").headers["Location"] == "/schule"
    assert app.test_client().get("/api/v1/schools/100001/assessments/2025-26", headers=bearer).status_code == 401


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("deaktivieren", "Sie können Ihr eigenes Konto nicht deaktivieren."),
        ("loeschen", "Sie können Ihr eigenes Konto nicht löschen."),
    ],
)
def test_an_admin_cannot_deactivate_or_erase_their_own_account(app, admin, path, message):
    own = account_id(app, "admin@amt.de")
    before = events(app)
    response = post(admin, f"{USERS}/{own}/{path}", confirm="y")
    assert (response.status_code, response.headers["Location"]) == (302, f"{USERS}/{own}")
    assert flashes(soup_of(admin.get(f"{USERS}/{own}"))) == [message]
    with app.app_context():
        assert find_user("admin@amt.de").active
    assert events(app) == before


# --- data protection --------------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_account(app, admin):
    with app.app_context():
        school = find_school("100001")
        user = make_user("lehrer@schule.de", school=school)
        rate(school, get_round("2025-26"), user, {"k1a": 7}, {"k1a": "Medienkonzept"})
        user_id, created = user.id, user.created_at.isoformat()
        rating = db.session.scalars(select(Rating)).one()
        rated_at = rating.updated_at.isoformat()
        mine = select(AuditEvent).where((AuditEvent.actor_id == user.id) | (AuditEvent.subject_user_id == user.id))
        created_event, rating_event = (e.at.isoformat() for e in db.session.scalars(mine.order_by(AuditEvent.id)))
    before = utcnow()
    response = post(admin, f"{USERS}/{user_id}/auskunft")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="selfeval-auskunft-{user_id}.json"'
    assert (response.mimetype, response.headers["Cache-Control"]) == ("application/json", "no-store")
    document = json.loads(response.get_data(as_text=True))
    assert before <= datetime.fromisoformat(document.pop("created_at")) <= utcnow()
    assert document == {
        "format": "selfeval-personal-data",
        "account": {
            "email": "lehrer@schule.de", "display_name": "Lehrer", "role": "team", "role_label": "Team Digitalisierung",
            "active": True, "password_set": True, "created_at": created,
        },
        "team_memberships": [{"schulnummer": "100001", "school": "Adler-Gesamtschule", "schulleitung": False}],
        "scopes": [],
        "api_tokens": [],
        "password_links": [],
        "ratings_last_changed": [
            {"schulnummer": "100001", "round": "2025/26", "indicator": "k1a", "score": 7, "comment": "Medienkonzept",
             "updated_at": rated_at},
        ],
        "submitted_assessments": [],
        "audit_trail": [
            {
                "at": created_event, "actor": "Kommandozeile", "action": "user.created", "action_label": "Konto angelegt",
                "subject": "lehrer@schule.de", "schulnummer": None, "round": None,
                "changes": {
                    "email": [None, "lehrer@schule.de"], "display_name": [None, "Lehrer"], "role": [None, "team"],
                    "school": [None, "100001"],
                },
            },
            {
                "at": rating_event, "actor": "Lehrer", "action": "rating.changed", "action_label": "Bewertung geändert",
                "subject": "k1a", "schulnummer": "100001", "round": "2025/26",
                "changes": {"score": [None, 7], "comment": ["", "Medienkonzept"]},
            },
        ],
    }  # fmt: skip
    assert events(app, "user.exported") == [("user.exported", "Admin", "lehrer@schule.de", {})]


def test_erasure_needs_the_confirmation(app, admin, teacher):
    page = soup_of(admin.get(f"{USERS}/{teacher}/loeschen"))
    assert text(page.h1) == "Konto von Lehrer löschen"
    assert text(page.find("label", attrs={"for": "confirm"})) == "Ja, das Konto soll endgültig gelöscht werden."
    response = post(admin, f"{USERS}/{teacher}/loeschen")
    assert response.status_code == 200
    assert field_errors(soup_of(response)) == {"confirm": "Bitte bestätigen Sie das Löschen mit dem Häkchen."}
    with app.app_context():
        assert db.session.get(User, teacher) is not None
    assert events(app, "user.erased") == []


def test_erasure_keeps_the_ratings_under_the_neutral_marker(app, admin, teacher):
    with app.app_context():
        make_user("kollegin@schule.de", school=find_school("100001"))
    response = post(admin, f"{USERS}/{teacher}/loeschen", confirm="y")
    assert (response.status_code, response.headers["Location"]) == (302, USERS)
    page = soup_of(admin.get(USERS))
    assert flashes(page) == [
        "Das Konto von Lehrer ist gelöscht. 23 Bewertungen, 0 Abgaben und 24 Protokolleinträge "
        "tragen jetzt den Vermerk „Gelöschtes Konto“."
    ]
    assert "lehrer@schule.de" not in page.get_text()
    with app.app_context():
        assert db.session.get(User, teacher) is None
        assert db.session.scalars(select(Membership)).all() != []  # the colleague's membership stays
        state = assessments.load_state(find_school("100001"), get_round("2025-26"))
        assert {state.rating(i).updated_by for i in _indicator_ids()} == {"Gelöschtes Konto"}
        assert {state.rating(i).score for i in _indicator_ids()} == {5}
    assert events(app, "user.erased") == [("user.erased", "Admin", "Gelöschtes Konto", {"role": ["team", None]})]
    assert events(app, "user.created")[-2] == (
        "user.created", "Kommandozeile", "Gelöschtes Konto", {
            "email": [None, "Gelöschtes Konto"], "display_name": [None, "Gelöschtes Konto"],
            "role": [None, "team"], "school": [None, "100001 (Schulleitung)"],
        },
    )  # fmt: skip
    # The audit trail shows the marker as the author of the ratings and as the erased account.
    trail = page_rows(soup_of(admin.get("/verwaltung/protokoll", query_string={"art": "user.erased"})))
    assert [row[1:] for row in trail] == [
        ["Admin", "Konto gelöscht", "100001 Adler-Gesamtschule Gelöschtes Konto", "Rolle: Team Digitalisierung → –"]
    ]
    authors = {row[1] for row in page_rows(soup_of(admin.get("/verwaltung/protokoll", query_string={"art": "rating.changed"})))}
    assert authors == {"Gelöschtes Konto"}
    # The team page of the colleague still shows all ratings.
    colleague = app.test_client()
    login(colleague, "kollegin@schule.de")
    overview = soup_of(colleague.get("/schulen/100001/2025-26/"))
    assert text(overview.find("p", id="progress-label")) == "23 von 23 Indikatoren bewertet"


def test_the_set_password_page_explains_every_problem_in_plain_german_at_once(app, admin, teacher):
    url = link_of(soup_of(post(admin, f"{USERS}/{teacher}/passwort-link")))
    user = app.test_client()
    token = soup_of(user.get(url)).find("input", attrs={"name": "csrf_token"})["value"]

    def errors(password: str, confirm: str) -> dict[str, list[str]]:
        page = soup_of(user.post(url, data={"csrf_token": token, "password": password, "confirm": confirm}))
        return {
            field: [text(p) for p in page.select(f"p.field-error#{field}-error")]
            for field in ("password", "confirm")
        }

    assert errors("zu kurz", "anders") == {
        "password": ["Das Passwort muss mindestens 12 Zeichen lang sein."],
        "confirm": ["Die beiden Passwörter sind nicht gleich."],
    }
    assert errors("Lehrer@Schule.de", "Lehrer@Schule.de") == {
        "password": ["Das Passwort darf nicht Ihre E-Mail-Adresse oder Ihr Name sein, auch nicht mit Zahlen dahinter."],
        "confirm": [],
    }
    assert errors("", "") == {
        "password": ["Bitte geben Sie ein neues Passwort ein."],
        "confirm": ["Bitte geben Sie das neue Passwort ein zweites Mal ein."],
    }
    assert login(app.test_client(), "lehrer@schule.de").headers["Location"] == "/schule"  # nothing changed


# --- password links need SELFEVAL_BASE_URL in production (issue 15, item 13) ---------------------------------

NO_BASE_URL = (
    "Links zum Festlegen eines Passworts können noch nicht erstellt werden, weil die Adresse von selfeval "
    "nicht eingestellt ist (SELFEVAL_BASE_URL). Bitte bitten Sie den technischen Betrieb, sie einzustellen."
)


def production_admin(app, migrated_database, tmp_path, **config):
    """A client of a production app (neither TESTING nor DEBUG), logged in as an administrator."""
    production = make_test_app(migrated_database, tmp_path / "production", TESTING=False, **config)
    with app.app_context():
        make_school("100001", name="Adler-Gesamtschule")
        make_user("admin@amt.de", "admin")
        teacher_id = make_user("lehrer@schule.de", school=find_school("100001")).id
    client = production.test_client()
    assert login(client, "admin@amt.de").status_code == 302
    return client, teacher_id


def post_with_forged_host(client, path: str):
    """POST as the logged-in admin, but with the Host header an attacker would send (the cookie sent by hand)."""
    token = csrf(client, USERS)
    cookie = f"session={client.get_cookie('session').value}"
    forged = client.application.test_client(use_cookies=False)  # a cookie jar would drop it for another host
    return forged.post(path, data={"csrf_token": token}, headers={"Host": "evil.example", "Cookie": cookie})


def test_in_production_without_a_base_url_no_reset_link_is_made_and_the_admin_is_told_why(app, migrated_database, tmp_path):
    client, teacher_id = production_admin(app, migrated_database, tmp_path)

    response = post(client, f"{USERS}/{teacher_id}/passwort-link")

    assert (response.status_code, response.headers["Location"]) == (302, f"{USERS}/{teacher_id}")
    assert flashes(soup_of(client.get(response.headers["Location"]))) == [NO_BASE_URL]
    assert events(app, "user.reset_requested", "user.invited") == []
    with app.app_context():
        assert db.session.scalars(select(PasswordLink)).all() == []


def test_in_production_without_a_base_url_a_new_account_is_kept_without_an_invitation(app, migrated_database, tmp_path):
    client, _ = production_admin(app, migrated_database, tmp_path)

    response = new_account(client, email="neu@schule.de", display_name="Nora Neu", school="100001")

    assert (response.status_code, response.headers["Location"]) == (302, f"{USERS}/{account_id(app, 'neu@schule.de')}")
    created = "Das Konto für neu@schule.de ist angelegt."
    assert flashes(soup_of(client.get(response.headers["Location"]))) == [created, NO_BASE_URL]
    assert [action for action, *_ in events(app, "user.created", "user.invited")] == ["user.created"] * 3
    with app.app_context():
        assert db.session.scalars(select(PasswordLink)).all() == []


def test_in_production_the_link_uses_the_base_url_whatever_the_host_header_says(app, migrated_database, tmp_path):
    client, teacher_id = production_admin(app, migrated_database, tmp_path, SELFEVAL_BASE_URL="https://selfeval.kreis.de")

    response = post_with_forged_host(client, f"{USERS}/{teacher_id}/passwort-link")

    assert link_of(soup_of(response)).startswith("https://selfeval.kreis.de/passwort-festlegen/")
