"""Catalogue paragraphs are parsed once per process; a report must not depend on what was rendered before."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from reportlab import rl_config

from selfeval.catalog import load_catalog
from selfeval.reports import pdf
from selfeval.reports.content import ReportInput, build_report
from selfeval.reports.model import Comparison, ReportSchool

CATALOG = load_catalog(Path(__file__).parents[2] / "criteria" / "dortmund-leitfaden.yaml")


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
