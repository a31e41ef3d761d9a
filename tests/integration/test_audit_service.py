"""The audit trail on the real database: rating entries (with merging), submit/reopen, browse filters, history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from selfeval.extensions import db
from selfeval.models import AuditEvent, User
from selfeval.services import assessments, audit
from selfeval.services.accounts import create_user
from selfeval.services.audit import MERGE_WINDOW, AuditFilter, browse
from selfeval.services.rating_input import RatingChange
from selfeval.services.schools import update_school
from tests.support.factories import PASSWORD, all_scores, make_round, make_school, make_user, rate


@pytest.fixture
def team(app_context):
    """School 100001 in round 2025/26 with a Schulleitung member (Anna) and a plain member (Bert)."""
    school = make_school("100001")
    round_ = make_round("2025/26")
    anna = make_user("anna@schule.de", school=school, leadership=True)
    bert = make_user("bert@schule.de", school=school)
    return school, round_, anna, bert


def save(school, round_, user, **changes: RatingChange):
    state = assessments.load_state(school, round_)
    new_state = assessments.save_ratings(school, round_, user, state.version, changes)
    db.session.commit()
    return new_state


def rows(school, round_) -> list[tuple]:
    """The assessment's entries as stored, oldest id first."""
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.school_id == school.id, AuditEvent.round_id == round_.id).order_by(AuditEvent.id)
    return [row(event) for event in db.session.scalars(query)]


def row(event: AuditEvent) -> tuple:
    return (
        event.action,
        event.actor_name,
        event.actor_id,
        event.subject,
        event.school.schulnummer if event.school else None,
        event.round.name if event.round else None,
        event.changes,
    )


def move_back(subject: str, by: timedelta) -> None:
    """Make the newest entry about `subject` older, as if it had been written `by` earlier."""
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.subject == subject).order_by(AuditEvent.id.desc())).first()
    event.at = event.at - by
    db.session.commit()


# --- record and diff -----------------------------------------------------------------------------


def test_record_rejects_an_unknown_action_and_adds_nothing(app_context):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    with pytest.raises(ValueError) as raised:
        audit.record("rating.deleted", actor=None, subject="k1a")
    db.session.commit()

    assert str(raised.value) == "unknown audit action 'rating.deleted'"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before == 0


def test_record_by_the_command_line_names_the_command_line(app_context):
    event = audit.record("schools.imported", actor=None, subject="schulen.csv", changes={"added": (None, 3)})
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(AuditEvent, event.id)
    assert (stored.action, stored.actor_id, stored.actor_name, stored.subject, stored.changes) == (
        "schools.imported",
        None,
        "Kommandozeile",
        "schulen.csv",
        {"added": [None, 3]},
    )
    assert stored.at.tzinfo is UTC


def test_diff_names_only_fields_that_differ():
    before = {"score": 4, "comment": "alt", "gone": "x"}
    after = {"score": 4, "comment": "neu", "new": None, "added": "y"}

    assert audit.diff(before, after) == {"comment": ["alt", "neu"], "added": [None, "y"]}
    assert audit.diff({}, {}) == {}


# --- rating entries --------------------------------------------------------------------------------


def test_first_save_records_each_new_rating_with_none_and_empty_comment_as_old_values(team):
    school, round_, anna, _ = team

    save(school, round_, anna, k1a=RatingChange(7, "Team seit 2023"), k1b=RatingChange(3))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 7], "comment": ["", "Team seit 2023"]}),
        ("rating.changed", "Anna", anna.id, "k1b", "100001", "2025/26", {"score": [None, 3]}),
    ]


def test_saving_the_stored_values_again_records_nothing(team):
    school, round_, anna, _ = team
    save(school, round_, anna, k1a=RatingChange(7, "Team"))

    save(school, round_, anna, k1a=RatingChange(7, "Team"))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 7], "comment": ["", "Team"]}),
    ]


