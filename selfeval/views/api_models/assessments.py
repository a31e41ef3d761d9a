"""The assessment resource: one school's ratings in one round, and a school's history over the rounds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Closed, NumberOrNull, RoundSlug, Schulnummer, Share

Status = Literal["draft", "submitted"]
#: How the team rates (issue 21): one shared form, or each member alone first and then together.
Phase = Literal["shared", "individual", "consensus"]


class CatalogRef(Closed):
    id: str
    version: str


class Rating(Closed):
    score: int | None
    comment: str


class Scores(Closed):
    overall: NumberOrNull
    criteria: dict[str, NumberOrNull]


class Assessment(Closed):
    """GET, PUT and submit answer with it; its `version` travels as ETag and comes back as If-Match."""

    school: Schulnummer
    round: RoundSlug
    previous_round: RoundSlug | None = Field(description="The round of the school year before (null for the first round)")
    catalog: CatalogRef
    status: Status
    phase: Phase = Field(
        description="shared: one form for the team; individual: each member rates on an own sheet (…/mine), the "
        "ratings here cannot be changed; consensus: the team sets its ratings here, seeing the spread (…/spread)"
    )
    version: int = Field(ge=0, description="0 before the first save")
    ratings: dict[str, Rating] = Field(description="Every indicator of the round's catalogue, rated or not")
    scores: Scores
    completeness: Share
    submitted_at: str | None = Field(json_schema_extra={"format": "date-time"})
    scores_withheld: bool = Field(
        False,
        description="A draft, read by someone outside the school's team: every score and comment is null or empty; "
        "status and completeness are shown (a draft is the team's)",
    )
    comments_withheld: bool = Field(
        False,
        description="The team did not release its comments to the caller (supervision, Schulträger): every comment is empty",
    )


class HistoryRound(Closed):
    round: RoundSlug
    status: Status
    completeness: Share
    scores: Scores = Field(description="Of a submitted assessment only; null for a draft")


class SchoolHistory(Closed):
    schulnummer: Schulnummer
    rounds: list[HistoryRound] = Field(description="Each round in which the school has an assessment, in school-year order")
