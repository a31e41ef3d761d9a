"""A school's development plan (Entwicklungsvorhaben): goals for a few indicators, measures, agreements with the
Medienberatung, and last year's goals followed up (pure: no Flask, no database).

The services store a plan per assessment and call these functions; the pages, the API, the DOCX and the
report all show what `model` holds, checked by `validate`, suggested by `focus`, followed up by `follow_up`.
"""

from .focus import suggested_focus
from .follow_up import GoalOutcome, follow_up
from .model import (
    MEASURE_STATUS_LABELS,
    MEASURE_STATUSES,
    OPEN_MEASURE_STATUSES,
    Agreement,
    Goal,
    Measure,
)
from .validate import PlanInvalid, check_agreement, parse_goals

__all__ = [
    "MEASURE_STATUSES",
    "MEASURE_STATUS_LABELS",
    "OPEN_MEASURE_STATUSES",
    "Agreement",
    "Goal",
    "GoalOutcome",
    "Measure",
    "PlanInvalid",
    "check_agreement",
    "follow_up",
    "parse_goals",
    "suggested_focus",
]
