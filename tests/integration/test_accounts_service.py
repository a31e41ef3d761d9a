"""Account administration on the real database: change, invite, set a password by link, deactivate, find.

The last part goes through the web client: a deactivated account loses its session at once, and the
page that an invitation or reset link opens.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from selfeval.extensions import db
from selfeval.models import ApiToken, AuditEvent, Membership, PasswordLink, User, UserScope
from selfeval.models.types import utcnow
from selfeval.services import accounts
from selfeval.services.accounts import (
    PASSWORD_LINK_LIFETIME,
    LinkInvalid,
    authenticate,
    create_user,
    find_user,
    issue_token,
    load_by_login_id,
    user_for_token,
)
from selfeval.services.errors import InvalidInput
from tests.support.factories import PASSWORD, login, make_round, make_school, make_user
from tests.support.html import soup_of, text

NEW_PASSWORD = "ein neues langes Passwort"
LAST_ADMIN = "Das ist das einzige aktive Verwaltungskonto; es muss eines bleiben."


@pytest.fixture
def people(app_context):
    """An administrator (Admin), School 100001 with Anna (Schulleitung) and Bert, school 100002."""
    school = make_school("100001")
    other = make_school("100002")
    admin = make_user("admin@land.de", "admin")
    anna = make_user("anna@schule.de", school=school, leadership=True)
    bert = make_user("bert@schule.de", school=school)
    return admin, anna, bert, school, other


def entries(action: str) -> list[tuple]:
    """Every entry of this action as stored: (actor name, actor id, subject, subject user id, changes)."""
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return [(e.actor_name, e.actor_id, e.subject, e.subject_user_id, e.changes) for e in db.session.scalars(query)]


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def memberships(user: User) -> list[tuple[str, bool]]:
    db.session.expire_all()
    query = select(Membership).where(Membership.user_id == user.id)
    return sorted((m.school.schulnummer, m.is_leadership) for m in db.session.scalars(query))


def scopes(user: User) -> list[tuple[str, str]]:
    query = select(UserScope.kind, UserScope.value).where(UserScope.user_id == user.id).order_by(UserScope.kind, UserScope.value)
    return [tuple(row) for row in db.session.execute(query)]


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- update_user -----------------------------------------------------------------------------------


def test_update_user_changes_identity_and_team_and_records_exactly_what_changed(people):
    admin, _, bert, _, other = people

    accounts.update_user(
        bert, actor=admin, email="  Bert.Neu@Schule.DE ", display_name=" Bert   Neumann ", role="team",
        school=other, is_leadership=True,
    )  # fmt: skip
    db.session.commit()

    db.session.expire_all()
    stored = db.session.get(User, bert.id)
    assert (stored.email, stored.display_name, stored.role) == ("bert.neu@schule.de", "Bert Neumann", "team")
    assert memberships(stored) == [("100002", True)]
    assert entries("user.updated") == [
        (
            "Admin", admin.id, "bert.neu@schule.de", bert.id,
            {
                "email": ["bert@schule.de", "bert.neu@schule.de"],
                "display_name": ["Bert", "Bert Neumann"],
                "school": ["100001", "100002 (Schulleitung)"],
            },
        )
    ]  # fmt: skip


def test_update_user_toggles_leadership_in_the_same_school(people):
    admin, anna, _, school, _ = people

    accounts.update_user(anna, actor=admin, email="anna@schule.de", display_name="Anna", role="team", school=school)
    db.session.commit()

    assert memberships(anna) == [("100001", False)]
    assert entries("user.updated") == [
        ("Admin", admin.id, "anna@schule.de", anna.id, {"school": ["100001 (Schulleitung)", "100001"]})
    ]


def test_update_user_replaces_scopes_and_drops_the_membership_of_a_former_team_member(people):
    admin, _, bert, _, _ = people

    accounts.update_user(
        bert, actor=admin, email="bert@schule.de", display_name="Bert", role="supervisor", bezirke=["Arnsberg"],
        kreise=["05913"],
    )  # fmt: skip
    db.session.commit()
    accounts.update_user(
        bert, actor=None, email="bert@schule.de", display_name="Bert", role="supervisor", kreise=["05911", "05913", "05911"],
        schulformen=["20"],
    )  # fmt: skip
    db.session.commit()

    assert memberships(bert) == []
    assert scopes(bert) == [("kreis", "05911"), ("kreis", "05913"), ("schulform", "20")]
    assert entries("user.updated") == [
        (
            "Admin", admin.id, "bert@schule.de", bert.id,
            {"role": ["team", "supervisor"], "school": ["100001", ""], "scopes": ["", "bezirk Arnsberg, kreis 05913"]},
        ),
        (
            "Kommandozeile", None, "bert@schule.de", bert.id,
            {"scopes": ["bezirk Arnsberg, kreis 05913", "kreis 05911, kreis 05913, schulform 20"]},
        ),
    ]  # fmt: skip


def test_update_user_without_any_change_records_nothing(people):
    admin, anna, _, school, _ = people

    accounts.update_user(
        anna, actor=admin, email="ANNA@schule.de", display_name="Anna", role="team", school=school, is_leadership=True
    )
    db.session.commit()

    assert entries("user.updated") == []


def test_update_user_refuses_to_change_ones_own_role(people):
    admin, *_ = people

    with pytest.raises(InvalidInput) as raised:
        accounts.update_user(admin, actor=admin, email="admin@land.de", display_name="Admin", role="supervisor", kreise=["05913"])
    db.session.rollback()

    assert raised.value.problems == {"role": "Sie können Ihre eigene Rolle nicht ändern."}
    db.session.expire_all()
    assert (admin.role, scopes(admin), entries("user.updated")) == ("admin", [], [])


def test_update_user_may_change_ones_own_name(people):
    admin, *_ = people

    accounts.update_user(admin, actor=admin, email="admin@land.de", display_name="Verena Admin", role="admin")
    db.session.commit()

    assert entries("user.updated") == [
        ("Verena Admin", admin.id, "admin@land.de", admin.id, {"display_name": ["Admin", "Verena Admin"]})
    ]


def test_update_user_refuses_to_demote_the_last_active_admin(people):
    admin, *_ = people
    second = make_user("zweite@land.de", "admin")
    accounts.deactivate_user(second, actor=admin)
    db.session.commit()

    with pytest.raises(InvalidInput) as raised:
        accounts.update_user(admin, actor=None, email="admin@land.de", display_name="Admin", role="adviser", kreise=["05913"])
    db.session.rollback()

    assert raised.value.problems == {"role": LAST_ADMIN}
    db.session.expire_all()
    assert (admin.role, scopes(admin), entries("user.updated")) == ("admin", [], [])


def test_update_user_demotes_an_admin_while_another_one_is_active(people):
    admin, *_ = people
    second = make_user("zweite@land.de", "admin")

    accounts.update_user(second, actor=admin, email="zweite@land.de", display_name="Zweite", role="adviser", kreise=["05913"])
    db.session.commit()

    assert (second.role, scopes(second)) == ("adviser", [("kreis", "05913")])


def test_update_user_names_every_wrong_value(people):
    admin, anna, bert, _, _ = people

    with pytest.raises(InvalidInput) as raised:
        accounts.update_user(bert, actor=admin, email="ANNA@schule.de", display_name="  ", role="team")
    db.session.rollback()

    assert raised.value.problems == {
        "email": "Es gibt schon ein Konto für anna@schule.de.",
        "name": "Bitte geben Sie einen Namen mit 1 bis 120 Zeichen an.",
        "school": "Ein Teammitglied braucht eine Schule (Schulnummer).",
    }
    db.session.expire_all()
    assert (bert.email, bert.display_name, memberships(bert)) == ("bert@schule.de", "Bert", [("100001", False)])


# --- invitations and password links ----------------------------------------------------------------


@pytest.fixture
def invited(people):
    """Carla, invited (no password) by the admin; returns (carla, token)."""
    admin, _, _, school, _ = people
    carla = create_user("carla@schule.de", "Carla Cramer", "team", None, actor=admin, school=school)
    link = accounts.issue_password_link(carla, "invite", actor=admin)
    db.session.commit()
    return carla, link.token


def test_an_invited_account_has_no_password_and_cannot_log_in(people, invited):
    carla, _ = invited

    assert carla.password_hash is None
    assert authenticate("carla@schule.de", "") is None
    assert authenticate("carla@schule.de", NEW_PASSWORD) is None
    assert entries("user.created")[-1] == (
        "Admin", people[0].id, "carla@schule.de", carla.id,
        {
            "email": [None, "carla@schule.de"],
            "display_name": [None, "Carla Cramer"],
            "role": [None, "team"],
            "school": [None, "100001"],
        },
    )  # fmt: skip


def test_issue_password_link_stores_only_the_hash_for_72_hours_and_records_it(people):
    admin, anna, *_ = people

    issued = accounts.issue_password_link(anna, "reset", actor=admin)
    db.session.commit()

    db.session.expire_all()
    links = db.session.scalars(select(PasswordLink)).all()
    assert [(link.user_id, link.token_hash, link.purpose, link.expires_at) for link in links] == [
        (anna.id, sha256(issued.token), "reset", issued.expires_at)
    ]
    assert timedelta(0) <= links[0].created_at + PASSWORD_LINK_LIFETIME - issued.expires_at < timedelta(seconds=5)
    assert timedelta(hours=72) == PASSWORD_LINK_LIFETIME
    assert accounts.pending_link(anna) == links[0]
    assert entries("user.reset_requested") == [("Admin", admin.id, "anna@schule.de", anna.id, {})]


def test_issue_password_link_refuses_a_deactivated_account_and_an_unknown_purpose(people):
    admin, anna, bert, *_ = people
    accounts.deactivate_user(bert, actor=admin)
    db.session.commit()

    with pytest.raises(InvalidInput) as raised:
        accounts.issue_password_link(bert, "invite", actor=admin)
    with pytest.raises(ValueError) as unknown:
        accounts.issue_password_link(anna, "welcome", actor=admin)
    db.session.rollback()

    assert raised.value.problems == {"active": "Das Konto ist deaktiviert; aktivieren Sie es zuerst wieder."}
    assert str(unknown.value) == "unknown purpose 'welcome'"
    assert (count(PasswordLink), entries("user.invited")) == (0, [])


def test_set_password_by_link_sets_the_hash_ends_sessions_and_voids_the_link(people, invited):
    carla, token = invited
    old_login_id = carla.login_id
    assert accounts.find_password_link(token).user == carla

    user = accounts.set_password_by_link(token, NEW_PASSWORD)
    db.session.commit()

    db.session.expire_all()
    assert user.id == carla.id
    assert check_password_hash(carla.password_hash, NEW_PASSWORD)
    assert carla.login_id != old_login_id
    assert load_by_login_id(old_login_id) is None
    assert load_by_login_id(carla.login_id) == carla
    assert count(PasswordLink) == 0
    assert accounts.pending_link(carla) is None
    assert authenticate("carla@schule.de", NEW_PASSWORD) == carla
    assert entries("user.password_set") == [("Carla Cramer", carla.id, "carla@schule.de", carla.id, {})]


def test_a_link_works_only_once(people, invited):
    carla, token = invited
    accounts.set_password_by_link(token, NEW_PASSWORD)
    db.session.commit()
    hash_after_first_use = carla.password_hash

    assert accounts.find_password_link(token) is None
    with pytest.raises(LinkInvalid) as raised:
        accounts.set_password_by_link(token, "noch ein anderes Passwort")
    db.session.rollback()

    assert str(raised.value) == "Dieser Link ist abgelaufen oder wurde schon benutzt."
    assert carla.password_hash == hash_after_first_use
    assert len(entries("user.password_set")) == 1


def test_a_new_link_voids_the_older_one(people, invited):
    admin = people[0]
    carla, first = invited

    second = accounts.issue_password_link(carla, "invite", actor=admin).token
    db.session.commit()

    assert accounts.find_password_link(first) is None
    with pytest.raises(LinkInvalid):
        accounts.set_password_by_link(first, NEW_PASSWORD)
    db.session.rollback()
    assert [link.token_hash for link in db.session.scalars(select(PasswordLink))] == [sha256(second)]
    accounts.set_password_by_link(second, NEW_PASSWORD)
    db.session.commit()
    assert authenticate("carla@schule.de", NEW_PASSWORD) == carla


def test_an_expired_link_is_not_found(people, invited):
    carla, token = invited
    link = db.session.scalars(select(PasswordLink)).one()
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert accounts.find_password_link(token) is None
    assert accounts.pending_link(carla) is None
    with pytest.raises(LinkInvalid):
        accounts.set_password_by_link(token, NEW_PASSWORD)
    db.session.rollback()
    assert carla.password_hash is None


def test_the_link_of_a_deactivated_account_is_not_found(people, invited):
    carla, token = invited
    carla.active = False  # deactivated behind the service's back: the link row is still there
    db.session.commit()

    assert count(PasswordLink) == 1
    assert accounts.find_password_link(token) is None
    with pytest.raises(LinkInvalid):
        accounts.set_password_by_link(token, NEW_PASSWORD)


@pytest.mark.parametrize("token", ["", "x", "a" * 101])
def test_find_password_link_with_a_made_up_token_finds_nothing(people, invited, token):
    assert accounts.find_password_link(token) is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("elf Zeichen", "Das Passwort muss mindestens 12 Zeichen lang sein."),
        ("x" * 1025, "Das Passwort darf höchstens 1024 Zeichen lang sein."),
    ],
    ids=["too-short", "too-long"],
)
def test_a_wrong_password_changes_nothing(people, invited, password, message):
    carla, token = invited
    login_id = carla.login_id

    with pytest.raises(InvalidInput) as raised:
        accounts.set_password_by_link(token, password)
    db.session.rollback()

    assert raised.value.problems == {"password": message}
    db.session.expire_all()
    assert (carla.password_hash, carla.login_id, count(PasswordLink)) == (None, login_id, 1)
    assert entries("user.password_set") == []
    assert accounts.find_password_link(token).user == carla


def test_a_password_of_exactly_12_characters_is_accepted(people, invited):
    carla, token = invited

    accounts.set_password_by_link(token, "zwölfZeichen")
    db.session.commit()

    assert authenticate("carla@schule.de", "zwölfZeichen") == carla


# --- deactivate and reactivate ---------------------------------------------------------------------


def test_deactivate_ends_log_in_sessions_tokens_and_links_but_keeps_the_data(people):
    admin, anna, bert, _, _ = people
    token = issue_token(bert)
    accounts.issue_password_link(bert, "reset", actor=admin)
    db.session.commit()
    old_login_id = bert.login_id
    assert user_for_token(token) == bert

    accounts.deactivate_user(bert, actor=admin)
    db.session.commit()

    db.session.expire_all()
    assert bert.active is False
    assert bert.login_id != old_login_id
    assert load_by_login_id(old_login_id) is None
    assert load_by_login_id(bert.login_id) is None
    assert user_for_token(token) is None
    assert (count(ApiToken, ApiToken.user_id == bert.id), count(PasswordLink, PasswordLink.user_id == bert.id)) == (0, 0)
    assert authenticate("bert@schule.de", PASSWORD) is None
    assert memberships(bert) == [("100001", False)]
    assert entries("user.deactivated") == [("Admin", admin.id, "bert@schule.de", bert.id, {"active": [True, False]})]
    assert load_by_login_id(anna.login_id) == anna


def test_deactivating_an_inactive_account_again_records_nothing(people):
    admin, _, bert, _, _ = people
    accounts.deactivate_user(bert, actor=admin)
    db.session.commit()
    login_id = bert.login_id

    accounts.deactivate_user(bert, actor=None)
    db.session.commit()

    assert (bert.active, bert.login_id, len(entries("user.deactivated"))) == (False, login_id, 1)


def test_deactivating_oneself_is_refused(people):
    admin, *_ = people
    make_user("zweite@land.de", "admin")

    with pytest.raises(InvalidInput) as raised:
        accounts.deactivate_user(admin, actor=admin)
    db.session.rollback()

    assert raised.value.problems == {"active": "Sie können Ihr eigenes Konto nicht deaktivieren."}
    assert (admin.active, entries("user.deactivated")) == (True, [])


def test_deactivating_the_last_active_admin_is_refused(people):
    admin, *_ = people
    second = make_user("zweite@land.de", "admin")
    accounts.deactivate_user(second, actor=admin)
    db.session.commit()

    with pytest.raises(InvalidInput) as raised:
        accounts.deactivate_user(admin, actor=None)
    db.session.rollback()

    assert raised.value.problems == {"active": LAST_ADMIN}
    assert (admin.active, len(entries("user.deactivated"))) == (True, 1)
    assert accounts.is_last_active_admin(admin) is True
    assert accounts.is_last_active_admin(second) is False  # deactivated: taking its role away leaves admin
    db.session.rollback()  # the check locks the admin rows until the transaction ends


def test_reactivate_allows_the_old_password_but_not_the_old_tokens(people):
    admin, _, bert, _, _ = people
    token = issue_token(bert)
    accounts.deactivate_user(bert, actor=admin)
    db.session.commit()

    accounts.reactivate_user(bert, actor=admin)
    db.session.commit()
    accounts.reactivate_user(bert, actor=admin)  # active already: nothing happens
    db.session.commit()

    assert bert.active is True
    assert authenticate("bert@schule.de", PASSWORD) == bert
    assert load_by_login_id(bert.login_id) == bert
    assert user_for_token(token) is None
    assert entries("user.reactivated") == [("Admin", admin.id, "bert@schule.de", bert.id, {"active": [False, True]})]


# --- search_users ----------------------------------------------------------------------------------


@pytest.fixture
def directory(app_context):
    school = make_school("100001")
    create_user("verwaltung@land.de", "Verena Admin", "admin", PASSWORD)
    create_user("anna@schule.de", "Anna Albers", "team", PASSWORD, school=school)
    bert = create_user("bert@schule.de", "Bert Brandt", "team", PASSWORD, school=school)
    create_user("carla@schule.de", "Carla Cramer", "team", None, school=school)
    create_user("dora@bezreg.de", "Dora Dahl", "supervisor", None, bezirke=["Arnsberg"])
    create_user("emil@medien.de", "Emil 100% Ernst", "adviser", PASSWORD, kreise=["05913"])
    db.session.commit()
    accounts.deactivate_user(bert, actor=None)
    db.session.commit()


def found(page) -> list[str]:
    return [user.display_name for user in page.items]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["Anna Albers", "Bert Brandt", "Carla Cramer", "Dora Dahl", "Emil 100% Ernst", "Verena Admin"]),
        ({"text": "  SCHULE.de "}, ["Anna Albers", "Bert Brandt", "Carla Cramer"]),
        ({"text": "br"}, ["Bert Brandt"]),
        ({"text": "ALBERS"}, ["Anna Albers"]),
        ({"text": "100%"}, ["Emil 100% Ernst"]),
        ({"text": "0%"}, ["Emil 100% Ernst"]),
        ({"text": "_"}, []),
        ({"text": "niemand"}, []),
        ({"role": "team"}, ["Anna Albers", "Bert Brandt", "Carla Cramer"]),
        ({"role": "supervisor"}, ["Dora Dahl"]),
        ({"status": "aktiv"}, ["Anna Albers", "Emil 100% Ernst", "Verena Admin"]),
        ({"status": "deaktiviert"}, ["Bert Brandt"]),
        ({"status": "eingeladen"}, ["Carla Cramer", "Dora Dahl"]),
        ({"status": "eingeladen", "role": "team"}, ["Carla Cramer"]),
        ({"text": "a", "role": "team", "status": "aktiv"}, ["Anna Albers"]),
        ({"status": "unbekannt"}, ["Anna Albers", "Bert Brandt", "Carla Cramer", "Dora Dahl", "Emil 100% Ernst", "Verena Admin"]),
    ],
)
def test_search_users(directory, kwargs, expected):
    page = accounts.search_users(**kwargs)

    assert found(page) == expected
    assert (page.page, page.pages, page.total) == (1, 1, len(expected))


@pytest.mark.parametrize(
    ("page", "expected_page", "expected"),
    [
        (1, 1, ["Anna Albers", "Bert Brandt", "Carla Cramer", "Dora Dahl"]),
        (2, 2, ["Emil 100% Ernst", "Verena Admin"]),
        (3, 2, ["Emil 100% Ernst", "Verena Admin"]),
        (0, 1, ["Anna Albers", "Bert Brandt", "Carla Cramer", "Dora Dahl"]),
    ],
)
def test_search_users_pages(directory, page, expected_page, expected):
    result = accounts.search_users(page=page, per_page=4)

    assert (found(result), result.page, result.pages, result.total) == (expected, expected_page, 2, 6)


def test_search_users_finds_nothing_on_one_empty_page(directory):
    result = accounts.search_users(text="niemand", page=5)

    assert (result.items, result.page, result.pages, result.total) == ([], 1, 1, 0)


# --- through the web client --------------------------------------------------------------------------


def flashes(page: BeautifulSoup) -> list[str]:
    return [text(p) for p in page.select("div.flashes p")]


@pytest.fixture
def site(app):
    """School 100001 in round 2025/26, Anna (Schulleitung), Bert, an admin; Carla invited with a link."""
    with app.app_context():
        school = make_school("100001")
        make_round("2025/26")
        admin = make_user("admin@land.de", "admin")
        make_user("anna@schule.de", school=school, leadership=True)
        make_user("bert@schule.de", school=school)
        carla = create_user("carla@schule.de", "Carla Cramer", "team", None, actor=admin, school=school)
        token = accounts.issue_password_link(carla, "invite", actor=admin).token
        db.session.commit()
    return token


def test_a_deactivated_team_member_is_sent_to_the_log_in_page_on_the_next_request(app, client, site):
    overview = "/schulen/100001/2025-26/"
    login(client, "bert@schule.de")
    assert client.get(overview).status_code == 200

    with app.app_context():
        accounts.deactivate_user(find_user("bert@schule.de"), actor=find_user("admin@land.de"))
        db.session.commit()
    response = client.get(overview)

    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2F")
    page = soup_of(client.get(response.headers["Location"]))
    assert flashes(page) == ["Bitte melden Sie sich an, um diese Seite zu sehen."]
    again = soup_of(login(client, "bert@schule.de"))
    assert text(again.find("p", class_="field-error")) == "E-Mail-Adresse oder Passwort sind nicht richtig."


def test_the_set_password_page_shows_the_form_without_referrer_or_caching(client, site):
    response = client.get(f"/passwort-festlegen/{site}")

    page = soup_of(response)
    assert response.status_code == 200
    assert (response.headers["Referrer-Policy"], response.headers["Cache-Control"]) == ("no-referrer", "no-store")
    assert text(page.find("h1")) == "Passwort festlegen"
    paragraphs = [text(p) for p in page.select("div.narrow > p")]
    assert (
        paragraphs[0]
        == "Willkommen bei selfeval, Carla Cramer. Mit dem Passwort, das Sie hier festlegen, melden Sie sich künftig an."
    )
    assert paragraphs[1].startswith("Ihre Anmeldung: carla@schule.de. Der Link gilt bis ")
    assert [field["name"] for field in page.select("form input[type=password]")] == ["password", "confirm"]


@pytest.mark.parametrize("how", ["unknown", "expired", "deactivated"])
def test_an_unusable_link_shows_the_404_page_in_german(app, client, site, how):
    token = site
    with app.app_context():
        carla = find_user("carla@schule.de")
        if how == "unknown":
            token = "nicht-vorhanden"
        elif how == "expired":
            carla.password_links[0].expires_at = utcnow() - timedelta(minutes=1)
        else:
            accounts.deactivate_user(carla, actor=None)
        db.session.commit()

    response = client.get(f"/passwort-festlegen/{token}")

    page = soup_of(response)
    assert response.status_code == 404
    assert text(page.find("h1")) == "Dieser Link gilt nicht mehr"
    assert text(page.select_one("div.narrow p")).startswith(
        "Der Link zum Festlegen des Passworts ist abgelaufen, wurde schon benutzt oder gehört zu einem deaktivierten Konto."
    )
    assert (response.headers["Referrer-Policy"], response.headers["Cache-Control"]) == ("no-referrer", "no-store")


def form_token(client, url: str) -> str:
    return soup_of(client.get(url)).find("input", attrs={"name": "csrf_token"})["value"]


def test_posting_two_different_passwords_shows_the_german_error_and_stores_nothing(app, client, site):
    url = f"/passwort-festlegen/{site}"

    response = client.post(
        url, data={"csrf_token": form_token(client, url), "password": NEW_PASSWORD, "confirm": "etwas anderes!!"}
    )

    page = soup_of(response)
    assert response.status_code == 200
    assert [text(p) for p in page.select("p.field-error")] == ["Die beiden Passwörter sind nicht gleich."]
    with app.app_context():
        carla = find_user("carla@schule.de")
        assert (carla.password_hash, len(carla.password_links)) == (None, 1)
        assert entries("user.password_set") == []


def test_posting_without_the_csrf_token_stores_nothing(app, client, site):
    response = client.post(f"/passwort-festlegen/{site}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 400
    with app.app_context():
        assert find_user("carla@schule.de").password_hash is None


def test_setting_the_password_leads_to_the_log_in_and_the_link_is_used_up(app, client, site):
    url = f"/passwort-festlegen/{site}"

    response = client.post(url, data={"csrf_token": form_token(client, url), "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden")
    assert flashes(soup_of(client.get("/anmelden"))) == ["Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden."]
    with app.app_context():
        carla = find_user("carla@schule.de")
        assert check_password_hash(carla.password_hash, NEW_PASSWORD)
        assert count(PasswordLink) == 0
    logged_in = login(client, "carla@schule.de", NEW_PASSWORD)
    assert (logged_in.status_code, logged_in.headers["Location"]) == (302, "/schule")
    assert client.get("/schulen/100001/2025-26/").status_code == 200
    assert client.get(url).status_code == 404


def test_setting_a_password_logs_out_whoever_was_logged_in_in_that_browser(app, client, site):
    url = f"/passwort-festlegen/{site}"
    login(client, "bert@schule.de")
    assert client.get("/schulen/100001/2025-26/").status_code == 200

    response = client.post(url, data={"csrf_token": form_token(client, url), "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden")
    after = client.get("/schulen/100001/2025-26/")
    assert (after.status_code, after.headers["Location"]) == (302, "/anmelden?next=%2Fschulen%2F100001%2F2025-26%2F")


def test_search_users_ignores_the_case_of_umlauts(directory):
    create_user("zeynep@schule.de", "Zeynep Özdemir", "adviser", PASSWORD, kreise=["05913"])
    db.session.commit()

    assert found(accounts.search_users(text="özdemir")) == ["Zeynep Özdemir"]


# --- the password rule (issue 15, item 14) -----------------------------------------------------------------

REPEATED = "Das Passwort besteht nur aus einem wiederholten Zeichen. Bitte wählen Sie ein anderes."
INVISIBLE = "Das Passwort braucht mindestens 12 sichtbare Zeichen; Leerzeichen und unsichtbare Zeichen zählen nicht mit."
OWN = "Das Passwort darf nicht Ihre E-Mail-Adresse oder Ihr Name sein, auch nicht mit Zahlen dahinter."
COMMON = "Dieses Passwort ist sehr verbreitet und wird bei Angriffen zuerst ausprobiert. Bitte wählen Sie ein anderes."


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a" * 12, REPEATED),
        ("Ä" * 6 + "ä" * 6, REPEATED),
        (" " * 12, INVISIBLE),
        ("\u200b" * 20, INVISIBLE),  # zero-width spaces
        ("abc\u00addef\u200bghi jk", INVISIBLE),  # soft hyphen, zero-width space, space: 11 visible
        ("\t\n\u3000" * 5, INVISIBLE),
        ("carla@schule.de", OWN),
        ("CARLA@SCHULE.DE", OWN),
        ("carla@schule.de2024", OWN),
        ("Carla Cramer!!", OWN),
        ("cramer carla 1", OWN),
        ("Carla.Cramer!", OWN),
        ("password1234", COMMON),
        ("Passwort 1234", COMMON),
        ("qwertzuiopasdfghjkl", COMMON),
        ("1q2w3e4r5t6y", COMMON),
        ("Ich liebe dich!", COMMON),
    ],
)
def test_set_password_by_link_refuses_weak_passwords_with_a_sentence_for_people(people, invited, password, message):
    carla, token = invited

    with pytest.raises(InvalidInput) as raised:
        accounts.set_password_by_link(token, password)
    db.session.rollback()

    assert raised.value.problems == {"password": message}
    db.session.expire_all()
    assert (carla.password_hash, count(PasswordLink)) == (None, 1)


@pytest.mark.parametrize("password", ["Carla mag Kaffee", "aaaaaaaaaaab", "  zwölfZeichen  ", "Cramer-Straße 12a"])
def test_passwords_near_the_rules_are_accepted(people, invited, password):
    carla, token = invited

    accounts.set_password_by_link(token, password)
    db.session.commit()

    assert authenticate("carla@schule.de", password) == carla


def test_create_user_refuses_the_accounts_own_name_as_password(people):
    _, _, _, school, _ = people

    with pytest.raises(InvalidInput) as raised:
        create_user("dora@schule.de", "Dora Dietrich", "team", "Dora Dietrich 2025", school=school)
    db.session.rollback()

    assert raised.value.problems == {"password": OWN}
    assert find_user("dora@schule.de") is None


# --- API tokens end with a reset (issue 15, item 6) ---------------------------------------------------------


def test_setting_a_password_by_link_ends_the_accounts_api_tokens_and_only_its_own(people):
    admin, anna, bert, *_ = people
    annas, berts = issue_token(anna), issue_token(bert)
    link = accounts.issue_password_link(anna, "reset", actor=admin)
    db.session.commit()
    assert user_for_token(annas) == anna

    accounts.set_password_by_link(link.token, NEW_PASSWORD)
    db.session.commit()

    db.session.expire_all()
    assert user_for_token(annas) is None
    assert user_for_token(berts) == bert
    assert count(ApiToken, ApiToken.user_id == anna.id) == 0