def test_quick_re_edits_by_the_same_person_merge_into_one_entry_with_first_old_and_last_new(team):
    school, round_, anna, bert = team
    save(school, round_, bert, k1a=RatingChange(2, "alt"))
    save(school, round_, anna, k1a=RatingChange(4))
    first_at = db.session.scalars(select(AuditEvent.at).order_by(AuditEvent.id.desc())).first()

    save(school, round_, anna, k1a=RatingChange(comment="Medienkonzept"))
    save(school, round_, anna, k1a=RatingChange(6, "Medienkonzept beschlossen"))

    assert rows(school, round_) == [
        ("rating.changed", "Bert", bert.id, "k1a", "100001", "2025/26", {"score": [None, 2], "comment": ["", "alt"]}),
        (
            "rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26",
            {"score": [2, 6], "comment": ["alt", "Medienkonzept beschlossen"]},
        ),
    ]  # fmt: skip
    merged_at = db.session.scalars(select(AuditEvent.at).order_by(AuditEvent.id.desc())).first()
    assert merged_at >= first_at


def test_re_edit_of_one_indicator_merges_while_a_new_indicator_gets_its_own_entry(team):
    school, round_, anna, _ = team
    save(school, round_, anna, k1a=RatingChange(4), k1b=RatingChange(5))

    save(school, round_, anna, k1a=RatingChange(8), k1c=RatingChange(1))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 8]}),
        ("rating.changed", "Anna", anna.id, "k1b", "100001", "2025/26", {"score": [None, 5]}),
        ("rating.changed", "Anna", anna.id, "k1c", "100001", "2025/26", {"score": [None, 1]}),
    ]


def test_a_field_changed_back_within_a_merge_disappears_from_the_entry(team):
    school, round_, anna, _ = team
    save(school, round_, anna, k1a=RatingChange(4, ""))
    save(school, round_, anna, k1a=RatingChange(5, "Notiz"))

    save(school, round_, anna, k1a=RatingChange(comment=""))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 5]}),
    ]


def test_changing_a_rating_back_to_its_original_value_deletes_the_entry(team):
    school, round_, anna, bert = team
    save(school, round_, bert, k1a=RatingChange(5, "Bert"))
    save(school, round_, anna, k1a=RatingChange(7, "Anna"))

    save(school, round_, anna, k1a=RatingChange(5, "Bert"))

    assert rows(school, round_) == [
        ("rating.changed", "Bert", bert.id, "k1a", "100001", "2025/26", {"score": [None, 5], "comment": ["", "Bert"]}),
    ]
    assert assessments.load_state(school, round_).rating("k1a").score == 5


def test_a_new_rating_cleared_again_leaves_no_entry(team):
    school, round_, anna, _ = team
    save(school, round_, anna, k1a=RatingChange(4))

    save(school, round_, anna, k1a=RatingChange(None))

    assert rows(school, round_) == []


def test_another_person_in_between_starts_a_new_entry(team):
    school, round_, anna, bert = team
    save(school, round_, anna, k1a=RatingChange(4))
    save(school, round_, bert, k1b=RatingChange(2))

    save(school, round_, anna, k1a=RatingChange(6))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 4]}),
        ("rating.changed", "Bert", bert.id, "k1b", "100001", "2025/26", {"score": [None, 2]}),
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [4, 6]}),
    ]


def test_an_entry_older_than_the_merge_window_is_not_merged(team):
    school, round_, anna, _ = team
    save(school, round_, anna, k1a=RatingChange(4))
    move_back("k1a", MERGE_WINDOW + timedelta(seconds=1))

    save(school, round_, anna, k1a=RatingChange(6))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 4]}),
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [4, 6]}),
    ]


def test_an_entry_just_inside_the_merge_window_is_merged(team):
    school, round_, anna, _ = team
    save(school, round_, anna, k1a=RatingChange(4))
    move_back("k1a", MERGE_WINDOW - timedelta(minutes=1))

    save(school, round_, anna, k1a=RatingChange(6))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 6]}),
    ]


def test_other_schools_and_rounds_do_not_interrupt_a_merge(team):
    school, round_, anna, _ = team
    other = make_school("100002")
    carla = make_user("carla@schule.de", school=other)
    save(school, round_, anna, k1a=RatingChange(4))
    save(other, round_, carla, k1a=RatingChange(9))

    save(school, round_, anna, k1a=RatingChange(6))

    assert rows(school, round_) == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 6]}),
    ]
    assert rows(other, round_) == [
        ("rating.changed", "Carla", carla.id, "k1a", "100002", "2025/26", {"score": [None, 9]}),
    ]


