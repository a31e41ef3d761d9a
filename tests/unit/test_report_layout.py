"""Issue 18: the suggestions fit on two pages in the worst case, the notes never stand alone, and the radar's
group lines differ from the school's in greyscale print."""

from __future__ import annotations

import pathlib
from datetime import date

import pytest

from selfeval.catalog import load_offer_lists
from selfeval.reports.chart import PRINT_MARKS, PrintMark
from selfeval.reports.content import PreviousResult, ReportInput, build_report
from selfeval.reports.model import Comparison, ReportSchool
from selfeval.reports.pdf import render_pdf
from tests.support.catalogue import INDICATORS, LEITFADEN
from tests.support.report_pdf import SCORES, make_report, pages_text

OFFER_LISTS = load_offer_lists(pathlib.Path(__file__).parents[2] / "selfeval" / "criteria" / "offers", LEITFADEN)
#: The six indicators with the most examples and fitting offers for a Dortmund Gesamtschule, all tied at 1.
WORST = ["k1c", "k2c", "k3b", "k4c", "k6a", "k6b"]
DORTMUND_GE = ReportSchool("199001", "Testschule", "Gesamtschule", "Dortmund", "Dortmund", "05913", "15")


def worst_case():
    scores = dict.fromkeys(INDICATORS, 7) | dict.fromkeys(WORST, 1)
    source = ReportInput(
        LEITFADEN, DORTMUND_GE, "2025/26", True, date(2025, 11, 3), date(2025, 11, 4), scores, {},
        Comparison("Gesamtschule", 0, 5), {}, None, OFFER_LISTS,
    )  # fmt: skip
    return build_report(source)


def test_six_tied_fields_with_many_offers_take_at_most_two_pages():
    data = worst_case()
    assert [step.area.indicator.id for step in data.next_steps] == WORST
    assert [(len(s.examples), len(s.offers), len(s.more_offers)) for s in data.next_steps] == [
        (2, 3, 4), (5, 3, 4), (4, 3, 4), (3, 3, 3), (5, 3, 5), (3, 3, 4),
    ]  # fmt: skip
    pages = pages_text(render_pdf(data))
    first = [i for i, page in enumerate(pages) if "Vorschläge für Entwicklungsschwerpunkte" in page]
    after = [i for i, page in enumerate(pages) if "Ergebnisse je Kriterium" in page]
    assert (first, after) == ([2], [4])  # pages 3 and 4, the criterion details start on page 5
    assert pages[2].startswith(
        "Vorschläge für Entwicklungsschwerpunkte Dies sind Vorschläge, keine Festlegungen: Sie ergeben sich aus den "
        "am niedrigsten bewerteten Indikatoren (den Entwicklungsfeldern). Welche davon die Schule zu ihren "
        "Entwicklungsschwerpunkten macht, entscheidet das Team."
    )
    section = pages[2] + " " + pages[3]
    for step in data.next_steps:
        line = step.area.indicator
        assert section.count(f"Entwicklungsfeld {line.label} (Wert 1) · Kriterium {step.area.criterion_number}:") == 1
        titles = "; ".join(offer.title for offer in step.more_offers)
        assert section.count(f"Weitere Angebote: {titles} – Auskunft gibt die Medienberatung Dortmund.") == 1
    assert "Seite 4 von 6" in pages[3]


def test_offers_of_the_school_s_kreis_come_first_then_those_named_for_the_indicator():
    step = worst_case().next_steps[4]  # 6a: the Dortmund list names k6a for the first two, the catalogue the rest
    assert LEITFADEN.indicator("k6a").offers == (
        "mz-medialabs", "mz-medienkonzept", "mz-verleih", "mz-foerderberatung", "medienberater-region",
    )  # fmt: skip
    assert [o.id for o in step.offers] == ["do-mz-beratungsmodul", "do-systemhaus", "mz-medialabs"]
    assert [o.id for o in step.more_offers] == [
        "mz-medienkonzept", "mz-verleih", "mz-foerderberatung", "medienberater-region", "mz-technikberatung",
    ]  # fmt: skip


def _last_page(data) -> str:
    return pages_text(render_pdf(data))[-1]


@pytest.mark.parametrize(
    "kind",
    ["full", "draft", "comparison"],
)
def test_the_notes_share_their_page_with_content(kind):
    if kind == "full":
        data = make_report(submitted=True)
    elif kind == "draft":
        data = make_report(scores={k: v for k, v in SCORES.items() if not k.startswith("k6")})
    else:
        previous = PreviousResult("2024/25", LEITFADEN, dict.fromkeys(SCORES, 4))
        means = {c.id: 5.0 for c in LEITFADEN.criteria}
        data = make_report(submitted=True, previous=previous, comparison=Comparison("Gesamtschule", 5, 5, 5.0), means=means)
    page = _last_page(data)
    body = page.split("Hinweise Jeder Indikator", 1)
    assert len(body) == 2
    # The last criterion's heading and its indicators stand on the same page, before the notes.
    assert "6. Zugang zur Technik und Ausstattung der Schule – Wert" in body[0]
    last = "nicht bewertet" if kind == "draft" else "5"
    assert body[0].rstrip().endswith(f"6d Es gibt Selbstlern-Möglichkeiten (Pädagogik). {last}")


def test_the_worst_case_ends_with_the_last_criterion_and_the_notes():
    page = _last_page(worst_case())
    assert "6d Es gibt Selbstlern-Möglichkeiten (Pädagogik). 7 Hinweise Jeder Indikator" in page


def test_print_marks_tell_the_group_lines_from_the_school_in_greyscale():
    assert {
        "primary": PrintMark(line_width=2.8, dash=(), marker="circle", marker_size=3.6),
        "secondary": PrintMark(line_width=1.8, dash=(7, 3.5), marker="square", marker_size=3.4),
        "comparison": PrintMark(line_width=1.5, dash=(2.5, 2.5), marker="triangle", marker_size=4.2),
    } == PRINT_MARKS
    # every pair differs in dash pattern and marker shape, and the school's line is the heaviest
    marks = list(PRINT_MARKS.values())
    assert len({m.dash for m in marks}) == 3 and len({m.marker for m in marks}) == 3
    assert max(marks, key=lambda m: m.line_width) == PRINT_MARKS["primary"]
