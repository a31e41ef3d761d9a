"""Benchmark of the PDF reports: one report, and batches of 1,000 and N schools, next to a reportlab floor.

The floor is a minimal one-page document in the same run (with the same embedded font), so the
figures say how much the report itself costs on top of what reportlab needs for any PDF at all.
Every school has a plan (issue 18: three goals of three measures, two agreements, last year's plan).
The worst legal comment set (issue 15) is one school whose 23 comments each make as many printed
lines as a comment may: 39 one-character lines and one long line that wraps across the cell.
"""

from __future__ import annotations

import re
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate
from sqlalchemy import select, update

from selfeval.extensions import catalogs, db
from selfeval.limits import MAX_COMMENT_LENGTH, MAX_COMMENT_LINES
from selfeval.models import Assessment, Rating, Round
from selfeval.reports.batch import default_workers, render_batch, report_filename
from selfeval.reports.cache import PdfCache
from selfeval.reports.fonts import register_fonts
from selfeval.reports.pdf import render_pdf
from selfeval.services.rating_input import parse_rating_changes
from selfeval.services.reports import batch_schools, iter_reports

from .analytics import Timing, time_it, timing_table
from .synthetic import STATUS_SHARES, fill, fill_plans

#: A comment on every fifth rating, with characters that need escaping and names outside Latin-1.
COMMENT = "Ayşe Yılmaz & Łukasz: Fortbildung <geplant> für das 2. Halbjahr, Absprache mit dem Schulträger."
_SHORT_LINES = "x\n" * (MAX_COMMENT_LINES - 1)
#: The most printed lines a comment may make: every line but one as short as can be, the last one wrapping.
WORST_LEGAL_COMMENT = _SHORT_LINES + ("Beleg " * MAX_COMMENT_LENGTH)[: MAX_COMMENT_LENGTH - len(_SHORT_LINES)]
#: What issue 15 measured (384 pages, 19 s): 1,000 lines, possible only for comments stored before the rule.
OLD_WALL_COMMENT = "x\n" * 999 + "x"
_PAGE = re.compile(rb"/Type /Page(?!s)")  # one page object each (reportlab writes no compressed object streams)


def render_minimal_pdf(font: str) -> bytes:
    """One line on one page: the floor any reportlab document costs, with the report's fonts registered."""
    register_fonts()
    buffer = BytesIO()
    style = ParagraphStyle("floor", fontName=font, fontSize=10)
    SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph("Bericht zur Selbstevaluation", style)])
    return buffer.getvalue()


@dataclass(frozen=True)
class BatchFigures:
    reports: int
    seconds: float
    workers: int
    main_rss_start_mb: float
    main_rss_peak_mb: float
    megabytes: float

    @property
    def per_second(self) -> float:
        return self.reports / self.seconds


@dataclass(frozen=True)
class ReportBench:
    floor_helvetica: Timing
    floor_dejavu: Timing
    single: Timing
    gather_ms: float  # data of one report, from the batch loader (amortised)
    batches: list[BatchFigures]
    worker_peak_mb: float
    worst: Timing  # the worst legal comment set, rendered
    worst_pages: int
    old_wall: Timing  # comments of 1,000 lines stored before the rule, as the report cuts them
    old_wall_pages: int
    cached: Timing  # the worst legal report downloaded again (the per-process cache)
    plan_cost: list[Timing]  # the same reports without their plan, and the CPU time of both (issue 18)


def run(app, schools: int, repeat: int, workers: int | None, echo: Callable[[str], None]) -> ReportBench:
    workers = workers or default_workers()
    with app.app_context():
        assert_legal(catalogs.active, WORST_LEGAL_COMMENT)
        # Enough schools that `schools` of them submit: 6 % over the expected share, plus some for small runs.
        total = round(schools * 100 / STATUS_SHARES["submitted"] * 1.06) + 25
        echo(f"filling {total} schools, 2 rounds …")
        filled = fill(catalogs.active, total, 2)
        db.session.execute(update(Rating).where(Rating.id % 5 == 0).values(comment=COMMENT))
        rounds = [db.session.scalars(select(Round).filter_by(slug=slug)).one() for slug in filled.rounds]
        echo(f"{fill_plans(catalogs.active, [r.id for r in rounds])} plans (3 goals, 9 measures; 2 agreements this year) …")
        db.session.commit()
        round_ = rounds[-1]
        chosen = batch_schools(None, round_)[:schools]
        if len(chosen) < schools:
            raise RuntimeError(f"only {len(chosen)} schools submitted; raise the fill")
        echo("timing the floor and single reports …")
        started = time.perf_counter()
        sample = list(iter_reports(round_, chosen[:repeat]))
        gather_ms = (time.perf_counter() - started) * 1000 / len(sample)
        floor_helvetica = time_it("floor: minimal one-page PDF, Helvetica", lambda: render_minimal_pdf("Helvetica"), repeat)
        floor_dejavu = time_it(
            "floor: minimal one-page PDF, DejaVu Sans embedded", lambda: render_minimal_pdf("DejaVuSans"), repeat
        )
        single, *plan_cost = _with_and_without_plan(sample, repeat)
        batches = [_batch(round_, chosen[:size], workers, echo) for size in sorted({min(1000, schools), schools})]
        echo("timing the worst comments …")
        worst, worst_pages, cached = _worst_comments(round_, chosen[0], WORST_LEGAL_COMMENT, repeat, "worst legal comment set")
        old_wall, old_wall_pages, _ = _worst_comments(
            round_, chosen[1], OLD_WALL_COMMENT, repeat, "1,000-line comments, stored before the rule"
        )
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return ReportBench(
        floor_helvetica,
        floor_dejavu,
        single,
        gather_ms,
        batches,
        worker_peak,
        worst,
        worst_pages,
        old_wall,
        old_wall_pages,
        cached,
        plan_cost,
    )


