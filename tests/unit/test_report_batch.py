"""Batches of reports: portable file names, parallel rendering, and a broken report that does not stop the rest."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from selfeval.catalog import parse_catalog
from selfeval.reports.batch import IN_FLIGHT_PER_WORKER, BatchSummary, render_batch, report_filename
from selfeval.reports.content import ReportInput, build_report
from selfeval.reports.model import Comparison, ReportSchool

THREE = parse_catalog(
    b"id: drei\nversion: 1\ntitle: Drei Kriterien\nscale: {min: 0, max: 10}\ncriteria:\n"
    b"  - {id: a, title: Alpha, indicators: [{id: a1, text: Alpha eins}, {id: a2, text: Alpha zwei}]}\n"
    b"  - {id: b, title: Beta, indicators: [{id: b1, text: Beta eins}]}\n"
    b"  - {id: c, title: Gamma, indicators: [{id: c1, text: Gamma eins}]}\n"
)
#: Two criteria: the radar chart needs at least three axes, so rendering this report raises.
TWO = parse_catalog(
    b"id: zwei\nversion: 1\ntitle: Zwei Kriterien\nscale: {min: 0, max: 10}\ncriteria:\n"
    b"  - {id: a, title: Alpha, indicators: [{id: a1, text: Alpha eins}]}\n"
    b"  - {id: b, title: Beta, indicators: [{id: b1, text: Beta eins}]}\n"
)
BROKEN_REASON = "ValueError: a radar chart needs at least 3 axes, got 2"


def report(schulnummer: str, name: str = "", catalog=THREE, score: int = 5):
    return build_report(
        ReportInput(
            catalog=catalog,
            school=ReportSchool(schulnummer, name or f"Schule {schulnummer}", "Gesamtschule", "Dortmund", "Dortmund"),
            round_name="2025/26",
            is_submitted=True,
            submitted_on=date(2025, 11, 3),
            created_on=date(2025, 11, 4),
            scores={ind.id: score for ind in catalog.indicators},
            comments={},
            comparison=Comparison("Gesamtschule", 0, 5),
            comparison_means={},
        )
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Gesamtschule Şehitlik", "bericht-2025-26-199001-gesamtschule-sehitlik.pdf"),
        ("Städtisches Gymnasium Große Straße", "bericht-2025-26-199001-staedtisches-gymnasium-grosse-strasse.pdf"),
        ("Ayşe-Yılmaz-Schule", "bericht-2025-26-199001-ayse-yilmaz-schule.pdf"),
        ("Am Römerweg (Ü-Klasse) & Förderzentrum", "bericht-2025-26-199001-am-roemerweg-ue-klasse-foerderzentrum.pdf"),
        ("  --Schule!!  ", "bericht-2025-26-199001-schule.pdf"),
        ("Σχολείο Αθήνα", "bericht-2025-26-199001.pdf"),  # nothing left to spell: the Schulnummer identifies it
    ],
)  # fmt: skip
def test_report_filename_folds_to_lowercase_ascii(name, expected):
    filename = report_filename(report("199001", name), "2025-26")
    assert filename == expected
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", filename)


def test_report_filename_folds_a_capital_l_with_stroke():
    assert report_filename(report("199001", "Łukasz-Schule Łódź"), "2025-26") == "bericht-2025-26-199001-lukasz-schule-lodz.pdf"


def test_report_filename_keeps_at_most_60_characters_of_the_name_and_never_ends_in_a_hyphen():
    name = "Gesamtschule " + "mit einem sehr langen Namen " * 4
    filename = report_filename(report("199001", name), "2025/26 Nachtrag")
    assert filename == "bericht-2025-26-nachtrag-199001-gesamtschule-mit-einem-sehr-langen-namen-mit-einem-sehr-lang.pdf"
    cut_at_a_hyphen = report_filename(report("199001", "x" * 59 + " Schule"), "2025-26")
    assert cut_at_a_hyphen == f"bericht-2025-26-199001-{'x' * 59}.pdf"


class Collect:
    """A sink and a progress callback that remember what they were given."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.progress: list[tuple[str, bool]] = []

    def sink(self, data, pdf: bytes) -> None:
        name = report_filename(data, "2025-26")
        assert name not in self.files
        self.files[name] = pdf

    def on_progress(self, data, succeeded: bool) -> None:
        self.progress.append((data.school.schulnummer, succeeded))


def batch_items(count: int) -> list:
    """`count` reports, the fourth of which cannot be rendered."""
    items = [report(f"1990{index:02d}", f"Schule {index}") for index in range(count)]
    items[3] = report("199003", "Kaputte Schule", catalog=TWO)
    return items


def expected_names(count: int) -> set[str]:
    return {f"bericht-2025-26-1990{index:02d}-schule-{index}.pdf" for index in range(count) if index != 3}


def test_one_worker_renders_in_order_and_counts_the_broken_report():
    collect = Collect()
    summary = render_batch(batch_items(5), collect.sink, workers=1, progress=collect.on_progress)

    assert list(collect.files) == sorted(expected_names(5))
    assert [pdf[:5] for pdf in collect.files.values()] == [b"%PDF-"] * 4
    assert collect.progress == [("199000", True), ("199001", True), ("199002", True), ("199003", False), ("199004", True)]
    assert (summary.written, summary.failed) == (4, [("199003", BROKEN_REASON)])
    assert summary.bytes == sum(len(pdf) for pdf in collect.files.values())
    assert summary.seconds > 0
    assert summary.per_second == summary.written / summary.seconds


def test_two_workers_give_the_same_reports_as_one():
    count = 2 * IN_FLIGHT_PER_WORKER + 3  # more than are ever in flight, so that the queue is drained on the way
    one, two = Collect(), Collect()
    first = render_batch(batch_items(count), one.sink, workers=1, progress=one.on_progress)
    second = render_batch(batch_items(count), two.sink, workers=2, progress=two.on_progress)

    assert set(two.files) == set(one.files) == expected_names(count)
    assert sorted(two.progress) == sorted(one.progress) == [(f"1990{index:02d}", index != 3) for index in range(count)]
    assert (second.written, second.failed) == (first.written, first.failed) == (count - 1, [("199003", BROKEN_REASON)])
    for name, pdf in two.files.items():
        assert [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages] == [
            page.extract_text() for page in PdfReader(io.BytesIO(one.files[name])).pages
        ]


def test_an_empty_batch_writes_nothing():
    collect = Collect()
    summary = render_batch([], collect.sink, workers=2, progress=collect.on_progress)
    assert (collect.files, collect.progress, summary.written, summary.failed, summary.bytes) == ({}, [], 0, [], 0)
    assert BatchSummary().per_second == 0.0
