"""The public pages: the catalogue served readably, in German, with accessible structure."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from selfeval.extensions import catalogs


def page(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert (response.status_code, response.mimetype) == (status, "text/html")
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(element) -> str:
    # Collapse markup whitespace only: the Leitfaden's thin spaces ("z.\u2009B.") are content.
    return re.sub(r"[ \t\r\n]+", " ", element.get_text(" ")).strip()


def test_base_layout_has_language_landmarks_and_skip_link(client):
    soup = page(client, "/")
    assert soup.html["lang"] == "de"
    assert soup.title.string == "Start – selfeval"
    assert [el.name for el in soup.body.find_all(["header", "nav", "main", "footer"], recursive=True)] == [
        "header",
        "nav",
        "main",
        "footer",
        "nav",
    ]
    skip = soup.body.find("a")
    assert (skip["href"], text(skip)) == ("#inhalt", "Zum Inhalt springen")
    assert soup.find("main")["id"] == "inhalt"
    nav = soup.find("nav")
    assert nav["aria-label"] == "Hauptnavigation"
    assert [(text(a), a.get("aria-current")) for a in nav.find_all("a")] == [
        ("Start", "page"),
        ("Leitfaden", None),
        ("Anmelden", None),
    ]
    assert [nav["aria-label"] for nav in soup.find_all("nav")] == ["Hauptnavigation", "Rechtliche Hinweise"]


def test_start_page_summarises_the_instrument(client):
    soup = page(client, "/")
    assert [text(h) for h in soup.find_all("h1")] == ["Selbstevaluation Digitale Schulentwicklung"]
    overview = soup.find("ol", class_="criteria-overview")
    assert [(text(a), a["href"]) for a in overview.find_all("a")] == [
        ("Dauerhafte Implementierung von Konzepten zur digitalen Bildung", "/leitfaden#k1"),
        ("Pädagogik und Lernkulturen (Unterrichtsentwicklung)", "/leitfaden#k2"),
        ("Qualifizierung der Lehrkräfte", "/leitfaden#k3"),
        ("Digitale Schulorganisation", "/leitfaden#k4"),
        ("Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen", "/leitfaden#k5"),
        ("Zugang zur Technik und Ausstattung der Schule", "/leitfaden#k6"),
    ]
    assert "Der Leitfaden beschreibt 6 Kriterien mit zusammen 23 Indikatoren." in text(soup.find("section"))


def test_catalogue_page_shows_every_criterion_indicator_and_example(app, client):
    soup = page(client, "/leitfaden")
    with app.app_context():
        catalog = catalogs.active
    assert [text(h) for h in soup.find_all("h1")] == [catalog.title]
    assert soup.find("nav", class_="site-nav").find("a", attrs={"aria-current": "page"}).get_text() == "Leitfaden"

    sections = soup.find_all("section", class_="criterion")
    assert [s["id"] for s in sections] == ["k1", "k2", "k3", "k4", "k5", "k6"]
    assert [text(s.find("h2")) for s in sections] == [
        f"Kriterium {n} {c.title}" for n, c in enumerate(catalog.criteria, start=1)
    ]
    articles = soup.find_all("article", class_="indicator")
    assert [a["id"] for a in articles] == [ind.id for ind in catalog.indicators]
    assert [text(a.find("h3")) for a in articles[:5]] == [
        "Indikator 1a)", "Indikator 1b)", "Indikator 1c)", "Indikator 1d)", "Indikator 2a)",
    ]  # fmt: skip
    assert [text(a.find("p", class_="indicator__text")) for a in articles] == [ind.text for ind in catalog.indicators]
    shown_examples = [text(li) for a in articles for li in a.select("ul.examples > li")]
    assert shown_examples == [example for ind in catalog.indicators for example in ind.examples]
    assert len(shown_examples) == 65
    first_intro = [text(p) for p in sections[0].find_all("p", recursive=False)][:2]
    assert first_intro == catalog.criteria[0].paragraphs


def test_catalogue_page_headings_do_not_skip_levels(client):
    soup = page(client, "/leitfaden")
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


def test_unknown_page_answers_a_german_404(client):
    soup = page(client, "/gibt-es-nicht", status=404)
    assert [text(h) for h in soup.find_all("h1")] == ["Seite nicht gefunden"]
    assert text(soup.find("p", class_="muted")) == "Fehlercode 404"


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/nothing")
    assert (response.status_code, response.get_json()) == (
        404,
        {
            "error": {
                "code": 404,
                "message": "Seite nicht gefunden. Diese Seite gibt es nicht. Vielleicht hat sich die Adresse geändert.",
            }
        },
    )


def test_wrong_method_answers_405_page(client):
    response = client.post("/leitfaden")
    assert response.status_code == 405
    assert "<h1>Nicht erlaubt</h1>" in response.get_data(as_text=True)


def test_static_stylesheet_is_served(client):
    response = client.get("/static/css/selfeval.css")
    assert (response.status_code, response.mimetype) == (200, "text/css")
    assert b".skip-link:focus" in response.data
    response.close()
