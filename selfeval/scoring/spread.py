"""How far a team's members are apart, per indicator: pure arithmetic on the values of the individual sheets.

For one indicator, over the members who rated it (a member's "keine Angabe" is left out, as in the scores):

- `n`: how many values there are; `values`: them, sorted ascending (never who gave which);
- `median`: the middle value, the mean of the two middle ones for an even n (so 7.5 is possible); None for n = 0;
- `min`, `max`: the range;
- `disagreement`: the members disagree strongly when the range `max - min` is at least DISAGREEMENT_RANGE (4 points
  on the 0–10 scale: one member sees a 3, another a 7 or more). With fewer than two values nobody can disagree.

The consensus form starts from `suggested_score`: the median rounded half up (7.5 → 8), the way school marks are
rounded in Germany; the team changes it consciously where the discussion leads elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import median

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
