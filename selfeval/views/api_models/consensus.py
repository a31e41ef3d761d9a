"""Each member's own view first, then the team's consensus (issue 21): the phase change, the member's own sheet and
the team's spread. Only the school's own team reaches them; the spread never carries names."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .assessments import Phase, Rating
from .common import Closed, Count, RoundSlug, Schulnummer, Sometimes


class PhaseChange(Closed):
    """PUT …/phase: a Schulleitung member of the team; the options left out stay as they are."""

    phase: Literal["individual", "consensus"] = Field(
        description="individual: every member rates alone (from shared, or back from consensus); "
        "consensus: the team sees the spread and sets its ratings (from individual)"
    )
    names_visible: bool | Sometimes = Field(None, description="Members' names beside their values on the spread page")
    delete_sheets_on_submit: bool | Sometimes = Field(None, description="Delete the individual sheets on submission")
    spread_in_report: bool | Sometimes = Field(None, description="The report's page on agreement and disagreement")


class Sheet(Closed):
    """The caller's own sheet: GET and PUT …/mine answer with it; its `version` travels as ETag / If-Match."""

    school: Schulnummer
    round: RoundSlug
    phase: Phase
    editable: bool = Field(description="Only during the individual phase of a draft in an open round")
    version: int = Field(ge=0, description="The sheet's own version: 0 before its first save")
    finished: bool
    finished_at: str | None = Field(json_schema_extra={"format": "date-time"})
    members: Count = Field(description="Team members who rate (active, password set)")
    members_finished: Count
    ratings: dict[str, Rating] = Field(description="Every indicator of the round's catalogue, rated or not")


class IndicatorSpread(Closed):
    n: Count = Field(description="How many members rated the indicator")
    values: list[int] = Field(description="Their values, sorted ascending, without names")
    median: float | None
    min: int | None
    max: int | None
    disagreement: bool = Field(description="A strong disagreement: max - min is at least 4")


class Spread(Closed):
    phase: Phase
    members: Count
    finished: Count
    indicators: dict[str, IndicatorSpread] = Field(description="Every indicator, in catalogue order")
