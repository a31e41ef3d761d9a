"""Rounds are school years (issue 16, item 4): names, order, previous round, deleting, the migration."""

from __future__ import annotations

import threading

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from selfeval.extensions import catalogs, db
from selfeval.models import Assessment, AuditEvent, Round, User
from selfeval.services.analytics import analyse
from selfeval.services.assessments import RoundGone
from selfeval.services.catalog_snapshots import record_snapshot
from selfeval.services.errors import InvalidInput
from selfeval.services.rounds import (
    RoundNotEmpty,
    all_rounds,
    create_round,
    current_round,
    delete_round,
    get_round,
    previous_round,
)
from selfeval.services.schools import get_school
from tests.conftest import make_test_app
from tests.support.factories import login, make_round, make_school, make_user, rate, rated, submitted
from tests.support.html import rows, soup_of
from tests.support.html import text as page_text
from tests.support.school_years import WRONG_NAMES


def names(rounds) -> list[str]:
    return [r.name for r in rounds]


def legacy_round(name: str) -> Round:
    """A round as the migration leaves one whose free-text name is no school year."""
    stray = Round(name=name, slug=name.lower().replace(" ", "-"), is_open=True, catalog_snapshot=record_snapshot(catalogs.active))
    db.session.add(stray)
    db.session.commit()
    return stray


def test_a_school_year_is_accepted_and_stored_with_its_first_year(app_context):
    created = create_round("2026/27", catalogs.active)
    assert (created.name, created.slug, created.school_year) == ("2026/27", "2026-27", 2026)
    assert names(all_rounds()) == ["2026/27"]
    assert create_round(" 2099/00 ".replace("2099/00", "2098/99"), catalogs.active).school_year == 2098


@pytest.mark.parametrize(("name", "message"), WRONG_NAMES)
def test_anything_but_a_school_year_is_refused(app_context, name, message):
    with pytest.raises(InvalidInput) as refused:
        create_round(name, catalogs.active)
    assert refused.value.problems == {"name": message}
    db.session.rollback()
    assert all_rounds() == []


def test_the_same_school_year_cannot_be_made_twice(app_context):
    make_round("2025/26")
    with pytest.raises(InvalidInput) as refused:
        create_round("2025/26", catalogs.active)
    assert refused.value.problems == {"name": "Die Erhebungsrunde 2025/26 (Kurzname 2025-26) gibt es schon."}


def test_order_current_and_previous_round_follow_the_school_year_not_creation(app_context):
    """Reproduces issue 16.4: 2024/25 recorded late used to count as the round after 2025/26."""
    this_year = make_round("2025/26")
    next_year = make_round("2026/27", is_open=False)
    last_year = make_round("2024/25", is_open=False)
    earliest = make_round("2022/23", is_open=False)
    assert names(all_rounds()) == ["2022/23", "2024/25", "2025/26", "2026/27"]
    assert current_round().name == "2025/26"  # the latest open school year
    assert [getattr(previous_round(r), "name", None) for r in (earliest, last_year, this_year, next_year)] == [
        None,
        "2022/23",
        "2024/25",
        "2025/26",
    ]
    next_year.is_open = True
    db.session.commit()
    assert current_round().name == "2026/27"


def test_a_round_with_an_old_free_text_name_is_nobodys_previous_round(app_context):
    """A stray round created between two school years used to break the Vorjahr line."""
    last_year = make_round("2024/25", is_open=False)
    stray = legacy_round("Schuljahr 2026/2027 x")
    this_year = make_round("2025/26")
    assert names(all_rounds()) == ["Schuljahr 2026/2027 x", "2024/25", "2025/26"]
    assert (previous_round(this_year), previous_round(stray), previous_round(last_year)) == (last_year, None, None)
    assert current_round() == this_year