def _with_and_without_plan(sample: list, repeat: int) -> list[Timing]:
    """The reports with their plan and the same without it (the suggestions instead), alternating so that both meet
    the same load of a shared machine; wall time, and the CPU time of this process (less moved by other load)."""
    bare = [replace(data, plan=None) for data in sample]
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for number in range(repeat):
        for planned, data in ((True, sample[number % len(sample)]), (False, bare[number % len(bare)])):
            started, started_cpu = time.perf_counter(), time.process_time()
            render_pdf(data)
            wall[planned].append(time.perf_counter() - started)
            cpu[planned].append(time.process_time() - started_cpu)
    return [
        Timing("one report with a plan (render_pdf)", wall[True]),
        Timing("the same reports without the plan (suggestions instead)", wall[False]),
        Timing("one report with a plan, CPU time of the process", cpu[True]),
        Timing("the same reports without the plan, CPU time of the process", cpu[False]),
    ]


def _worst_comments(round_, school, comment: str, repeat: int, label: str) -> tuple[Timing, int, Timing]:
    """One school's 23 comments set to `comment` (in the database): its report rendered, its pages, a cached download."""
    assessment_id = db.session.scalar(
        select(Assessment.id).where(Assessment.school_id == school.id, Assessment.round_id == round_.id)
    )
    db.session.execute(update(Rating).where(Rating.assessment_id == assessment_id).values(comment=comment))
    db.session.commit()
    data = next(iter_reports(round_, [school]))
    pdf = render_pdf(data)
    cache = PdfCache()
    cache.pdf(data)
    timing = time_it(f"one report, {label} (render_pdf)", lambda: render_pdf(data), max(3, repeat // 10))
    cached = time_it(f"the same report again (cache hit, {label})", lambda: cache.pdf(data), repeat)
    return timing, len(_PAGE.findall(pdf)), cached


def assert_legal(catalog, comment: str) -> None:
    """The worst legal comment passes the one rating-input validation (raises InvalidRatings otherwise)."""
    parse_rating_changes(catalog, {indicator.id: {"comment": comment} for indicator in catalog.indicators})


def _batch(round_, schools, workers: int, echo: Callable[[str], None]) -> BatchFigures:
    echo(f"batch of {len(schools)} reports on {workers} workers …")
    start_rss = _rss_mb()
    peak_rss = start_rss
    written = 0

    with tempfile.TemporaryDirectory(prefix="selfeval-reports-") as folder:

        def sink(data, pdf: bytes) -> None:
            (Path(folder) / report_filename(data, round_.slug)).write_bytes(pdf)

        def progress(_data, _ok: bool) -> None:
            nonlocal peak_rss, written
            written += 1
            if written % 50 == 0:
                peak_rss = max(peak_rss, _rss_mb())

        summary = render_batch(iter_reports(round_, schools), sink, workers=workers, progress=progress)
    if summary.failed:
        raise RuntimeError(f"{len(summary.failed)} reports failed, first: {summary.failed[0]}")
    peak_rss = max(peak_rss, _rss_mb())
    return BatchFigures(summary.written, summary.seconds, workers, start_rss, peak_rss, summary.bytes / 1_000_000)


def _rss_mb() -> float:
    """The current resident memory of this process (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * resource.getpagesize() / 1_048_576


def report(bench: ReportBench, database: str) -> str:
    lines = timing_table([bench.floor_helvetica, bench.floor_dejavu, bench.single, *bench.plan_cost], database)
    lines.append(f"| gathering one report's data in a batch (amortised) | {bench.gather_ms:.1f} | | |")
    fastest = [min(timing.samples) * 1000 for timing in (bench.single, bench.plan_cost[0])]
    lines.append(f"\nFastest run (least disturbed by other load): with a plan {fastest[0]:.1f} ms, without {fastest[1]:.1f} ms.")
    lines += [
        "",
        "| batch | wall time s | reports per second | workers | main process RSS start → peak MB | PDF output MB |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for b in bench.batches:
        lines.append(
            f"| {b.reports} | {b.seconds:.1f} | {b.per_second:.1f} | {b.workers} | "
            f"{b.main_rss_start_mb:.0f} → {b.main_rss_peak_mb:.0f} | {b.megabytes:.0f} |"
        )
    lines += ["", f"Largest worker process (max RSS): {bench.worker_peak_mb:.0f} MB", ""]
    lines += timing_table([bench.worst, bench.old_wall, bench.cached], database)[3:]
    lines += [
        "",
        f"Pages: worst legal comment set {bench.worst_pages}, 1,000-line comments stored before the rule "
        f"{bench.old_wall_pages} (issue 15 measured 384 pages before the fix).",
    ]
    return "\n".join(lines)
