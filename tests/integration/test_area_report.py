"""The area report of a Schulträger: its figures equal a hand computation, in the web page and in the PDF."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from pypdf import PdfReader
from sqlalchemy import select

from selfeval.cli import cli
from selfeval.extensions import catalogs, db
from selfeval.models import School
from selfeval.services.offers import OfferValues, create_offer
from tests.support.factories import login, make_round, make_school, make_user, rated, submitted
from tests.support.html import rows, soup_of, text
from tests.support.reports import pdf_text

UNNA = {"gemeindeschluessel": "05978036", "traeger_nummer": "978036", "traeger_name": "Stadt Unna", "rechtsform": "1"}
#: Five schools of Stadt Unna: every indicator at `level`, except 1a and 1b.
LEVELS = [4, 5, 5, 6, 8]
FIRST = [1, 2, 3, 7, 9]  # indicator 1a: three schools below 4
SECOND = [3, 5, 5, 6, 8]  # indicator 1b: one school below 4 (a fifth: below the quarter, left out)


def scores(position: int) -> dict[str, int]:
    indicators = catalogs.active.indicators
    values = {indicator.id: LEVELS[position] for indicator in indicators}
    values[indicators[0].id], values[indicators[1].id] = FIRST[position], SECOND[position]
    return values


def by_hand(values: dict[str, int]) -> tuple[list[Fraction], Fraction]:
    """A school's criterion scores (mean of its indicators) and its overall score (mean of the criteria)."""
    criteria = [Fraction(sum(values[i.id] for i in c.indicators), len(c.indicators)) for c in catalogs.active.criteria]
    return criteria, sum(criteria, Fraction(0)) / len(criteria)


