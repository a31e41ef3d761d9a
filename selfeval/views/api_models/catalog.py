"""The catalogue resource (GET /catalog): catalog.catalog_to_dict's shape, fields that appear only when used."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .common import Closed, Sometimes

Strings = list[str]


class Indicator(Closed):
    id: str
    text: str
    examples: Strings
    offers: Strings | Sometimes = None


class Criterion(Closed):
    id: str
    title: str
    description: str
    indicators: list[Indicator]
    offers: Strings | Sometimes = None


class Offer(Closed):
    id: str
    title: str
    provider: str
    description: str
    source: str
    url: str
    # Present only when the offer is limited: Kreisschlüssel, Schulform codes, Schulstufen; target groups as text.
    kreise: Strings | Sometimes = None
    schulformen: Strings | Sometimes = None
    schulstufen: Strings | Sometimes = None
    target_groups: Strings | Sometimes = None


class Source(Closed):
    title: str
    publisher: str
    year: int | None
    url: str
    note: str


class Scale(Closed):
    min: int
    max: int
    labels: dict[Annotated[str, Field(pattern=r"^-?[0-9]+$")], str]


class Catalog(Closed):
    id: str
    version: str
    title: str
    description: str
    source: Source | None
    scale: Scale
    criteria: list[Criterion]
    offers: list[Offer] | Sometimes = None
    offers_note: str | Sometimes = None
    offers_note_kreise: Strings | Sometimes = None
