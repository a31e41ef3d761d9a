"""Operator commands `selfeval report`, `reports` and `worker`: exact output, the files written, no tracebacks."""

from __future__ import annotations

import re

import pytest

from tests.support.reports import pdf_text, populate

SUBMITTED = [
    "bericht-2025-26-100001-adler-gesamtschule.pdf",
    "bericht-2025-26-100002-birken-gymnasium.pdf",
    "bericht-2025-26-300001-zechen-gesamtschule.pdf",
]
KREIS_PROBLEM = "unbekannter Kreis „99999“ (erwartet wird der Kreisschlüssel, z. B. 05913)"
SCHULFORM_PROBLEM = "unbekannte Schulform „99“ (erwartet wird der Schulformschlüssel, z. B. 15)"


@pytest.fixture
def area(app):
    """The schools, ratings and users of test_reports."""
    populate(app)


@pytest.fixture
def out(tmp_path):
    """An empty folder of its own (tmp_path also holds the app's instance folder)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("round_name", ["2025/26", "2025-26"])
def test_report_writes_the_pdf_of_one_school(app, runner, area, out, round_name):
    target = out / "adler.pdf"
    assert runner.outcome("report", "100001", round_name, "-o", str(target)) == (
        0,
        f"wrote {target} (100001 Adler-Gesamtschule, round 2025/26, submitted)\n",
        "",
    )
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF-")
    content = pdf_text(pdf)
    assert "Adler-Gesamtschule" in content
    assert "Gesamtwert 5,0 von 10" in content


def test_report_of_a_draft_says_draft(app, runner, area, out):
    target = out / "castell.pdf"
    assert runner.outcome("report", "100003", "2025-26", "--output", str(target)) == (
        0,
        f"wrote {target} (100003 Castell-Gesamtschule, round 2025/26, draft)\n",
        "",
    )
    assert "Entwurf (1 von 23 Indikatoren bewertet)" in pdf_text(target.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["100001", "2030/31"], 'unknown round "2030/31"; give its name (2025/26) or slug (2025-26)'),
        (["999999", "2025/26"], "no school with Schulnummer 999999"),
        (["100004", "2025/26"], "school 100004 has nothing rated in round 2025/26"),
    ],
)
def test_report_fails_with_one_line_and_writes_nothing(app, runner, area, out, args, message):
    target = out / "bericht.pdf"
    assert runner.outcome("report", *args, "-o", str(target)) == (1, "", f"error: {message}\n")
    assert list(out.iterdir()) == []


def test_report_into_a_missing_folder_fails(app, runner, area, out):
    target = out / "fehlt" / "bericht.pdf"
    assert runner.outcome("report", "100001", "2025/26", "-o", str(target)) == (
        1,
        "",
        f"error: folder {out / 'fehlt'} does not exist\n",
    )
    assert list(out.iterdir()) == []


SUMMARY = r"wrote {count} of {count} reports to {folder} in \d+\.\d s \(\d+\.\d per second, {workers}, \d+\.\d MB\)\n"


def test_reports_writes_one_pdf_per_submitted_school_in_parallel(app, runner, area, out):
    folder = out / "berichte"
    result = runner("reports", "2025/26", "-o", str(folder), "--jobs", "2")

    assert result.exit_code == 0
    assert re.fullmatch(SUMMARY.format(count=3, folder=re.escape(str(folder)), workers="2 workers"), result.stdout)
    assert result.stderr == "3 reports\n"  # the progress bar's label; no "failed: …" lines
    assert sorted(path.name for path in folder.iterdir()) == SUBMITTED  # the draft 100003 and 100004 have none
    assert [(folder / name).read_bytes()[:5] for name in SUBMITTED] == [b"%PDF-"] * 3
    assert "Zechen-Gesamtschule" in pdf_text((folder / SUBMITTED[2]).read_bytes())


def test_reports_filters_and_replaces_files_of_the_same_name(app, runner, area, out):
    (out / SUBMITTED[0]).write_bytes(b"stale")
    (out / "notiz.txt").write_text("bleibt")
    result = runner("reports", "2025-26", "--kreis", "05913", "--schulform", "15", "-o", str(out), "--jobs", "1")

    assert result.exit_code == 0
    assert re.fullmatch(SUMMARY.format(count=1, folder=re.escape(str(out)), workers="1 worker"), result.stdout)
    assert "failed" not in result.stderr
    assert sorted(path.name for path in out.iterdir()) == [SUBMITTED[0], "notiz.txt"]
    assert (out / SUBMITTED[0]).read_bytes().startswith(b"%PDF-")
    assert (out / "notiz.txt").read_text() == "bleibt"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--kreis", "99999"], f"--kreis: {KREIS_PROBLEM}"),
        (["--kreis", "99999", "--schulform", "99"], f"--kreis: {KREIS_PROBLEM}; --schulform: {SCHULFORM_PROBLEM}"),
        (["--schulform", "02"], "no school of this selection has submitted in round 2025/26; nothing written"),
    ],
)
def test_reports_with_a_bad_or_empty_selection_fails_and_writes_nothing(app, runner, area, out, options, message):
    folder = out / "berichte"
    assert runner.outcome("reports", "2025/26", *options, "-o", str(folder)) == (1, "", f"error: {message}\n")
    assert folder.exists() is False


def test_reports_for_an_unknown_round_fails(app, runner, area, out):
    assert runner.outcome("reports", "1999", "-o", str(out / "x")) == (
        1,
        "",
        'error: unknown round "1999"; give its name (2025/26) or slug (2025-26)\n',
    )
    assert list(out.iterdir()) == []


def test_worker_without_a_broker_says_why_it_cannot_start(runner):
    assert runner.outcome("worker", "--concurrency", "1") == (
        1,
        "",
        "selfeval worker: SELFEVAL_BROKER_URL is not set; without a broker, report jobs run in the web process.\n",
    )
