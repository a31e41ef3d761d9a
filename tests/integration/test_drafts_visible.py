"""Issue 16: an unfinished draft must not look final on the results page or the HTML report."""

from __future__ import annotations

import pytest

from selfeval.paths import STATIC_DIR
from tests.support.catalogue import LEITFADEN
from tests.support.factories import login, make_round, make_school, make_user, rate
from tests.support.html import soup_of, text

RESULTS = "/schulen/100001/2025-26/ergebnis"
REPORT = "/schulen/100001/2025-26/bericht"
CSS = STATIC_DIR / "css" / "selfeval.css"


@pytest.fixture
def one_rated(app, client):
    """A draft of 2025/26 with only the first indicator rated (9)."""
    with app.app_context():
        school = make_school("100001")
        user = make_user("leitung@schule.de", school=school, leadership=True)
        rate(school, make_round("2025/26"), user, {"k1a": 9})
    login(client, "leitung@schule.de")
    return client


def test_the_results_of_a_draft_say_what_the_scores_rest_on(one_rated):
    page = soup_of(one_rated.get(RESULTS))
    assert text(page.find("p", class_="draft-mark")) == "Entwurf – nicht abgeschlossen"
    assert text(page.find("p", class_="lead")) == "Gesamtwert 9,0 von 10 – vorläufig, beruht auf 1 von 23 Indikatoren"
    table = page.find("table", class_="data-table")
    heads = [text(row.find("th")) for row in table.select("tbody tr")]
    titles = [f"{n}. {c.title}" for n, c in enumerate(LEITFADEN.criteria, 1)]
    counts = ["1 von 4", "0 von 4", "0 von 3", "0 von 4", "0 von 4", "0 von 4"]
    assert heads == [f"{title} ({count} bewertet)" for title, count in zip(titles, counts, strict=True)]


def test_unrated_criteria_are_named_gaps_in_the_radar_not_zeros(one_rated):
    svg = soup_of(one_rated.get(RESULTS)).find("svg", class_="radar-chart")
    labels = [text(label) for label in svg.select("text.radar-axis-label")]
    assert [label.endswith("(nicht bewertet)") for label in labels] == [False] + [True] * 5
    assert svg.select("polygon.radar-series") == []  # no outline through the centre
    assert svg.select(".radar-point--missing") == []
    assert len(svg.select("circle.radar-point")) == 1


def test_the_html_report_of_a_draft_carries_the_mark_on_screen_and_on_every_printed_page(one_rated):
    page = soup_of(one_rated.get(REPORT))
    mark = page.find(class_="draft-mark")
    assert text(mark) == "Entwurf – nicht abgeschlossen · vorläufig, beruht auf 1 von 23 Indikatoren"
    assert mark.find_parent("article", class_="report") is not None
    assert text(page.find("strong", class_="big-score")) == "Gesamtwert 9,0 von 10 – vorläufig, beruht auf 1 von 23 Indikatoren"
    css = CSS.read_text(encoding="utf-8")
    print_rules = css.split("@media print", 2)[2]
    assert ".report .draft-mark { position: fixed;" in print_rules  # Chromium repeats fixed elements on every page


def test_a_submitted_report_has_no_draft_mark(app, client):
    from tests.support.factories import all_scores, submitted

    with app.app_context():
        school = make_school("100001")
        make_user("leitung@schule.de", school=school, leadership=True)
        submitted(school, make_round("2025/26"), all_scores(7))
    login(client, "leitung@schule.de")
    for url in (RESULTS, REPORT):
        page = soup_of(client.get(url))
        assert (page.find(class_="draft-mark"), "vorläufig" in page.get_text()) == (None, False)


