"""What the API's route modules share: the refusal they raise and the strict reading of a JSON body."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from flask import request


class ApiError(Exception):
    """A refusal: views.api's error handler answers it with the error body of `status` (api_models.errors)."""

    def __init__(self, status: int, message: str, **extra: Any):
        self.status, self.message, self.extra = status, message, extra


def json_body():
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw, parse_constant=_reject_constant, parse_float=_number, object_pairs_hook=_reject_duplicates)
    except (ValueError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, _DuplicateKey) else "kein gültiges JSON"
        raise ApiError(400, f"Der Inhalt ist {reason}; nichts wurde gespeichert.") from None
    return body


class _DuplicateKey(ValueError):
    pass


def _reject_duplicates(pairs):
    duplicates = sorted(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
    if duplicates:
        raise _DuplicateKey(f"mehrdeutig: der Schlüssel „{duplicates[0]}“ kommt mehrfach vor")
    return dict(pairs)


def _number(text: str) -> float | int:
    """JSON has one kind of number: 7.0 is the integer 7, as JSON Schema (and so the OpenAPI document) counts it."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _reject_constant(name: str):
    raise ValueError(name)
