"""What the API's route modules share: the refusal they raise and the strict reading of a JSON body."""

from __future__ import annotations

from typing import Any

from .json_body import JsonBody


class ApiError(Exception):
    """A refusal: views.api's error handler answers it with the error body of `status` (api_models.errors)."""

    def __init__(self, status: int, message: str, **extra: Any):
        self.status, self.message, self.extra = status, message, extra


def json_body() -> Any:
    """The request's JSON body, read strictly (views.json_body); 400 if it is no valid JSON."""
    return JsonBody.read(ApiError).value()
