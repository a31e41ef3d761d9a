"""Test data read from the shipped catalogue (the Dortmund Leitfaden the test app serves), never copied by hand.

tests/unit/test_catalog_dortmund.py pins the catalogue's shape (six criteria, 26 indicators, their ids), so
expectations built from it here still fail when the file changes.
"""

from __future__ import annotations

from selfeval.catalog import load_catalog
from selfeval.config import resolve_catalog_path
from selfeval.paths import DEFAULT_CATALOG

LEITFADEN = load_catalog(resolve_catalog_path(DEFAULT_CATALOG))
#: Criterion id -> its indicator ids, in the catalogue's order ("k1" -> ["k1a", "k1b", "k1c", "k1d"], ...).
CRITERIA = {criterion.id: [indicator.id for indicator in criterion.indicators] for criterion in LEITFADEN.criteria}
INDICATORS = [indicator for indicators in CRITERIA.values() for indicator in indicators]
#: 100001: criterion 1 = 2.5, criterion 2 = 3.5, the rest 6, so overall (2.5 + 3.5 + 4 * 6) / 6 = 5 exactly.
VARIED = dict.fromkeys(INDICATORS, 6) | {"k1a": 1, "k1b": 2, "k1c": 3, "k1d": 4, "k2a": 3, "k2b": 3, "k2c": 4, "k2d": 4}
