"""Scores of one assessment: pure arithmetic on a catalogue and a mapping of ratings.

Criterion score = mean of its rated indicators; overall = mean of the criterion scores that
have at least one rating; None when nothing is rated; completeness = rated / total.
Full precision here; rounding is the display's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean

from ..catalog import Catalog


@dataclass(frozen=True)
class AssessmentScores:
    overall: float | None
    criteria: dict[str, float | None]  # criterion id -> score, in catalogue order
    rated: int
    total: int

    @property
    def completeness(self) -> float:
        return self.rated / self.total if self.total else 0.0

    @property
    def is_complete(self) -> bool:
        return self.rated == self.total


def score_assessment(catalog: Catalog, scores: Mapping[str, int | None]) -> AssessmentScores:
    """Scores from indicator id -> score (None or missing = not rated); unknown ids are ignored."""
    criteria: dict[str, float | None] = {}
    rated = 0
    for criterion in catalog.criteria:
        values = [score for ind in criterion.indicators if (score := scores.get(ind.id)) is not None]
        rated += len(values)
        criteria[criterion.id] = fmean(values) if values else None
    rated_criteria = [value for value in criteria.values() if value is not None]
    overall = fmean(rated_criteria) if rated_criteria else None
    return AssessmentScores(overall, criteria, rated, len(catalog.indicators))


def missing_indicators(catalog: Catalog, scores: Mapping[str, int | None]) -> list[str]:
    """Indicator ids without a score, in catalogue order."""
    return [ind.id for ind in catalog.indicators if scores.get(ind.id) is None]
