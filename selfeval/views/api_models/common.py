"""Shapes every resource of the API shares: the closed object, identifiers, numbers that may be missing."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


class Closed(BaseModel):
    """An object with exactly its fields: one the API would send or accept beyond them is an error, not a surprise.

    Its JSON Schema says `additionalProperties: false`, so the contract test catches a field the model does not name.
    """

    model_config = ConfigDict(extra="forbid")


Schulnummer = Annotated[str, Field(pattern=r"^[0-9]{6}$")]
#: A round's short name as services.rounds.slugify makes it, e.g. "2025-26".
RoundSlug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
#: A score or a statistic; null where there is no data (JSON has no NaN).
NumberOrNull = float | None
#: A share from 0 to 1, e.g. how much of an assessment is rated.
Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]
#: `X | Sometimes = None`: a field that is left out when it does not apply (never sent as null, so the document
#: names only X, and the field is not required).
Sometimes = SkipJsonSchema[None]
