"""Properties of PUT /api/v1/schools/<nr>/assessments/<round>: any body and any If-Match get exactly the documented status.

The expected status comes from the documented contract alone (README, "JSON API v1"): 428 without If-Match, 412 for
an If-Match that names no version, 400 for a body that is not JSON, 422 for invalid ratings, 412 for a stale version,
else 200. A refusal leaves the assessment, its ratings and the audit trail exactly as they were; a 200 stores exactly
what was sent. Every example starts from the same assessment (version 1), so that a failure can be shrunk and replayed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import strategies as st
from sqlalchemy import delete, select

from selfeval.extensions import db
from selfeval.limits import MAX_COMMENT_LENGTH, MAX_COMMENT_LINES
from selfeval.models import Assessment, AuditEvent, Rating, Round, School
from selfeval.services.accounts import find_user
from tests.support.api import ROUND_SLUG, SCHULNUMMER, TEXT, URL, auth, expected_state
from tests.support.catalogue import INDICATORS
from tests.support.factories import make_round, make_school, make_token, make_user, rate
from tests.support.properties import budget, weighted

MEMBER = "mitglied@schule.test"
#: Where every example starts: version 1 with these ratings.
BASELINE = {"k1a": (5, "Team seit 2023"), "k2b": (0, ""), "k6d": (10, "Tablets\nfür alle")}
BASELINE_VERSION = 1
#: An entity tag naming a version, as RFC 9110 spells it and the README documents it.
ENTITY_TAG = re.compile(r'(?:W/)?"([0-9]{1,9})"', re.ASCII)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
# app, client and the school are made once per test function, and each example resets the assessment itself
# (reset()), so sharing the function-scoped fixtures is safe; an example costs a few database round trips (too_slow).
EXAMPLES = budget(1.0, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def token(app) -> str:
    """School 123456, open round 2025/26, and the Bearer token of a team member."""
    with app.app_context():
        school = make_school(SCHULNUMMER)
        make_round("2025/26")
        return make_token(make_user(MEMBER, school=school))


def reset(app) -> None:
    """The assessment back at BASELINE in version 1, with its audit trail, whatever the example before did."""
    with app.app_context():
        for model in (AuditEvent, Rating, Assessment):
            db.session.execute(delete(model))
        db.session.commit()
        school = db.session.scalars(select(School).filter_by(schulnummer=SCHULNUMMER)).one()
        round_ = db.session.scalars(select(Round).filter_by(slug=ROUND_SLUG)).one()
        scores = {key: score for key, (score, _) in BASELINE.items()}
        comments = {key: comment for key, (_, comment) in BASELINE.items()}
        assert rate(school, round_, find_user(MEMBER), scores, comments).version == BASELINE_VERSION


def snapshot(app) -> dict[str, Any]:
    """Everything a PUT could touch: the assessment row, every rating row, every audit entry."""
    with app.app_context():
        assessment = db.session.scalars(select(Assessment)).one()
        ratings = db.session.scalars(select(Rating).order_by(Rating.indicator_id))
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return {
            "assessment": (assessment.version, assessment.status, assessment.updated_at, assessment.submitted_at),
            "ratings": {r.indicator_id: (r.score, r.comment, r.changed_in_version, r.updated_at) for r in ratings},
            "audit": [(e.id, e.action, e.subject, e.at, e.changes) for e in events],
        }


# --- the contract, written out -----------------------------------------------------------------------------------


def strict_json(raw: bytes) -> Any:
    """JSON as RFC 8259 has it: no NaN or Infinity; a key twice is ambiguous. ValueError otherwise."""

    def no_constants(name: str):
        raise ValueError(name)

    def no_duplicates(pairs):
        if len({key for key, _ in pairs}) != len(pairs):
            raise ValueError("duplicate key")
        return dict(pairs)

    return json.loads(raw, parse_constant=no_constants, object_pairs_hook=no_duplicates)


def requested_changes(body: Any) -> dict[str, dict[str, Any]] | None:
    """{indicator: {"score"?, "comment"?}} as they are to be stored, or None when the body has to be refused (422)."""
    if not isinstance(body, dict) or set(body) != {"ratings"} or not isinstance(body["ratings"], dict):
        return None
    changes = {}
    for indicator, value in body["ratings"].items():
        if indicator not in INDICATORS or not isinstance(value, dict) or not set(value) <= {"score", "comment"}:
            return None
        score, comment = value.get("score"), value.get("comment")
        if score is not None and (type(score) is not int or not 0 <= score <= 10):
            return None
        if comment is not None and not isinstance(comment, str):
            return None
        comment = (comment or "").replace("\r\n", "\n").replace("\r", "\n")
        if CONTROL.search(comment) or SURROGATE.search(comment) or len(comment) > MAX_COMMENT_LENGTH:
            return None
        if comment.count("\n") + 1 > MAX_COMMENT_LINES:
            return None
        changes[indicator] = {"score": score} if "score" in value else {}
        changes[indicator] |= {"comment": comment} if "comment" in value else {}
    return changes


def expected_status(header: str | None, raw: bytes) -> int:
    if header is None or header.strip() == "*":
        return 428
    version = ENTITY_TAG.fullmatch(header.strip())
    if version is None:
        return 412
    try:
        body = strict_json(raw)
    except (ValueError, RecursionError):
        return 400
    if requested_changes(body) is None:
        return 422
    return 200 if int(version.group(1)) == BASELINE_VERSION else 412


def stored_after(changes: dict[str, dict[str, Any]]) -> tuple[int, dict[str, tuple[int | None, str]]]:
    """The version and ratings the baseline becomes: one version more if anything changes at all."""
    ratings = dict(BASELINE)
    for indicator, change in changes.items():
        old = ratings.get(indicator, (None, ""))
        new = (change.get("score", old[0]), change.get("comment", old[1]))
        if new != old:
            ratings[indicator] = new
    return (BASELINE_VERSION if ratings == BASELINE else BASELINE_VERSION + 1), ratings


# --- checking one request ------------------------------------------------------------------------------------------


def put_and_check(app, client, token: str, header: str | None, raw: bytes) -> None:
    reset(app)
    before = snapshot(app)
    headers = {**auth(token), **({} if header is None else {"If-Match": header})}
    response = client.put(URL, data=raw, headers=headers, content_type="application/json")
    expected = expected_status(header, raw)
    event(f"status {response.status_code}")
    assert (response.status_code, response.mimetype) == (expected, "application/json"), (header, raw[:200])
    if expected == 200:
        version, ratings = stored_after(requested_changes(strict_json(raw)))
        assert response.get_json() == expected_state(version, ratings)
        assert response.headers["ETag"] == f'"{version}"'
        after = snapshot(app)
        assert (after["assessment"][0], {key: value[:2] for key, value in after["ratings"].items()}) == (version, ratings)
        if version == BASELINE_VERSION:
            assert after == before  # nothing to change: nothing written
        return
    assert_error_body(response, header)
    assert snapshot(app) == before


def assert_error_body(response, header: str | None) -> None:
    error = response.get_json()["error"]
    extra = {key: value for key, value in error.items() if key not in ("code", "message")}
    assert (error["code"], error["message"]) == (response.status_code, TEXT)
    version = ENTITY_TAG.fullmatch(header.strip()) if header is not None else None
    if response.status_code == 422:
        assert list(extra) == ["errors"] and len(extra["errors"]) >= 1
        assert [sorted(problem) for problem in extra["errors"]] == [["location", "message"]] * len(extra["errors"])
    elif response.status_code == 412 and version is not None:  # stale: what changed since, and the current state
        changed_since = sorted(BASELINE) if int(version.group(1)) < BASELINE_VERSION else []
        assert (sorted(extra["changed"]), extra["current"]) == (changed_since, expected_state(BASELINE_VERSION, BASELINE))
        assert sorted(extra) == ["changed", "current"]
    else:
        assert extra == {}


# --- strategies ------------------------------------------------------------------------------------------------------

CURRENT = st.sampled_from(['"1"', 'W/"1"', ' "1" ', '"01"', '"000000001"'])
if_match = weighted(
    (6, CURRENT),
    (1, st.none()),
    (1, st.sampled_from(["*", " * ", '"0"', '"2"', '"999999999"', '"1000000000"', '"-1"', '"1.0"', "1", '"²"', '"١"'])),
    (1, st.sampled_from(['W/ "1"', 'w/"1"', '"1", "2"', '""', "'1'", '"1', '"0x1"', '"1 "', "W/", '"+1"'])),
    (1, st.integers(min_value=0, max_value=10**12).map(lambda n: f'"{n}"')),
    (1, st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=20)),
)
valid_scores = st.integers(min_value=0, max_value=10) | st.none()
valid_comments = st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\r\n\t"), max_size=40)
scores = st.one_of(
    valid_scores,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["5", "", 5.0, [5], {"value": 5}]),
)
comments = st.one_of(
    valid_comments,
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["\x00", "a\x07b", "\x7f", "\ud800", "ok \udfff", "\r\n", "a\rb", "\t<b>fett</b>", "x" * 2000]),
    st.sampled_from(["x" * 2001, "\r\n" + "x" * 1999, "x" * 1999 + "\r\n", "\r" * 2001, "\n" * 39, "\r\n" * 40]),
    st.integers(),
    st.lists(st.text(max_size=3), max_size=2),
)
fields = st.sampled_from(["score", "comment", "Score", "note", ""])
valid_rating = st.fixed_dictionaries({}, optional={"score": valid_scores, "comment": valid_comments | st.none()})
rating = weighted(  # mostly valid, so that a single odd value decides
    (12, valid_rating),
    (2, st.fixed_dictionaries({}, optional={"score": scores, "comment": comments})),
    (1, st.dictionaries(fields, scores | comments, max_size=3)),
    (1, st.none() | st.integers() | st.text(max_size=5) | st.lists(st.integers(), max_size=2)),
)
indicators = weighted(
    (8, st.sampled_from(INDICATORS)), (1, st.sampled_from(["zz9", "K1A", "k1a ", "k7a", "", "k1a\x00", "ratings"]))
)
ratings = st.dictionaries(indicators, rating, max_size=4)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["ratings", "k1a", "score"]) | st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)
bodies = weighted(
    (6, st.builds(lambda r: {"ratings": r}, ratings)),
    (1, st.builds(lambda r, key, value: {"ratings": r, key: value}, ratings, st.text(max_size=8), json_values)),
    (1, st.builds(lambda value: {"ratings": value}, json_values)),
    (1, json_values),
)


def encoded(body: Any) -> bytes:
    # Lone surrogates become \ud800 escapes: valid JSON syntax, but no Unicode text.
    return json.dumps(body, allow_nan=True).encode("ascii")


@st.composite
def damaged_json(draw) -> bytes:
    """A rating body's JSON text cut, with something spliced in, re-encoded or wrapped."""
    text = json.dumps(draw(bodies), allow_nan=True)
    damage = draw(st.sampled_from(["cut", "splice", "duplicate", "nest", "encode", "trail"]))
    if damage == "cut":
        return text[: draw(st.integers(min_value=0, max_value=len(text)))].encode()
    if damage == "splice":
        spot = draw(st.integers(min_value=0, max_value=len(text)))
        piece = draw(st.sampled_from(["NaN", "-Infinity", ",", "}", "]", '"', "\\", "\x00", "{", "1e999", "9" * 5000, "\ufeff"]))
        return (text[:spot] + piece + text[spot:]).encode("utf-8")
    if damage == "duplicate":
        return text.replace('"ratings"', '"ratings": {}, "ratings"', 1).encode()
    if damage == "nest":
        depth = draw(st.sampled_from([1, 10, 1000, 100_000]))
        return ("[" * depth + text + "]" * depth).encode()
    if damage == "encode":
        return text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "utf-8-sig", "latin-1"])), errors="replace")
    return text.encode() + draw(st.binary(min_size=1, max_size=4))


raw_bodies = st.one_of(st.binary(max_size=100), json_values.map(encoded), damaged_json(), bodies.map(encoded))


# --- properties -------------------------------------------------------------------------------------------------------


@EXAMPLES
@given(header=if_match, body=bodies)
def test_rating_bodies_get_exactly_the_documented_status_and_a_refusal_changes_nothing(app, client, token, header, body):
    put_and_check(app, client, token, header, encoded(body))


@EXAMPLES
@given(header=if_match, raw=raw_bodies)
def test_any_bytes_as_body_get_exactly_the_documented_status_and_a_refusal_changes_nothing(app, client, token, header, raw):
    put_and_check(app, client, token, header, raw)


def test_the_strategies_reach_every_status():
    """The properties above are only as good as the mix they try: every documented outcome must occur."""
    outcomes = Counter()

    @budget(2)
    @given(header=if_match, raw=raw_bodies | bodies.map(encoded))
    def count(header, raw):
        outcomes[expected_status(header, raw)] += 1

    count()
    assert sorted(outcomes) == [200, 400, 412, 422, 428]
    assert min(outcomes.values()) >= 5, outcomes
