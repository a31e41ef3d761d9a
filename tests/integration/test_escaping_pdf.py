"""Escaping in the PDF report: comments, school names and Orte print as the characters typed, and reportlab's
paragraph markup in them (<font size>, <para>, entities) changes neither the font nor the text.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from selfeval.reports.content import ReportInput, build_report
from selfeval.reports.model import Comparison, ReportSchool
from selfeval.reports.pdf import render_pdf
from selfeval.reports.text import TITLE
from tests.support.catalogue import LEITFADEN
from tests.support.escaping_area import BASE, FIRST, SCHOOLS, member_email, populated_app
from tests.support.factories import login
from tests.support.payloads import PAYLOADS, as_comment, as_name, as_place
from tests.support.report_pdf import SCORES

#: The largest font of the report's own styles (the title); <font size="80"> in a text must not get through.
LARGEST_FONT = 18


@pytest.fixture(scope="module")
def area_app(migrated_database, tmp_path_factory):
    """One populated app for the whole module: its tests only read."""
    yield from populated_app(migrated_database, tmp_path_factory.mktemp("instance"))


def normalised(value: str) -> str:
    """Text as pypdf extracts it from the PDF: every run of white space one blank."""
    return re.sub(r"\s+", " ", value).strip()


def pdf_text(pdf: bytes) -> list[str]:
    return [normalised(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def font_sizes(pdf: bytes) -> set[float]:
    """Every font size that a text operator of the PDF sets (Tf), on every page."""
    reader = PdfReader(io.BytesIO(pdf))
    sizes = set()
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                sizes.add(float(operands[1]))
    return sizes


def test_the_report_prints_every_comment_literally_in_the_report_font(area_app):
    client = area_app.test_client()
    login(client, member_email(0))  # the school's draft: the team's own report (issue 19)

    response = client.get(f"{BASE}/bericht.pdf")

    assert (response.status_code, response.mimetype) == (200, "application/pdf")
    # The school is named "<script>…": the download's file name keeps only letters, digits and "-".
    assert re.fullmatch(r'attachment; filename="bericht-2025-26-100001-[a-z0-9-]+\.pdf"', response.headers["Content-Disposition"])
    whole = " ".join(pdf_text(response.data))
    for payload in PAYLOADS:
        printed = normalised(as_comment(payload))
        assert whole.count(f"Kommentar des Teams: {printed}") == 1, printed
    assert max(font_sizes(response.data)) <= LARGEST_FONT
    assert PdfReader(io.BytesIO(response.data)).metadata.title == f"{TITLE}: {as_name(SCHOOLS[FIRST])}, 2025/26"


def report_of(name: str, ort: str) -> bytes:
    school = ReportSchool("199001", name, "Gesamtschule", ort, "Dortmund")
    data = ReportInput(
        catalog=LEITFADEN,
        school=school,
        round_name="2025/26",
        is_submitted=True,
        submitted_on=date(2025, 11, 3),
        created_on=date(2025, 11, 4),
        scores=SCORES,
        comments={},
        comparison=Comparison("Gesamtschule", 2, 5),
        comparison_means={},
        previous=None,
    )
    return render_pdf(build_report(data))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_school_name_and_ort_print_literally_on_every_page(payload):
    name, ort = as_name(payload), as_place(payload)

    pdf = report_of(name, ort)

    pages = pdf_text(pdf)
    name, ort = normalised(name), normalised(ort)
    assert len(pages) == len(pdf_text(report_of("Gesamtschule am See", "Dortmund")))  # no markup made anything bigger
    assert pages[0].startswith(
        f"{TITLE} {name} Schulnummer 199001 · Gesamtschule · {ort} (Dortmund) · Erhebungsrunde 2025/26 · abgeschlossen am "
        "03.11.2025 Auf einen Blick "
    )
    frame = re.compile(
        rf" {re.escape(name)} Erhebungsrunde 2025/26 Schulnummer 199001 · Gesamtschule · (.+) abgeschlossen am 03.11.2025 "
        rf"{TITLE} · erstellt am 04.11.2025 Seite (\d+) von {len(pages)}$"
    )
    for number, page in enumerate(pages, 1):  # the frame of every page is drawn last
        printed_ort, printed_number = frame.search(page).groups()
        assert printed_number == str(number)
        # The frame's second line is fitted to its width: the Ort, or as much of it as fits, then "…".
        assert printed_ort == ort or (printed_ort.endswith("…") and ort.startswith(printed_ort[:-1]))
    assert max(font_sizes(pdf)) <= LARGEST_FONT
