"""What a plan holds, as plain frozen data (the JSON the database keeps is `as_json` of these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

#: A measure's status; "geplant" and "begonnen" are open (carried over into the next school year on request).
MEASURE_STATUSES = ("geplant", "begonnen", "erledigt", "verworfen")
OPEN_MEASURE_STATUSES = ("geplant", "begonnen")
MEASURE_STATUS_LABELS = {"geplant": "geplant", "begonnen": "begonnen", "erledigt": "erledigt", "verworfen": "verworfen"}

#: A plan is a handful of focus areas, not a second catalogue: the Masterplan asks for two or three.
MAX_GOALS = 5
MAX_GOAL_INDICATORS = 6
MAX_MEASURES = 10
MAX_MEASURE_OFFERS = 5
#: Lengths of the plan's texts (the form's maxlength and the API's schema read these too).
MAX_SUCCESS_LENGTH = 1000
MAX_WHAT_LENGTH = 500
MAX_WHO_LENGTH = 120
MAX_PARTICIPANTS_LENGTH = 300
MAX_AGREEMENT_LENGTH = 4000


@dataclass(frozen=True)
class Measure:
    """What will be done for a goal, by whom (a function such as "Medienkoordination", not a person), by when."""

    id: int
    what: str
    who: str = ""
    due: date | None = None
    status: str = "geplant"
    offers: tuple[str, ...] = ()  # ids of support offers chosen from those that fit the school
    carried_from: int | None = None  # the id of last school year's measure this one continues

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEASURE_STATUSES


@dataclass(frozen=True)
class Goal:
    """A focus area: one or more indicators, the score aimed at for the next school year and what "achieved" means."""

    id: int
    indicators: tuple[str, ...]
    target: float | None = None
    success: str = ""
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """A consultation with the Medienberatung, recorded by the adviser and confirmed by the team."""

    id: int
    held_on: date
    participants: str  # functions, e.g. "Schulleitung, Medienkoordination, Medienberatung"
    text: str
    next_contact: date | None = None
    recorded_by: str = ""
    confirmed: bool = False
    confirmed_on: date | None = None


def goals_as_json(goals: tuple[Goal, ...]) -> list[dict[str, Any]]:
    """The goals as the database keeps them (JSON: dates as ISO text)."""
    return [
        {
            "id": goal.id,
            "indicators": list(goal.indicators),
            "target": goal.target,
            "success": goal.success,
            "measures": [
                {
                    "id": measure.id,
                    "what": measure.what,
                    "who": measure.who,
                    "due": measure.due.isoformat() if measure.due else None,
                    "status": measure.status,
                    "offers": list(measure.offers),
                    "carried_from": measure.carried_from,
                }
                for measure in goal.measures
            ],
        }
        for goal in goals
    ]


def goals_from_json(stored: list[dict[str, Any]] | None) -> tuple[Goal, ...]:
    """The goals the database keeps (written by `goals_as_json` only, so trusted)."""
    return tuple(
        Goal(
            id=int(goal["id"]),
            indicators=tuple(goal["indicators"]),
            target=goal.get("target"),
            success=goal.get("success", ""),
            measures=tuple(
                Measure(
                    id=int(measure["id"]),
                    what=measure["what"],
                    who=measure.get("who", ""),
                    due=date.fromisoformat(measure["due"]) if measure.get("due") else None,
                    status=measure.get("status", "geplant"),
                    offers=tuple(measure.get("offers", ())),
                    carried_from=measure.get("carried_from"),
                )
                for measure in goal.get("measures", ())
            ),
        )
        for goal in stored or ()
    )


def highest_id(goals: tuple[Goal, ...]) -> int:
    """The largest goal or measure id in use (ids are unique within one plan, goals and measures together)."""
    return max((i for goal in goals for i in (goal.id, *(m.id for m in goal.measures))), default=0)
