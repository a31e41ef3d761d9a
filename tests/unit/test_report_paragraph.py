"""KeptParagraph: lines broken once per text, style and width, and never altered by a split over a page."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from selfeval.reports.paragraph import KeptParagraph
from tests.support.report_pdf import pages_text

STYLE = ParagraphStyle("test_kept", fontName="Helvetica", fontSize=10, leading=12)
# Several fragments (bold inside), so reportlab breaks it into fragment lines: the kind a split alters.
LONG = " ".join(f"Wort{number} <b>fett{number}</b> und mehr" for number in range(600))


def words_of(paragraph: Paragraph) -> list[list[str]]:
    return [[word.text for word in line.words] for line in paragraph.blPara.lines]


def test_the_same_text_style_and_width_reuse_the_lines_once_broken():
    first = KeptParagraph("Ein Indikator des Leitfadens, der in jedem Bericht steht.", STYLE, key=("reuse", STYLE))
    second = KeptParagraph("Ein Indikator des Leitfadens, der in jedem Bericht steht.", STYLE, key=("reuse", STYLE))

    assert first.wrap(120, 500) == second.wrap(120, 500) == (120, 36)
    assert second.blPara is first.blPara
    assert second.wrap(400, 500) == (400, 12)
    assert second.blPara is not first.blPara


def test_a_paragraph_without_key_keeps_only_its_own_lines():
    first = KeptParagraph("Der Name einer Schule", STYLE)
    second = KeptParagraph("Der Name einer Schule", STYLE)

    assert first.wrap(300, 500) == second.wrap(300, 500) == (300, 12)
    lines = first.blPara
    assert first.wrap(300, 500) == (300, 12)
    assert first.blPara is lines
    assert second.blPara is not lines


def test_splitting_over_a_page_leaves_the_kept_lines_as_they_were():
    key = ("split", LONG, STYLE)
    first = KeptParagraph(LONG, STYLE, key=key)
    first.wrap(200, 10_000)
    kept = first.blPara
    before = words_of(first)
    again = KeptParagraph(LONG, STYLE, key=key)
    again.wrap(200, 10_000)
    assert again.blPara is kept

    parts = again.split(200, 300)

    assert [part.wrap(200, 10_000)[1] for part in parts] == [300, 4380]
    assert [[word.text for word in line.words] for line in kept.lines] == before


def test_a_document_of_kept_paragraphs_reads_as_one_of_plain_paragraphs():
    def pdf(kind) -> bytes:
        buffer = BytesIO()
        story = [kind(LONG, STYLE, key=("document", LONG, STYLE)) if kind is KeptParagraph else kind(LONG, STYLE)]
        SimpleDocTemplate(buffer, pagesize=A4).build(story)
        return buffer.getvalue()

    plain = pages_text(pdf(Paragraph))
    assert len(plain) == 3
    assert pages_text(pdf(KeptParagraph)) == plain
    assert pages_text(pdf(KeptParagraph)) == plain  # the second time from the kept lines
