"""Render many reports, in parallel over processes, handing each PDF to a sink (files, a ZIP).

Memory stays flat: at most a few reports per worker are in flight, however long the batch.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from .model import ReportData
from .pdf import render_pdf

#: Reports queued per worker process; enough to keep every core busy, few enough to stay small.
IN_FLIGHT_PER_WORKER = 4


@dataclass
class BatchSummary:
    written: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (Schulnummer, reason)

    @property
    def per_second(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


Sink = Callable[[ReportData, bytes], None]
Progress = Callable[[ReportData, bool], None]  # called after each report, True when it succeeded


# German spells umlauts out (as the round slugs do); letters without a decomposition get their base letter.
_SPELLED_OUT = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ı": "i",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
    }
)


def report_filename(data: ReportData, round_slug: str) -> str:
    """A portable file name: "bericht-2025-26-199001-gesamtschule-sehitlik.pdf" (only a-z, 0-9 and "-")."""
    folded = unicodedata.normalize("NFKD", data.school.name.translate(_SPELLED_OUT))
    ascii_name = folded.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].rstrip("-")
    safe_round = re.sub(r"[^a-z0-9-]+", "-", round_slug.lower()).strip("-")
    return "-".join(part for part in ("bericht", safe_round, data.school.schulnummer, slug) if part) + ".pdf"


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def render_batch(items: Iterable[ReportData], sink: Sink, *, workers: int = 1, progress: Progress | None = None) -> BatchSummary:
    """Render every report and pass it to `sink` in this process; a failing report is counted, not fatal."""
    summary = BatchSummary()
    started = time.perf_counter()
    if workers <= 1:
        for data in items:
            _finish(data, _render_safely(data), sink, summary, progress)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: dict[Future, ReportData] = {}
            for data in items:
                pending[pool.submit(_render_safely, data)] = data
                if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    _drain(pending, sink, summary, progress, until=workers * IN_FLIGHT_PER_WORKER - 1)
            _drain(pending, sink, summary, progress, until=0)
    summary.seconds = time.perf_counter() - started
    return summary


def _drain(pending: dict, sink: Sink, summary: BatchSummary, progress: Progress | None, *, until: int) -> None:
    while len(pending) > until:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            _finish(pending.pop(future), future.result(), sink, summary, progress)


def _render_safely(data: ReportData) -> bytes | str:
    """The PDF, or the reason it could not be made (so that one broken report does not stop a batch)."""
    try:
        return render_pdf(data)
    except Exception as exc:  # noqa: BLE001 - reported per school in the summary
        return f"{type(exc).__name__}: {exc}"


def _finish(data: ReportData, result: bytes | str, sink: Sink, summary: BatchSummary, progress: Progress | None) -> None:
    if isinstance(result, bytes):
        sink(data, result)
        summary.written += 1
        summary.bytes += len(result)
    else:
        summary.failed.append((data.school.schulnummer, result))
    if progress is not None:
        progress(data, isinstance(result, bytes))
