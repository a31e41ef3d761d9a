"""The error bodies: {"error": {"code": <status>, "message": "…", …details of that refusal}}.

views.api's ApiError sends them through error_body, so an error is built as the model the document names. Each status
has one model here, and a refusal with details of its own (the field errors of a 422, the state behind a 412) has its
own details model.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from .assessments import Assessment
from .common import Closed, Sometimes
from .plans import Plan


class ErrorDetails(Closed):
    code: int
    message: str = Field(min_length=1)


class FieldError(Closed):
    location: str
    message: str


class InvalidInputDetails(ErrorDetails):
    errors: list[FieldError] = Field(min_length=1)


class NotReadyDetails(ErrorDetails):
    missing: list[str]
    has_leadership: bool


class StaleVersionDetails(ErrorDetails):
    """For a stale version, `changed` and `current` come along; a malformed If-Match gets neither."""

    changed: list[str] | Sometimes = None
    current: Assessment | Sometimes = None


class StalePlanDetails(ErrorDetails):
    """A plan saved by someone else since: `current` is the plan now (a malformed If-Match gets none)."""

    current: Plan | Sometimes = None


def error_model(status: int, details: type[ErrorDetails] = ErrorDetails, name: str = "") -> type[BaseModel]:
    """The body of a refusal with `status`: `details` with the code fixed to it, wrapped in {"error": …}."""
    return _error_model(status, details, name or f"Error{status}")


@cache  # one class per name: the document's components are named after them
def _error_model(status: int, details: type[ErrorDetails], name: str) -> type[BaseModel]:
    fixed: Any = create_model(f"{name}Details", __base__=details, code=(Literal[status], ...))  # type: ignore[arg-type]
    return create_model(name, __base__=Closed, error=(fixed, ...))


def invalid_input() -> type[BaseModel]:
    return error_model(422, InvalidInputDetails, "InvalidInput")


def not_ready() -> type[BaseModel]:
    return error_model(422, NotReadyDetails, "NotReadyToSubmit")


def stale_version() -> type[BaseModel]:
    return error_model(412, StaleVersionDetails, "PreconditionFailed")


def stale_plan() -> type[BaseModel]:
    return error_model(412, StalePlanDetails, "PlanPreconditionFailed")


def error_body(status: int, message: str, **details: Any) -> dict[str, Any]:
    """The body of a refusal, built as its model: the one for `status` with these details, as the document says."""
    if status == 412:
        model = stale_plan() if "goals" in details.get("current", {}) else stale_version()
    elif "errors" in details:
        model = invalid_input()
    elif "missing" in details:
        model = not_ready()
    else:
        model = error_model(status)
    body = model.model_validate({"error": {"code": status, "message": message, **details}})
    return body.model_dump(mode="json", exclude_unset=True)
