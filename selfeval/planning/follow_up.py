"""Last school year's goals, checked against this year's ratings: target against achieved, measures as they stand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import Goal


@dataclass(frozen=True)
class GoalOutcome:
    goal: Goal
    #: The mean of the goal's indicators as rated now (rounded to one decimal); None until all of them are rated:
    #: a goal over 2a and 2b is not "reached" on 2a alone.
    achieved: float | None
    #: The goal's indicators rated last school year, for "vorher" (the same rule).
    before: float | None

    @property
    def reached(self) -> bool | None:
        """Whether the target was reached; None when there is no target or nothing rated yet."""
        if self.goal.target is None or self.achieved is None:
            return None
        return self.achieved >= self.goal.target

    @property
    def open_measures(self) -> int:
        return sum(1 for measure in self.goal.measures if measure.is_open)


def follow_up(
    goals: tuple[Goal, ...], scores_now: Mapping[str, int | None], scores_before: Mapping[str, int | None]
) -> tuple[GoalOutcome, ...]:
    """Each goal of the previous plan with what its indicators reached in the following school year."""
    return tuple(GoalOutcome(goal, _mean(goal, scores_now), _mean(goal, scores_before)) for goal in goals)


def _mean(goal: Goal, scores: Mapping[str, int | None]) -> float | None:
    values = [scores.get(indicator) for indicator in goal.indicators]
    if not values or any(value is None for value in values):
        return None
    return round(sum(value for value in values if value is not None) / len(values), 1)
