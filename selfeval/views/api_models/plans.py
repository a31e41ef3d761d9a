"""The plan resource (issue 18): a school's development goals with measures, its agreements with the Medienberatung
and last school year's goals followed up; the goals update (PUT) and an agreement (POST).

The request models say what a body may hold (types, lengths, the catalogue's indicators and scale); what only the
plan knows (an offer that fits the school, ids of this plan, an indicator in two goals) is planning.validate's, and
its problems come back as 422 with the same locations ("goals[0].measures[1].due").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt, create_model

from ...catalog import Catalog
from ...limits import CONTROL_CHARACTER_CLASS
from ...planning.model import (
    MAX_AGREEMENT_LENGTH,
    MAX_GOAL_INDICATORS,
    MAX_GOALS,
    MAX_MEASURE_OFFERS,
    MAX_MEASURES,
    MAX_PARTICIPANTS_LENGTH,
    MAX_SUCCESS_LENGTH,
    MAX_WHAT_LENGTH,
    MAX_WHO_LENGTH,
    MEASURE_STATUSES,
)
from .common import Closed, NumberOrNull, RoundSlug

MeasureStatus = Literal[MEASURE_STATUSES]  # type: ignore[valid-type]
#: A calendar day as ISO text, e.g. "2026-03-31".
Day = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"})]
TEXT_PATTERN = f"^[^{CONTROL_CHARACTER_CLASS}]*$"


def _text(limit: int, description: str = "", *, required: bool = False) -> Any:
    """A text field as planning.validate takes it: at most `limit` characters, no control characters."""
    return Annotated[
        str,
        Field(
            max_length=limit, min_length=1 if required else 0, pattern=TEXT_PATTERN, description=description or None
        ),
    ]


# --- what GET answers --------------------------------------------------------------------------------------------------


class PlanMeasure(Closed):
    id: int = Field(description="Unique within the plan (goals and measures together)")
    what: str
    who: str = Field(description="A function such as „Medienkoordination“, not a person's name")
    due: Day | None
    status: MeasureStatus
    offers: list[str] = Field(description="Ids of support offers that fit the school")


class PlanGoal(Closed):
    id: int
    indicators: list[str] = Field(description="Indicator ids of the round's catalogue")
    target: NumberOrNull = Field(description="The score aimed at for the next school year")
    success: str = Field(description="What „achieved“ looks like")
    measures: list[PlanMeasure]


class PlanAgreement(Closed):
    """A consultation with the Medienberatung: recorded by the adviser in scope, confirmed by the team."""

    id: int
    date: Day
    participants: str = Field(description="Functions, e.g. „Schulleitung, Medienkoordination, Medienberatung“")
    text: str
    next_contact: Day | None
    confirmed: bool


class PreviousGoal(PlanGoal):
    achieved: NumberOrNull = Field(
        description="The mean of the goal's indicators as rated in this round; null while none is rated, or withheld"
    )
    before: NumberOrNull = Field(description="The same mean in the previous round; null if none was rated, or withheld")
    reached: bool | None = Field(description="achieved >= target; null without a target or an achieved score")


class PreviousPlan(Closed):
    round: RoundSlug
    goals: list[PreviousGoal]
    scores_withheld: bool = Field(
        description="The caller may not see this round's scores (a draft, read by the Medienberatung): achieved and "
        "reached are null"
    )


class Plan(Closed):
    """GET and PUT answer with it; its `version` travels as ETag and comes back as If-Match."""

    version: int = Field(ge=0, description="0 before the first save")
    goals: list[PlanGoal]
    agreements: list[PlanAgreement]
    previous: PreviousPlan | None = Field(description="The previous school year's goals with what they reached; null if none")


# --- what PUT and POST take --------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def goals_update_model(low: int, high: int, indicator_ids: tuple[str, ...]) -> type[BaseModel]:
    """The body {"goals": [...]} for a catalogue with these indicators and scale (the whole plan: all or nothing)."""
    indicator: Any = Literal[indicator_ids]
    measure = create_model(
        "PlanMeasureInput",
        __base__=Closed,
        id=(StrictInt | None, Field(None, description="A measure of this plan keeps its id; a new one has none")),
        what=(_text(MAX_WHAT_LENGTH, required=True), ...),
        who=(_text(MAX_WHO_LENGTH), ""),
        due=(Day | None, None),
        status=(MeasureStatus, "geplant"),
        offers=(Annotated[list[str], Field(max_length=MAX_MEASURE_OFFERS)], []),
    )
    target: Any = Annotated[StrictFloat | None, Field(ge=low, le=high, description="null: no target")]
    goal = create_model(
        "PlanGoalInput",
        __base__=Closed,
        id=(StrictInt | None, Field(None, description="A goal of this plan keeps its id; a new one has none")),
        indicators=(Annotated[list[indicator], Field(min_length=1, max_length=MAX_GOAL_INDICATORS)], ...),
        target=(target, None),
        success=(_text(MAX_SUCCESS_LENGTH), ""),
        measures=(Annotated[list[measure], Field(max_length=MAX_MEASURES)], []),  # type: ignore[valid-type,arg-type]
    )
    goals = Annotated[list[goal], Field(max_length=MAX_GOALS, description="Every goal of the plan")]  # type: ignore[valid-type]
    return create_model("PlanUpdate", __base__=Closed, goals=(goals, ...))


def goals_model_for(catalog: Catalog) -> type[BaseModel]:
    return goals_update_model(catalog.scale.min, catalog.scale.max, tuple(i.id for i in catalog.indicators))


class AgreementInput(Closed):
    """What the adviser records of a consultation."""

    date: Day = Field(description="The day of the consultation")
    participants: _text(MAX_PARTICIPANTS_LENGTH, "Functions, not names", required=True)  # type: ignore[valid-type]
    text: _text(MAX_AGREEMENT_LENGTH, "What was agreed", required=True)  # type: ignore[valid-type]
    next_contact: Day | None = Field(None, description="Not before `date`")
