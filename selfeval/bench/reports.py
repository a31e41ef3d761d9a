"""Benchmark of the PDF reports: one report, and batches of 1,000 and N schools, next to a reportlab floor.

The floor is a minimal one-page document in the same run (with the same embedded font), so the
figures say how much the report itself costs on top of what reportlab needs for any PDF at all.
"""

from __future__ import annotations

import itertools
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from ..extensions import catalogs, db
from ..models import Rating, Round
from ..reports.batch import default_workers, render_batch, report_filename
from ..reports.pdf import render_minimal_pdf, render_pdf
from ..services.reports import batch_schools, iter_reports
from .analytics import Timing, time_it, timing_table
from .synthetic import STATUS_SHARES, fill

#: A comment on every fifth rating, with characters that need escaping and names outside Latin-1.
COMMENT = "Ayşe Yılmaz & Łukasz: Fortbildung <geplant> für das 2. Halbjahr, Absprache mit dem Schulträger."


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


def run(app, schools: int, repeat: int, workers: int | None, echo: Callable[[str], None]) -> ReportBench:
    workers = workers or default_workers()
    with app.app_context():
        # Enough schools that `schools` of them submit: 6 % over the expected share, plus some for small runs.
        total = round(schools * 100 / STATUS_SHARES["submitted"] * 1.06) + 25
        echo(f"filling {total} schools, 2 rounds …")
        filled = fill(catalogs.active, total, 2)
        db.session.execute(update(Rating).where(Rating.id % 5 == 0).values(comment=COMMENT))
        db.session.commit()
        round_ = db.session.scalars(select(Round).filter_by(slug=filled.rounds[-1])).one()
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
        reports = itertools.cycle(sample)
        single = time_it("one report (render_pdf)", lambda: render_pdf(next(reports)), repeat)
        batches = [_batch(round_, chosen[:size], workers, echo) for size in sorted({min(1000, schools), schools})]
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return ReportBench(floor_helvetica, floor_dejavu, single, gather_ms, batches, worker_peak)


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
    lines = timing_table([bench.floor_helvetica, bench.floor_dejavu, bench.single], database)
    lines.append(f"| gathering one report's data in a batch (amortised) | {bench.gather_ms:.1f} | | |")
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
    lines += ["", f"Largest worker process (max RSS): {bench.worker_peak_mb:.0f} MB"]
    return "\n".join(lines)
