"""The report as PDF (text extracted with pypdf) and its radar chart geometry, with the real Dortmund Leitfaden."""

from __future__ import annotations

import io
import math
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from selfeval.reports.chart import report_radar, report_series
from selfeval.reports.content import PreviousResult
from selfeval.reports.model import Comparison
from selfeval.reports.pdf import markup, render_pdf
from tests.support.catalogue import LEITFADEN
from tests.support.report_pdf import HOSTILE, NAME, SCORES, make_report, normalised, pages_text

PRINTED = ["6,0", "7,5", "2,7", "6,3", "9,0", "4,5"]


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_pdf(make_report())


@pytest.fixture(scope="module")
def draft_pages(draft_pdf) -> list[str]:
    return pages_text(draft_pdf)


def test_the_pdf_is_a_pdf_with_german_metadata(draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    assert draft_pdf.startswith(b"%PDF-")
    assert reader.metadata.title == f"Bericht zur Selbstevaluation Digitale Schulentwicklung: {NAME}, 2025/26"
    assert reader.metadata.subject == "Leitfaden und Selbstevaluationsraster Digitale Schulentwicklung"
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"


def test_every_criterion_title_appears_with_its_german_score(draft_pages):
    whole = " ".join(draft_pages)
    for number, (criterion, printed) in enumerate(zip(LEITFADEN.criteria, PRINTED, strict=True), 1):
        assert f"{number}. {criterion.title} {printed}" in whole  # the table "Werte je Kriterium"
        assert f"{number}. {criterion.title} – Wert {printed}" in whole  # the section heading
    assert "Gesamtwert 6,0 von 10" in whole  # (6 + 7.5 + 8/3 + 6.25 + 9 + 4.5) / 6 = 5.986…
    assert "Gesamtwert 6,0" in whole.split("Werte je Kriterium", 1)[1]


def test_every_page_has_the_header_and_says_page_x_of_n(draft_pdf, draft_pages):
    total = len(PdfReader(io.BytesIO(draft_pdf)).pages)
    assert total >= 3
    for number, page in enumerate(draft_pages, 1):
        assert page.count(f"Seite {number} von {total}") == 1
        assert re.findall(r"Seite \d+ von \d+", page) == [f"Seite {number} von {total}"]
        assert "Schulnummer 199001 · Gesamtschule · Dortmund" in page
        assert "Erhebungsrunde 2025/26" in page
        assert NAME in page
        assert "Entwurf, noch nicht abgeschlossen" in page
        assert "erstellt am 04.11.2025" in page


def test_a_draft_says_so_and_a_submitted_report_gives_the_date(draft_pages):
    assert "Entwurf (23 von 23 Indikatoren bewertet)" in draft_pages[0]
    submitted = pages_text(render_pdf(make_report(submitted=True)))
    for page in submitted:
        assert "abgeschlossen am 03.11.2025" in page
        assert "Entwurf" not in page


def test_a_comment_with_markup_prints_literally(draft_pages):
    whole = " ".join(draft_pages)
    assert f"Kommentar des Teams: {HOSTILE}" in whole
    assert whole.count("Kommentar des Teams:") == 2


def test_names_beyond_latin_1_print_correctly(draft_pages):
    whole = " ".join(draft_pages)
    assert NAME in draft_pages[0].split("Schulnummer", 1)[0]  # the title block, before the facts
    for name in ("Ayşe", "Yılmaz", "Şehitlik", "Łukasz Nowak"):
        assert name in whole
    assert "Kommentar des Teams: Ansprechpartner: Łukasz Nowak" in whole


def test_the_next_steps_name_the_offers_of_the_development_areas(draft_pages):
    whole = " ".join(draft_pages)
    data = make_report()
    assert [step.area.indicator.label for step in data.next_steps] == ["3a", "3b", "3c"]
    for step in data.next_steps:
        assert f"Entwicklungsfeld {step.area.indicator.label} (Wert {step.area.indicator.score}) · Kriterium 3:" in whole
        for offer in step.offers:
            assert normalised(f"• {offer.title} – {offer.provider}") in whole


def _fonts(reader: PdfReader, page) -> dict[str, dict]:
    return {name: ref.get_object() for name, ref in page["/Resources"]["/Font"].items()}


def _fonts_showing_text(reader: PdfReader, page) -> set[str]:
    """Resource names of the fonts that are current when a text-showing operator runs."""
    current, showing = None, set()
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = operands[0]
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            showing.add(current)
    return showing


def _embedded_dejavu_subset(font) -> bool:
    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor")
    return (
        re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold|-Oblique)?", str(font["/BaseFont"])) is not None
        and descriptor is not None
        and "/FontFile2" in descriptor.get_object()
    )