def german(value: Fraction) -> str:
    """One decimal, half up, German comma: as a reader computes it from the exact fraction."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")


@pytest.fixture
def area(app):
    """Stadt Unna: five schools submitted, one draft, one not started; a Dortmund school outside; 3 the year before."""
    with app.app_context():
        old, current = make_round("2024/25", is_open=False), make_round("2025/26")
        names = ["Grundschule Massen", "Grundschule Mitte", "Gymnasium Unna", "Realschule Unna", "Gesamtschule Unna"]
        for position, name in enumerate(names):
            school = make_school(f"30000{position}", name=name, schulform="02", kreis="05978", **UNNA)
            submitted(school, current, scores(position))
            if position < 3:
                submitted(school, old, scores(position))
        rated(make_school("300005", name="Hauptschule Unna", kreis="05978", **UNNA), current, 2)
        make_school("300006", name="Förderschule Unna", kreis="05978", **UNNA)
        submitted(make_school("400001", name="Dortmunder Schule", kreis="05913"), current, 1)
        make_user("aufsicht@kreis-unna.test", "supervisor", kreise=["05978"])
        for school in db.session.scalars(select(School).where(School.kreis == "05978")):
            school.ort = "Unna"  # the factory's place is Dortmund
        db.session.commit()
    return app


def expected_lines() -> tuple[list[list[str]], list[Fraction]]:
    per_school = [by_hand(scores(position)) for position in range(5)]
    overall = [school_overall for _, school_overall in per_school]
    lines = [["Gesamtwert", "5", german(sum(overall, Fraction(0)) / 5), "kleine Gruppe"]]
    for number, criterion in enumerate(catalogs.active.criteria):
        mean = sum((criteria[number] for criteria, _ in per_school), Fraction(0)) / 5
        lines.append([f"{number + 1}. {criterion.title}", "5", german(mean), "kleine Gruppe"])
    return lines, overall


def test_the_web_page_shows_the_hand_computed_figures_under_the_small_group_rule(area):
    client = area.test_client()
    login(client, "aufsicht@kreis-unna.test")
    response = client.get("/auswertung/gebietsbericht?runde=2025-26&traeger=978036")
    page = soup_of(response)
    with area.app_context():
        lines, overall = expected_lines()
        first = catalogs.active.indicators[0]

    assert response.status_code == 200
    assert text(page.find("h1")) == "Stadt Unna (Trägernummer 978036)"
    figures = {text(d.dt): text(d.dd) for d in page.select("dl.figures > div")}
    assert figures == {"Schulen in der Auswahl": "7", "abgeschlossen": "5", "Entwurf": "1", "nicht begonnen": "1"}
    assert rows(page.find("table")) == lines
    assert rows(page.find("caption", string="Mittelwert des Gesamtwerts je Schuljahr").parent) == [
        ["2024/25", "3", "nicht gezeigt (n < 5)"],
        ["2025/26", "5", german(sum(overall, Fraction(0)) / 5)],
    ]
    assert rows(page.find("table", id="bedarf-tabelle")) == [[f"1a) {first.text}", "3", "5"]]
    assert text(page.find("table", id="bedarf-tabelle").find_next("p")) == (
        "Ein weiterer Indikator liegt bei weniger als einem Viertel der Schulen unter 4 Punkten."
    )
    schools = rows(page.find("table", id="schulen-tabelle"))
    assert [row[0] for row in schools] == [
        "Förderschule Unna", "Gesamtschule Unna", "Grundschule Massen", "Grundschule Mitte", "Gymnasium Unna",
        "Hauptschule Unna", "Realschule Unna",
    ]  # fmt: skip
    assert {row[0]: row[4] for row in schools}["Grundschule Massen"] == german(overall[0])
    assert {row[0]: (row[3], row[4]) for row in schools}["Hauptschule Unna"] == ("Entwurf", "–")
    assert "Regel für kleine Gruppen: Werte von weniger als 5 Schulen werden nicht gezeigt." in text(page.find(id="regel"))


def test_the_pdf_says_the_same_and_the_cli_writes_it(area, tmp_path):
    client = area.test_client()
    login(client, "aufsicht@kreis-unna.test")
    response = client.get("/auswertung/gebietsbericht.pdf?runde=2025-26&traeger=978036")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="gebietsbericht-2025-26-traeger-978036.pdf"'
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    with area.app_context():
        lines, _overall = expected_lines()
    # pypdf gives each table cell on a line of its own, row by row; long labels wrap.
    flat = pdf_text.replace("\n", " ")
    cells = " ".join(" ".join(line) for line in lines)
    assert f"Kriterium n Mittelwert Hinweis {cells}" in flat
    assert "Regel für kleine Gruppen: Werte von weniger als 5 Schulen werden nicht gezeigt." in flat
    assert "Schuljahr abgeschlossen (n) Mittelwert Gesamtwert 2024/25 3 nicht gezeigt (n < 5) 2025/26 5" in flat
    assert "in der Auswahl 7 Bewertung abgeschlossen 5 Entwurf 1 nicht begonnen 1" in flat

    output = tmp_path / "unna.pdf"
    result = CliRunner().invoke(
        cli, ["area-report", "2025/26", "--traeger", "978036", "-o", str(output)], obj=ScriptInfo(create_app=lambda: area)
    )
    assert (result.exit_code, result.output) == (0, f"{output}: 7 schools, 5 submitted\n")
    cli_text = "\n".join(page.extract_text() for page in PdfReader(output).pages)
    assert "Werte einzelner Schulen enthält dieser Bericht nicht." in cli_text
    assert f"Gesamtwert\n5\n{lines[0][2]}\nkleine Gruppe" in cli_text


def test_a_supervisor_outside_the_area_sees_no_school_of_it(area):
    with area.app_context():
        make_user("aufsicht@dortmund.test", "supervisor", kreise=["05913"])
    client = area.test_client()
    login(client, "aufsicht@dortmund.test")
    page = soup_of(client.get("/auswertung/gebietsbericht?runde=2025-26&traeger=978036"))
    figures = {text(d.dt): text(d.dd) for d in page.select("dl.figures > div")}
    assert figures["Schulen in der Auswahl"] == "0"
    assert rows(page.find("table"))[0] == ["Gesamtwert", "0", "–", "n < 5: nicht gezeigt"]


def test_the_monitoring_export_has_one_row_per_area_characteristic_year_and_measure(area):
    client = area.test_client()
    login(client, "aufsicht@kreis-unna.test")
    response = client.get("/api/v1/export?round=2025-26&format=monitoring&traeger=978036")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="monitoring-2025-26-traeger-978036.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    table = [line.split(";") for line in response.data.decode("utf-8-sig").split("\r\n") if line]
    assert table[0] == [
        "schuljahr", "ebene", "regionalschluessel", "region", "schulnummer", "schulform", "schulform_name",
        "merkmal", "merkmal_name", "kennzahl", "wert", "gesperrt",
    ]  # fmt: skip
    with area.app_context():
        _lines, overall = expected_lines()
    mean = str((Decimal(sum(overall, Fraction(0)).numerator) / Decimal(sum(overall, Fraction(0)).denominator) / 5)
               .quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)).rstrip("0").rstrip(".").replace(".", ",")  # fmt: skip
    overall_rows = [row for row in table[1:] if row[1] in ("kreis", "gemeinde") and row[5] == "insgesamt" and row[7] == "gesamt"]
    prefix = ["insgesamt", "alle Schulformen", "gesamt", "Gesamtwert"]
    areas = [("kreis", "05978", "Unna"), ("gemeinde", "05978036", "Unna")]
    values = {"2024/25": [("n", "3", "0"), ("mittelwert", "", "1"), ("median", "", "1")],
              "2025/26": [("n", "5", "0"), ("mittelwert", mean, "0"), ("median", "", "1")]}  # fmt: skip
    assert overall_rows == [
        [year, *area_, "", *prefix, *value] for year in ("2024/25", "2025/26") for area_ in areas for value in values[year]
    ]
    schools = {row[4] for row in table[1:] if row[1] == "schule"}
    assert schools == {"300000", "300001", "300002", "300003", "300004"}  # submitted ones; Dortmund's is outside
    per_year = {year: sum(1 for row in table[1:] if row[0] == year and row[1] != "schule") for year in ("2024/25", "2025/26")}
    characteristics = 1 + len(catalogs_size(area))
    # Kreis and Gemeinde, each for all Schulformen, the Grundschulen (02) and the Gesamtschulen (15, none submitted)
    assert per_year == {"2024/25": 6 * characteristics * 3, "2025/26": 6 * characteristics * 3}


def catalogs_size(app) -> list:
    with app.app_context():
        return [*catalogs.active.criteria, *catalogs.active.indicators]


def test_the_overview_filters_by_schultraeger_and_links_the_report_and_the_monitoring_table(area):
    with area.app_context():
        make_school("300009", name="Privatschule Unna", kreis="05978", traeger_nummer="9978001", traeger_name="Schulverein")
    client = area.test_client()
    login(client, "aufsicht@kreis-unna.test")
    page = soup_of(client.get("/auswertung/?runde=2025-26&traeger=978036"))
    options = [(o["value"], text(o), o.has_attr("selected")) for o in page.select("#filter-traeger option")]
    assert options == [("", "alle", False), ("9978001", "Schulverein (9978001)", False), ("978036", "Stadt Unna (978036)", True)]
    links = {text(a): a["href"] for a in page.select("p.downloads-report a")}
    assert links == {
        "Gebietsbericht (PDF)": "/auswertung/gebietsbericht.pdf?runde=2025-26&traeger=978036",
        "als Webseite": "/auswertung/gebietsbericht?runde=2025-26&traeger=978036",
        "Monitoring-Tabelle (CSV, alle Schuljahre bis 2025/26)": "/api/v1/export?round=2025-26&format=monitoring&traeger=978036",
    }
    figures = {text(d.dt): text(d.dd) for d in page.select("dl.figures > div")}
    assert figures["Schulen in der Auswahl"] == "7"


@pytest.mark.parametrize(
    ("email", "role", "scopes", "title"),
    [
        # A Schulträger's report without a filter is about its own schools, and says whose.
        ("schulamt@unna.test", "traeger", {"traeger": ["978036"]}, "Stadt Unna (Trägernummer 978036)"),
        ("aufsicht@bezreg-arnsberg.test", "supervisor", {"kreise": ["05978", "05913"]}, "alle Schulen"),
        ("dortmund@bezreg-arnsberg.test", "supervisor", {"kreise": ["05913"]}, "Kreisfreie Stadt Dortmund"),
    ],
)
def test_without_a_filter_the_report_is_named_after_what_the_readers_schools_share(area, email, role, scopes, title):
    with area.app_context():
        make_user(email, role, **scopes)
    client = area.test_client()
    login(client, email)
    page = soup_of(client.get("/auswertung/gebietsbericht?runde=2025-26"))
    assert (text(page.find("h1")), [text(li) for li in page.select("main ul.muted li")]) == (
        title,
        ["keine Auswahl: alle Schulen, die Sie sehen dürfen"],
    )


def test_the_offers_of_the_kreis_medienberatung_stand_under_the_weak_indicator(area):
    """The Medienberatung's offers for its Kreis are in the area report as in a school's report (page and PDF)."""
    with area.app_context():
        values = OfferValues("05978", "Sprechstunde Steuergruppe", "Medienzentrum Unna", "Beratung.", fits=("k1a",))
        create_offer(values, actor=None, catalog=catalogs.active, allowed_kreise=None)
        elsewhere = OfferValues("05913", "Sprechstunde Dortmund", "Medienzentrum Dortmund", "Beratung.", fits=("k1a",))
        create_offer(elsewhere, actor=None, catalog=catalogs.active, allowed_kreise=None)
        db.session.commit()
    client = area.test_client()
    login(client, "aufsicht@kreis-unna.test")
    page = soup_of(client.get("/auswertung/gebietsbericht?runde=2025-26&traeger=978036"))
    regional = [text(li) for li in page.select("ul.area-offers li") if text(li).endswith("(regional)")]
    assert regional == ["Sprechstunde Steuergruppe – Medienzentrum Unna (regional)"]
    pdf = pdf_text(client.get("/auswertung/gebietsbericht.pdf?runde=2025-26&traeger=978036").data)
    assert ("Sprechstunde Steuergruppe" in pdf, "Sprechstunde Dortmund" in pdf) == (True, False)
