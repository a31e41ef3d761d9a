"""Caches of the PDF renderer: catalogue paragraphs are parsed once per process (a report must not depend on
what was rendered before), and a whole report is rendered once per content (issue 15, item 2)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from reportlab import rl_config

from selfeval.catalog import load_catalog
from selfeval.limits import MAX_COMMENT_LINES
from selfeval.paths import CRITERIA_DIR
from selfeval.reports import pdf
from selfeval.reports.cache import PdfCache, report_key
from selfeval.reports.content import COMMENT_LINES_SHOWN, PreviousResult, ReportInput, bounded_comment, build_report
from selfeval.reports.model import Comparison, ReportSchool

CATALOG = load_catalog(CRITERIA_DIR / "dortmund-leitfaden.yaml")


def report(scores: dict[str, int], comments: dict[str, str]):
    source = ReportInput(
        catalog=CATALOG,
        school=ReportSchool("199001", "Testschule", "Gesamtschule", "Dortmund", "Dortmund"),
        round_name="2025/26",
        is_submitted=True,
        submitted_on=date(2026, 5, 4),
        created_on=date(2026, 11, 22),
        scores=scores,
        comments=comments,
        comparison=Comparison("Gesamtschule", 2, 5),
        comparison_means={},
    )
    return build_report(source)


@pytest.fixture
def invariant(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)


def test_a_report_is_byte_identical_with_a_cold_and_a_warm_paragraph_cache(invariant):
    ids = [indicator.id for indicator in CATALOG.indicators]
    first = report({key: i % 11 for i, key in enumerate(ids)}, {"k1a": "erster Bericht"})
    second = report({key: (3 * i + 5) % 11 for i, key in enumerate(ids)}, {"k2a": "zweiter <Bericht> & mehr " * 20})
    assert dataclasses.asdict(first) != dataclasses.asdict(second)

    pdf._parsed.cache_clear()
    cold = pdf.render_pdf(second)
    pdf.render_pdf(first)
    pdf.render_pdf(first)
    warm = pdf.render_pdf(second)

    assert pdf._parsed.cache_info().hits > 0
    assert warm == cold


# Issue 15, item 2: a report is rendered once per content, and a comment's lines are bounded.

IDS = [indicator.id for indicator in CATALOG.indicators]


def varied(**changes) -> ReportInput:
    source = ReportInput(
        catalog=CATALOG,
        school=ReportSchool("199001", "Testschule", "Gesamtschule", "Dortmund", "Dortmund"),
        round_name="2025/26",
        is_submitted=True,
        submitted_on=date(2026, 5, 4),
        created_on=date(2026, 11, 22),
        scores={key: i % 11 for i, key in enumerate(IDS)},
        comments={"k1a": "Kommentar"},
        comparison=Comparison("Gesamtschule", 6, 5, 5.5),
        comparison_means={"k1": 5.0},
        previous=PreviousResult("2024/25", CATALOG, {key: 4 for key in IDS}),
    )
    return dataclasses.replace(source, **changes)


def test_the_cache_key_changes_with_everything_a_report_shows():
    variants = {
        "as is": varied(),
        "a score": varied(scores={key: i % 11 for i, key in enumerate(IDS)} | {"k6a": 3}),
        "a comment": varied(comments={"k1a": "Kommentar."}),
        "the comparison mean": varied(comparison=Comparison("Gesamtschule", 6, 5, 5.6)),
        "a criterion's comparison mean": varied(comparison_means={"k1": 5.1}),
        "the comparison group's size": varied(comparison=Comparison("Gesamtschule", 7, 5, 5.5)),
        "the previous round": varied(previous=PreviousResult("2024/25", CATALOG, {key: 5 for key in IDS})),
        "no previous round": varied(previous=None),
        "the catalogue": varied(catalog=dataclasses.replace(CATALOG, title="Leitfaden, Fassung 2027")),
        "the school's name": varied(school=ReportSchool("199001", "Testschule Nord", "Gesamtschule", "Dortmund", "Dortmund")),
        "the status": varied(is_submitted=False, submitted_on=None),
        "the day": varied(created_on=date(2026, 11, 23)),
    }
    keys = {name: report_key(build_report(source)) for name, source in variants.items()}
    assert len(set(keys.values())) == len(variants)
    assert report_key(build_report(varied())) == keys["as is"]


def test_the_same_report_is_rendered_once_and_the_cache_stays_within_its_bytes(invariant):
    first, second = build_report(varied()), build_report(varied(comments={"k1a": "anders"}))
    size = len(pdf.render_pdf(first))
    cache = PdfCache(max_bytes=size + size // 2)
    assert [cache.pdf(first), cache.pdf(first)] == [pdf.render_pdf(first)] * 2
    assert cache.renders == 1
    assert cache.pdf(second) == pdf.render_pdf(second)  # the first one makes room
    assert cache.pdf(second) == pdf.render_pdf(second)
    assert cache.renders == 2
    cache.pdf(first)
    assert cache.renders == 3


@pytest.mark.parametrize(
    ("comment", "printed", "left_out"),
    [
        ("  eine Zeile  ", "eine Zeile", 0),
        ("Erstens\r\n\r\n\r\n  \n\nZweitens\r\rDrittens\n\n", "Erstens\n\nZweitens\n\nDrittens", 0),
        ("\n" * 1999, "", 0),
        ("x\n" * 999 + "x", "\n".join(["x"] * COMMENT_LINES_SHOWN), 1000 - COMMENT_LINES_SHOWN),
        ("\n".join(["a"] * 39 + ["", "", "b", "c"]), "\n".join(["a"] * 39), 2),
    ],
)
def test_a_report_prints_a_comment_with_empty_line_runs_collapsed_and_at_most_forty_lines(comment, printed, left_out):
    assert bounded_comment(comment) == (printed, left_out)


def test_the_report_prints_as_many_lines_as_input_allows():
    assert COMMENT_LINES_SHOWN == MAX_COMMENT_LINES == 40