def test_the_supervisors_change_since_the_previous_round_uses_the_previous_school_year(app_context):
    schools = [make_school(f"10000{n}") for n in range(1, 3)]
    this_year = make_round("2025/26")
    legacy_round("Testrunde")
    last_year = make_round("2024/25", is_open=False)
    for school in schools:
        submitted(school, last_year, 4)
        submitted(school, this_year, 6)
    admin = make_user("admin@land.test", "admin")
    result = analyse(admin, this_year)
    assert result.previous_round_name == "2024/25"
    summary = result.change_summary.loc["overall"]
    assert (summary["n"], summary["mean_previous"], summary["mean_current"], summary["mean_change"]) == (2, 4.0, 6.0, 2.0)


def test_an_empty_round_can_be_deleted_and_the_trail_keeps_it(app_context):
    make_round("2025/26")
    typo = make_round("2052/53")
    admin = make_user("admin@land.test", "admin")
    delete_round(typo, actor=admin)
    db.session.commit()
    assert names(all_rounds()) == ["2025/26"]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "round.deleted")).all()
    assert [(e.actor_name, e.subject, e.round_id, e.changes) for e in events] == [
        ("Admin", "2052/53", None, {"name": ["2052/53", None]})
    ]
    query = select(AuditEvent).where(AuditEvent.subject == "2052/53", AuditEvent.action == "round.created")
    created = db.session.scalars(query).one()
    assert created.round_id is None  # the entry stays, pointing at no round


@pytest.mark.parametrize("how", ["draft", "submitted"])
def test_a_round_with_assessments_cannot_be_deleted(app_context, how):
    this_year = make_round("2025/26")
    school = make_school("100001")
    (rated if how == "draft" else submitted)(school, this_year, {"k1a": 3} if how == "draft" else 5)
    with pytest.raises(RoundNotEmpty) as refused:
        delete_round(this_year, actor=None)
    assert str(refused.value) == (
        "Die Erhebungsrunde 2025/26 kann nicht gelöscht werden: 1 Schule hat darin schon bewertet. Sie können sie schließen."
    )
    db.session.rollback()
    assert names(all_rounds()) == ["2025/26"]
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "round.deleted")).all() == []
    assert get_round("2025-26").id == this_year.id


SNAPSHOT_ROW = (
    "INSERT INTO catalog_snapshots (id, catalog_id, version, digest, content, created_at) "
    "VALUES (1, 'c', '1', 'd', '{}', '2025-09-01 08:00:00+00:00')"
)
ROUND_ROW = (
    "INSERT INTO rounds (id, name, slug, is_open, catalog_snapshot_id, created_at) "
    "VALUES (:id, :name, :slug, TRUE, 1, '2025-09-01 08:00:00+00:00')"
)
#: Rounds as free-text names left them, in the order they were created.
STORED_ROUNDS = [
    ("2025/26", "2025-26"),
    ("Schuljahr 2026/2027 <b>x</b>", "schuljahr-2026-2027-b-x-b"),
    ("2024/2025", "2024-2025"),
    ("2023-24", "2023-24-alt"),
    ("2025 / 2026", "2025-2026"),
    ("2027/29", "2027-29"),
    ("Testrunde", "testrunde"),
]


