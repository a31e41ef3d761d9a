"""Reading the analytics service's frames in tests: statistics rows comparable with ==, and the numbers they hold."""

from __future__ import annotations

import math

from tests.support.catalogue import CRITERIA

COLUMNS = [*CRITERIA, "overall"]


STATS = ["n", "mean", "median", "q1", "q3", "min", "max", "std"]


def stats_rows(frame) -> dict[str, dict[str, float]]:
    return plain({key: {column: frame.loc[key, column] for column in STATS} for key in frame.index})


def plain(rows: dict) -> dict:
    """Comparable with ==: NaN (pandas' 'no data') becomes the text "NaN"."""
    return {key: {c: "NaN" if isinstance(v, float) and math.isnan(v) else v for c, v in row.items()} for key, row in rows.items()}


NO_DATA = dict.fromkeys(STATS, math.nan) | {"n": 0}


TWO_FOUR_NINE = {"n": 3, "mean": 5.0, "median": 4.0, "q1": 3.0, "q3": 6.5, "min": 2.0, "max": 9.0, "std": math.sqrt(13)}
