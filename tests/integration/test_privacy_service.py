"""Data protection on the real database: export an account's data (Art. 15) and erase the account (Art. 17)."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import MetaData, func, select

from selfeval.extensions import db
from selfeval.models import ApiToken, Assessment, AuditEvent, Membership, PasswordLink, Rating, User, UserScope
from selfeval.models.types import utcnow
from selfeval.services import accounts, assessments, audit
from selfeval.services.accounts import create_user, find_user, issue_token, privacy, user_for_token
from selfeval.services.audit import ERASED_ACCOUNT
from selfeval.services.errors import InvalidInput
from tests.support.factories import PASSWORD, all_scores, login, make_round, make_school, make_user, rate

COMMENT = "Medienkonzept 2024 beschlossen"
#: Every trace of the person: both names and both e-mail addresses she had.
PERSONAL = ("zeynep", "yıldız", "yildiz", "özdemir", "oezdemir")


def iso(value: datetime) -> str:
    return value.isoformat()


@pytest.fixture
def zeynep(app_context):
    """Zeynep, a team member of 100001 renamed once, rated k1b and k1a, submitted; a token and a reset link.

    Anna (Schulleitung) rated every indicator first. Returns (zeynep, admin, anna, school, round, token).
    """
    school = make_school("100001")
    round_ = make_round("2025/26")
    admin = make_user("admin@land.de", "admin")
    anna = make_user("anna@schule.de", school=school, leadership=True)
    user = create_user("zeynep.yildiz@schule.de", "Zeynep Yıldız", "team", PASSWORD, actor=admin, school=school)
    db.session.commit()
    rate(school, round_, anna, all_scores(5))
    rate(school, round_, user, {"k1b": 3})
    accounts.update_user(
        user, actor=admin, email="zeynep.oezdemir@schule.de", display_name="Zeynep Özdemir", role="team", school=school
    )
    db.session.commit()
    state = rate(school, round_, user, {"k1a": 8}, {"k1a": COMMENT})
    assessments.submit(school, round_, user, state.version)
    token = issue_token(user, actor=admin)
    accounts.issue_password_link(user, "reset", actor=admin)
    db.session.commit()
    return user, admin, anna, school, round_, token


def stored_events(ids) -> list[tuple]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.id.in_(ids)).order_by(AuditEvent.id)
    return [
        (e.action, e.actor_name, e.actor_id, e.subject, e.subject_user_id, e.school.schulnummer if e.school else None, e.changes)
        for e in db.session.scalars(query)
    ]


def at_of(action: str, subject: str | None = None) -> str:
    query = select(AuditEvent.at).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
    if subject is not None:
        query = query.where(AuditEvent.subject == subject)
    return iso(db.session.scalars(query).first())


def database_text() -> str:
    """Every value of every column of every table, as one lower-case text."""
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    values = []
    for table in metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for value in row:
                values.append(json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value))
    return "\n".join(values).lower()


# --- export --------------------------------------------------------------------------------------------


def test_export_user_holds_everything_stored_about_the_account(zeynep):
    user, admin, _, _, round_, _ = zeynep
    before = utcnow()

    document = privacy.export_user(user, actor=admin)
    db.session.commit()

    after = utcnow()
    created_at = document.pop("created_at")
    assert before <= datetime.fromisoformat(created_at) <= after
    token_row = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    link = db.session.scalars(select(PasswordLink).where(PasswordLink.user_id == user.id)).one()
    k1a = db.session.scalars(select(Rating).where(Rating.indicator_id == "k1a")).one()
    assessment = db.session.scalars(select(Assessment)).one()
    assert document == {
        "format": "selfeval-personal-data",
        "account": {
            "email": "zeynep.oezdemir@schule.de",
            "display_name": "Zeynep Özdemir",
            "role": "team",
            "role_label": "Team Digitalisierung",
            "active": True,
            "password_set": True,
            "created_at": iso(user.created_at),
        },
        "team_memberships": [{"schulnummer": "100001", "school": "Testschule 100001", "schulleitung": False}],
        "scopes": [],
        "api_tokens": [{"created_at": iso(token_row.created_at)}],
        "password_links": [{"purpose": "reset", "created_at": iso(link.created_at), "expires_at": iso(link.expires_at)}],
        "ratings_last_changed": [
            {"schulnummer": "100001", "round": "2025/26", "indicator": "k1a", "score": 8, "comment": COMMENT,
             "updated_at": iso(k1a.updated_at)},
            {"schulnummer": "100001", "round": "2025/26", "indicator": "k1b", "score": 3, "comment": "",
             "updated_at": iso(db.session.scalars(select(Rating.updated_at).where(Rating.indicator_id == "k1b")).one())},
        ],
        "submitted_assessments": [{"schulnummer": "100001", "round": "2025/26", "submitted_at": iso(assessment.submitted_at)}],
        "audit_trail": [
            {
                "at": at_of("user.created", "zeynep.yildiz@schule.de"), "actor": "Admin", "action": "user.created",
                "action_label": "Konto angelegt", "subject": "zeynep.yildiz@schule.de", "schulnummer": None, "round": None,
                "changes": {
                    "email": [None, "zeynep.yildiz@schule.de"], "display_name": [None, "Zeynep Yıldız"],
                    "role": [None, "team"], "school": [None, "100001"],
                },
            },
            {
                "at": at_of("rating.changed", "k1b"), "actor": "Zeynep Yıldız", "action": "rating.changed",
                "action_label": "Bewertung geändert", "subject": "k1b", "schulnummer": "100001", "round": "2025/26",
                "changes": {"score": [5, 3]},
            },
            {
                "at": at_of("user.updated"), "actor": "Admin", "action": "user.updated", "action_label": "Konto geändert",
                "subject": "zeynep.oezdemir@schule.de", "schulnummer": None, "round": None,
                "changes": {
                    "email": ["zeynep.yildiz@schule.de", "zeynep.oezdemir@schule.de"],
                    "display_name": ["Zeynep Yıldız", "Zeynep Özdemir"],
                },
            },
            {
                "at": at_of("rating.changed", "k1a"), "actor": "Zeynep Özdemir", "action": "rating.changed",
                "action_label": "Bewertung geändert", "subject": "k1a", "schulnummer": "100001", "round": "2025/26",
                "changes": {"score": [5, 8], "comment": ["", COMMENT]},
            },
            {
                "at": at_of("assessment.submitted"), "actor": "Zeynep Özdemir", "action": "assessment.submitted",
                "action_label": "Bewertung abgeschlossen", "subject": "", "schulnummer": "100001", "round": "2025/26",
                "changes": {},
            },
            {
                "at": at_of("user.token_issued"), "actor": "Admin", "action": "user.token_issued",
                "action_label": "API-Token ausgegeben", "subject": "zeynep.oezdemir@schule.de", "schulnummer": None,
                "round": None, "changes": {},
            },
            {
                "at": at_of("user.reset_requested"), "actor": "Admin", "action": "user.reset_requested",
                "action_label": "Link zum Zurücksetzen des Passworts erstellt", "subject": "zeynep.oezdemir@schule.de",
                "schulnummer": None, "round": None, "changes": {},
            },
        ],
    }  # fmt: skip
    assert round_.name == "2025/26"
    json.dumps(document)  # JSON-ready as it is


def test_export_records_who_exported_and_the_next_export_lists_that(zeynep):
    user, admin, *_ = zeynep

    privacy.export_user(user, actor=admin)
    db.session.commit()
    second = privacy.export_user(user, actor=None)
    db.session.commit()

    query = select(AuditEvent).where(AuditEvent.action == "user.exported").order_by(AuditEvent.id)
    assert [(e.actor_name, e.actor_id, e.subject, e.subject_user_id, e.changes) for e in db.session.scalars(query)] == [
        ("Admin", admin.id, "zeynep.oezdemir@schule.de", user.id, {}),
        ("Kommandozeile", None, "zeynep.oezdemir@schule.de", user.id, {}),
    ]
    assert [(entry["action"], entry["actor"]) for entry in second["audit_trail"]][-2:] == [
        ("user.reset_requested", "Admin"),
        ("user.exported", "Admin"),
    ]


def test_export_of_an_invited_supervisor_lists_scopes_and_the_invitation(app_context):
    admin = make_user("admin@land.de", "admin")
    dora = create_user("dora@bezreg.de", "Dora Dahl", "supervisor", None, actor=admin, kreise=["05913"], bezirke=["Arnsberg"],
                       schulformen=["20", "02"])  # fmt: skip
    accounts.issue_password_link(dora, "invite", actor=admin)
    db.session.commit()

    document = privacy.export_user(dora, actor=admin)

    link = db.session.scalars(select(PasswordLink)).one()
    assert document["account"] == {
        "email": "dora@bezreg.de",
        "display_name": "Dora Dahl",
        "role": "supervisor",
        "role_label": "Schulaufsicht",
        "active": True,
        "password_set": False,
        "created_at": iso(dora.created_at),
    }
    assert document["scopes"] == [
        {"kind": "bezirk", "value": "Arnsberg"},
        {"kind": "kreis", "value": "05913"},
        {"kind": "schulform", "value": "02"},
        {"kind": "schulform", "value": "20"},
    ]
    assert (document["team_memberships"], document["api_tokens"], document["ratings_last_changed"]) == ([], [], [])
    assert document["submitted_assessments"] == []
    assert document["password_links"] == [
        {"purpose": "invite", "created_at": iso(link.created_at), "expires_at": iso(link.expires_at)}
    ]
    assert [(e["action"], e["actor"], e["changes"]) for e in document["audit_trail"]] == [
        (
            "user.created", "Admin",
            {
                "email": [None, "dora@bezreg.de"], "display_name": [None, "Dora Dahl"], "role": [None, "supervisor"],
                "scopes": [None, "bezirk Arnsberg, kreis 05913, schulform 02, schulform 20"],
            },
        ),
        ("user.invited", "Admin", {}),
    ]  # fmt: skip


# --- erase ---------------------------------------------------------------------------------------------


def test_erase_user_keeps_ratings_and_trail_but_replaces_every_trace_of_the_person(zeynep):
    user, admin, anna, school, round_, token = zeynep
    privacy.export_user(user, actor=admin)
    db.session.commit()
    user_id = user.id
    related = [event.id for event in audit.events_about(user)]
    assert all(name in database_text() for name in PERSONAL)

    counts = privacy.erase_user(user, actor=admin)
    db.session.commit()

    assert counts == {"ratings": 2, "submissions": 1, "audit_entries": 8, "agreements": 0}
    assert stored_events(related) == [
        (
            "user.created", "Admin", admin.id, ERASED_ACCOUNT, None, None,
            {
                "email": [None, ERASED_ACCOUNT], "display_name": [None, ERASED_ACCOUNT], "role": [None, "team"],
                "school": [None, "100001"],
            },
        ),
        ("rating.changed", ERASED_ACCOUNT, None, "k1b", None, "100001", {"score": [5, 3]}),
        (
            "user.updated", "Admin", admin.id, ERASED_ACCOUNT, None, None,
            {"email": [ERASED_ACCOUNT, ERASED_ACCOUNT], "display_name": [ERASED_ACCOUNT, ERASED_ACCOUNT]},
        ),
        ("rating.changed", ERASED_ACCOUNT, None, "k1a", None, "100001", {"score": [5, 8], "comment": ["", COMMENT]}),
        ("assessment.submitted", ERASED_ACCOUNT, None, "", None, "100001", {}),
        ("user.token_issued", "Admin", admin.id, ERASED_ACCOUNT, None, None, {}),
        ("user.reset_requested", "Admin", admin.id, ERASED_ACCOUNT, None, None, {}),
        ("user.exported", "Admin", admin.id, ERASED_ACCOUNT, None, None, {}),
    ]  # fmt: skip
    erased = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.erased")).all()
    assert [(e.actor_name, e.actor_id, e.subject, e.subject_user_id, e.school.schulnummer, e.changes) for e in erased] == [
        ("Admin", admin.id, ERASED_ACCOUNT, None, "100001", {"role": ["team", None]})
    ]
    assert db.session.get(User, user_id) is None
    assert find_user("zeynep.oezdemir@schule.de") is None
    for model in (Membership, UserScope, ApiToken, PasswordLink):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.user_id == user_id)) == 0
    assert user_for_token(token) is None
    columns = (Rating.indicator_id, Rating.score, Rating.comment, Rating.updated_by_id)
    ratings = db.session.execute(
        select(*columns).where(Rating.indicator_id.in_(["k1a", "k1b", "k1c"])).order_by(Rating.indicator_id)
    )
    assert [tuple(r) for r in ratings] == [("k1a", 8, COMMENT, None), ("k1b", 3, "", None), ("k1c", 5, "", anna.id)]
    state = assessments.load_state(school, round_)
    assert (state.status, state.submitted_by) == ("submitted", ERASED_ACCOUNT)
    assert [(key, state.rating(key).updated_by) for key in ("k1a", "k1b", "k1c")] == [
        ("k1a", ERASED_ACCOUNT),
        ("k1b", ERASED_ACCOUNT),
        ("k1c", "Anna"),
    ]
    assert len(state.ratings) == 23


def test_after_erasure_no_name_or_address_of_the_person_remains_anywhere_in_the_database(zeynep):
    user, admin, *_ = zeynep
    privacy.export_user(user, actor=admin)
    db.session.commit()
    text = database_text()
    assert [name for name in PERSONAL if name in text] == list(PERSONAL)

    privacy.erase_user(user, actor=admin)
    db.session.commit()

    text = database_text()
    assert [name for name in PERSONAL if name in text] == []
    assert "anna@schule.de" in text  # the dump does see the other accounts


def test_after_erasing_an_administrator_nothing_of_her_remains_and_her_changes_name_the_marker(app_context):
    school = make_school("100001")
    first = make_user("admin@land.de", "admin")
    her = create_user("zeynep.oezdemir@land.de", "Zeynep Özdemir", "admin", None, actor=first)
    invitation = accounts.issue_password_link(her, "invite", actor=first).token
    db.session.commit()
    accounts.set_password_by_link(invitation, PASSWORD)
    db.session.commit()
    bert = create_user("bert@schule.de", "Bert Brandt", "team", None, actor=her, school=school)
    accounts.issue_password_link(bert, "invite", actor=her)
    db.session.commit()
    accounts.deactivate_user(bert, actor=her)
    accounts.update_user(first, actor=her, email="admin@land.de", display_name="Verena Admin", role="admin")
    db.session.commit()

    counts = privacy.erase_user(her, actor=first)
    db.session.commit()

    assert counts == {"ratings": 0, "submissions": 0, "audit_entries": 7, "agreements": 0}
    query = select(AuditEvent.action, AuditEvent.actor_name, AuditEvent.actor_id, AuditEvent.subject).order_by(AuditEvent.id)
    assert [tuple(r) for r in db.session.execute(query.where(AuditEvent.action.startswith("user.")))] == [
        ("user.created", "Kommandozeile", None, "admin@land.de"),
        ("user.created", "Admin", first.id, ERASED_ACCOUNT),  # names are copied in when written
        ("user.invited", "Admin", first.id, ERASED_ACCOUNT),
        ("user.password_set", ERASED_ACCOUNT, None, ERASED_ACCOUNT),
        ("user.created", ERASED_ACCOUNT, None, "bert@schule.de"),
        ("user.invited", ERASED_ACCOUNT, None, "bert@schule.de"),
        ("user.deactivated", ERASED_ACCOUNT, None, "bert@schule.de"),
        ("user.updated", ERASED_ACCOUNT, None, "admin@land.de"),
        ("user.erased", "Verena Admin", first.id, ERASED_ACCOUNT),
    ]
    text = database_text()
    assert [name for name in ("zeynep", "özdemir", "oezdemir") if name in text] == []


def test_erase_user_of_an_invited_account_deletes_its_pending_link(app_context):
    admin = make_user("admin@land.de", "admin")
    school = make_school("100001")
    carla = create_user("carla@schule.de", "Carla Cramer", "team", None, actor=admin, school=school)
    token = accounts.issue_password_link(carla, "invite", actor=admin).token
    db.session.commit()

    assert privacy.erase_user(carla, actor=admin) == {"ratings": 0, "submissions": 0, "audit_entries": 2, "agreements": 0}
    db.session.commit()

    assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 0
    assert accounts.find_password_link(token) is None
    assert "carla" not in database_text()


def test_erasing_ones_own_account_is_refused_and_changes_nothing(zeynep):
    _, admin, *_ = zeynep
    make_user("zweite@land.de", "admin")
    before = database_text()

    with pytest.raises(InvalidInput) as raised:
        privacy.erase_user(admin, actor=admin)
    db.session.rollback()

    assert raised.value.problems == {"account": "Sie können Ihr eigenes Konto nicht löschen."}
    assert database_text() == before


def test_erasing_the_last_active_admin_is_refused_and_changes_nothing(zeynep):
    _, admin, *_ = zeynep
    before = database_text()

    with pytest.raises(InvalidInput) as raised:
        privacy.erase_user(admin, actor=None)
    db.session.rollback()

    assert raised.value.problems == {"account": "Das ist das einzige aktive Verwaltungskonto; es muss eines bleiben."}
    assert database_text() == before


def test_the_team_page_names_the_erased_account_as_the_one_who_submitted(app, client):
    with app.app_context():
        school = make_school("100001")
        round_ = make_round("2025/26")
        admin = make_user("admin@land.de", "admin")
        make_user("anna@schule.de", school=school, leadership=True)
        zeynep = create_user("zeynep@schule.de", "Zeynep Özdemir", "team", PASSWORD, school=school)
        db.session.commit()
        state = rate(school, round_, zeynep, all_scores(6))
        assessments.submit(school, round_, zeynep, state.version)
        db.session.commit()
        privacy.erase_user(zeynep, actor=admin)
        db.session.commit()
    login(client, "anna@schule.de")

    page = BeautifulSoup(client.get("/schulen/100001/2025-26/").get_data(as_text=True), "html.parser")

    status = re.sub(r"\s+", " ", page.get_text())
    assert re.search(r"am \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr von Gelöschtes Konto", status)
    assert "Özdemir" not in page.get_text()
