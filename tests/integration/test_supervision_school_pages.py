"""Supervision on a school's assessment pages: only links it may open, one status vocabulary (issue 19)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.factories import login, make_round, make_school, make_user, rated, submitted
from tests.support.html import soup_of, text


@pytest.fixture
def schools(app):
    with app.app_context():
        current = make_round("2025/26")
        make_school("100001", name="Noch nicht begonnen")
        rated(make_school("100002", name="Im Entwurf"), current, 5)
        submitted(make_school("100003", name="Abgeschlossen"), current, 6)
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
    return app


def school_links(page) -> list[str]:
    """The addresses of the page's links into assessment pages (the part of the page a reader acts on)."""
    main = page.find("main") or page
    return [a["href"] for a in main.find_all("a", href=True) if urlsplit(a["href"]).path.startswith("/schulen/")]


@pytest.mark.parametrize(
    ("schulnummer", "status", "criterion_target"),
    # A draft is the team's (issue 19): supervision gets no link into its results.
    [("100001", "nicht begonnen", None), ("100002", "Entwurf", None), ("100003", "abgeschlossen", "ergebnis")],
)
def test_supervision_sees_one_status_and_only_links_it_may_open(schools, client, schulnummer, status, criterion_target):
    login(client, "aufsicht@bezreg.test")
    overview = f"/schulen/{schulnummer}/2025-26/"
    page = soup_of(client.get(overview))

    assert text(page.select_one(".status-line .badge")) == status
    assert page.find("a", string="Verlauf: wer hat wann was geändert") is None
    criteria = page.select("ol.criteria-status li")
    targets = [urlsplit(link["href"]) for item in criteria for link in item.find_all("a")]
    if criterion_target is None:
        assert targets == []
        assert text(criteria[0].find("span")) == "Kriterium 1: Dauerhafte Implementierung von Konzepten zur digitalen Bildung"
    else:
        assert [(t.path, t.fragment) for t in targets] == [
            (f"/schulen/{schulnummer}/2025-26/{criterion_target}", f"kriterium-{n}") for n in range(1, len(criteria) + 1)
        ]
    for href in school_links(page):
        response = client.get(href)
        assert (href, response.status_code) == (href, 200)
        assert urlsplit(href).path != overview  # no link back to the page itself


def test_the_team_reads_the_same_status_and_rates_by_the_criterion_links(schools, client):
    with schools.app_context():
        make_user("team@schule.test", school=make_school("100004", name="Neu"))
    login(client, "team@schule.test")
    page = soup_of(client.get("/schulen/100004/2025-26/"))
    assert text(page.select_one(".status-line .badge")) == "nicht begonnen"
    first = page.select_one("ol.criteria-status li a")["href"]
    assert urlsplit(first).path.startswith("/schulen/100004/2025-26/kriterien/")
