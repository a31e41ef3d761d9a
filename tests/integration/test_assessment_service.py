"""The assessment services on the real database: load, save (optimistic locking), submit, reopen, permissions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from selfeval.extensions import catalogs, db
from selfeval.models import Assessment, AuditEvent, Rating
from selfeval.permissions import can_edit_assessment, can_view_assessment
from selfeval.scoring import AssessmentScores
from selfeval.services import assessments
from selfeval.services.assessments import (
    AssessmentLocked,
    AssessmentState,
    NotLeadership,
    NotReadyToSubmit,
    RatingState,
    VersionConflict,
)
from selfeval.services.catalog_snapshots import record_snapshot
from selfeval.services.rating_input import RatingChange
from selfeval.services.rounds import create_round
from selfeval.services.schools import schools_visible_to
from tests.support.factories import all_scores, make_round, make_school, make_user, rate

ALL_IDS = [
    *("k1a", "k1b", "k1c", "k1d"),
    *("k2a", "k2b", "k2c", "k2d"),
    *("k3a", "k3b", "k3c"),
    *("k4a", "k4b", "k4c", "k4d"),
    *("k5a", "k5b", "k5c", "k5d"),
    *("k6a", "k6b", "k6c", "k6d"),
]


@pytest.fixture
def team(app_context):
    """School 100001 in round 2025/26 with a Schulleitung member (Anna) and a plain member (Bert)."""
    school = make_school("100001")
    round_ = make_round("2025/26")
    leader = make_user("anna@schule.de", school=school, leadership=True)
    member = make_user("bert@schule.de", school=school)
    return school, round_, leader, member


def save(school, round_, user, version, **changes: RatingChange) -> AssessmentState:
    state = assessments.save_ratings(school, round_, user, version, changes)
    db.session.commit()
    return state


def stored_ratings(school, round_) -> list[tuple]:
    """The rating rows as the database has them, in indicator order."""
    db.session.expire_all()
    query = (
        select(Rating.indicator_id, Rating.score, Rating.comment, Rating.changed_in_version, Rating.updated_by_id)
        .join(Assessment)
        .where(Assessment.school_id == school.id, Assessment.round_id == round_.id)
        .order_by(Rating.indicator_id)
    )
    return [tuple(row) for row in db.session.execute(query)]


def stored_assessment(school, round_) -> tuple:
    db.session.expire_all()
    query = select(Assessment.status, Assessment.version, Assessment.submitted_at, Assessment.submitted_by_id).where(
        Assessment.school_id == school.id, Assessment.round_id == round_.id
    )
    return tuple(db.session.execute(query).one())


def events(school, round_) -> list[tuple[str, int]]:
    """Submissions and reopenings in the audit trail, as (kind, user id)."""
    query = (
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.school_id == school.id, AuditEvent.round_id == round_.id)
        .where(AuditEvent.action.startswith("assessment."))
        .order_by(AuditEvent.id)
    )
    return [(action.removeprefix("assessment."), actor_id) for action, actor_id in db.session.execute(query)]


def assessment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Assessment))


# --- load_state ----------------------------------------------------------------------------------


def test_load_state_without_assessment_is_an_empty_draft(team):
    school, round_, _, _ = team

    state = assessments.load_state(school, round_)

    assert state == AssessmentState("100001", "2025-26", "2025/26", True, catalogs.active, "draft", 0, {})
    assert (state.submitted_at, state.submitted_by, state.is_editable) == (None, "", True)
    assert state.missing == ALL_IDS
    assert state.rating("k1a") == RatingState(None, "", 0, None, "")
    assert assessment_count() == 0


# --- save_ratings --------------------------------------------------------------------------------


def test_save_ratings_each_effective_save_increments_version_by_one(team):
    school, round_, leader, member = team

    first = save(school, round_, leader, 0, k1a=RatingChange(score=7))
    second = save(school, round_, member, 1, k1b=RatingChange(score=3), k2a=RatingChange(comment="Konzept liegt vor"))

    assert (first.version, second.version) == (1, 2)
    assert stored_assessment(school, round_) == ("draft", 2, None, None)
    assert stored_ratings(school, round_) == [
        ("k1a", 7, "", 1, leader.id),
        ("k1b", 3, "", 2, member.id),
        ("k2a", None, "Konzept liegt vor", 2, member.id),
    ]
    assert assessment_count() == 1


def test_save_ratings_unchanged_values_keep_the_version(team):
    school, round_, leader, member = team
    before = save(school, round_, leader, 0, k1a=RatingChange(score=7, comment="Beleg"), k1b=RatingChange(score=0))

    same = save(school, round_, member, 1, k1a=RatingChange(score=7, comment="Beleg"), k1b=RatingChange(score=0))
    nothing = save(school, round_, member, 1)
    unrated = save(school, round_, member, 1, k1c=RatingChange(score=None, comment=""))

    assert (same.version, nothing.version, unrated.version) == (1, 1, 1)
    assert same == before
    assert assessments.load_state(school, round_) == before
    assert stored_assessment(school, round_) == ("draft", 1, None, None)
    assert stored_ratings(school, round_) == [("k1a", 7, "Beleg", 1, leader.id), ("k1b", 0, "", 1, leader.id)]


def test_save_ratings_mixed_changes_bump_only_the_changed_indicators(team):
    school, round_, leader, member = team
    save(school, round_, leader, 0, k1a=RatingChange(score=7), k1b=RatingChange(score=3))

    state = save(school, round_, member, 1, k1a=RatingChange(score=7), k1b=RatingChange(score=None))

    assert state.version == 2
    assert stored_ratings(school, round_) == [("k1a", 7, "", 1, leader.id), ("k1b", None, "", 2, member.id)]


def test_save_ratings_score_only_change_keeps_the_comment(team):
    school, round_, leader, member = team
    save(school, round_, leader, 0, k1a=RatingChange(score=7, comment="Medienkonzept 2024"))

    state = save(school, round_, member, 1, k1a=RatingChange(score=8))

    assert (state.rating("k1a").score, state.rating("k1a").comment) == (8, "Medienkonzept 2024")
    assert stored_ratings(school, round_) == [("k1a", 8, "Medienkonzept 2024", 2, member.id)]


def test_save_ratings_comment_only_change_keeps_the_score(team):
    school, round_, leader, member = team
    save(school, round_, leader, 0, k1a=RatingChange(score=7, comment="Medienkonzept 2024"))

    state = save(school, round_, member, 1, k1a=RatingChange(comment="Medienkonzept 2025"))

    assert (state.rating("k1a").score, state.rating("k1a").comment) == (7, "Medienkonzept 2025")
    assert stored_ratings(school, round_) == [("k1a", 7, "Medienkonzept 2025", 2, member.id)]


def test_save_ratings_records_version_user_and_aware_utc_time(team):
    school, round_, leader, member = team
    start = datetime.now(UTC)
    save(school, round_, leader, 0, k1a=RatingChange(score=7))
    middle = datetime.now(UTC)
    save(school, round_, member, 1, k1b=RatingChange(score=4))
    end = datetime.now(UTC)

    db.session.expire_all()
    state = assessments.load_state(school, round_)

    k1a, k1b = state.rating("k1a"), state.rating("k1b")
    assert (k1a.score, k1a.changed_in_version, k1a.updated_by) == (7, 1, "Anna")
    assert (k1b.score, k1b.changed_in_version, k1b.updated_by) == (4, 2, "Bert")
    assert (k1a.updated_at.tzinfo, k1b.updated_at.tzinfo) == (UTC, UTC)
    assert start <= k1a.updated_at <= middle <= k1b.updated_at <= end


def test_save_ratings_scores_are_computed_exactly(team):
    school, round_, leader, _ = team
    changes = {"k1a": 7, "k1b": 3, "k1c": 8, "k2a": 10, "k4a": 0, "k4b": 1}

    state = save(school, round_, leader, 0, **{key: RatingChange(score=value) for key, value in changes.items()})

    criteria = {"k1": 6.0, "k2": 10.0, "k3": None, "k4": 0.5, "k5": None, "k6": None}
    assert state.scores == AssessmentScores(5.5, criteria, 6, 23)
    assert state.scores.completeness == 6 / 23
    assert assessments.load_state(school, round_).scores == AssessmentScores(5.5, criteria, 6, 23)
    assert state.missing == [key for key in ALL_IDS if key not in changes]


def test_save_ratings_complete_assessment_scores(team):
    school, round_, leader, _ = team
    scores = all_scores(4) | {"k3a": 10, "k3b": 10, "k3c": 1}

    state = rate(school, round_, leader, scores)

    criteria = {"k1": 4.0, "k2": 4.0, "k3": 7.0, "k4": 4.0, "k5": 4.0, "k6": 4.0}
    assert state.scores == AssessmentScores(4.5, criteria, 23, 23)
    assert (state.scores.is_complete, state.missing) == (True, [])


# --- VersionConflict -----------------------------------------------------------------------------


def test_save_ratings_on_an_old_version_raises_version_conflict(team):
    school, round_, leader, member = team
    save(school, round_, leader, 0, k1a=RatingChange(score=7), k1b=RatingChange(score=2))
    save(school, round_, leader, 1, k1b=RatingChange(score=3), k2a=RatingChange(comment="neu"))
    current = assessments.load_state(school, round_)
    rows = stored_ratings(school, round_)

    with pytest.raises(VersionConflict) as caught:
        assessments.save_ratings(school, round_, member, 1, {"k1a": RatingChange(score=9), "k3a": RatingChange(score=1)})
    db.session.commit()

    assert sorted(caught.value.changed) == ["k1b", "k2a"]
    assert caught.value.current == current
    assert caught.value.current.version == 2
    assert str(caught.value) == "Version 1 ist veraltet; aktuell ist Version 2."
    assert stored_assessment(school, round_) == ("draft", 2, None, None)
    assert stored_ratings(school, round_) == rows
    assert assessments.load_state(school, round_) == current


def test_a_refused_first_save_rolled_back_leaves_no_draft_behind(team):
    """The draft a first save creates goes with the caller's rollback (no savepoint may commit it on SQLite)."""
    school, round_, leader, member = team
    with pytest.raises(VersionConflict):
        assessments.save_ratings(school, round_, member, 5, {"k1a": RatingChange(score=9)})
    db.session.rollback()

    assert assessment_count() == 0


