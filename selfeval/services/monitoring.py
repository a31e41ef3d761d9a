"""The monitoring export of a selection: every school year up to the chosen round, as the long-format CSV."""

from __future__ import annotations

from ..models import Round, User
from ..monitoring import MonitoringYear, to_monitoring_csv
from ..scoring import aggregate
from .analytics import Selection, round_catalog, scope_schools, submitted_scores
from .area_report import may_see_schools, rounds_until


def monitoring_csv(user: User, round_: Round, selection: Selection) -> bytes:
    years = []
    for other in rounds_until(round_):
        schools = selection.schools_in(scope_schools(user, other))
        catalog = round_catalog(other)
        indicator_scores = submitted_scores(other, schools)
        criterion_scores = aggregate.criterion_scores(indicator_scores, catalog)
        years.append(MonitoringYear(other.name, catalog, schools, indicator_scores, criterion_scores))
    current = selection.schools_in(scope_schools(user, round_))
    return to_monitoring_csv(years, with_schools=may_see_schools(user, current))