def test_the_dejavu_faces_are_embedded_as_subsets(draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    dejavu = {font.indirect_reference.idnum: font for page in reader.pages for font in _fonts(reader, page).values()
              if "DejaVu" in str(font["/BaseFont"])}  # fmt: skip
    assert [str(font["/BaseFont"]) for font in dejavu.values() if not _embedded_dejavu_subset(font)] == []
    faces = {str(font["/BaseFont"]).split("+", 1)[1] for font in dejavu.values()}
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= faces  # body text and headings; any other face must be DejaVu too


def test_every_font_of_every_page_is_an_embedded_dejavu_subset(draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    shown, named = set(), set()
    for number, page in enumerate(reader.pages, 1):
        fonts = _fonts(reader, page)
        shown |= {(number, str(fonts[name]["/BaseFont"])) for name in _fonts_showing_text(reader, page)
                  if not _embedded_dejavu_subset(fonts[name])}  # fmt: skip
        named |= {str(font["/BaseFont"]) for font in fonts.values() if not _embedded_dejavu_subset(font)}
    assert (shown, named) == (set(), set())


def test_a_long_comment_with_many_lines_still_renders():
    """A comment stored before the 40-line rule prints its first 40 lines and says that more exist (issue 15)."""
    comment = "\n".join(f"- Punkt {i}" for i in range(60))
    printed = " ".join(pages_text(render_pdf(make_report(comments={"k1a": comment}))))
    assert ("- Punkt 39" in printed, "- Punkt 40" in printed) == (True, False)
    assert "… (20 weitere Zeilen des Kommentars sind hier nicht abgedruckt.)" in printed


def test_markup_escapes_and_keeps_line_breaks():
    assert markup('a\r\nb\rc\n<b>x</b> & "y"\x00\x07\x85') == 'a<br/>b<br/>c<br/>&lt;b&gt;x&lt;/b&gt; &amp; "y"'


# -- the radar chart: one geometry for PDF and HTML -----------------------------------------------


def test_the_radar_rings_are_every_two_points_on_the_fixed_scale():
    geometry = report_radar(make_report())
    assert tuple(ring.value for ring in geometry.rings) == (2, 4, 6, 8, 10)
    assert [ring.label for ring in geometry.rings] == ["2", "4", "6", "8", "10"]
    assert (geometry.scale_min, geometry.scale_max) == (0, 10)
    assert [axis.label for axis in geometry.axes] == [f"{n}. {c.title}" for n, c in enumerate(LEITFADEN.criteria, 1)]


def test_the_polygon_matches_its_scores():
    data = make_report()
    geometry = report_radar(data)
    (primary,) = geometry.series
    assert (primary.label, primary.style, primary.missing) == ("2025/26", "primary", ())
    scores = [c.score for c in data.criteria]
    assert primary.values == tuple(scores)
    for index, (score, (x, y)) in enumerate(zip(scores, primary.points, strict=True)):
        radius = geometry.radius * score / 10
        angle = 2 * math.pi * index / len(scores)
        assert math.hypot(x - geometry.cx, y - geometry.cy) == pytest.approx(radius, abs=1e-9)
        assert (x, y) == pytest.approx((geometry.cx + radius * math.sin(angle), geometry.cy - radius * math.cos(angle)), abs=1e-9)


def test_the_radar_adds_the_previous_round_and_the_comparison_group_when_there_are_some():
    previous = PreviousResult("2024/25", LEITFADEN, dict.fromkeys(SCORES, 4))
    means = {c.id: 5.0 for c in LEITFADEN.criteria}
    data = make_report(previous=previous, comparison=Comparison("Gesamtschule", 5, 5, 5.0), means=means)
    assert [(s.label, s.style) for s in report_series(data)] == [
        ("2025/26", "primary"),
        ("Vorjahr 2024/25", "secondary"),
        ("Mittelwert der Vergleichsgruppe", "comparison"),
    ]
    geometry = report_radar(data)
    assert [tuple(round(math.hypot(x - geometry.cx, y - geometry.cy) / geometry.radius * 10, 9) for x, y in s.points)
            for s in geometry.series[1:]] == [(4.0,) * 6, (5.0,) * 6]  # fmt: skip
    whole = " ".join(pages_text(render_pdf(data)))
    assert "2024/25: 4,0 (+2,0) · Mittelwert der Vergleichsgruppe: 5,0" in whole
