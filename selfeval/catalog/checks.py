"""What every checker of catalogue-shaped YAML shares: locating problems and reading generic values."""

from __future__ import annotations

import datetime
import re
from typing import Any

from .model import Problem

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_ID_LENGTH = 64

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(value: Any) -> str:
    """How a YAML value's type is named in messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return "a date"
    return type(value).__name__


class BaseChecker:
    """Collects every problem with its location and line; subclasses read one kind of document."""

    def __init__(self, lines: dict[Path, int]):
        self.lines = lines
        self.problems: list[Problem] = []
        self.ids: dict[str, Path] = {}
        self.offer_references: list[tuple[str, Path]] = []  # checked once all offers are known

    # -- reporting ---------------------------------------------------------------------------

    def error(self, path: Path, message: str) -> None:
        self.problems.append(Problem(format_path(path), message, self._line(path)))

    def warn(self, path: Path, message: str) -> None:
        self.problems.append(Problem(format_path(path), message, self._line(path), is_warning=True))

    def _line(self, path: Path) -> int | None:
        for end in range(len(path), -1, -1):
            prefix = tuple(str(p) if not isinstance(p, int) else p for p in path[:end])
            if prefix in self.lines:
                return self.lines[prefix]
        return None

    # -- generic values ----------------------------------------------------------------------

    def mapping(self, value: Any, path: Path, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        if value is None:
            self.error(path, f"{what} is empty; expected a mapping (key: value lines)")
        else:
            self.error(path, f"{what} must be a mapping (key: value lines), not {describe(value)}")
        return None

    def top_level(self, data: Any, expected: str, allowed: set[str]) -> dict | None:
        """The document itself: a mapping (else an error saying what was `expected`); unknown keys warn."""
        if not isinstance(data, dict):
            self.error((), f"the top level must be {expected}, not {describe(data)}")
            return None
        self.known_keys(data, (), allowed)
        return data

    def entry(self, value: Any, path: Path, what: str, allowed: set[str]) -> tuple[dict, str] | None:
        """A list entry (`what`: "a criterion", ...): a mapping with known keys and an id unique in the document."""
        mapping = self.mapping(value, path, what)
        if mapping is None:
            return None
        self.known_keys(mapping, path, allowed)
        entry_id = self.slug(mapping, path)
        self.unique(entry_id, path)
        return mapping, entry_id

    def known_keys(self, mapping: dict, path: Path, allowed: set[str]) -> None:
        for key in mapping:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.warn((*path, str(key)), f'unknown key "{key}" is ignored (known keys: {expected})')

    def text(self, mapping: dict, key: str, path: Path, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error((*path, key), "is missing; text is required here")
            return ""
        if not isinstance(value, str):
            self.error((*path, key), f"must be text, not {describe(value)}")
            return ""
        if required and not value.strip():
            self.error((*path, key), "must not be empty")
        return value.strip()

    def slug(self, mapping: dict, path: Path) -> str:
        value = mapping.get("id")
        where = (*path, "id")
        if value is None:
            self.error(where, "is missing; every entry needs an id")
            return ""
        if not isinstance(value, str):
            self.error(where, f"must be text, not {describe(value)}")
            return ""
        if not SLUG.fullmatch(value) or len(value) > MAX_ID_LENGTH:
            self.error(
                where,
                f'"{value}" is not a valid id: use at most {MAX_ID_LENGTH} lowercase letters, digits, '
                '"-" and "_", starting with a letter or digit',
            )
            return value
        return value

    def unique(self, value: str, path: Path) -> None:
        if not value or not SLUG.fullmatch(value):
            return
        where = (*path, "id")
        if value in self.ids:
            first = self.ids[value]
            first_line = self._line(first)
            at = f"{format_path(first)}, line {first_line}" if first_line else format_path(first)
            self.error(where, f'duplicate id "{value}" (already used at {at}); ids must be unique in the catalogue')
        else:
            self.ids[value] = where

    def optional_list(self, value: Any, path: Path, what: str) -> list:
        """The items of an optional list: none if it is absent; none and an error ("must be `what`") if it is no list."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"must be {what}, not {describe(value)}")
            return []
        return value

    def items(self, mapping: dict, key: str, path: Path, what: str) -> list:
        value = mapping.get(key)
        where = (*path, key)
        if value is None:
            self.error(where, f"is missing; at least one {what} is required")
            return []
        if not isinstance(value, list):
            self.error(where, f"must be a list of {what}s, not {describe(value)}")
            return []
        if not value:
            self.error(where, f"is empty; at least one {what} is required")
        return value
