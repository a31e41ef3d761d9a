"""Lines with gaps: a missing value splits a series into runs drawn separately, never into a point at 0."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def runs_between_gaps(order: Iterable[int], is_gap: Callable[[int], bool]) -> tuple[tuple[int, ...], ...]:
    """The stretches of consecutive indices (in `order`) that are not gaps, in that order."""
    runs: list[tuple[int, ...]] = []
    current: list[int] = []
    for index in order:
        if is_gap(index):
            if current:
                runs.append(tuple(current))
            current = []
        else:
            current.append(index)
    if current:
        runs.append(tuple(current))
    return tuple(runs)
