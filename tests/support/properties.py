"""Example budgets for property tests, as shares of the active hypothesis profile (see tests/conftest.py)."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st


def budget(share: float, **overrides) -> settings:
    """The active profile with `share` of its examples (at least 5): for examples that cost a request, a database or a PDF."""
    return settings(settings.default, max_examples=max(5, round(settings.default.max_examples * share)), **overrides)


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """Draw from one of the strategies, in proportion to its weight (st.one_of draws its branches evenly)."""
    return st.sampled_from([strategy for weight, strategy in choices for _ in range(weight)]).flatmap(lambda strategy: strategy)