def test_save_ratings_conflict_lists_everything_changed_since_the_base_version(team):
    school, round_, leader, member = team
    save(school, round_, leader, 0, k1a=RatingChange(score=7))
    save(school, round_, leader, 1, k1b=RatingChange(score=3))
    save(school, round_, leader, 2, k1c=RatingChange(score=4))

    with pytest.raises(VersionConflict) as from_zero:
        assessments.save_ratings(school, round_, member, 0, {"k6d": RatingChange(score=1)})
    db.session.rollback()
    with pytest.raises(VersionConflict) as from_two:
        assessments.save_ratings(school, round_, member, 2, {"k6d": RatingChange(score=1)})
    db.session.rollback()

    assert sorted(from_zero.value.changed) == ["k1a", "k1b", "k1c"]
    assert from_two.value.changed == ["k1c"]
    assert stored_assessment(school, round_) == ("draft", 3, None, None)


# --- catalogue pinned per round ------------------------------------------------------------------


def test_round_keeps_its_catalogue_after_a_new_version_is_recorded(team):
    school, old_round, leader, _ = team
    other = make_school("100002")
    save(school, old_round, leader, 0, k1a=RatingChange(score=7))
    original = catalogs.active
    edited = replace(original, version="5", title="Leitfaden Digitale Schulentwicklung (überarbeitet)")

    record_snapshot(edited)
    db.session.commit()
    new_round = create_round("2026/27", edited)
    db.session.commit()

    assert new_round.catalog_snapshot.version == "5"
    assert assessments.load_state(school, old_round).catalog == original
    assert assessments.load_state(other, old_round).catalog == original
    started = save(other, old_round, leader, 0, k1a=RatingChange(score=2))
    assert (started.version, started.catalog) == (1, original)
    assert save(school, new_round, leader, 0, k1a=RatingChange(score=1)).catalog == edited
    new_state = assessments.load_state(school, new_round)
    assert (new_state.catalog.version, new_state.catalog.title) == ("5", "Leitfaden Digitale Schulentwicklung (überarbeitet)")
    assert assessments.load_state(other, new_round).catalog == edited
    old_assessment = db.session.scalars(select(Assessment).filter_by(school_id=school.id, round_id=old_round.id)).one()
    assert (old_assessment.catalog_snapshot.version, old_assessment.catalog_snapshot.content["title"]) == (
        original.version,
        original.title,
    )
    started_assessment = db.session.scalars(select(Assessment).filter_by(school_id=other.id, round_id=old_round.id)).one()
    assert started_assessment.catalog_snapshot_id == old_round.catalog_snapshot_id != new_round.catalog_snapshot_id
    assert original.version == "4"


