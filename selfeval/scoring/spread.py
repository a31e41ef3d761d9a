"""How far a team's members are apart, per indicator: pure arithmetic on the values of the individual sheets.

For one indicator, over the members who rated it (a member's "keine Angabe" is left out, as in the scores):

- `n`: how many values there are; `values`: them, sorted ascending (never who gave which);
- `median`: the middle value, the mean of the two middle ones for an even n (so 7.5 is possible); None for n = 0;
- `min`, `max`: the range;
- `disagreement`: the members disagree strongly when the range `max - min` is at least DISAGREEMENT_RANGE (4 points
  on the 0–10 scale: one member sees a 3, another a 7 or more). With fewer than two values nobody can disagree.

The consensus form starts from `suggested_score`: the median rounded half up (7.5 → 8), the way school marks are
rounded in Germany; the team changes it consciously where the discussion leads elsewhere.

The radar chart is drawn per criterion, so its band is per criterion too (`criterion_bands`): each member's sheet is
scored exactly as the consensus is (`score_assessment`: a criterion's score is the mean of its rated indicators), and
per criterion the band runs from the lowest to the highest of these member scores, with their median as a line. A
member who rated none of a criterion's indicators does not count for it. The band is not the range of single
indicator values: it shows how far the members' overall views of a criterion lie apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import median

from ..catalog import Catalog
from . import score_assessment

#: A range of at least this many points is a strong disagreement (documented in docs and on the page).
DISAGREEMENT_RANGE = 4


@dataclass(frozen=True)
class IndicatorSpread:
    n: int
    values: tuple[int, ...]
    median: float | None
    min: int | None
    max: int | None

    @property
    def range(self) -> int | None:
        return None if self.min is None or self.max is None else self.max - self.min

    @property
    def disagreement(self) -> bool:
        return self.range is not None and self.range >= DISAGREEMENT_RANGE

    @property
    def suggested_score(self) -> int | None:
        """The median rounded half up: the consensus form's starting value."""
        return None if self.median is None else math.floor(self.median + 0.5)


def indicator_spread(values: Iterable[int | None]) -> IndicatorSpread:
    """The spread of one indicator's values; None (not rated) does not count."""
    given = tuple(sorted(value for value in values if value is not None))
    if not given:
        return IndicatorSpread(0, (), None, None, None)
    return IndicatorSpread(len(given), given, float(median(given)), given[0], given[-1])


def team_spread(indicator_ids: Iterable[str], sheets: Iterable[Mapping[str, int | None]]) -> dict[str, IndicatorSpread]:
    """The spread of every indicator (in the given order) over the sheets, each a mapping indicator → score."""
    sheets = list(sheets)
    return {key: indicator_spread(sheet.get(key) for sheet in sheets) for key in indicator_ids}


def by_disagreement(spreads: Mapping[str, IndicatorSpread]) -> list[str]:
    """Indicators where the meeting should start first: strong disagreements, then the widest ranges; ties keep
    the catalogue's order (the mapping's order). Indicators nobody rated come last."""
    order = {key: position for position, key in enumerate(spreads)}

    def rank(key: str) -> tuple[int, int, int]:
        spread = spreads[key]
        width = -1 if spread.range is None else spread.range
        return (0 if spread.disagreement else 1, -width, order[key])

    return sorted(spreads, key=rank)


@dataclass(frozen=True)
class CriterionBand:
    """The members' scores of one criterion (each the mean of that member's rated indicators), sorted."""

    n: int
    values: tuple[float, ...]
    median: float | None
    min: float | None
    max: float | None


def criterion_bands(catalog: Catalog, sheets: Iterable[Mapping[str, int | None]]) -> dict[str, CriterionBand]:
    """Per criterion (in catalogue order): min, max and median of the members' criterion scores (see the module)."""
    member_scores = [score_assessment(catalog, sheet).criteria for sheet in sheets]
    bands = {}
    for criterion in catalog.criteria:
        given = tuple(sorted(value for scores in member_scores if (value := scores[criterion.id]) is not None))
        if not given:
            bands[criterion.id] = CriterionBand(0, (), None, None, None)
            continue
        bands[criterion.id] = CriterionBand(len(given), given, float(median(given)), given[0], given[-1])
    return bands