def test_the_results_page_shows_the_school_years_as_line_charts_and_a_table(app, client):
    """Issue 16: all earlier submitted rounds, per criterion and overall; drafts with their completeness only."""
    from tests.support.factories import all_scores, submitted

    with app.app_context():
        school = make_school("100001")
        user = make_user("leitung@schule.de", school=school, leadership=True)
        current = make_round("2025/26")
        first = make_round("2023/24", is_open=False)
        make_round("2024/25", is_open=False)
        make_round("2026/27", is_open=False)  # after the round on the page: not part of its history
        submitted(school, first, all_scores(4))
        rate(school, current, user, {"k1a": 9})
    login(client, "leitung@schule.de")
    section = soup_of(client.get(RESULTS)).find("section", attrs={"aria-labelledby": "history-heading"})
    figures = section.select("ul.history-charts figure")
    titles = ["Gesamtwert"] + [f"{n}. {c.title}" for n, c in enumerate(LEITFADEN.criteria, 1)]
    assert [text(figure.find("figcaption")) for figure in figures] == titles
    svg = figures[0].find("svg")
    assert (svg["role"], text(svg.find("title"))) == ("img", "Gesamtwert")
    assert [text(t) for t in svg.select("g.history-years text")] == ["2023/24", "2024/25", "2025/26"]
    assert [text(t) for t in svg.select("text.history-value")] == ["4,0"]  # the draft is not a result yet
    table = section.find("table", class_="history-table")
    assert [text(th) for th in table.select("thead th")] == ["Kriterium", "2023/24", "2024/25", "2025/26"]
    body = [[text(cell) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]
    assert body[:3] == [
        ["Stand", "abgeschlossen", "nicht begonnen", "Entwurf (1 von 23 Indikatoren bewertet)"],
        ["Gesamtwert", "4,0", "–", "–"],
        [titles[1], "4,0", "–", "–"],
    ]
    assert len(body) == 8


def test_while_rating_last_years_score_and_comment_stand_read_only_beside_each_indicator(app, client):
    """Issue 16: the team rates against its own history (the previous round's submitted assessment)."""
    from tests.support.factories import all_scores, submitted

    with app.app_context():
        school = make_school("100001")
        make_user("leitung@schule.de", school=school, leadership=True)
        last = make_round("2024/25", is_open=False)
        make_round("2025/26")
        submitted(school, last, all_scores(4) | {"k1b": 7})
    with app.app_context():
        from selfeval.extensions import db
        from selfeval.models import Rating

        rating = db.session.query(Rating).filter_by(indicator_id="k1a").one()
        rating.comment = "<b>Konzept</b> liegt vor\nzweite Zeile"
        db.session.commit()
    login(client, "leitung@schule.de")
    page = soup_of(client.get("/schulen/100001/2025-26/kriterien/k1"))
    boxes = [fieldset.find("div", class_="last-year") for fieldset in page.select("fieldset.indicator")]
    assert [text(box.find("p", class_="last-year__head")) for box in boxes] == [
        "Vorjahr 2024/25 (abgeschlossen): Bewertung 4",
        "Vorjahr 2024/25 (abgeschlossen): Bewertung 7",
        "Vorjahr 2024/25 (abgeschlossen): Bewertung 4",
        "Vorjahr 2024/25 (abgeschlossen): Bewertung 4",
    ]
    comment = boxes[0].find("p", class_="last-year__comment")
    assert (comment.get_text(), comment.find("b")) == ("Anmerkung: <b>Konzept</b> liegt vor\nzweite Zeile", None)
    assert [box.find(["input", "textarea"]) for box in boxes] == [None] * 4  # read-only: nothing to send


def test_without_a_submitted_previous_round_the_rating_page_shows_no_last_year(app, client):
    with app.app_context():
        school = make_school("100001")
        user = make_user("leitung@schule.de", school=school, leadership=True)
        last = make_round("2024/25")
        rate(school, last, user, {"k1a": 3})  # a draft: not a result to rate against
        make_round("2025/26")
    login(client, "leitung@schule.de")
    page = soup_of(client.get("/schulen/100001/2025-26/kriterien/k1"))
    assert (len(page.select("fieldset.indicator")), page.select("div.last-year")) == (4, [])


def test_without_an_earlier_submitted_school_year_the_history_is_a_sentence_not_seven_lone_points(app, client):
    from tests.support.factories import all_scores, submitted

    with app.app_context():
        school = make_school("100001")
        make_user("leitung@schule.de", school=school, leadership=True)
        submitted(school, make_round("2025/26"), all_scores(6))
    login(client, "leitung@schule.de")
    section = soup_of(client.get(RESULTS)).find("section", attrs={"aria-labelledby": "history-heading"})
    assert (section.select("svg"), section.select("table")) == ([], [])
    assert text(section.find("p")) == (
        "Der Verlauf über die Schuljahre erscheint, sobald Ihre Schule die Bewertung eines früheren Schuljahres "
        "abgeschlossen hat."
    )


def test_last_years_score_is_not_shown_beside_an_indicator_whose_text_changed_since(app, client):
    """A newer catalogue may give an indicator id another meaning: then last year's value would mislead."""
    from dataclasses import replace

    from selfeval.extensions import catalogs, db
    from selfeval.services.rounds import create_round
    from tests.support.factories import all_scores, submitted

    with app.app_context():
        school = make_school("100001")
        make_user("leitung@schule.de", school=school, leadership=True)
        last = make_round("2024/25", is_open=False)
        catalog = catalogs.active
        first, rest = catalog.criteria[0], catalog.criteria[1:]
        reworded = replace(first.indicators[0], text="Die Schule hat ein anderes, neu gefasstes Ziel.")
        newer = replace(catalog, version="99", criteria=(replace(first, indicators=(reworded, *first.indicators[1:])), *rest))
        create_round("2025/26", newer)
        db.session.commit()
        submitted(school, last, all_scores(4))
    login(client, "leitung@schule.de")
    page = soup_of(client.get("/schulen/100001/2025-26/kriterien/k1"))
    assert (len(page.select("fieldset.indicator")), page.select("div.last-year")) == (4, [])
