"""The team's spread per indicator, for the team's own members once the individual phase is over.

During the individual phase nobody sees another member's values (SpreadNotYet, 409). Names go with the values
only if the team chose so (`named_values`); the API and the report never carry names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...catalog import Catalog
from ...models import Assessment, MemberSheet, Round, School
from ...scoring.spread import CriterionBand, IndicatorSpread, by_disagreement, criterion_bands, team_spread
from ...vocabulary import INDIVIDUAL_PHASE, SHARED_PHASE
from ..assessments import AssessmentLocked
from ..catalog_snapshots import snapshot_catalog
from .team import find_assessment, finished_count, rating_members, sheets_of


class SpreadNotYet(AssessmentLocked):
    """The individual phase is still on (or the team rates in one form): 409."""


@dataclass(frozen=True)
class TeamSpread:
    phase: str
    catalog: Catalog
    members: int
    finished: int
    indicators: dict[str, IndicatorSpread]  # in catalogue order
    #: indicator → [(name, value)] sorted by value, only when the team chose to show names; else empty.
    named_values: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def by_disagreement(self) -> list[str]:
        return by_disagreement(self.indicators)

    def criterion_spreads(self, criterion) -> list[tuple[object, IndicatorSpread]]:
        return [(indicator, self.indicators[indicator.id]) for indicator in criterion.indicators]


def load_spread(school: School, round_: Round) -> TeamSpread:
    """The spread over the sheets of the team's current members (a member who left no longer counts)."""
    assessment = find_assessment(school, round_)
    if assessment is None or assessment.phase == SHARED_PHASE:
        raise SpreadNotYet("Das Team bewertet gemeinsam in einem Formular; es gibt keine Einzelbewertungen.")
    if assessment.phase == INDIVIDUAL_PHASE:
        raise SpreadNotYet("Die Einzelbewertung läuft noch; die Streuung ist erst in der Konsensphase zu sehen.")
    members = rating_members(school)
    sheets, values = _current_sheets(assessment, school)
    catalog = snapshot_catalog(assessment.catalog_snapshot)
    spreads = team_spread([i.id for i in catalog.indicators], values)
    named: dict[str, list[tuple[str, int]]] = {}
    if assessment.spread_names_visible:
        for indicator in catalog.indicators:
            pairs = [(sheet.user.display_name, value) for sheet, given in zip(sheets, values, strict=True)
                     if (value := given.get(indicator.id)) is not None]  # fmt: skip
            named[indicator.id] = sorted(pairs, key=lambda pair: (pair[1], pair[0]))
    return TeamSpread(assessment.phase, catalog, len(members), finished_count(assessment, members), spreads, named)


def spread_for_report(school: School, round_: Round) -> TeamSpread | None:
    """The spread for the report's page, if the team wants it there and there is one (never with names)."""
    assessment = find_assessment(school, round_)
    if assessment is None or not assessment.spread_in_report or assessment.phase == SHARED_PHASE:
        return None
    if not sheets_of(assessment):
        return None
    try:
        spread = load_spread(school, round_)
    except SpreadNotYet:
        return None
    return TeamSpread(spread.phase, spread.catalog, spread.members, spread.finished, spread.indicators)


@dataclass(frozen=True)
class TeamBand:
    """The members' range per criterion, for the radar chart on the team's own pages (never with names)."""

    catalog: Catalog
    sheets: int  # how many members' sheets count
    criteria: dict[str, CriterionBand]  # in catalogue order; the rule is in scoring/spread.py


def load_band(school: School, round_: Round) -> TeamBand | None:
    """The band once the individual phase is over; None for a shared form, while members still rate alone, or when
    no sheet holds a value (the sheets may have been deleted on submission). The caller shows it to the team only."""
    assessment = find_assessment(school, round_)
    if assessment is None or assessment.phase in (SHARED_PHASE, INDIVIDUAL_PHASE):
        return None
    sheets, values = _current_sheets(assessment, school)
    catalog = snapshot_catalog(assessment.catalog_snapshot)
    bands = criterion_bands(catalog, values)
    if not any(band.n for band in bands.values()):
        return None
    return TeamBand(catalog, len(sheets), bands)


def _current_sheets(assessment: Assessment, school: School) -> tuple[list[MemberSheet], list[dict[str, int | None]]]:
    """The sheets of the team's current members (a member who left no longer counts) and their values."""
    member_ids = {member.id for member in rating_members(school)}
    sheets = [sheet for sheet in sheets_of(assessment) if sheet.user_id in member_ids]
    return sheets, [{r.indicator_id: r.score for r in sheet.ratings} for sheet in sheets]