# --- submit --------------------------------------------------------------------------------------


def test_submit_incomplete_assessment_names_the_missing_indicators(team):
    school, round_, leader, _ = team
    rate(school, round_, leader, {key: 5 for key in ALL_IDS if key not in ("k2c", "k4a", "k6d")})

    with pytest.raises(NotReadyToSubmit) as caught:
        assessments.submit(school, round_, leader, 1)
    db.session.rollback()

    assert (caught.value.missing, caught.value.has_leadership) == (["k2c", "k4a", "k6d"], True)
    assert stored_assessment(school, round_) == ("draft", 1, None, None)
    assert events(school, round_) == []


def test_submit_without_assessment_names_every_indicator(team):
    school, round_, leader, _ = team

    with pytest.raises(NotReadyToSubmit) as caught:
        assessments.submit(school, round_, leader, 0)
    db.session.rollback()

    assert (caught.value.missing, caught.value.has_leadership) == (ALL_IDS, True)
    assert assessment_count() == 0


def test_submit_without_leadership_member_is_refused(app_context):
    school = make_school("100001")
    round_ = make_round("2025/26")
    member = make_user("bert@schule.de", school=school)
    make_user("lena@andere.de", school=make_school("100002"), leadership=True)
    rate(school, round_, member, all_scores(5))

    with pytest.raises(NotReadyToSubmit) as caught:
        assessments.submit(school, round_, member, 1)
    db.session.rollback()

    assert (caught.value.missing, caught.value.has_leadership) == ([], False)
    assert stored_assessment(school, round_) == ("draft", 1, None, None)


