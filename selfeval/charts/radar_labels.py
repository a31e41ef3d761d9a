"""The text of a radar chart's labels and values: wrapping, compact numbers, named gaps (pure, no drawing)."""

from __future__ import annotations

from collections.abc import Sequence

#: Default maximum number of characters per axis label line.
LABEL_MAX_CHARS = 22


def gap_labels(labels: Sequence[str], values: Sequence[float | None]) -> list[str]:
    """Axis labels that say where the main series has no value: a gap must be named, not only drawn."""
    return [label if value is not None else f"{label} (nicht bewertet)" for label, value in zip(labels, values, strict=True)]


def wrap_label(text: str, max_chars: int = LABEL_MAX_CHARS) -> tuple[str, ...]:
    """Wrap text at word boundaries into as few, evenly long lines of at most max_chars as possible."""
    words = text.split()
    if not words:
        return ()
    # best[j] = (line count, raggedness, start of the last line) for the first j words; fewest lines first,
    # then the smallest sum of squared slack, so that no short word ends up alone on a line.
    best: list[tuple[int, float, int]] = [(0, 0.0, 0)]
    for j in range(1, len(words) + 1):
        candidates = []
        length = -1
        for i in range(j - 1, -1, -1):
            length += len(words[i]) + 1
            if length > max_chars and i < j - 1:
                break  # more than one word and too long; a single overlong word stays whole
            lines, ragged, _ = best[i]
            slack = max(0, max_chars - length)
            candidates.append((lines + 1, ragged + slack * slack, i))
        best.append(min(candidates))
    result: list[str] = []
    j = len(words)
    while j > 0:
        i = best[j][2]
        result.append(" ".join(words[i:j]))
        j = i
    return tuple(reversed(result))


def format_value(value: float) -> str:
    """Format a scale value compactly: 2.0 -> "2", 2.5 -> "2.5"."""
    text = f"{round(value, 6):g}"
    return "0" if text == "-0" else text