def test_submit_and_reopen_are_recorded_and_end_a_merge(team):
    school, round_, anna, _ = team
    state = rate(school, round_, anna, all_scores(5))
    assessments.submit(school, round_, anna, state.version)
    db.session.commit()
    assessments.reopen(school, round_, anna)
    db.session.commit()

    save(school, round_, anna, k1a=RatingChange(6))

    trail = rows(school, round_)
    assert len(trail) == 23 + 3
    assert trail[:1] == [("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [None, 5]})]
    assert trail[-3:] == [
        ("assessment.submitted", "Anna", anna.id, "", "100001", "2025/26", {}),
        ("assessment.reopened", "Anna", anna.id, "", "100001", "2025/26", {}),
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2025/26", {"score": [5, 6]}),
    ]


def test_another_persons_submission_and_reopening_end_a_merge(team):
    """Bert rates, Anna submits and reopens: Bert's next edit is a new entry, not merged into his old one."""
    school, round_, anna, bert = team
    state = rate(school, round_, bert, all_scores(5))
    assessments.submit(school, round_, anna, state.version)
    db.session.commit()
    assessments.reopen(school, round_, anna)
    db.session.commit()

    save(school, round_, bert, k1a=RatingChange(7))

    assert rows(school, round_)[-3:] == [
        ("assessment.submitted", "Anna", anna.id, "", "100001", "2025/26", {}),
        ("assessment.reopened", "Anna", anna.id, "", "100001", "2025/26", {}),
        ("rating.changed", "Bert", bert.id, "k1a", "100001", "2025/26", {"score": [5, 7]}),
    ]


# --- browse ----------------------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def trail(app_context):
    """Nine entries at known moments (UTC); Berlin is UTC+1 in March. Returns {name: event id}."""
    one, two = make_school("100001"), make_school("100002")
    round_ = make_round("2025/26")
    admin = create_user("admin@land.de", "Verena Admin", "admin", PASSWORD)
    anna = create_user("anna@schule.de", "Anna Albers", "team", PASSWORD, school=one)
    bert = create_user("bert@schule.de", "Bert_Brandt", "team", PASSWORD, school=two)
    db.session.commit()
    db.session.execute(delete(AuditEvent))
    entries = {
        "school": (at("2026-03-01 10:00"), dict(action="school.created", actor=None, subject="100001", school=one)),
        "round": (at("2026-03-01 11:00"), dict(action="round.created", actor=None, subject="2025/26", round_=round_)),
        "created": (
            at("2026-03-01 12:00"),
            dict(action="user.created", actor=admin, subject="anna@schule.de", subject_user=anna),
        ),
        "k1a": (at("2026-03-01 22:59:59"), dict(action="rating.changed", actor=anna, subject="k1a", school=one, round_=round_)),
        "k1b": (at("2026-03-01 23:30"), dict(action="rating.changed", actor=bert, subject="k1b", school=two, round_=round_)),
        "submitted": (at("2026-03-02 09:00"), dict(action="assessment.submitted", actor=anna, school=one, round_=round_)),
        "imported": (at("2026-03-02 22:59:59"), dict(action="schools.imported", actor=None, subject="schulen_50%.csv")),
        "deactivated": (
            at("2026-03-02 23:00"),
            dict(action="user.deactivated", actor=admin, subject="bert@schule.de", subject_user=bert),
        ),
        "closed": (at("2026-03-03 08:00"), dict(action="round.closed", actor=admin, subject="2025/26", round_=round_)),
    }
    ids = {}
    for name, (moment, kwargs) in entries.items():
        event = audit.record(kwargs.pop("action"), **kwargs)
        event.at = moment
        db.session.flush()
        ids[name] = event.id
    db.session.commit()
    return ids, {"admin": admin.id, "anna": anna.id, "bert": bert.id}


def names(page, ids) -> list[str]:
    by_id = {event_id: name for name, event_id in ids.items()}
    return [by_id[event.id] for event in page.items]


NEWEST_FIRST = ["closed", "deactivated", "imported", "submitted", "k1b", "k1a", "created", "round", "school"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (AuditFilter(), NEWEST_FIRST),
        (AuditFilter(action="bewertungen"), ["submitted", "k1b", "k1a"]),
        (AuditFilter(action="konten"), ["deactivated", "created"]),
        (AuditFilter(action="schulen"), ["imported", "school"]),
        (AuditFilter(action="runden"), ["closed", "round"]),
        (AuditFilter(action="rating.changed"), ["k1b", "k1a"]),
        (AuditFilter(action="round.closed"), ["closed"]),
        (AuditFilter(action="rating."), []),
        (AuditFilter(action="nichts"), []),
        (AuditFilter(actor="verena"), ["closed", "deactivated", "created"]),
        (AuditFilter(actor="ALBERS"), ["submitted", "k1a"]),
        (AuditFilter(actor="Kommandozeile"), ["imported", "round", "school"]),
        (AuditFilter(actor="_"), ["k1b"]),
        (AuditFilter(actor="%"), []),
        (AuditFilter(schulnummer="100001"), ["submitted", "k1a", "school"]),
        (AuditFilter(schulnummer="100002"), ["k1b"]),
        (AuditFilter(schulnummer="10000"), []),
        (AuditFilter(subject="K1"), ["k1b", "k1a"]),
        (AuditFilter(subject="@schule.de"), ["deactivated", "created"]),
        (AuditFilter(subject="50%"), ["imported"]),
        (AuditFilter(subject="0%"), ["imported"]),
        (AuditFilter(subject="1_"), []),
        (AuditFilter(action="bewertungen", actor="anna", schulnummer="100001"), ["submitted", "k1a"]),
    ],
    ids=[
        "all", "group-bewertungen", "group-konten", "group-schulen", "group-runden", "action", "action-2",
        "prefix-is-not-an-action", "unknown-action", "actor", "actor-upper", "actor-cli", "actor-underscore-literal",
        "actor-percent-literal", "schulnummer", "schulnummer-2", "schulnummer-exact", "subject", "subject-email",
        "subject-percent", "subject-percent-2", "subject-underscore-literal", "combined",
    ],
)  # fmt: skip
def test_browse_filters(trail, filters, expected):
    ids, _ = trail

    page = browse(filters)

    assert names(page, ids) == expected
    assert (page.page, page.pages, page.total) == (1, 1, len(expected))


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        # 23:30 UTC on 1 March is 00:30 on 2 March in Germany; 22:59:59 UTC is still 1 March.
        (date(2026, 3, 2), None, ["closed", "deactivated", "imported", "submitted", "k1b"]),
        (None, date(2026, 3, 1), ["k1a", "created", "round", "school"]),
        (date(2026, 3, 2), date(2026, 3, 2), ["imported", "submitted", "k1b"]),
        # 23:00 UTC on 2 March is midnight of 3 March in Germany.
        (date(2026, 3, 3), date(2026, 3, 3), ["closed", "deactivated"]),
        (date(2026, 3, 1), date(2026, 3, 1), ["k1a", "created", "round", "school"]),
        (date(2026, 3, 4), None, []),
        (None, date(2026, 2, 28), []),
        (date(2026, 3, 3), date(2026, 3, 1), []),
    ],
    ids=["since", "until", "one-day", "midnight-belongs-to-next-day", "first-day", "after", "before", "reversed"],
)
def test_browse_by_local_dates_in_germany(trail, since, until, expected):
    ids, _ = trail

    assert names(browse(AuditFilter(since=since, until=until)), ids) == expected


