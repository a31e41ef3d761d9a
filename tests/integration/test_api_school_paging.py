"""GET /api/v1/schools in pages: `page` and `per_page`, the total in X-Total-Count, the other pages in Link (RFC 8288)."""

from __future__ import annotations

import pytest

from tests.support.factories import make_round, make_school, make_token, make_user
from tests.support.queries import counted_statements

SCHOOLS = "/api/v1/schools"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(app) -> str:
    """Seven schools, numbered out of order; an admin's token."""
    with app.app_context():
        for number in ("100007", "100003", "100001", "100005", "100002", "100006", "100004"):
            make_school(number)
        return make_token(make_user("admin@land.test", "admin"))


def numbers(answer) -> list[str]:
    return [school["schulnummer"] for school in answer.get_json()]


@pytest.mark.parametrize("with_round", [False, True], ids=["before any round", "with a round"])
def test_pages_follow_the_schulnummer_with_the_total_and_links(app, client, admin, with_round):
    if with_round:
        with app.app_context():
            make_round("2025/26")
    pages = [client.get(f"{SCHOOLS}?page={page}&per_page=3", headers=auth(admin)) for page in (1, 2, 3, 4)]

    assert [numbers(page) for page in pages] == [
        ["100001", "100002", "100003"],
        ["100004", "100005", "100006"],
        ["100007"],
        [],
    ]
    assert {page.headers["X-Total-Count"] for page in pages} == {"7"}
    link = '</api/v1/schools?page={}&per_page=3>; rel="{}"'
    assert [page.headers["Link"] for page in pages] == [
        ", ".join([link.format(1, "first"), link.format(2, "next"), link.format(3, "last")]),
        ", ".join([link.format(1, "first"), link.format(1, "prev"), link.format(3, "next"), link.format(3, "last")]),
        ", ".join([link.format(1, "first"), link.format(2, "prev"), link.format(3, "last")]),
        ", ".join([link.format(1, "first"), link.format(3, "prev"), link.format(3, "last")]),
    ]


def test_the_default_page_holds_500_and_other_query_values_stay_in_the_links(app, client, admin):
    with app.app_context():
        make_round("2025/26")
    answer = client.get(f"{SCHOOLS}?round=2025-26", headers=auth(admin))

    assert (answer.status_code, len(answer.get_json()), answer.headers["X-Total-Count"]) == (200, 7, "7")
    assert answer.headers["Link"] == (
        '</api/v1/schools?round=2025-26&page=1&per_page=500>; rel="first", '
        '</api/v1/schools?round=2025-26&page=1&per_page=500>; rel="last"'
    )


@pytest.mark.parametrize(
    ("query", "locations"),
    [
        ("page=0", ["page"]),
        ("page=x&per_page=2001", ["page", "per_page"]),
        ("per_page=-1", ["per_page"]),
        ("page=%C2%B2", ["page"]),  # a superscript two is a digit to str.isdigit, not a number
    ],
)
def test_bad_paging_values_are_named(client, admin, query, locations):
    answer = client.get(f"{SCHOOLS}?{query}", headers=auth(admin))

    assert answer.status_code == 422
    assert [error["location"] for error in answer.get_json()["error"]["errors"]] == locations


@pytest.mark.parametrize("with_round", [False, True], ids=["before any round", "with a round"])
def test_a_page_costs_as_many_statements_with_few_schools_as_with_many(app, client, admin, with_round):
    if with_round:
        with app.app_context():
            make_round("2025/26")
    client.get(f"{SCHOOLS}?per_page=2", headers=auth(admin))  # the catalogue of the round, once per process
    with counted_statements(app) as few:
        assert len(client.get(f"{SCHOOLS}?per_page=2", headers=auth(admin)).get_json()) == 2
    with app.app_context():
        for number in range(200001, 200031):
            make_school(str(number))
    with counted_statements(app) as many:
        assert len(client.get(f"{SCHOOLS}?per_page=20", headers=auth(admin)).get_json()) == 20

    assert len(many) == len(few), (few, many)
