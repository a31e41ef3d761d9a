"""The improvement report of one school: PDF page, accessible HTML twin and API, who may see them, and what they say."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from selfeval.display import local_date
from selfeval.extensions import db
from selfeval.reports.chart import report_radar
from selfeval.reports.pdf import render_pdf
from selfeval.services.accounts import find_user
from selfeval.services.reports import batch_schools, iter_reports, report_for
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.api import auth
from tests.support.factories import leader, login, make_round, make_school, make_token, rate, submitted
from tests.support.html import soup_of, text
from tests.support.reports import (
    API,
    BASE,
    HTML,
    PDF,
    SCRIPT,
    USERS,
    assert_pdf_download,
    pdf_text,
    populate,
)

NOTHING_RATED = "Für Dorf-Grundschule liegt in der Runde 2025/26 noch keine Bewertung vor."
NO_ACCESS = {"error": {"code": 403, "message": "Kein Zugriff auf die Bewertung dieser Schule."}}
ANONYMOUS = {"error": {"code": 401, "message": "Anmeldung erforderlich: Authorization: Bearer <Token>."}}


@pytest.fixture
def area(app):
    populate(app)


def token_of(app, email: str) -> str:
    with app.app_context():
        return make_token(find_user(email))


def today() -> date:
    return local_date(datetime.now(UTC))


def assert_forbidden_page(response) -> None:
    assert (response.status_code, response.mimetype) == (403, "text/html")
    assert text(soup_of(response).h1) == "Kein Zugriff"


@pytest.mark.parametrize("role", ["team", "adviser", "supervisor", "admin"])
def test_who_may_see_the_school_gets_its_report_as_pdf_page_and_api(app, client, area, role):
    login(client, USERS[role])
    assert_pdf_download(client.get(PDF))
    page = client.get(HTML)
    assert (page.status_code, page.mimetype) == (200, "text/html")
    assert text(soup_of(page).h1) == "Adler-Gesamtschule"
    assert_pdf_download(client.get(API, headers=auth(token_of(app, USERS[role]))))


@pytest.mark.parametrize("role", ["other_team", "adviser_elsewhere"])
def test_who_may_not_see_the_school_gets_403_everywhere(app, client, area, role):
    login(client, USERS[role])
    assert_forbidden_page(client.get(PDF))
    assert_forbidden_page(client.get(HTML))
    response = client.get(API, headers=auth(token_of(app, USERS[role])))
    assert (response.status_code, response.get_json()) == (403, NO_ACCESS)


def test_anonymous_users_are_sent_to_the_login_and_the_api_answers_401(client, area):
    for url in (PDF, HTML):
        response = client.get(url)
        assert (response.status_code, response.headers["Location"]) == (302, "/anmelden?next=" + url.replace("/", "%2F"))
    response = client.get(API)
    assert (response.status_code, response.get_json()) == (401, ANONYMOUS)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="selfeval"'


def test_unknown_school_or_round_is_404(app, client, area):
    login(client, USERS["admin"])
    for url in ("/schulen/999999/2025-26/bericht.pdf", "/schulen/100001/2030-31/bericht.pdf", "/schulen/999999/2025-26/bericht"):
        response = client.get(url)
        assert (response.status_code, text(soup_of(response).h1)) == (404, "Seite nicht gefunden")
    headers = auth(token_of(app, USERS["admin"]))
    responses = [
        client.get(f"/api/v1/schools/{path}.pdf", headers=headers)
        for path in ("999999/reports/2025-26", "100001/reports/2030-31")
    ]
    assert [(r.status_code, r.get_json()) for r in responses] == [
        (404, {"error": {"code": 404, "message": "Schule 999999 nicht gefunden"}}),
        (404, {"error": {"code": 404, "message": "Erhebungsrunde 2030-31 nicht gefunden"}}),
    ]


def test_nothing_rated_leads_back_to_the_results_with_a_message(app, client, area):
    login(client, USERS["admin"])
    for url in ("/schulen/100004/2025-26/bericht.pdf", "/schulen/100004/2025-26/bericht"):
        response = client.get(url)
        assert (response.status_code, response.headers["Location"]) == (302, "/schulen/100004/2025-26/ergebnis")
        page = soup_of(client.get(response.headers["Location"]))
        assert [text(p) for p in page.select(".flashes p")] == [NOTHING_RATED]
        assert page.select("p.actions a") == []  # no report links while nothing is rated
    response = client.get("/api/v1/schools/100004/reports/2025-26.pdf", headers=auth(token_of(app, USERS["admin"])))
    assert (response.status_code, response.get_json()) == (404, {"error": {"code": 404, "message": NOTHING_RATED}})


def test_the_results_page_links_both_reports(client, area):
    login(client, USERS["team"])
    page = soup_of(client.get(f"{BASE}/ergebnis"))
    assert [(text(a), a["href"]) for a in page.select("p.actions a")] == [
        ("Bericht (PDF)", PDF),
        ("Bericht als barrierefreie Webseite", HTML),
        ("Word-Dokument (DOCX)", f"{BASE}/plan.docx"),  # "Für das Medienkonzept" (issue 18)
        ("Tabelle (XLSX)", f"{BASE}/ergebnis.xlsx"),
    ]


def test_the_pdf_says_what_the_school_rated_and_commented(client, area):
    login(client, USERS["team"])
    content = pdf_text(client.get(PDF).data)
    assert "Adler-Gesamtschule" in content
    stand = f"abgeschlossen am {today():%d.%m.%Y}"
    assert f"Schulnummer 100001 · Gesamtschule · Dortmund · Erhebungsrunde 2025/26 · {stand}" in content
    assert "Gesamtwert 5,0 von 10" in content
    assert "1. Dauerhafte Implementierung von Konzepten zur digitalen Bildung 2,5" in content
    assert f"Kommentar des Teams: {SCRIPT}" in content
    assert "Kommentar des Teams: Ayşe Yılmaz kümmert sich." in content
    assert "Entwurf" not in content


def test_a_draft_report_is_marked_as_such(client, area):
    login(client, "leitung-100003@schule.test")  # a draft is the team's (DATENSCHUTZ.md)
    response = client.get("/schulen/100003/2025-26/bericht.pdf")
    assert_pdf_download(response, "bericht-2025-26-100003-castell-gesamtschule.pdf")
    assert "Entwurf (1 von 23 Indikatoren bewertet)" in pdf_text(response.data)


def test_the_single_report_equals_the_batch_report(app, client, area):
    with app.app_context():
        round_ = get_round("2025-26")
        single = report_for(get_school("100001"), round_, today=date(2026, 1, 15))
        batch = list(iter_reports(round_, batch_schools(None, round_), today=date(2026, 1, 15)))
        assert [data.school.schulnummer for data in batch] == ["100001", "100002", "300001"]  # submitted only
        assert batch[0] == single
        assert (single.overall, [c.score for c in single.criteria]) == (5.0, [2.5, 3.5, 6.0, 6.0, 6.0, 6.0])
        # 1c, 2a and 2b share the third-lowest score 3: all three are Entwicklungsfelder (issue 18).
        assert [h.indicator.label for h in single.development_areas] == ["1a", "1b", "1c", "2a", "2b"]
        batch_text = pdf_text(render_pdf(next(iter_reports(round_, [get_school("100001")]))))
    login(client, USERS["team"])
    assert pdf_text(client.get(PDF).data) == batch_text


def test_a_previous_round_and_a_comparison_group_appear_when_there_are_some(app):
    with app.app_context():
        earlier = make_round("2024/25", is_open=False)
        current = make_round("2025/26")
        schools = [make_school(f"20000{n}", name=f"Gesamtschule {n}", schulform="15") for n in range(1, 7)]
        submitted(schools[0], earlier, 4)
        for school, value in zip(schools, [2, 4, 6, 8, 10, 10], strict=True):
            submitted(school, current, value)
        data = report_for(db.session.merge(schools[0]), current, today=date(2026, 1, 15))
    assert (data.previous_round_name, data.previous_overall, data.overall, data.overall_change) == ("2024/25", 4.0, 2.0, -2.0)
    assert [c.previous_score for c in data.criteria] == [4.0] * 6
    # the five others without the school itself: 4, 6, 8, 10, 10, mean 7.6, shown in half points
    assert (data.comparison.size, data.comparison.is_shown, data.comparison.overall_mean) == (5, True, 7.5)
    assert [c.comparison_mean for c in data.criteria] == [7.5] * 6


def test_the_html_twin_has_headings_the_criteria_table_the_chart_and_escaped_comments(app, client, area):
    login(client, USERS["team"])
    response = client.get(HTML)
    html = response.get_data(as_text=True)
    page = soup_of(response)

    assert [text(h) for h in page.find_all("h2")] == [
        "Auf einen Blick", "Stärken und Entwicklungsfelder", "Vorschläge für Entwicklungsschwerpunkte", "Ergebnisse je Kriterium",
        "Hinweise",
    ]  # fmt: skip
    facts = {text(item.dt): text(item.dd) for item in page.select("dl.report__facts > div")}
    assert facts == {
        "Schulnummer": "100001", "Schulform": "Gesamtschule", "Ort": "Dortmund", "Erhebungsrunde": "2025/26",
        "Stand": f"abgeschlossen am {today():%d.%m.%Y}", "Bericht erstellt am": f"{today():%d.%m.%Y}",
    }  # fmt: skip
    table = page.find("caption", string="Werte je Kriterium").find_parent("table")
    assert [text(th) for th in table.thead.find_all("th")] == ["Kriterium", "2025/26"]
    assert [(text(row.th), text(row.td)) for row in table.tbody.find_all("tr")] == [
        ("1. Dauerhafte Implementierung von Konzepten zur digitalen Bildung", "2,5"),
        ("2. Pädagogik und Lernkulturen (Unterrichtsentwicklung)", "3,5"),
        ("3. Qualifizierung der Lehrkräfte", "6,0"),
        ("4. Digitale Schulorganisation", "6,0"),
        ("5. Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen", "6,0"),
        ("6. Zugang zur Technik und Ausstattung der Schule", "6,0"),
    ]
    assert [text(cell) for cell in table.tfoot.tr.find_all(["th", "td"])] == ["Gesamtwert", "5,0"]

    svg = page.find("svg", attrs={"role": "img"})
    assert svg["aria-labelledby"] == "bericht-title bericht-desc"
    assert text(svg.find("title", id="bericht-title")) == "Auf einen Blick"
    with app.app_context():
        geometry = report_radar(report_for(get_school("100001"), get_round("2025-26")))
    drawn = [tuple(map(float, pair.split(","))) for pair in svg.find("polygon", class_="radar-series--primary")["points"].split()]
    assert drawn == [pytest.approx(point, abs=0.006) for point in geometry.series[0].points]

    assert [text(p) for p in page.select("p.comment")] == [
        f"Kommentar des Teams: {SCRIPT}",
        "Kommentar des Teams: Ayşe Yılmaz kümmert sich.",
    ]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    assert "<script>alert" not in html
    assert [text(h) for h in page.select("section.next-step h3")] == [
        *(f"Entwicklungsfeld {label} · Kriterium 1: Dauerhafte Implementierung von Konzepten zur digitalen Bildung"
          for label in ("1a (Wert 1)", "1b (Wert 2)", "1c (Wert 3)")),
        *(f"Entwicklungsfeld {label} · Kriterium 2: Pädagogik und Lernkulturen (Unterrichtsentwicklung)"
          for label in ("2a (Wert 3)", "2b (Wert 3)")),
    ]  # fmt: skip
    with app.app_context():
        steps = report_for(get_school("100001"), get_round("2025-26")).next_steps
    assert [[text(li.strong) for li in section.select("ul.offers > li")] for section in page.select("section.next-step")] == [
        [offer.title for offer in step.offers] for step in steps
    ]


def test_a_valid_comment_of_many_lines_never_breaks_the_pdf(app, client, area):
    with app.app_context():
        school, round_ = get_school("100003"), get_round("2025-26")
        rate(school, round_, leader(school), {}, {"k1b": "\n".join(f"- Gerät {n}" for n in range(40))})
    login(client, "leitung-100003@schule.test")  # a draft is the team's (DATENSCHUTZ.md)
    assert_pdf_download(client.get("/schulen/100003/2025-26/bericht.pdf"), "bericht-2025-26-100003-castell-gesamtschule.pdf")
