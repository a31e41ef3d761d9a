"""The ratings update (PUT …/assessments/{round}): the request body, its validation and its messages.

The indicators and the scale belong to a catalogue, so the model is made per catalogue (and kept): the document
describes the active catalogue's, a save is checked against its round's. The comment rules are
services.rating_input's, the one rule set of the rating form and the API.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictInt, ValidationError, create_model
from pydantic_core import ErrorDetails, PydanticCustomError

from ...catalog import Catalog
from ...limits import CONTROL_CHARACTER_CLASS, MAX_COMMENT_LENGTH
from ...services.rating_input import (
    COMMENT_NOT_TEXT,
    BrokenRule,
    FieldError,
    RatingChange,
    checked_comment,
    score_rule,
)
from .common import Closed

#: What the document says a comment may not hold: the control characters selfeval.limits refuses everywhere.
COMMENT_PATTERN = f"^[^{CONTROL_CHARACTER_CLASS}]*$"
RATINGS_DESCRIPTION = (
    "Only the indicators to change, each with `score` and/or `comment`. The indicators and the scale are those of the "
    "active catalogue (GET /catalog); a round keeps the catalogue version it was opened with, so an older round may "
    "answer 422 for them."
)


def _comment_rules(comment: str | None) -> str | None:
    """null empties the comment; text must keep services.rating_input's rules (and is stored as it returns it)."""
    if comment is None:
        return ""
    try:
        return checked_comment(comment)
    except BrokenRule as exc:
        raise PydanticCustomError("comment_rule", str(exc)) from None


Comment = Annotated[
    str | None,
    AfterValidator(_comment_rules),
    Field(
        description="null empties the comment; no control characters other than tab and line breaks",
        json_schema_extra={"maxLength": MAX_COMMENT_LENGTH, "pattern": COMMENT_PATTERN},
    ),
]


@lru_cache(maxsize=16)
def ratings_update_model(low: int, high: int, indicator_ids: tuple[str, ...]) -> type[BaseModel]:
    """The body {"ratings": {indicator: {"score"?, "comment"?}}} for a catalogue with these indicators and scale."""
    score: Any = Annotated[StrictInt | None, Field(ge=low, le=high, description="null removes the rating")]
    change = create_model("RatingChange", __base__=Closed, score=(score, None), comment=(Comment, None))
    indicator: Any = Literal[indicator_ids]
    ratings = Annotated[dict[indicator, change], Field(description=RATINGS_DESCRIPTION)]  # type: ignore[valid-type]
    return create_model("RatingsUpdate", __base__=Closed, ratings=(ratings, ...))


def model_for(catalog: Catalog) -> type[BaseModel]:
    return ratings_update_model(catalog.scale.min, catalog.scale.max, tuple(i.id for i in catalog.indicators))


class InvalidBody(Exception):
    """The body breaks the model; `errors` names every problem, in the order of the body."""

    def __init__(self, errors: list[FieldError]):
        super().__init__(errors)
        self.errors = errors


def rating_changes(body: Any, catalog: Catalog) -> dict[str, RatingChange]:
    """The body's ratings as the service's changes (a field left out stays UNCHANGED); InvalidBody otherwise."""
    try:
        update = model_for(catalog).model_validate(body)
    except ValidationError as exc:
        raise InvalidBody(_field_errors(exc.errors(), body, catalog)) from None
    return {
        indicator: RatingChange(**{field: getattr(change, field) for field in change.model_fields_set})
        for indicator, change in update.ratings.items()  # type: ignore[attr-defined]
    }


def _field_errors(errors: list[ErrorDetails], body: Any, catalog: Catalog) -> list[FieldError]:
    """Pydantic's errors as the API words them: one per field, the body's missing or unknown fields first."""
    found: dict[str, tuple[tuple[Any, ...], str]] = {}
    unknown: set[str] = set()  # indicators the catalogue does not know: what they hold is not checked
    for error in errors:
        loc = [str(part) for part in error["loc"]]
        if loc[:1] == ["ratings"] and len(loc) > 2 and loc[1] in unknown:
            continue
        if loc[2:] == ["[key]"]:  # pydantic checks a key before its value
            unknown.add(loc[1])
        location, order, message = _explained(error, body, catalog)
        found.setdefault(location, (order, message))
    ranked = sorted(found.items(), key=lambda item: item[1][0])
    return [FieldError(location, message) for location, (_, message) in ranked]


def _explained(error: ErrorDetails, body: Any, catalog: Catalog) -> tuple[str, tuple[Any, ...], str]:
    """(location, sort key, German message) of one pydantic error."""
    loc = [str(part) for part in error["loc"]]
    if not loc:
        return "", (0,), "Erwartet wird ein JSON-Objekt mit dem Feld „ratings“."
    if loc[0] != "ratings":
        return loc[0], (1, loc[0]), f"Unbekanntes Feld „{loc[0]}“."
    if len(loc) == 1:
        if error["type"] == "missing":
            return "ratings", (0,), "Das Feld „ratings“ fehlt."
        return "ratings", (2, -1), "Erwartet wird ein Objekt: Indikator → Bewertung."
    indicator, where = loc[1], ".".join(loc[:2])
    order = (2, list(body["ratings"]).index(indicator))
    if len(loc) == 2:
        return where, order, "Erwartet wird ein Objekt mit „score“ und/oder „comment“."
    if loc[2] == "[key]":
        return where, order, f"Unbekannter Indikator „{indicator}“."
    field = loc[2]
    if field == "score":
        return f"{where}.score", (*order, 1), score_rule(catalog.scale.min, catalog.scale.max)
    if field == "comment":
        message = error["msg"] if error["type"] == "comment_rule" else COMMENT_NOT_TEXT
        return f"{where}.comment", (*order, 2), message
    position = list(body["ratings"][indicator]).index(field)
    return f"{where}.{field}", (*order, 0, position), f"Unbekanntes Feld „{field}“; erlaubt sind „score“ und „comment“."
