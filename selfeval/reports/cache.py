"""Rendered report PDFs, kept per process so that downloading the same report again costs nothing.

The key is a digest of the whole ReportData, not of a few ids: everything the PDF shows is in it
(the assessment's ratings and comments, its catalogue version, the comparison group's means, the
previous round, the school's name and the creation date), so a hit can never be stale. When any of
them changes, the report has a new key and the old entry is simply never asked for again; the
least recently used entries go once the cache holds MAX_BYTES. Nothing is written to disk.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from .model import ReportData
from .pdf import render_pdf

#: Memory a process spends on rendered reports (a report is about 0.1–0.5 MB).
MAX_BYTES = 32 * 1024 * 1024


def report_key(data: ReportData) -> str:
    """A digest of everything a report shows (dataclass reprs list every field, in order)."""
    return hashlib.sha256(repr(data).encode("utf-8", "surrogatepass")).hexdigest()


class PdfCache:
    """A byte-bounded LRU of PDFs; concurrent requests for the same report wait for one rendering."""

    def __init__(self, max_bytes: int = MAX_BYTES, render: Callable[[ReportData], bytes] = render_pdf):
        self.max_bytes = max_bytes
        self.renders = 0  # how many reports were actually rendered (for tests and the benchmark)
        self._render = render
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._pending: dict[str, threading.Lock] = {}

    def pdf(self, data: ReportData) -> bytes:
        key = report_key(data)
        with self._lock:
            found = self._hit(key)
            if found is not None:
                return found
            rendering = self._pending.setdefault(key, threading.Lock())
        with rendering:  # one rendering per report; whoever waited here finds it done
            with self._lock:
                found = self._hit(key)
            if found is not None:
                return found
            try:
                pdf = self._render(data)
                with self._lock:
                    self.renders += 1
                    self._store(key, pdf)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
        return pdf

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def _hit(self, key: str) -> bytes | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def _store(self, key: str, pdf: bytes) -> None:
        if len(pdf) > self.max_bytes or key in self._entries:
            return
        self._entries[key] = pdf
        self._size += len(pdf)
        while self._size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._size -= len(dropped)


_shared = PdfCache()


def cached_pdf(data: ReportData) -> bytes:
    """The report as PDF, rendered once per process and content."""
    return _shared.pdf(data)


def shared_cache() -> PdfCache:
    return _shared
