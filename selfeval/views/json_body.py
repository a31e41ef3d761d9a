"""The JSON body of an API write: strict JSON (no duplicate keys, no NaN), numbers as JSON Schema counts them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import request


class JsonBody:
    """The request's JSON body, decoded once; a body that is no valid JSON raises 400 only when its value is asked for.

    The save asks the database for the audit entries it may merge into in the same statement that reads the
    assessment, before the body is checked against the catalogue: `rating_keys` names the indicators the body
    mentions (at most MAX_MERGE_KEYS; a longer list cannot be valid and will be refused with 422 anyway).
    """

    MAX_MERGE_KEYS = 500

    def __init__(self, decoded: Any, error: Exception | None):
        self._decoded, self._error = decoded, error

    @classmethod
    def read(cls, api_error: Callable[[int, str], Exception]) -> JsonBody:
        raw = request.get_data(cache=False)
        try:
            decoded = json.loads(raw, parse_constant=_reject_constant, parse_float=_number, object_pairs_hook=_reject_duplicates)
        except (ValueError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, _DuplicateKey) else "kein gültiges JSON"
            return cls(None, api_error(400, f"Der Inhalt ist {reason}; nichts wurde gespeichert."))
        return cls(decoded, None)

    def value(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._decoded

    def rating_keys(self) -> frozenset[str]:
        ratings = self._decoded.get("ratings") if isinstance(self._decoded, dict) else None
        if not isinstance(ratings, dict) or len(ratings) > self.MAX_MERGE_KEYS:
            return frozenset()
        return frozenset(key for key in ratings if isinstance(key, str))


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