def test_submit_with_only_a_deactivated_leadership_member_is_refused(team):
    school, round_, leader, member = team
    rate(school, round_, member, all_scores(5))
    leader.active = False
    db.session.commit()

    with pytest.raises(NotReadyToSubmit) as caught:
        assessments.submit(school, round_, member, 1)
    db.session.rollback()

    assert (caught.value.missing, caught.value.has_leadership) == ([], False)
    assert stored_assessment(school, round_) == ("draft", 1, None, None)


def test_submit_complete_assessment_records_who_and_when(team):
    school, round_, leader, member = team
    rate(school, round_, member, all_scores(5))
    start = datetime.now(UTC)

    state = assessments.submit(school, round_, member, 1)
    db.session.commit()
    end = datetime.now(UTC)

    assert (state.status, state.version, state.submitted_by, state.is_editable) == ("submitted", 2, "Bert", False)
    status, version, submitted_at, submitted_by_id = stored_assessment(school, round_)
    assert (status, version, submitted_by_id) == ("submitted", 2, member.id)
    assert submitted_at.tzinfo == UTC
    assert start <= submitted_at <= end
    assert events(school, round_) == [("submitted", member.id)]
    assert assessments.load_state(school, round_) == state


def test_submit_on_an_old_version_raises_version_conflict(team):
    school, round_, leader, member = team
    rate(school, round_, member, all_scores(5))

    with pytest.raises(VersionConflict):
        assessments.submit(school, round_, leader, 0)
    db.session.rollback()

    assert stored_assessment(school, round_) == ("draft", 1, None, None)
    assert events(school, round_) == []


def test_save_ratings_after_submit_raises_assessment_locked(team):
    school, round_, leader, member = team
    rate(school, round_, member, all_scores(5))
    assessments.submit(school, round_, leader, 1)
    db.session.commit()
    rows = stored_ratings(school, round_)

    with pytest.raises(AssessmentLocked) as caught:
        assessments.save_ratings(school, round_, member, 2, {"k1a": RatingChange(score=9)})
    db.session.rollback()

    assert str(caught.value) == "Die Bewertung ist abgeschlossen und kann nicht mehr geändert werden."
    assert stored_ratings(school, round_) == rows
    assert stored_assessment(school, round_)[:2] == ("submitted", 2)


