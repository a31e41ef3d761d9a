"""The supervision resources: the schools in the caller's scope and the statistics of a round."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Closed, Count, NumberOrNull, RoundSlug, Schulnummer


class Stats(Closed):
    n: Count
    mean: NumberOrNull
    median: NumberOrNull
    q1: NumberOrNull
    q3: NumberOrNull
    min: NumberOrNull
    max: NumberOrNull
    std: NumberOrNull


class SchoolSummary(Closed):
    schulnummer: Schulnummer
    name: str
    schulform: str
    kreis: str
    bezirksregierung: str
    ort: str
    status: Literal["submitted", "draft", "not_started", None] = Field(description="null when no round exists")
    overall: NumberOrNull


class Analytics(Closed):
    round: RoundSlug
    round_name: str
    n_schools_in_scope: Count
    n_submitted: Count
    n_draft: Count
    criteria: dict[str, Stats]
    overall: Stats
    indicators: dict[str, Stats]
