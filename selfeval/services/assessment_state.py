"""What a page or the API shows about one assessment: plain frozen data, detached from the session."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property

from ..catalog import Catalog, Criterion
from ..scoring import AssessmentScores, missing_indicators, score_assessment
from ..vocabulary import INDIVIDUAL_PHASE, SHARED_PHASE


@dataclass(frozen=True)
class RatingState:
    score: int | None = None
    comment: str = ""
    changed_in_version: int = 0
    updated_at: datetime | None = None
    updated_by: str = ""  # display name of who changed it last


EMPTY_RATING = RatingState()


@dataclass(frozen=True)
class AssessmentState:
    """Everything a page or the API shows about one assessment, detached from the session."""

    schulnummer: str
    round_slug: str
    round_name: str
    round_is_open: bool
    catalog: Catalog
    status: str
    version: int
    ratings: dict[str, RatingState]
    submitted_at: datetime | None = None
    submitted_by: str = ""
    #: How the team rates (vocabulary.ASSESSMENT_PHASES; services.consensus): in the individual phase the shared
    #: form is closed.
    phase: str = SHARED_PHASE
    #: The team released its comments to supervision and the Schulträger (permissions.can_view_shared_texts).
    comments_released: bool = False

    def rating(self, indicator_id: str) -> RatingState:
        return self.ratings.get(indicator_id, EMPTY_RATING)

    @cached_property
    def scores(self) -> AssessmentScores:
        return score_assessment(self.catalog, {key: r.score for key, r in self.ratings.items()})

    @property
    def missing(self) -> list[str]:
        return missing_indicators(self.catalog, {key: r.score for key, r in self.ratings.items()})

    def rated_count(self, criterion: Criterion) -> int:
        return sum(1 for indicator in criterion.indicators if self.rating(indicator.id).score is not None)

    @property
    def is_editable(self) -> bool:
        return self.status == "draft" and self.round_is_open and self.phase != INDIVIDUAL_PHASE

    def without_texts(self) -> AssessmentState:
        """The same assessment with every comment left out: what a reader sees whom the team did not share them with."""
        return replace(self, ratings={key: replace(r, comment="") for key, r in self.ratings.items()})
