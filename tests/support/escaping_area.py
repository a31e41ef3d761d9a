"""Data for the escaping tests: every payload of tests/support/payloads.py typed wherever people type text.

Schools 100001… are named after the payloads (name and Ort). School 100001 has one team member per payload,
named after it, who wrote that payload as the comment of one indicator (the n-th payload on the n-th indicator);
its Schulleitung then rated every indicator, and the assessment stays a draft so that its pages can still be edited.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask

from selfeval.extensions import catalogs, db
from selfeval.services.accounts import create_user
from selfeval.services.schools import add_school
from tests.conftest import empty_tables, make_test_app
from tests.support.factories import PASSWORD, leader, make_round, make_user, rate, rated
from tests.support.payloads import PAYLOADS

ROUND_NAME, ROUND_SLUG = "2025/26", "2025-26"
SCHOOLS = {f"{100001 + n}": payload for n, payload in enumerate(PAYLOADS)}
FIRST = "100001"
ADVISER, ADMIN = "berater@kommune.test", "admin@land.test"
LEADER_NAME = "Leitung-100001"
BASE = f"/schulen/{FIRST}/{ROUND_SLUG}"


def member_email(number: int) -> str:
    return f"mitglied{number}@schule.test"


def commented_indicators() -> list[str]:
    """The indicators that carry the payloads as comments, in catalogue order (the n-th payload on the n-th)."""
    return [indicator.id for indicator in catalogs.active.indicators][: len(PAYLOADS)]


def populate(app) -> None:
    with app.app_context():
        round_ = make_round(ROUND_NAME)
        schools = [add_school(number, payload, "15", "05913", payload) for number, payload in SCHOOLS.items()]
        db.session.commit()
        first = schools[0]
        for number, (payload, indicator) in enumerate(zip(PAYLOADS, commented_indicators(), strict=True)):
            # Only the first member logs in: the others need no password (hashing one takes a while).
            member = create_user(member_email(number), payload, "team", PASSWORD if number == 0 else None, school=first)
            db.session.commit()
            rate(first, round_, member, {}, {indicator: payload})
        assert leader(first).display_name == LEADER_NAME
        rated(first, round_, 5)
        make_user(ADVISER, "adviser", kreise=["05913"])
        make_user(ADMIN, "admin")


def populated_app(database_url: str, instance_path) -> Iterator[Flask]:
    """An app on the test database holding the area, for a module of tests that only read; emptied afterwards."""
    app = make_test_app(database_url, instance_path)
    populate(app)
    yield app
    empty_tables(app)
