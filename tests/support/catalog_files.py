"""Small catalogue files as YAML text, and reading a loader's problems."""

from __future__ import annotations

import pytest

from selfeval.catalog import CatalogError, parse_catalog

VALID = """\
id: mini
version: 1
title: Mini-Katalog
scale: {min: 0, max: 10}
criteria:
  - id: k1
    title: Erstes Kriterium
    indicators:
      - id: k1a
        text: Erster Indikator
        examples: [Beispiel eins, Beispiel zwei]
      - id: k1b
        text: Zweiter Indikator
"""


def problems_of(raw: bytes | str) -> list[str]:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data, "test.yaml")
    return [str(problem) for problem in caught.value.problems]


WITH_OFFERS = """\
id: mini
version: 1
title: Mini-Katalog
scale: {min: 0, max: 10}
offers_note: Es gibt viele Unterstützungsangebote.
offers:
  - id: o1
    title: Angebot eins
    provider: Medienzentrum
    description: Beschreibung eins
    source: Masterplan, Anhang 2
    url: https://example.org/eins
  - id: o2
    title: Angebot zwei
    provider: Land NRW
    description: Beschreibung zwei
    source: LWL/LVR, Kap. III
  - id: o3
    title: Angebot drei
    provider: Kompetenzteam
    description: Beschreibung drei
    source: Masterplan, Anhang 2
criteria:
  - id: k1
    title: Erstes Kriterium
    offers: [o1, o3]
    indicators:
      - id: k1a
        text: Erster Indikator
        offers: [o2, o1]
      - id: k1b
        text: Zweiter Indikator
  - id: k2
    title: Zweites Kriterium
    indicators:
      - id: k2a
        text: Dritter Indikator
        offers: [o3]
      - id: k2b
        text: Vierter Indikator
"""


def line_of(source: str, needle: str) -> int:
    """1-based number of the only line of `source` that contains `needle`."""
    found = [number for number, line in enumerate(source.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]
