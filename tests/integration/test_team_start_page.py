"""The team's start page (issue 16, item 3): a new round never hides an open draft."""

from __future__ import annotations

import pytest

from selfeval.extensions import catalogs
from selfeval.services.schools import get_school
from tests.support.factories import login, make_round, make_school, make_user, rated, submitted
from tests.support.html import csrf, soup_of, text

HOME = "/schule"


def first_scores(count: int) -> dict[str, int]:
    return {indicator.id: 4 for indicator in catalogs.active.indicators[:count]}


def sections(page) -> list[tuple[str, list[str], list[str]]]:
    """(heading, the entries' text, the entries' links) per section of the first school."""
    found = []
    for heading in page.find("section", class_="school-rounds").find_all("h3"):
        items = page.find("ul", attrs={"aria-labelledby": heading["id"]}).find_all("li")
        found.append((text(heading), [text(li) for li in items], [li.a["href"] for li in items]))
    return found


@pytest.fixture
def grundschule(app):
    """The Grundschule of the issue: 2025/26 open, its draft 16 of 23 rated."""
    with app.app_context():
        school = make_school("100002", schulform="02", name="Grundschule am See")
        this_year = make_round("2025/26")
        make_user("team@grundschule.test", school=school)
        rated(school, this_year, first_scores(16))
    return "100002"


def test_a_new_round_does_not_hide_the_open_draft_of_the_round_before(app, client, grundschule):
    """Reproduces issue 16.3: after 2026/27 was created the team landed on an empty draft."""
    with app.app_context():
        make_user("admin@land.test", "admin")
    login(client, "admin@land.test")
    client.post("/verwaltung/runden", data={"csrf_token": csrf(client, "/verwaltung/runden"), "name": "2026/27"})
    client.post("/abmelden", data={"csrf_token": csrf(client, "/verwaltung/")})
    login(client, "team@grundschule.test")
    response = client.get(HOME)
    assert response.status_code == 200
    page = soup_of(response)
    assert text(page.find("h2")) == "Grundschule am See (Grundschule, Schulnummer 100002)"
    assert sections(page) == [
        (
            "Offene Entwürfe",
            ["Erhebungsrunde 2025/26 – Entwurf (16 von 23 Indikatoren bewertet)"],
            ["/schulen/100002/2025-26/"],
        ),
        ("Aktuelle Erhebungsrunde", ["Erhebungsrunde 2026/27 – nicht begonnen"], ["/schulen/100002/2026-27/"]),
    ]
    assert client.get("/schulen/100002/2025-26/").status_code == 200


def test_past_rounds_form_an_archive_with_their_results(app, client, grundschule):
    with app.app_context():
        school = get_school(grundschule)
        earliest = make_round("2023/24", is_open=False)
        make_round("2024/25", is_open=False)  # the school did not take part: left out
        submitted(school, earliest, 3)
        older_draft = make_round("2022/23", is_open=False)
        rated(school, older_draft, {"k1a": 2})
    login(client, "team@grundschule.test")
    page = soup_of(client.get(HOME))
    (current, archive) = sections(page)
    assert current == (
        "Aktuelle Erhebungsrunde",
        ["Erhebungsrunde 2025/26 – Entwurf (16 von 23 Indikatoren bewertet)"],
        ["/schulen/100002/2025-26/"],
    )
    assert archive[0] == "Weitere Erhebungsrunden"
    assert archive[2] == ["/schulen/100002/2023-24/ergebnis", "/schulen/100002/2022-23/"]
    assert archive[1][1] == "Erhebungsrunde 2022/23 – Entwurf (1 von 23 Indikatoren bewertet) (Runde geschlossen, nur lesen)"
    assert archive[1][0].startswith("Erhebungsrunde 2023/24 – abgeschlossen am ")
    assert archive[1][0].endswith(", Gesamtwert 3,0 (Runde geschlossen)")


def test_with_only_the_current_round_the_team_goes_straight_to_it(app, client):
    with app.app_context():
        make_round("2024/25", is_open=False)  # never taken part in, closed: nothing to act on
        make_round("2025/26")
        make_user("team@schule.test", school=make_school("100001"))
    login(client, "team@schule.test")
    response = client.get(HOME)
    assert (response.status_code, response.headers["Location"]) == (302, "/schulen/100001/2025-26/")


def test_an_older_round_still_open_but_not_started_is_listed_to_act_on(app, client):
    with app.app_context():
        make_round("2024/25")
        make_round("2025/26")
        make_user("team@schule.test", school=make_school("100001"))
    login(client, "team@schule.test")
    assert sections(soup_of(client.get(HOME))) == [
        ("Aktuelle Erhebungsrunde", ["Erhebungsrunde 2025/26 – nicht begonnen"], ["/schulen/100001/2025-26/"]),
        ("Weitere Erhebungsrunden", ["Erhebungsrunde 2024/25 – nicht begonnen"], ["/schulen/100001/2024-25/"]),
    ]
