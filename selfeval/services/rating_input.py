"""Validate rating changes given as plain data (JSON body or form), all or nothing (pure: no Flask, no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..catalog import Catalog
from ..limits import CONTROL_CHARACTERS, MAX_COMMENT_LENGTH, MAX_COMMENT_LINES
from .errors import ServiceError


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


#: A field left out of a partial update keeps its stored value.
UNCHANGED: Any = _Unchanged()
RATING_FIELDS = ("score", "comment")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class RatingChange:
    score: Any = UNCHANGED  # int | None | UNCHANGED
    comment: Any = UNCHANGED  # str | UNCHANGED


@dataclass(frozen=True)
class FieldError:
    location: str  # e.g. "ratings.k1a.score"
    message: str  # German, for people

    def as_dict(self) -> dict[str, str]:
        return {"location": self.location, "message": self.message}


class InvalidRatings(ServiceError):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.location}: {e.message}" for e in errors))


def normalize_line_breaks(text: str) -> str:
    """CRLF (what a browser sends from a textarea) and CR become LF, so a line break is one character everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_rating_changes(catalog: Catalog, ratings: Any) -> dict[str, RatingChange]:
    """{indicator id: {"score"?, "comment"?}} -> changes; InvalidRatings lists every problem."""
    if not isinstance(ratings, dict):
        raise InvalidRatings([FieldError("ratings", "Erwartet wird ein Objekt: Indikator → Bewertung.")])
    known = {indicator.id for indicator in catalog.indicators}
    errors: list[FieldError] = []
    changes: dict[str, RatingChange] = {}
    for indicator_id, value in ratings.items():
        where = f"ratings.{indicator_id}"
        if indicator_id not in known:
            errors.append(FieldError(where, f"Unbekannter Indikator „{indicator_id}“."))
            continue
        change = _parse_one(value, where, catalog, errors)
        if change is not None:
            changes[indicator_id] = change
    if errors:
        raise InvalidRatings(errors)
    return changes


def _parse_one(value: Any, where: str, catalog: Catalog, errors: list[FieldError]) -> RatingChange | None:
    if not isinstance(value, dict):
        errors.append(FieldError(where, "Erwartet wird ein Objekt mit „score“ und/oder „comment“."))
        return None
    before = len(errors)
    for field in value:
        if field not in RATING_FIELDS:
            errors.append(FieldError(f"{where}.{field}", f"Unbekanntes Feld „{field}“; erlaubt sind „score“ und „comment“."))
    score = _parse_score(value.get("score", UNCHANGED), f"{where}.score", catalog, errors)
    comment = _parse_comment(value.get("comment", UNCHANGED), f"{where}.comment", errors)
    return RatingChange(score, comment) if len(errors) == before else None


def _parse_score(score: Any, where: str, catalog: Catalog, errors: list[FieldError]) -> Any:
    if score is UNCHANGED or score is None:
        return score
    low, high = catalog.scale.min, catalog.scale.max
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        errors.append(FieldError(where, score_rule(low, high)))
        return UNCHANGED
    return score


def _parse_comment(comment: Any, where: str, errors: list[FieldError]) -> Any:
    if comment is UNCHANGED:
        return comment
    if comment is None:
        return ""
    if not isinstance(comment, str):
        errors.append(FieldError(where, COMMENT_NOT_TEXT))
        return UNCHANGED
    try:
        return checked_comment(comment)
    except BrokenRule as exc:
        errors.append(FieldError(where, str(exc)))
        return UNCHANGED


#: The message for a comment that is no text (a number, a list, …).
COMMENT_NOT_TEXT = "Der Kommentar muss Text sein."


class BrokenRule(ValueError):
    """A value breaks one of the rules; the message (German) says which."""


def score_rule(low: int, high: int) -> str:
    """The message for a score that is no whole number from `low` to `high` (or null)."""
    return f"Die Bewertung muss eine ganze Zahl von {low} bis {high} sein oder leer bleiben."


def checked_comment(comment: str) -> str:
    """The comment as it is stored (line breaks normalised); BrokenRule names the first rule it breaks.

    The one rule for comments, of the rating form and the API alike (the API's model calls it too).
    """
    comment = normalize_line_breaks(comment)  # before any rule counts characters or lines
    if CONTROL_CHARACTERS.search(comment):
        raise BrokenRule("Der Kommentar enthält unzulässige Steuerzeichen.")
    if _SURROGATES.search(comment):  # only JSON escapes can produce them; no database stores them
        raise BrokenRule("Der Kommentar enthält ungültige Zeichen.")
    if len(comment) > MAX_COMMENT_LENGTH:
        raise BrokenRule(
            f"Der Kommentar darf höchstens {MAX_COMMENT_LENGTH:,} Zeichen lang sein "
            f"(jetzt: {len(comment):,}).".replace(",", ".")
        )
    lines = comment.count("\n") + 1
    if lines > MAX_COMMENT_LINES:
        # Each line costs the reports a line of their own (a wall of short lines made 384 PDF pages).
        raise BrokenRule(
            f"Der Kommentar darf höchstens {MAX_COMMENT_LINES} Zeilen haben (jetzt: {lines:,}). "
            "Bitte fassen Sie kurze Zeilen zusammen.".replace(",", ".")
        )
    return comment