def test_browse_by_local_dates_in_summer_time(app_context):
    """In July Germany is UTC+2: 21:59 UTC is still 1 July, 22:00 UTC is 2 July."""
    late = audit.record("schools.imported", actor=None, subject="spät")
    late.at = at("2026-07-01 21:59:59")
    midnight = audit.record("schools.imported", actor=None, subject="mitternacht")
    midnight.at = at("2026-07-01 22:00")
    db.session.commit()

    july_1 = browse(AuditFilter(since=date(2026, 7, 1), until=date(2026, 7, 1)))
    july_2 = browse(AuditFilter(since=date(2026, 7, 2), until=date(2026, 7, 2)))

    assert [event.subject for event in july_1.items] == ["spät"]
    assert [event.subject for event in july_2.items] == ["mitternacht"]


def test_browse_by_account_finds_entries_made_by_it_and_about_it(trail):
    ids, users = trail

    assert names(browse(AuditFilter(user_id=users["anna"])), ids) == ["submitted", "k1a", "created"]
    assert names(browse(AuditFilter(user_id=users["bert"])), ids) == ["deactivated", "k1b"]
    assert names(browse(AuditFilter(user_id=users["admin"])), ids) == ["closed", "deactivated", "created"]
    assert names(browse(AuditFilter(user_id=users["admin"], action="runden")), ids) == ["closed"]
    assert names(browse(AuditFilter(user_id=999_999)), ids) == []


