"""The supervision overview (/auswertung/) and the comparison group on a school's results page, through the real app."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from selfeval.services.rounds import get_round
from tests.support.factories import all_scores, login, make_round, make_school, make_user, rated, submitted
from tests.support.html import soup_of, text

OVERVIEW = "/auswertung/"
DASH = "–"
OUT_OF_SCOPE = ["Zechen-Gesamtschule", "300001", "Rhein-Gymnasium", "400001", "Gelsenkirchen", "Testschule 100009"]



def heatmap_schools(page) -> list[tuple[str, str]]:
    """(name, Schulnummer) of every row of the school table, in order."""
    return [(text(row.th.a), text(row.th.find("span", class_="muted"))) for row in page.select("table.heatmap tbody tr")]


def heatmap_cells(page) -> list[list[tuple[str, str]]]:
    """Per row: (text, heat class) of the overall and criterion cells."""
    rows = []
    for row in page.select("table.heatmap tbody tr"):
        cells = [cell for cell in row.find_all("td") if "heat" in cell.get("class", [])]
        rows.append([(text(cell), next(c for c in cell["class"] if c.startswith("heat-"))) for cell in cells])
    return rows


def figures(page) -> dict[str, str]:
    return {text(item.dt): text(item.dd) for item in page.select("dl.figures > div")}


@pytest.fixture
def area(app):
    """Arnsberg (Dortmund, Bochum) with five schools in all states; Gelsenkirchen and Düsseldorf outside."""
    with app.app_context():
        round_ = make_round("2025/26")
        schools = {
            "100001": ("Adler-Gesamtschule", "15", "05913", 2),
            "100002": ("Birken-Grundschule", "02", "05913", all_scores(9) | {"k1a": 1, "k1b": 2, "k1c": 3, "k1d": 4}),
            "100003": ("Castell-Gymnasium", "20", "05913", "draft"),
            "100004": ("Dorf-Grundschule", "02", "05911", None),
            "100005": ("Eichen-Grundschule", "02", "05911", 10),
            "300001": ("Zechen-Gesamtschule", "15", "05513", 5),
            "400001": ("Rhein-Gymnasium", "20", "05111", None),
        }
        for number, (name, schulform, kreis, scores) in schools.items():
            school = make_school(number, name=name, schulform=schulform, kreis=kreis)
            if scores == "draft":
                rated(school, round_, 1)
            elif scores is not None:
                submitted(school, round_, scores)
        make_user("aufsicht@bezreg.test", "supervisor", bezirke=["Arnsberg"])
        make_user("berater@kommune.test", "adviser", kreise=["05911"])
        make_user("admin@land.test", "admin")
        make_user("lehrer@schule.test", school=make_school("100009", kreis="05111"))


ARNSBERG_ROWS = [
    ("Adler-Gesamtschule", "100001"),
    ("Birken-Grundschule", "100002"),
    ("Eichen-Grundschule", "100005"),
    ("Castell-Gymnasium", "100003"),
    ("Dorf-Grundschule", "100004"),
]


def test_supervisor_sees_exactly_the_schools_in_scope_lowest_overall_first(client, area):
    login(client, "aufsicht@bezreg.test")
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = soup_of(response)
    assert text(page.h1) == "Auswertung 2025/26"
    assert heatmap_schools(page) == ARNSBERG_ROWS
    assert [[text(td) for td in row.find_all("td")[:3]] for row in page.select("table.heatmap tbody tr")] == [
        ["Gesamtschule", "Dortmund", "abgeschlossen"],
        ["Grundschule", "Dortmund", "abgeschlossen"],
        ["Grundschule", "Bochum", "abgeschlossen"],
        ["Gymnasium", "Dortmund", "Entwurf"],
        ["Grundschule", "Bochum", "nicht begonnen"],
    ]
    html = response.get_data(as_text=True)
    assert [name for name in OUT_OF_SCOPE if name in html] == []
    assert figures(page) == {"Schulen in der Auswahl": "5", "abgeschlossen": "3", "Entwurf": "1", "nicht begonnen": "1"}
    stats = {text(row.th): [text(td) for td in row.find_all("td")] for row in page.select("table.data-table")[0].select("tr")[1:]}
    # K1 of the submitted schools: 2, 2.5, 10; overall: 2, 47.5/6, 10 (the draft's 1s never count)
    assert stats["1. Dauerhafte Implementierung von Konzepten zur digitalen Bildung"] == [
        "3", "4,8", "2,5", "2,3", "6,3", "2,0", "10,0", "4,5",
    ]  # fmt: skip
    assert stats["Gesamtwert"] == ["3", "6,6", "7,9", "5,0", "9,0", "2,0", "10,0", "4,2"]


def test_every_cell_shows_one_german_decimal_and_the_heat_class_of_its_value(client, area):
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW))
    assert heatmap_cells(page) == [
        [("2,0", "heat-1")] * 7,
        [("7,9", "heat-3"), ("2,5", "heat-1")] + [("9,0", "heat-4")] * 5,
        [("10,0", "heat-4")] * 7,
        [(DASH, "heat-none")] * 7,
        [(DASH, "heat-none")] * 7,
    ]
    for row in heatmap_cells(page):
        for value, heat in row:
            if value != DASH:
                assert re.fullmatch(r"\d+,\d", value)
                assert heat == f"heat-{min(int(float(value.replace(',', '.')) // 2), 4)}"
    legend = [text(item) for item in page.select(".heat-legend li")]
    assert legend == ["0 bis unter 2", "2 bis unter 4", "4 bis unter 6", "6 bis unter 8", "8 bis 10", "– nicht abgeschlossen"]


def test_adviser_sees_only_the_listed_kreis_and_admin_sees_all(client, area):
    login(client, "berater@kommune.test")
    response = client.get(OVERVIEW)
    page = soup_of(response)
    assert heatmap_schools(page) == [("Eichen-Grundschule", "100005"), ("Dorf-Grundschule", "100004")]
    html = response.get_data(as_text=True)
    hidden = ["Adler", "100001", "Birken", "100002", "Castell", "100003", *OUT_OF_SCOPE]
    assert [name for name in hidden if name in html] == []
    assert figures(page) == {"Schulen in der Auswahl": "2", "abgeschlossen": "1", "Entwurf": "0", "nicht begonnen": "1"}

    client.post("/abmelden", data={"csrf_token": page.find("meta", attrs={"name": "csrf-token"})["content"]})
    login(client, "admin@land.test")
    page = soup_of(client.get(OVERVIEW))
    assert heatmap_schools(page) == [
        ("Adler-Gesamtschule", "100001"),
        ("Zechen-Gesamtschule", "300001"),
        ("Birken-Grundschule", "100002"),
        ("Eichen-Grundschule", "100005"),
        ("Castell-Gymnasium", "100003"),
        ("Dorf-Grundschule", "100004"),
        ("Testschule 100009", "100009"),
        ("Rhein-Gymnasium", "400001"),
    ]


def test_team_members_get_403_and_anonymous_visitors_the_login(client, area):
    response = client.get(OVERVIEW)
    assert (response.status_code, response.headers["Location"]) == (302, "/anmelden?next=%2Fauswertung%2F")
    login(client, "lehrer@schule.test")
    response = client.get(OVERVIEW + "?schulform=02")
    page = soup_of(response)
    assert (response.status_code, text(page.h1), text(page.find("p", class_="lead"))) == (
        403, "Kein Zugriff", "Sie haben keine Berechtigung für diese Seite.",
    )  # fmt: skip
    assert page.select("table.heatmap") == []
    assert "Adler" not in response.get_data(as_text=True)


def sort_state(page) -> list[tuple[str, str | None, str]]:
    """(visible label, aria-sort, link) of every column head of the school table."""
    heads = [(th, th.a.find("span", attrs={"aria-hidden": "true"}) or th.a) for th in page.select("table.heatmap thead th")]
    return [(text(label).split(" ")[0], th.get("aria-sort"), th.a["href"]) for th, label in heads]


def test_sorting_by_overall_or_name_in_both_directions_with_missing_values_last(client, area):
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW))
    heads = sort_state(page)
    assert [(label, aria) for label, aria, _ in heads[:5]] == [
        ("Schule", None), ("Schulform", None), ("Kreis", None), ("Stand", None), ("Gesamt", "ascending"),
    ]  # fmt: skip
    assert [aria for _, aria, _ in heads[5:]] == [None] * 6
    assert heads[0][2] == "/auswertung/?sortierung=schule&richtung=auf"
    assert heads[4][2] == "/auswertung/?sortierung=gesamt&richtung=ab"

    page = soup_of(client.get(OVERVIEW + "?sortierung=schule&richtung=ab"))
    assert [name for name, _ in heatmap_schools(page)] == [
        "Eichen-Grundschule", "Dorf-Grundschule", "Castell-Gymnasium", "Birken-Grundschule", "Adler-Gesamtschule",
    ]  # fmt: skip
    heads = sort_state(page)
    assert [aria for _, aria, _ in heads] == ["descending"] + [None] * 10
    assert heads[0][2] == "/auswertung/?sortierung=schule&richtung=auf"

    page = soup_of(client.get(OVERVIEW + "?sortierung=gesamt&richtung=ab"))
    assert [nr for _, nr in heatmap_schools(page)] == ["100005", "100002", "100001", "100003", "100004"]
    page = soup_of(client.get(OVERVIEW + "?sortierung=k1"))
    assert [nr for _, nr in heatmap_schools(page)] == ["100001", "100002", "100005", "100003", "100004"]
    page = soup_of(client.get(OVERVIEW + "?sortierung=unsinn&richtung=ab"))
    assert heatmap_schools(page) == ARNSBERG_ROWS


def test_paging_shows_fifty_rows_per_page(app, client):
    with app.app_context():
        round_ = make_round("2025/26")
        schools = [make_school(f"5000{n:02d}") for n in range(1, 56)]
        submitted(schools[-1], round_, 3)
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW))
    assert [nr for _, nr in heatmap_schools(page)] == ["500055"] + [f"5000{n:02d}" for n in range(1, 50)]
    assert text(page.select_one("table.heatmap caption")).startswith("Kriterienwerte je Schule, Schulen 1 bis 50 von 55.")
    nav = page.find("nav", class_="pagination")
    assert [(text(a), a["href"]) for a in nav.find_all("a")] == [("Nächste Seite", "/auswertung/?seite=2")]
    assert text(nav.find("span", attrs={"aria-current": "page"})) == "Seite 1 von 2"

    for query in ("?seite=2", "?seite=9"):
        page = soup_of(client.get(OVERVIEW + query))
        assert [nr for _, nr in heatmap_schools(page)] == [f"5000{n:02d}" for n in range(50, 55)]
        nav = page.find("nav", class_="pagination")
        assert [(text(a), a["href"]) for a in nav.find_all("a")] == [("Vorherige Seite", "/auswertung/?seite=1")]
        assert text(nav.find("span", attrs={"aria-current": "page"})) == "Seite 2 von 2"

    page = soup_of(client.get(OVERVIEW + "?sortierung=schule&richtung=ab&seite=2"))
    assert [nr for _, nr in heatmap_schools(page)] == ["500005", "500004", "500003", "500002", "500001"]
    prev = page.find("a", rel="prev")["href"]
    assert parse_qs(urlsplit(prev).query) == {"sortierung": ["schule"], "richtung": ["ab"], "seite": ["1"]}
    assert "seite" not in parse_qs(urlsplit(sort_state(page)[1][2]).query)  # a new order starts on page 1


def test_a_filter_narrows_the_table_and_the_participation(client, area):
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW + "?schulform=02"))
    assert heatmap_schools(page) == [
        ("Birken-Grundschule", "100002"), ("Eichen-Grundschule", "100005"), ("Dorf-Grundschule", "100004"),
    ]  # fmt: skip
    assert figures(page) == {"Schulen in der Auswahl": "3", "abgeschlossen": "2", "Entwurf": "0", "nicht begonnen": "1"}
    assert [option["value"] for option in page.select("#filter-schulform option[selected]")] == ["02"]
    assert page.select("div.notice--warning") == []

    page = soup_of(client.get(OVERVIEW + "?kreis=05513"))  # a real Kreis, but outside the scope: nothing
    assert heatmap_schools(page) == []
    assert figures(page)["Schulen in der Auswahl"] == "0"


def test_an_unknown_filter_value_is_named_and_ignored(client, area):
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW + "?kreis=99999"))
    warning = text(page.select_one("div.notice--warning"))
    assert warning == "Diese Filter sind unbekannt und wurden nicht angewendet: Kreis „99999“."
    assert heatmap_schools(page) == ARNSBERG_ROWS
    page = soup_of(client.get(OVERVIEW + "?schulform=02&kreis=99999&status=fertig"))
    assert text(page.select_one("div.notice--warning")) == (
        "Diese Filter sind unbekannt und wurden nicht angewendet: Kreis „99999“, Stand „fertig“."
    )
    assert [nr for _, nr in heatmap_schools(page)] == ["100002", "100005", "100004"]


def test_unknown_round_is_404(client, area):
    login(client, "aufsicht@bezreg.test")
    response = client.get(OVERVIEW + "?runde=1999-00")
    assert (response.status_code, text(soup_of(response).h1)) == (404, "Seite nicht gefunden")
    assert heatmap_schools(soup_of(client.get(OVERVIEW + "?runde=2025-26"))) == ARNSBERG_ROWS


def test_without_any_round_the_page_says_so(app, client):
    with app.app_context():
        make_school("100001", name="Adler-Gesamtschule")
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
    login(client, "aufsicht@bezreg.test")
    response = client.get(OVERVIEW)
    page = soup_of(response)
    assert (response.status_code, text(page.h1)) == (200, "Auswertung")
    assert text(page.find("p", class_="lead")).startswith("Es gibt noch keine Erhebungsrunde.")
    assert page.select("table.heatmap") == []


def test_export_links_carry_the_filters_and_deliver_that_selection(client, area):
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW + "?schulform=02&kreis=05911"))
    links = {text(a): urlsplit(a["href"]) for a in page.select("p.downloads a")}
    assert sorted(links) == ["CSV für Excel", "Excel-Datei (XLSX)"]
    for label, file_format in (("CSV für Excel", "csv"), ("Excel-Datei (XLSX)", "xlsx")):
        assert links[label].path == "/api/v1/export"
        expected = {"round": ["2025-26"], "format": [file_format], "schulform": ["02"], "kreis": ["05911"]}
        assert parse_qs(links[label].query) == expected
    csv_text = client.get(links["CSV für Excel"].geturl()).get_data().decode("utf-8-sig")
    assert [line.split(";")[0] for line in csv_text.splitlines()] == ["Schulnummer", "100004", "100005"]


def test_change_column_when_there_is_a_previous_round(app, client):
    with app.app_context():
        before = make_round("2024/25", is_open=False)
        now = make_round("2025/26")
        adler, birke = make_school("100001", name="Adler"), make_school("100002", name="Birke")
        submitted(adler, before, 1)
        submitted(adler, now, 2)
        submitted(birke, now, 5)
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW))
    assert text(page.select("table.heatmap thead th")[-1]) == "± VorrundeVeränderung des Gesamtwerts seit 2024/25"
    changes = [text(row.find_all("td")[-1]) for row in page.select("table.heatmap tbody tr")]
    assert (heatmap_schools(page), changes) == ([("Adler", "100001"), ("Birke", "100002")], ["+1,0", DASH])
    older = soup_of(client.get(OVERVIEW + "?runde=2024-25"))
    assert (text(older.h1), heatmap_schools(older)) == ("Auswertung 2024/25", [("Adler", "100001"), ("Birke", "100002")])
    assert [text(td) for td in older.select("table.heatmap tbody tr")[1].find_all("td")[3:]] == [DASH] * 7


# --- the comparison group on a school's results page ---------------------------------------------------------------

RESULTS = "/schulen/{}/2025-26/ergebnis"
OTHERS = ["Birken-Gesamtschule", "100002", "Castell-Gesamtschule", "100003", "Rhein-Gesamtschule", "400001",
          "Ulmen-Gymnasium", "100010", "Linden-Gesamtschule", "100012", "Zechen-Gesamtschule", "300001"]  # fmt: skip
NOTE = (
    "Ein Vergleich erscheint, sobald mindestens 5 andere Schulen der Schulform Gesamtschule in dieser Installation von "
    "selfeval ihre Bewertung in der Runde 2025/26 abgeschlossen haben; bisher sind es weniger. So lässt sich aus dem "
    "Vergleich keine einzelne Schule erkennen."
)


@pytest.fixture
def group(app):
    """Four submitted Gesamtschulen (own 4; 1, 2 in Dortmund; 9 in Düsseldorf), a Gymnasium and a draft that never count."""
    with app.app_context():
        round_ = make_round("2025/26")
        for number, name, schulform, kreis, value in [
            ("100001", "Adler-Gesamtschule", "15", "05913", 4),
            ("100002", "Birken-Gesamtschule", "15", "05913", 1),
            ("100003", "Castell-Gesamtschule", "15", "05913", 2),
            ("400001", "Rhein-Gesamtschule", "15", "05111", 9),
            ("100010", "Ulmen-Gymnasium", "20", "05913", 10),
        ]:
            submitted(make_school(number, name=name, schulform=schulform, kreis=kreis), round_, value)
        rated(make_school("100012", name="Linden-Gesamtschule", schulform="15"), round_, 10)
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])


def comparison_section(page):
    return page.find("section", attrs={"aria-labelledby": "comparison-heading"})


def test_fewer_than_five_schools_show_only_a_note(client, group):
    login(client, "leitung-100001@schule.test")
    response = client.get(RESULTS.format("100001"))
    section = comparison_section(soup_of(response))
    assert response.status_code == 200
    assert [text(p) for p in section.find_all("p")] == [NOTE]
    assert section.find("table") is None
    assert [name for name in OTHERS if name in response.get_data(as_text=True)] == []


def group_line(size: int) -> str:
    return (
        f"Vergleichsgruppe: die {size} anderen Schulen der Schulform Gesamtschule, die in dieser Installation von "
        "selfeval ihre Bewertung in der Runde 2025/26 abgeschlossen haben. Ihre eigene Schule zählt nicht mit; einzelne "
        "Schulen werden nicht genannt."
    )


def comparison_rows(section) -> list[list[str]]:
    return [[text(cell) for cell in row.find_all(["th", "td"])] for row in section.select("tbody tr, tfoot tr")]


def test_five_other_schools_show_only_their_mean_in_half_points_and_no_other_school(app, client, group):
    """Issue 15, item 3: at five schools quartiles and median were the exact values of three of them."""
    with app.app_context():
        submitted(make_school("300001", name="Zechen-Gesamtschule", schulform="15", kreis="05513"), get_round("2025-26"), 7)
    login(client, "leitung-100001@schule.test")
    assert [text(p) for p in comparison_section(soup_of(client.get(RESULTS.format("100001")))).find_all("p")] == [NOTE]
    with app.app_context():
        submitted(make_school("300002", name="Halden-Gesamtschule", schulform="15", kreis="05513"), get_round("2025-26"), 5)
    response = client.get(RESULTS.format("100001"))
    section = comparison_section(soup_of(response))
    assert [text(p) for p in section.find_all("p")] == [
        group_line(5),
        "Gezeigt wird nur der Mittelwert (Quartile und Median ab 10 Schulen), auf halbe Punkte gerundet, damit sich "
        "kein Wert einer einzelnen Schule zurückrechnen lässt.",
    ]
    assert [text(th) for th in section.select("thead th")] == ["Kriterium", "Ihre Schule", "Mittelwert"]
    rows = comparison_rows(section)
    assert [row[0][:3] for row in rows] == ["1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "Ges"]
    # the others 1, 2, 9, 7, 5 (the school's own 4 not among them): mean 4.8, shown as 5.0
    assert [row[1:] for row in rows] == [["4,0", "5,0"]] * 7
    assert [name for name in OTHERS + ["Halden-Gesamtschule", "300002"] if name in response.get_data(as_text=True)] == []


def test_ten_other_schools_also_show_quartiles_and_median_in_half_points(app, client, group):
    with app.app_context():
        for number, value in zip(range(300001, 300008), [7, 5, 3, 6, 8, 10, 4], strict=True):
            submitted(make_school(str(number), schulform="15", kreis="05513"), get_round("2025-26"), value)
    login(client, "leitung-100001@schule.test")
    section = comparison_section(soup_of(client.get(RESULTS.format("100001"))))
    assert [text(p) for p in section.find_all("p")] == [
        group_line(10),
        "Gezeigt werden Mittelwert, Quartile und Median, auf halbe Punkte gerundet, damit sich kein Wert einer "
        "einzelnen Schule zurückrechnen lässt.",
    ]
    assert [text(th) for th in section.select("thead th")] == [
        "Kriterium", "Ihre Schule", "Mittelwert", "unteres Quartil", "Median", "oberes Quartil",
    ]  # fmt: skip
    # the others 1 to 10: mean 5.5, q1 3.25 -> 3.5, median 5.5, q3 7.75 -> 8.0
    assert [row[1:] for row in comparison_rows(section)] == [["4,0", "5,5", "3,5", "5,5", "8,0"]] * 7


def test_supervision_opens_results_pages_only_within_its_scope(client, group):
    login(client, "aufsicht@bezreg.test")
    response = client.get(RESULTS.format("100002"))
    assert response.status_code == 200
    assert text(soup_of(response).find("p", class_="eyebrow")) == (
        "Birken-Gesamtschule · Schulnummer 100002 · Erhebungsrunde 2025/26"
    )
    response = client.get(RESULTS.format("400001"))
    page = soup_of(response)
    assert (response.status_code, text(page.h1)) == (403, "Kein Zugriff")
    assert "Rhein-Gesamtschule" not in response.get_data(as_text=True)


def test_the_overview_shows_the_means_of_the_selection_over_all_rounds(app, client):
    """Issue 16: per round how many schools of the selection submitted and their means; below five, no means."""
    with app.app_context():
        first, second = make_round("2023/24", is_open=False), make_round("2024/25", is_open=False)
        current = make_round("2025/26")
        schools = [make_school(f"10000{i}", schulform="02") for i in range(1, 7)]
        other = make_school("100009", schulform="15")
        for i, school in enumerate(schools[:5]):
            submitted(school, first, 2 + i)  # 2, 3, 4, 5, 6: mean 4
        for school in schools[:2]:
            submitted(school, second, 7)
        for school in schools:
            submitted(school, current, 6)
        submitted(other, first, 10)
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
    login(client, "aufsicht@bezreg.test")
    page = soup_of(client.get(OVERVIEW + "?schulform=02"))
    table = page.find("table", id="runden-mittelwerte")
    assert [text(th) for th in table.select("thead th")] == ["Kriterium", "2023/24", "2024/25", "2025/26"]
    body = [[text(cell) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]
    assert body[0] == ["abgeschlossene Bewertungen", "5", "2", "6"]
    assert body[1] == ["Gesamtwert", "4,0", DASH, "6,0"]
    assert body[2][1:] == ["4,0", DASH, "6,0"]
    assert len(body) == 8
    note = text(page.find("p", id="runden-mittelwerte-hinweis"))
    assert note == "Mittelwerte erst ab 5 abgeschlossenen Bewertungen; bei weniger Schulen ließe sich auf einzelne schließen (–)."
