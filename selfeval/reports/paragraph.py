"""A reportlab Paragraph that breaks its lines once: breaking lines is the largest single cost of a report.

reportlab breaks a paragraph's lines on every wrap, and a paragraph is wrapped at least twice (a table measures its
cells, then wraps them again to draw them; a frame wraps before it places). The same text in the same style at the
same width always breaks the same way, so the lines are kept: per paragraph for its next wrap, and, for text that
recurs in every report (catalogue texts, headings, fixed notes: a `key`), per process across reports.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph
from reportlab.rl_config import _FUZZ

#: Line breaks of keyed paragraphs: (key, width) -> (lines, fragments as broken, wrap widths, height). Emptied when full.
_LINES: dict[tuple[Any, float], tuple[Any, list, list[float], float]] = {}
LINES_KEPT = 8192


class KeptParagraph(Paragraph):
    """A Paragraph that reuses its broken lines (see the module). `key` names its text, style and bullet exactly;
    without a key only the paragraph itself reuses its lines.

    Splitting a paragraph over a page alters the words of its lines (reportlab's _split_blParaHard), so a paragraph
    breaks its own private lines before it splits: the kept ones are only ever read (wrapped and drawn)."""

    # Set by reportlab's Paragraph.wrap (annotations only: no class attribute, reportlab tests hasattr(blPara)).
    width: float
    height: float
    blPara: Any  # noqa: N815 - reportlab's name
    frags: list
    _wrapWidths: list[float]  # noqa: N815 - reportlab's name

    def __init__(self, text, style, bulletText=None, frags=None, key: Any = None, **kwargs):  # noqa: N803 - reportlab's
        super().__init__(text, style, bulletText=bulletText, frags=frags, **kwargs)
        self._key = key
        self._kept: tuple[float, Any] | None = None  # the width and lines of the last wrap

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        kept = self._kept
        if kept is not None and kept[0] == availWidth and getattr(self, "blPara", None) is kept[1]:
            return self.width, self.height
        hit = _LINES.get((self._key, availWidth)) if self._key is not None else None
        if hit is None:
            size = super().wrap(availWidth, availHeight)
            if availWidth < _FUZZ:  # reportlab's "cannot fit here": nothing was broken
                return size
            if self._key is not None:
                if len(_LINES) >= LINES_KEPT:
                    _LINES.clear()
                _LINES[(self._key, availWidth)] = (self.blPara, self.frags, self._wrapWidths, self.height)
        else:  # breaking lines also turns the fragments into words, to which the lines point (and split slices)
            self.blPara, self.frags, self._wrapWidths, self.height = hit
            self.width = availWidth
        self._kept = (availWidth, self.blPara)
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        if self._key is not None and self._kept is not None and getattr(self, "blPara", None) is self._kept[1]:
            self.blPara = self.breakLines(self._wrapWidths)  # private lines: splitting alters them
        self._kept = None
        return super().split(availWidth, availHeight)


__all__ = ["KeptParagraph"]
