"""Issue 16: a draft report looks like a draft: its scores say what they rest on, every page carries the mark."""

from __future__ import annotations

from selfeval.reports import text
from selfeval.reports.chart import report_radar
from selfeval.reports.pdf import render_pdf
from tests.support.catalogue import CRITERIA, LEITFADEN
from tests.support.report_pdf import make_report, pages_text

ONE_RATED = {CRITERIA["k1"][0]: 9}


def test_the_overall_line_of_an_incomplete_assessment_says_what_it_rests_on():
    assert text.overall_line(make_report(scores=ONE_RATED)) == (
        "Gesamtwert 9,0 von 10 – vorläufig, beruht auf 1 von 23 Indikatoren"
    )
    assert text.overall_line(make_report(submitted=True)) == "Gesamtwert 6,0 von 10"


def test_each_criterion_says_how_many_of_its_indicators_are_rated():
    data = make_report(scores=ONE_RATED)
    assert [text.criterion_basis(c) for c in data.criteria] == [
        "1 von 4 bewertet", "0 von 4 bewertet", "0 von 3 bewertet", "0 von 4 bewertet", "0 von 4 bewertet",
        "0 von 4 bewertet",
    ]  # fmt: skip
    assert {text.criterion_basis(c) for c in make_report().criteria} == {""}


def test_every_page_of_a_draft_pdf_carries_the_draft_mark_and_a_submitted_one_none():
    draft = pages_text(render_pdf(make_report(scores=ONE_RATED)))
    assert len(draft) >= 2
    assert [page.count("Entwurf – nicht abgeschlossen") for page in draft] == [1] * len(draft)
    whole = " ".join(draft)
    assert "Gesamtwert 9,0 von 10 – vorläufig, beruht auf 1 von 23 Indikatoren" in whole
    assert f"1. {LEITFADEN.criteria[0].title} – Wert 9,0 (1 von 4 bewertet)" in whole
    assert f"2. {LEITFADEN.criteria[1].title} – Wert – (0 von 4 bewertet)" in whole
    submitted = pages_text(render_pdf(make_report(submitted=True)))
    assert [page.count("nicht abgeschlossen") for page in submitted] == [0] * len(submitted)


def test_unrated_criteria_are_named_on_the_radar_axes():
    geometry = report_radar(make_report(scores=ONE_RATED))
    titles = [f"{n}. {c.title}" for n, c in enumerate(LEITFADEN.criteria, 1)]
    assert [axis.label for axis in geometry.axes] == [titles[0]] + [f"{t} (nicht bewertet)" for t in titles[1:]]
    assert geometry.series[0].runs == ((0,),)