@pytest.mark.parametrize(
    ("page", "expected_page", "expected"),
    [
        (1, 1, ["closed", "deactivated"]),
        (2, 2, ["imported", "submitted"]),
        (4, 4, ["created", "round"]),
        (5, 5, ["school"]),
        (6, 5, ["school"]),
        (99, 5, ["school"]),
        (0, 1, ["closed", "deactivated"]),
        (-3, 1, ["closed", "deactivated"]),
    ],
)
def test_browse_pages_clamp_to_the_existing_ones(trail, page, expected_page, expected):
    ids, _ = trail

    result = browse(AuditFilter(), page=page, per_page=2)

    assert (names(result, ids), result.page, result.pages, result.total) == (expected, expected_page, 5, 9)


def test_browse_with_nothing_found_has_one_empty_page(trail):
    result = browse(AuditFilter(actor="niemand"), page=3)

    assert (result.items, result.page, result.pages, result.total) == ([], 1, 1, 0)


def test_browse_orders_entries_at_the_same_moment_newest_id_first(app_context):
    moment = at("2026-03-01 10:00")
    first = audit.record("schools.imported", actor=None, subject="a.csv")
    first.at = moment
    db.session.flush()
    second = audit.record("schools.imported", actor=None, subject="b.csv")
    second.at = moment
    db.session.commit()

    assert [event.subject for event in browse(AuditFilter()).items] == ["b.csv", "a.csv"]


def test_browse_by_actor_ignores_the_case_of_umlauts(app_context):
    school = make_school("100001")
    zeynep = create_user("zeynep@schule.de", "Zeynep Özdemir", "team", PASSWORD, school=school)
    db.session.commit()
    audit.record("user.token_issued", actor=zeynep, subject="zeynep@schule.de", subject_user=zeynep)
    db.session.commit()

    found = browse(AuditFilter(actor="özdemir"))

    assert [(event.action, event.actor_name) for event in found.items] == [("user.token_issued", "Zeynep Özdemir")]


# --- assessment history and events_about ---------------------------------------------------------------


def test_assessment_history_is_newest_first_and_only_about_the_assessment(team):
    school, round_, anna, bert = team
    other_round = make_round("2026/27")
    save(school, round_, bert, k1a=RatingChange(3))
    save(school, round_, anna, k1b=RatingChange(4))
    save(school, other_round, anna, k1a=RatingChange(9))
    update_school(school, actor=anna, name="Gesamtschule Nord", schulform="15", kreis_key="05913", ort="Dortmund")
    audit.record("round.closed", actor=None, subject="2025/26", school=school, round_=round_)
    db.session.commit()
    entries = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "rating.changed", AuditEvent.round_id == round_.id).order_by(AuditEvent.id)
    ).all()
    entries[0].at = at("2026-03-02 10:00")  # Bert's, later than Anna's
    entries[1].at = at("2026-03-01 10:00")
    db.session.commit()

    history = audit.assessment_history(school, round_)

    assert [row(event) for event in history] == [
        ("rating.changed", "Bert", bert.id, "k1a", "100001", "2025/26", {"score": [None, 3]}),
        ("rating.changed", "Anna", anna.id, "k1b", "100001", "2025/26", {"score": [None, 4]}),
    ]
    assert [row(event) for event in audit.assessment_history(school, other_round)] == [
        ("rating.changed", "Anna", anna.id, "k1a", "100001", "2026/27", {"score": [None, 9]}),
    ]


def test_events_about_an_account_are_oldest_first_by_and_about_it(trail):
    ids, users = trail
    anna = db.session.get(User, users["anna"])

    assert [event.id for event in audit.events_about(anna)] == [ids["created"], ids["k1a"], ids["submitted"]]
