"""What the API's route modules share: the refusal they raise, the If-Match they read, the strict JSON body."""

from __future__ import annotations

import re
from typing import Any

from flask import request

from .json_body import JsonBody

#: A version as entity tag: "3" (a weak W/"3" is accepted too); ASCII digits only.
ENTITY_TAG = re.compile(r'(?:W/)?"([0-9]{1,9})"', re.ASCII)


class ApiError(Exception):
    """A refusal: views.api's error handler answers it with the error body of `status` (api_models.errors)."""

    def __init__(self, status: int, message: str, **extra: Any):
        self.status, self.message, self.extra = status, message, extra


def json_body() -> Any:
    """The request's JSON body, read strictly (views.json_body); 400 if it is no valid JSON."""
    return JsonBody.read(ApiError).value()


def if_match_version() -> int:
    """The version an If-Match names: 428 without one, 412 if it names none."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        raise ApiError(428, 'If-Match fehlt: senden Sie die Version, auf der die Änderung beruht, z. B. If-Match: "3".')
    match = ENTITY_TAG.fullmatch(header.strip())
    if match is None:
        raise ApiError(412, f"If-Match {header[:40]!r} nennt keine gültige Version.")
    return int(match.group(1))
