"""Which indicators a plan could start from: the weakest, with every indicator that ties with them."""

from __future__ import annotations

from collections.abc import Mapping

from ..catalog import Catalog

#: How many indicators a suggestion names at least (the Masterplan asks for two or three focus areas).
SUGGESTED_COUNT = 3


def suggested_focus(catalog: Catalog, scores: Mapping[str, int | None], count: int = SUGGESTED_COUNT) -> tuple[str, ...]:
    """The `count` lowest-rated indicators and all that tie with the last of them, weakest first, then in
    Leitfaden order: six indicators tied at 1 are all named, not the first three (issue 18)."""
    rated = [(score, position, i.id) for position, i in enumerate(catalog.indicators) if (score := scores.get(i.id)) is not None]
    if not rated:
        return ()
    rated.sort()
    threshold = rated[min(count, len(rated)) - 1][0]
    return tuple(indicator_id for score, _, indicator_id in rated if score <= threshold)
