"""Check plain catalogue data (from YAML or a stored snapshot) and build the dataclasses.

Every problem is collected with its location; the caller fails once with the full list.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from .model import Catalog, Criterion, Indicator, Problem, Scale, ScaleLabel, Source, SupportOffer

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_ID_LENGTH = 64
MAX_SCALE_STEPS = 100

TOP_KEYS = {"id", "version", "title", "description", "source", "scale", "criteria", "offers", "offers_note"}
SOURCE_KEYS = {"title", "publisher", "year", "url", "note"}
SCALE_KEYS = {"min", "max", "labels"}
CRITERION_KEYS = {"id", "title", "description", "indicators", "offers"}
INDICATOR_KEYS = {"id", "text", "examples", "offers"}
OFFER_KEYS = {"id", "title", "provider", "description", "source", "url"}
URL = re.compile(r"https?://[^\s<>\"']+")

Path = tuple[str | int, ...]


def build_catalog(data: Any, lines: dict[Path, int] | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Return the catalogue (None if there are errors) and all problems, warnings included."""
    checker = _Checker(lines or {})
    catalog = checker.catalog(data)
    has_errors = any(not problem.is_warning for problem in checker.problems)
    return (None if has_errors else catalog), checker.problems


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


class _Checker:
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

    # -- the catalogue -----------------------------------------------------------------------

    def catalog(self, data: Any) -> Catalog | None:
        if not isinstance(data, dict):
            expected = "a mapping with id, version, title, scale and criteria"
            self.error((), f"the top level must be {expected}, not {describe(data)}")
            return None
        self.known_keys(data, (), TOP_KEYS)
        catalog_id = self.slug(data, ())
        version = self.version(data)
        title = self.text(data, "title", ())
        description = self.text(data, "description", (), required=False)
        source = self.source(data.get("source"))
        scale = self.scale(data.get("scale"))
        offers = self.offers(data.get("offers"))
        offers_note = self.text(data, "offers_note", (), required=False)
        criteria = tuple(
            criterion
            for index, raw in enumerate(self.items(data, "criteria", (), "criterion"))
            if (criterion := self.criterion(raw, ("criteria", index))) is not None
        )
        self.check_offer_references(offers)
        if scale is None:
            return None
        return Catalog(
            catalog_id,
            version,
            title,
            scale,
            criteria,
            description,
            source,
            offers=offers,
            offers_note=offers_note,
            warnings=tuple(self.problems),
        )

    def version(self, data: dict) -> str:
        value = data.get("version")
        if value is None:
            self.error(("version",), 'is missing; give the catalogue a version such as "1" or "2024.1"')
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(("version",), f"must be text or a number, not {describe(value)}")
            return ""
        text = str(value).strip()
        if not text:
            self.error(("version",), "must not be empty")
        elif len(text) > MAX_ID_LENGTH:
            self.error(("version",), f"must be at most {MAX_ID_LENGTH} characters long")
        return text

    def source(self, value: Any) -> Source | None:
        if value is None:
            return None
        path: Path = ("source",)
        mapping = self.mapping(value, path, "source")
        if mapping is None:
            return None
        self.known_keys(mapping, path, SOURCE_KEYS)
        year = mapping.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            self.error((*path, "year"), f"must be a whole number, not {describe(year)}")
            year = None
        return Source(
            title=self.text(mapping, "title", path),
            publisher=self.text(mapping, "publisher", path, required=False),
            year=year,
            url=self.text(mapping, "url", path, required=False),
            note=self.text(mapping, "note", path, required=False),
        )

    def scale(self, value: Any) -> Scale | None:
        path: Path = ("scale",)
        if value is None:
            self.error(path, "is missing; add for example scale: {min: 0, max: 10}")
            return None
        mapping = self.mapping(value, path, "scale")
        if mapping is None:
            return None
        self.known_keys(mapping, path, SCALE_KEYS)
        low, high = self.scale_bound(mapping, "min"), self.scale_bound(mapping, "max")
        if low is None or high is None:
            return None
        if low >= high:
            self.error(path, f"min ({low}) must be less than max ({high})")
            return None
        if high - low > MAX_SCALE_STEPS:
            self.error(path, f"a scale may have at most {MAX_SCALE_STEPS} steps, this one has {high - low}")
            return None
        return Scale(low, high, self.scale_labels(mapping.get("labels"), low, high))

    def scale_bound(self, mapping: dict, key: str) -> int | None:
        value = mapping.get(key)
        where: Path = ("scale", key)
        if value is None:
            self.error(where, "is missing; a whole number is required")
        elif isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"must be a whole number, not {describe(value)}")
        else:
            return value
        return None

    def scale_labels(self, value: Any, low: int, high: int) -> tuple[ScaleLabel, ...]:
        path: Path = ("scale", "labels")
        if value is None:
            return ()
        mapping = self.mapping(value, path, "labels")
        if mapping is None:
            return ()
        labels = []
        for point, text in mapping.items():
            where = (*path, str(point))
            if isinstance(point, str) and re.fullmatch(r"-?[0-9]+", point.strip()):
                point = int(point)  # JSON (snapshots, the API) can only have text keys
            if isinstance(point, bool) or not isinstance(point, int) or not low <= point <= high:
                self.error(where, f"label keys must be whole numbers from {low} to {high}, not {point!r}")
            elif not isinstance(text, str) or not text.strip():
                self.error(where, f"the label must be non-empty text, not {describe(text)}")
            else:
                labels.append(ScaleLabel(point, text.strip()))
        return tuple(sorted(labels, key=lambda label: label.value))

    def criterion(self, value: Any, path: Path) -> Criterion | None:
        mapping = self.mapping(value, path, "a criterion")
        if mapping is None:
            return None
        self.known_keys(mapping, path, CRITERION_KEYS)
        criterion_id = self.slug(mapping, path)
        self.unique(criterion_id, path)
        title = self.text(mapping, "title", path)
        description = self.text(mapping, "description", path, required=False)
        indicators = tuple(
            indicator
            for index, raw in enumerate(self.items(mapping, "indicators", path, "indicator"))
            if (indicator := self.indicator(raw, (*path, "indicators", index), criterion_id)) is not None
        )
        return Criterion(criterion_id, title, indicators, description, self.offer_ids(mapping.get("offers"), (*path, "offers")))

    def indicator(self, value: Any, path: Path, criterion_id: str) -> Indicator | None:
        mapping = self.mapping(value, path, "an indicator")
        if mapping is None:
            return None
        self.known_keys(mapping, path, INDICATOR_KEYS)
        indicator_id = self.slug(mapping, path)
        self.unique(indicator_id, path)
        text = self.text(mapping, "text", path)
        examples = self.examples(mapping.get("examples"), (*path, "examples"))
        return Indicator(indicator_id, criterion_id, text, examples, self.offer_ids(mapping.get("offers"), (*path, "offers")))

    def examples(self, value: Any, path: Path) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"must be a list of texts, not {describe(value)}")
            return ()
        examples = []
        for index, example in enumerate(value):
            if not isinstance(example, str):
                self.error((*path, index), f"must be text, not {describe(example)}")
            elif not example.strip():
                self.error((*path, index), "must not be empty")
            else:
                examples.append(example.strip())
        return tuple(examples)

    # -- support offers ----------------------------------------------------------------------

    def offers(self, value: Any) -> tuple[SupportOffer, ...]:
        if value is None:
            return ()
        path: Path = ("offers",)
        if not isinstance(value, list):
            self.error(path, f"must be a list of support offers, not {describe(value)}")
            return ()
        return tuple(offer for index, raw in enumerate(value) if (offer := self.offer(raw, (*path, index))) is not None)

    def offer(self, value: Any, path: Path) -> SupportOffer | None:
        mapping = self.mapping(value, path, "a support offer")
        if mapping is None:
            return None
        self.known_keys(mapping, path, OFFER_KEYS)
        offer_id = self.slug(mapping, path)
        self.unique(offer_id, path)
        url = self.text(mapping, "url", path, required=False)
        if url and not URL.fullmatch(url):
            self.error((*path, "url"), f'"{url}" is not a web address; it must start with https:// or http://')
        return SupportOffer(
            id=offer_id,
            title=self.text(mapping, "title", path),
            provider=self.text(mapping, "provider", path),
            description=self.text(mapping, "description", path),
            source=self.text(mapping, "source", path),
            url=url,
        )

    def offer_ids(self, value: Any, path: Path) -> tuple[str, ...]:
        """The offer ids listed under a criterion or indicator; whether they exist is checked at the end."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"must be a list of offer ids, not {describe(value)}")
            return ()
        ids: list[str] = []
        for index, item in enumerate(value):
            where = (*path, index)
            if not isinstance(item, str) or not item.strip():
                self.error(where, f"must be the id of a support offer, not {describe(item)}")
            elif item.strip() in ids:
                self.error(where, f'offer "{item.strip()}" is listed twice')
            else:
                ids.append(item.strip())
                self.offer_references.append((item.strip(), where))
        return tuple(ids)

    def check_offer_references(self, offers: tuple[SupportOffer, ...]) -> None:
        known = {offer.id for offer in offers}
        for offer_id, where in self.offer_references:
            if offer_id not in known:
                hint = "the catalogue has no offers" if not known else "define it under offers"
                self.error(where, f'unknown support offer "{offer_id}"; {hint}')
        used = {offer_id for offer_id, _ in self.offer_references}
        for index, offer in enumerate(offers):
            if offer.id not in used:
                self.warn(("offers", index, "id"), f'support offer "{offer.id}" is not listed under any criterion or indicator')