def test_save_ratings_in_a_closed_round_raises_assessment_locked(team):
    school, round_, leader, member = team
    save(school, round_, leader, 0, k1a=RatingChange(score=7))
    round_.is_open = False
    db.session.commit()
    rows = stored_ratings(school, round_)

    with pytest.raises(AssessmentLocked) as caught:
        assessments.save_ratings(school, round_, member, 1, {"k1a": RatingChange(score=9)})
    db.session.rollback()

    assert str(caught.value) == "Die Erhebungsrunde 2025/26 ist geschlossen."
    assert stored_ratings(school, round_) == rows
    assert stored_assessment(school, round_) == ("draft", 1, None, None)
    assert assessments.load_state(school, round_).is_editable is False


def test_submit_in_a_closed_round_raises_assessment_locked(team):
    school, round_, leader, member = team
    rate(school, round_, member, all_scores(5))
    round_.is_open = False
    db.session.commit()

    with pytest.raises(AssessmentLocked) as caught:
        assessments.submit(school, round_, leader, 1)
    db.session.rollback()

    assert str(caught.value) == "Die Erhebungsrunde 2025/26 ist geschlossen."
    assert stored_assessment(school, round_) == ("draft", 1, None, None)


# --- reopen --------------------------------------------------------------------------------------


@pytest.fixture
def submitted(team):
    school, round_, leader, member = team
    rate(school, round_, member, all_scores(5))
    assessments.submit(school, round_, member, 1)
    db.session.commit()
    return team


def test_reopen_by_a_member_outside_the_schulleitung_raises_not_leadership(submitted):
    school, round_, leader, member = submitted

    with pytest.raises(NotLeadership) as caught:
        assessments.reopen(school, round_, member)
    db.session.rollback()

    assert str(caught.value) == "Nur ein Mitglied der Schulleitung im Team kann eine Bewertung wieder öffnen."
    assert stored_assessment(school, round_)[:2] == ("submitted", 2)
    assert events(school, round_) == [("submitted", member.id)]


def test_reopen_by_the_schulleitung_of_another_school_raises_not_leadership(submitted):
    school, round_, leader, member = submitted
    outsider = make_user("lena@andere.de", school=make_school("100002"), leadership=True)

    with pytest.raises(NotLeadership):
        assessments.reopen(school, round_, outsider)
    db.session.rollback()

    assert stored_assessment(school, round_)[:2] == ("submitted", 2)


def test_reopen_by_a_leadership_member_returns_to_draft(submitted):
    school, round_, leader, member = submitted

    state = assessments.reopen(school, round_, leader)
    db.session.commit()

    assert (state.status, state.version, state.submitted_at, state.submitted_by, state.is_editable) == (
        "draft",
        3,
        None,
        "",
        True,
    )
    assert stored_assessment(school, round_) == ("draft", 3, None, None)
    assert events(school, round_) == [("submitted", member.id), ("reopened", leader.id)]
    assert save(school, round_, member, 3, k1a=RatingChange(score=6)).version == 4


def test_reopen_in_a_closed_round_raises_assessment_locked(submitted):
    school, round_, leader, member = submitted
    round_.is_open = False
    db.session.commit()

    with pytest.raises(AssessmentLocked) as caught:
        assessments.reopen(school, round_, leader)
    db.session.rollback()

    assert str(caught.value) == "Die Erhebungsrunde 2025/26 ist geschlossen."
    assert stored_assessment(school, round_)[:2] == ("submitted", 2)
    assert events(school, round_) == [("submitted", member.id)]


def test_reopen_of_a_draft_raises_assessment_locked(team):
    school, round_, leader, member = team
    save(school, round_, member, 0, k1a=RatingChange(score=7))

    with pytest.raises(AssessmentLocked) as caught:
        assessments.reopen(school, round_, leader)
    db.session.rollback()

    assert str(caught.value) == "Die Bewertung ist nicht abgeschlossen."
    assert stored_assessment(school, round_) == ("draft", 1, None, None)


