"""Aggregation across schools: DataFrame in, DataFrame out (pure pandas, no Flask, no database).

The frames, all indexed by Schulnummer (index name "schulnummer"):

- schools: one row per school in the selection, columns SCHOOL_COLUMNS; `status` is
  "submitted", "draft" or "not_started" for the round at hand.
- indicator scores: one row per school with a submitted assessment, one float column per
  indicator id in catalogue order, NaN where not rated.
- criterion scores: the same rows, one column per criterion id, then OVERALL.

The per-school scores follow `selfeval.scoring.score_assessment` exactly (same sums, same
divisions), so a school's numbers in the supervision overview equal those on its own page.
Statistics use pandas' defaults: quartiles with linear interpolation, std with ddof=1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..catalog import Catalog

INDEX = "schulnummer"
OVERALL = "overall"
SCHOOL_COLUMNS = ["name", "schulform", "kreis", "bezirksregierung", "ort", "status"]
STATUSES = ("submitted", "draft", "not_started")
STAT_COLUMNS = ["n", "mean", "median", "q1", "q3", "min", "max", "std"]
CHANGE_COLUMNS = ["n", "mean_previous", "mean_current", "mean_change"]
#: What a school sees of other schools (its comparison group), in one rule (reasoning: docs/DATENSCHUTZ.md):
#: the group is the *other* submitted schools of its Schulform; from MIN_GROUP_SIZE of them on their mean, from
#: MIN_QUARTILE_GROUP_SIZE on also quartiles and median; every value rounded to GROUP_VALUE_STEP. At five schools
#: the quartiles and median would be the exact values of the 2nd, 3rd and 4th school, and with the mean the rest.
MIN_GROUP_SIZE = 5
MIN_QUARTILE_GROUP_SIZE = 10
GROUP_VALUE_STEP = 0.5
GROUP_COLUMNS = ["mean", "q1", "median", "q3"]


def empty_schools() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in SCHOOL_COLUMNS}).rename_axis(INDEX)


def criterion_scores(indicator_scores: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Per school: each criterion's score (mean of its rated indicators) and the overall score."""
    values = indicator_scores.reindex(columns=[i.id for i in catalog.indicators]).to_numpy(dtype="float64")
    columns: dict[str, np.ndarray] = {}
    start = 0
    for criterion in catalog.criteria:
        block = values[:, start : start + len(criterion.indicators)]
        start += len(criterion.indicators)
        counts = (~np.isnan(block)).sum(axis=1)
        # Sums of small integers are exact in float64, so this equals statistics.fmean.
        sums = np.nansum(block, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            columns[criterion.id] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    frame = pd.DataFrame(columns, index=indicator_scores.index, dtype="float64")
    frame[OVERALL] = _overall(frame.to_numpy()) if len(frame.columns) else np.nan
    frame.index.name = INDEX
    return frame


def _overall(criteria: np.ndarray) -> np.ndarray:
    """Mean of the rated criteria per row with math.fsum, exactly as statistics.fmean computes it."""
    result = np.full(criteria.shape[0], np.nan)
    for row, values in enumerate(criteria):
        rated = values[~np.isnan(values)]
        if rated.size:
            result[row] = math.fsum(rated) / rated.size
    return result


def describe(scores: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per column of `scores`: n, mean, median, q1, q3, min, max, std (NaN where undefined)."""
    scores = scores if columns is None else scores.reindex(columns=list(columns))
    numeric = scores.astype("float64")
    stats = pd.DataFrame(
        {
            "n": numeric.count().astype("int64"),
            "mean": numeric.mean(),
            "median": numeric.median(),
            "q1": numeric.quantile(0.25),
            "q3": numeric.quantile(0.75),
            "min": numeric.min(),
            "max": numeric.max(),
            "std": numeric.std(ddof=1),
        },
        index=pd.Index(numeric.columns, name="id"),
    )
    return stats[STAT_COLUMNS]


def participation(schools: pd.DataFrame) -> dict[str, int]:
    """How many schools are in the selection, and how many have a draft or a submitted assessment."""
    counts = schools["status"].value_counts()
    return {
        "in_scope": len(schools),
        "submitted": int(counts.get("submitted", 0)),
        "draft": int(counts.get("draft", 0)),
        "not_started": int(counts.get("not_started", 0)),
    }


def select(
    schools: pd.DataFrame,
    *,
    schulformen: Iterable[str] = (),
    kreise: Iterable[str] = (),
    bezirke: Iterable[str] = (),
    statuses: Iterable[str] = (),
    traeger: Iterable[str] = (),
) -> pd.DataFrame:
    """The schools matching every given filter; an empty filter does not narrow (`traeger`: the column traeger_nummer)."""
    mask = pd.Series(True, index=schools.index)
    filters = (
        ("schulform", schulformen), ("kreis", kreise), ("bezirksregierung", bezirke), ("status", statuses),
        ("traeger_nummer", traeger),
    )  # fmt: skip
    for column, wanted in filters:
        wanted = set(wanted)
        if wanted:
            mask &= schools[column].isin(wanted)
    return schools[mask]


def change(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Per school with scores in both rounds: current minus previous, for the columns both share."""
    shared = [column for column in current.columns if column in previous.columns]
    both = current.index.intersection(previous.index, sort=False)
    return current.loc[both, shared] - previous.loc[both, shared]


def change_summary(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Per shared column, over the schools present in both rounds: n, both means, the mean change."""
    shared = [column for column in current.columns if column in previous.columns]
    both = current.index.intersection(previous.index, sort=False)
    now, before = current.loc[both, shared], previous.loc[both, shared]
    summary = pd.DataFrame(
        {
            "n": (now.notna() & before.notna()).sum().astype("int64"),
            "mean_previous": before.where(now.notna()).mean(),
            "mean_current": now.where(before.notna()).mean(),
            "mean_change": (now - before).mean(),
        },
        index=pd.Index(shared, name="id"),
    )
    return summary[CHANGE_COLUMNS]


def means_over_rounds(
    rounds: Sequence[tuple[str, pd.DataFrame]], columns: Sequence[str], minimum: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    """One column per round (in the given order): row "n" counts its score rows, then the mean of each column.

    Means are left out (NaN) for fewer than `minimum` schools: a mean of two schools tells each about the other.
    """
    index = ["n", *columns]
    table = {}
    for name, scores in rounds:
        frame = scores.reindex(columns=list(columns)).astype("float64")
        means = frame.mean() if len(frame) >= minimum else pd.Series(np.nan, index=list(columns))
        table[name] = pd.concat([pd.Series({"n": float(len(frame))}), means]).reindex(index)
    return pd.DataFrame(table, index=index, dtype="float64")


@dataclass(frozen=True)
class ComparisonGroup:
    """What may be shown of a group of schools, or why nothing is (never the schools themselves)."""

    size: int
    #: One row per column of the scores; "mean", and from MIN_QUARTILE_GROUP_SIZE on "q1", "median", "q3", each
    #: rounded to GROUP_VALUE_STEP. None below the minimum.
    stats: pd.DataFrame | None

    @property
    def is_shown(self) -> bool:
        return self.stats is not None

    @property
    def has_quartiles(self) -> bool:
        return self.stats is not None and "median" in self.stats.columns


def comparison_group(group_scores: pd.DataFrame, minimum: int = MIN_GROUP_SIZE) -> ComparisonGroup:
    """The published statistics of these schools' scores (the one small-group rule for every page and report).

    The caller leaves out the school that will see them: its own value would otherwise be a known part of the mean.
    """
    size = len(group_scores)
    if size < minimum:
        return ComparisonGroup(size, None)
    columns = GROUP_COLUMNS if size >= MIN_QUARTILE_GROUP_SIZE else ["mean"]
    return ComparisonGroup(size, describe(group_scores)[columns].map(round_to_step))


#: The area report's rule (the same thresholds as the comparison group, for readers outside the schools): a value of
#: fewer than MIN_GROUP_SIZE schools is not published; from MIN_GROUP_SIZE on the mean, from MIN_QUARTILE_GROUP_SIZE
#: on also median, quartiles and standard deviation (from fewer schools they describe single schools, not a spread).
#: Minimum and maximum are never published: each is one school's value.
AREA_COLUMNS = ["n", "mean", "median", "q1", "q3", "std"]
#: "Fortbildungsbedarf": an indicator rated below this at a school.
WEAK_BELOW = 4


def area_statistics(scores: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Per column: n (schools with a value) and what the small-group rule lets be shown of them; NaN where not."""
    stats = describe(scores, columns)[AREA_COLUMNS].copy()
    stats.loc[stats["n"] < MIN_GROUP_SIZE, "mean"] = np.nan
    stats.loc[stats["n"] < MIN_QUARTILE_GROUP_SIZE, ["median", "q1", "q3", "std"]] = np.nan
    return stats


def is_small(n: int) -> bool:
    """A group whose mean is shown but whose spread is not (MIN_GROUP_SIZE to MIN_QUARTILE_GROUP_SIZE - 1)."""
    return MIN_GROUP_SIZE <= n < MIN_QUARTILE_GROUP_SIZE


def weak_counts(indicator_scores: pd.DataFrame, columns: Sequence[str], below: float = WEAK_BELOW) -> pd.DataFrame:
    """Per indicator: n (schools that rated it) and weak (how many rated it below `below`); weak is NaN below
    MIN_GROUP_SIZE, where a count would tell how single schools rated."""
    frame = indicator_scores.reindex(columns=list(columns)).astype("float64")
    n = frame.count().astype("int64")
    weak = (frame < below).sum().astype("float64").where(n >= MIN_GROUP_SIZE)
    return pd.DataFrame({"n": n, "weak": weak}, index=pd.Index(list(columns), name="id"))


def round_to_step(value: float, step: float = GROUP_VALUE_STEP) -> float:
    """Half up to the nearest multiple of `step` (4.24 -> 4.0, 4.25 -> 4.5); NaN stays NaN."""
    if pd.isna(value):
        return value
    return math.floor(value / step + 0.5) * step


def sort_schools(table: pd.DataFrame, column: str, *, descending: bool) -> pd.DataFrame:
    """Sorted by one column, missing values last in both directions; ties keep Schulnummer order."""
    ordered = table.sort_index(kind="mergesort")
    return ordered.sort_values(column, ascending=not descending, na_position="last", kind="mergesort", key=_sort_key)


def _sort_key(values: pd.Series) -> pd.Series:
    """Text sorts case-insensitively (German users expect "dortmund" next to "Dortmund")."""
    return values if pd.api.types.is_numeric_dtype(values) else values.astype("string").str.casefold()