def test_the_migration_fills_the_school_year_where_the_name_is_one_and_keeps_every_round(empty_database_url, tmp_path):
    app = make_test_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade(revision="0f05fd99d4fa")
        with db.engine.begin() as connection:
            connection.execute(text(SNAPSHOT_ROW))
            for number, (name, slug) in enumerate(STORED_ROUNDS, start=1):
                connection.execute(text(ROUND_ROW), {"id": number, "name": name, "slug": slug})
        upgrade(revision="c5f126c3663d")
        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT id, name, school_year FROM rounds ORDER BY id")).all()
        assert [tuple(row) for row in stored] == [
            (1, "2025/26", 2025),
            (2, "Schuljahr 2026/2027 <b>x</b>", None),
            (3, "2024/2025", 2024),
            (4, "2023-24", 2023),
            (5, "2025 / 2026", None),  # the same school year as round 1, which came first
            (6, "2027/29", None),
            (7, "Testrunde", None),
        ]
        assert names(all_rounds()) == [
            *("Schuljahr 2026/2027 <b>x</b>", "2025 / 2026", "2027/29", "Testrunde"),  # no school year: as created
            *("2023-24", "2024/2025", "2025/26"),
        ]
        db.session.remove()
        downgrade(revision="0f05fd99d4fa")
        with db.engine.connect() as connection:
            back = connection.execute(text("SELECT id, name FROM rounds ORDER BY id")).all()
        assert [row[0] for row in back] == [1, 2, 3, 4, 5, 6, 7]
        db.engine.dispose()


def test_deleting_a_round_while_a_team_starts_its_draft_never_loses_the_draft(app):
    """The admin deletes an empty round in the very moment a team saves its first rating there.

    Either the save comes first and the round stays (RoundNotEmpty), or the deletion comes first and
    the save fails; never is a save reported as done whose draft the deletion took with it.
    """
    outcomes = []
    for attempt in range(6):
        year = 2040 + attempt
        with app.app_context():
            school = make_school(f"1000{attempt:02d}")
            make_round(f"{year}/{(year + 1) % 100:02d}")
            make_user(f"team{attempt}@schule.test", school=school)
        slug, barrier, result = f"{year}-{(year + 1) % 100:02d}", threading.Barrier(2), {}

        def delete_it(slug=slug, barrier=barrier, result=result):
            with app.app_context():
                round_ = get_round(slug)
                barrier.wait()
                try:
                    delete_round(round_, actor=None)
                    db.session.commit()
                    result["deleted"] = True
                except RoundNotEmpty:
                    db.session.rollback()
                    result["deleted"] = False

        def save_it(attempt=attempt, slug=slug, barrier=barrier, result=result):
            with app.app_context():
                school, round_ = get_school(f"1000{attempt:02d}"), get_round(slug)
                member = db.session.scalars(select(User).filter_by(email=f"team{attempt}@schule.test")).one()
                barrier.wait()
                try:
                    rate(school, round_, member, {"k1a": 7})
                    result["saved"] = True
                except RoundGone:  # the round was gone when the draft was to be made
                    db.session.rollback()
                    result["saved"] = False

        threads = [threading.Thread(target=delete_it), threading.Thread(target=save_it)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with app.app_context():
            round_left = db.session.scalars(select(Round).filter_by(slug=slug)).one_or_none()
            drafts = db.session.scalars(select(Assessment).join(Round).where(Round.slug == slug)).all()
            stored = [r.score for a in drafts for r in a.ratings]
        outcomes.append((result.get("saved"), result.get("deleted")))
        if result.get("saved"):
            assert (result.get("deleted"), round_left is not None, stored) == (False, True, [7])
        else:
            assert (result.get("saved"), result.get("deleted"), round_left, stored) == (False, True, None, [])
    assert set(outcomes) <= {(True, False), (False, True)}


def test_the_admin_list_and_the_supervision_filter_follow_the_school_year(app, client):
    with app.app_context():
        for name in ("2025/26", "2023/24", "2024/25"):
            make_round(name, is_open=name == "2025/26")
        make_user("admin@land.test", "admin")
    login(client, "admin@land.test")
    listed = soup_of(client.get("/verwaltung/runden")).find("table", class_="rounds-table")
    assert [row[0] for row in rows(listed)] == ["2025/26", "2024/25", "2023/24"]
    options = soup_of(client.get("/auswertung/")).find("select", id="filter-runde").find_all("option")
    assert [(page_text(option), option.has_attr("selected")) for option in options] == [
        ("2025/26", True),
        ("2024/25 (geschlossen)", False),
        ("2023/24 (geschlossen)", False),
    ]