# --- permissions ---------------------------------------------------------------------------------

#: name -> (role, school of the membership, scopes, active)
USERS = {
    "team-own": ("team", "gesamtschule-dortmund", {}, True),
    "team-other": ("team", "gymnasium-dortmund", {}, True),
    "supervisor-kreis-dortmund": ("supervisor", None, {"kreise": ["05913"]}, True),
    "supervisor-bezirk-arnsberg": ("supervisor", None, {"bezirke": ["Arnsberg"]}, True),
    "supervisor-arnsberg-gymnasien": ("supervisor", None, {"bezirke": ["Arnsberg"], "schulformen": ["20"]}, True),
    "adviser-kreis-dortmund": ("adviser", None, {"kreise": ["05913"]}, True),
    "admin": ("admin", None, {}, True),
    "team-deactivated": ("team", "gesamtschule-dortmund", {}, False),
}


@pytest.fixture
def schools(app_context):
    return {
        "gesamtschule-dortmund": make_school("100001", schulform="15", kreis="05913"),
        "gymnasium-dortmund": make_school("100002", schulform="20", kreis="05913"),
        "gesamtschule-duesseldorf": make_school("100003", schulform="15", kreis="05111"),
        "gymnasium-ennepe-ruhr": make_school("100004", schulform="20", kreis="05954"),
        "gymnasium-duesseldorf": make_school("100005", schulform="20", kreis="05111"),
    }


def build_user(name: str, schools):
    role, school_key, scopes, active = USERS[name]
    user = make_user(f"{name}@example.de", role, school=schools[school_key] if school_key else None, **scopes)
    if not active:
        user.active = False
        db.session.commit()
    return user


@pytest.mark.parametrize(
    ("user_name", "school_key", "view", "edit"),
    [
        ("team-own", "gesamtschule-dortmund", True, True),
        ("team-other", "gesamtschule-dortmund", False, False),
        ("supervisor-kreis-dortmund", "gesamtschule-dortmund", True, False),
        ("supervisor-kreis-dortmund", "gesamtschule-duesseldorf", False, False),
        ("supervisor-bezirk-arnsberg", "gesamtschule-dortmund", True, False),
        ("supervisor-bezirk-arnsberg", "gesamtschule-duesseldorf", False, False),
        ("supervisor-arnsberg-gymnasien", "gesamtschule-dortmund", False, False),
        ("supervisor-arnsberg-gymnasien", "gymnasium-dortmund", True, False),
        ("supervisor-arnsberg-gymnasien", "gymnasium-duesseldorf", False, False),
        ("adviser-kreis-dortmund", "gesamtschule-dortmund", True, False),
        ("adviser-kreis-dortmund", "gymnasium-ennepe-ruhr", False, False),
        ("admin", "gesamtschule-dortmund", True, False),
        ("team-deactivated", "gesamtschule-dortmund", False, False),
    ],
)
def test_can_view_and_edit_assessment_for_role_and_scope(schools, user_name, school_key, view, edit):
    user = build_user(user_name, schools)

    assert (can_view_assessment(user, schools[school_key]), can_edit_assessment(user, schools[school_key])) == (view, edit)


@pytest.mark.parametrize(
    ("user_name", "visible"),
    [
        ("team-own", ["100001"]),
        ("team-other", ["100002"]),
        ("supervisor-kreis-dortmund", ["100001", "100002"]),
        ("supervisor-bezirk-arnsberg", ["100001", "100002", "100004"]),
        ("supervisor-arnsberg-gymnasien", ["100002", "100004"]),
        ("adviser-kreis-dortmund", ["100001", "100002"]),
        ("admin", ["100001", "100002", "100003", "100004", "100005"]),
        ("team-deactivated", []),
    ],
)
def test_schools_visible_to_matches_can_view_assessment(schools, user_name, visible):
    user = build_user(user_name, schools)
    everything = sorted(schools.values(), key=lambda school: school.schulnummer)

    by_predicate = [school.schulnummer for school in everything if can_view_assessment(user, school)]

    assert by_predicate == visible
    assert [school.schulnummer for school in schools_visible_to(user)] == by_predicate
