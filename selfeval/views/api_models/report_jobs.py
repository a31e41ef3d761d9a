"""Report batches: all reports of a selection as one ZIP, started and polled by a program (a Medienzentrum's script)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...reference import SCHULFORMEN, kreise
from .common import Closed, Count, RoundSlug

KreisKey = Literal[tuple(sorted(kreise()))]  # type: ignore[valid-type]
SchulformCode = Literal[tuple(sorted(SCHULFORMEN))]  # type: ignore[valid-type]
#: A Trägernummer of the school directory (the Schulträger): up to 10 digits.
Traegernummer = Annotated[str, Field(pattern=r"^[0-9]{1,10}$")]
#: A job's id: random, URL-safe, 22 characters.
JobId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{22}$")]


class ReportJobRequest(Closed):
    """Which submitted schools of the caller's scope to report on; an empty list does not narrow."""

    round: RoundSlug = Field(description="The round, e.g. 2025-26")
    kreis: list[KreisKey] = Field(default=[], description="5-digit Kreisschlüssel", max_length=100)  # type: ignore[valid-type]
    schulform: list[SchulformCode] = Field(default=[], description="Two-digit Schulform code", max_length=100)  # type: ignore[valid-type]
    traeger: list[Traegernummer] = Field(default=[], description="Trägernummer of the Schulträger", max_length=1000)


class ReportJobStatus(Closed):
    id: JobId
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="queued: waiting for a worker; running: reports are being made; done: the ZIP can be downloaded; "
        "failed: no ZIP (see errors)"
    )
    done: Count = Field(description="Reports made so far, including those that could not be made")
    total: Count = Field(description="Reports the job makes: the submitted schools of the selection")
    errors: list[str] = Field(description="What went wrong, in plain German (a report that could not be made, …)")
