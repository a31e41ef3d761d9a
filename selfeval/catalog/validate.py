"""Check plain catalogue data (from YAML or a stored snapshot) and build the dataclasses.

Every problem is collected with its location; the caller fails once with the full list.
"""

from __future__ import annotations

import re
from typing import Any

from ..reference import kreise
from .checks import MAX_ID_LENGTH, Path, describe, format_path
from .model import Catalog, Criterion, Indicator, Problem, Scale, ScaleLabel, Source
from .validate_offers import OFFER_KEYS, OfferChecks

__all__ = [
    "CRITERION_KEYS", "INDICATOR_KEYS", "OFFER_KEYS", "SCALE_KEYS", "SOURCE_KEYS", "TOP_KEYS", "build_catalog", "format_path",
]  # fmt: skip

MAX_SCALE_STEPS = 100

TOP_KEYS = {"id", "version", "title", "description", "source", "scale", "criteria", "offers", "offers_note", "offers_note_kreise"}
SOURCE_KEYS = {"title", "publisher", "year", "url", "note"}
SCALE_KEYS = {"min", "max", "labels"}
CRITERION_KEYS = {"id", "title", "description", "indicators", "offers"}
INDICATOR_KEYS = {"id", "text", "examples", "offers"}


def build_catalog(data: Any, lines: dict[Path, int] | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Return the catalogue (None if there are errors) and all problems, warnings included."""
    checker = _Checker(lines or {})
    catalog = checker.catalog(data)
    has_errors = any(not problem.is_warning for problem in checker.problems)
    return (None if has_errors else catalog), checker.problems


class _Checker(OfferChecks):
    # -- the catalogue -----------------------------------------------------------------------

    def catalog(self, data: Any) -> Catalog | None:
        data = self.top_level(data, "a mapping with id, version, title, scale and criteria", TOP_KEYS)
        if data is None:
            return None
        catalog_id = self.slug(data, ())
        version = self.version(data)
        title = self.text(data, "title", ())
        description = self.text(data, "description", (), required=False)
        source = self.source(data.get("source"))
        scale = self.scale(data.get("scale"))
        offers = self.offers(data.get("offers"))
        offers_note = self.text(data, "offers_note", (), required=False)
        note_kreise = self.keys(data, "offers_note_kreise", (), kreise(), 'a Kreisschlüssel of NRW, e.g. "05913"')
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
            offers_note_kreise=note_kreise,
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
        entry = self.entry(value, path, "a criterion", CRITERION_KEYS)
        if entry is None:
            return None
        mapping, criterion_id = entry
        title = self.text(mapping, "title", path)
        description = self.text(mapping, "description", path, required=False)
        indicators = tuple(
            indicator
            for index, raw in enumerate(self.items(mapping, "indicators", path, "indicator"))
            if (indicator := self.indicator(raw, (*path, "indicators", index), criterion_id)) is not None
        )
        return Criterion(criterion_id, title, indicators, description, self.offer_ids(mapping.get("offers"), (*path, "offers")))

    def indicator(self, value: Any, path: Path, criterion_id: str) -> Indicator | None:
        entry = self.entry(value, path, "an indicator", INDICATOR_KEYS)
        if entry is None:
            return None
        mapping, indicator_id = entry
        text = self.text(mapping, "text", path)
        examples = self.examples(mapping.get("examples"), (*path, "examples"))
        return Indicator(indicator_id, criterion_id, text, examples, self.offer_ids(mapping.get("offers"), (*path, "offers")))

    def examples(self, value: Any, path: Path) -> tuple[str, ...]:
        examples = []
        for index, example in enumerate(self.optional_list(value, path, "a list of texts")):
            if not isinstance(example, str):
                self.error((*path, index), f"must be text, not {describe(example)}")
            elif not example.strip():
                self.error((*path, index), "must not be empty")
            else:
                examples.append(example.strip())
        return tuple(examples)
