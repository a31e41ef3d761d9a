"""Regional offer lists: the offers a Medienzentrum or Kreis keeps for its own schools, in files beside the catalogue.

A list names the catalogue it belongs to and, for each offer, the indicators or criteria it fits. It is
checked like the catalogue (every problem located) and against that catalogue: the ids it refers to must
exist, its offer ids must not clash with the catalogue's. The app reads the lists in the folder `offers/`
beside the active catalogue file.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path as FilePath
from typing import Any

from ..reference import kreise
from .checks import Path, describe
from .loader import MAX_FILE_BYTES, load_catalog
from .model import Catalog, CatalogError, OfferList, Problem, RegionalOffer, SupportOffer
from .validate_offers import OFFER_KEYS, OfferChecks
from .yaml_source import YamlProblems, read_yaml

OFFER_LIST_KEYS = {"id", "title", "publisher", "catalog", "kreise", "offers"}
REGIONAL_OFFER_KEYS = OFFER_KEYS | {"fits"}
#: Where the app looks for offer lists, relative to the folder of the active catalogue file.
OFFERS_FOLDER = "offers"


def offer_list_folder(catalog_path: str | FilePath) -> FilePath:
    return FilePath(catalog_path).parent / OFFERS_FOLDER


def is_offer_list(data: Any) -> bool:
    """Whether parsed YAML looks like an offer list rather than a catalogue (it names a catalogue, has no criteria)."""
    return isinstance(data, dict) and "catalog" in data and "criteria" not in data


def parse_offer_list(raw: bytes, catalog: Catalog, source: str = "<offer list>") -> OfferList:
    """Validate an offer list given as bytes against its catalogue; CatalogError lists every problem."""
    data, lines = _read(raw, source)
    checker = _OfferListChecker(lines, catalog)
    offer_list = checker.offer_list(data)
    errors = [problem for problem in checker.problems if not problem.is_warning]
    if errors or offer_list is None:
        raise CatalogError(source, errors)
    return offer_list


def load_offer_list(path: str | FilePath, catalog: Catalog | None = None) -> OfferList:
    """Read and validate one offer list; without `catalog`, the catalogue it names is read from the folder above."""
    name = str(path)
    raw = _read_file(path)
    if catalog is None:
        catalog = _named_catalog(raw, FilePath(path), name)
    return parse_offer_list(raw, catalog, name)


def load_offer_lists(folder: str | FilePath, catalog: Catalog) -> tuple[OfferList, ...]:
    """Every offer list in `folder` that belongs to `catalog`, by file name; lists of other catalogues are skipped.

    Raises CatalogError for the first invalid file, naming every problem in it, and for an offer id used in two lists.
    """
    found: list[OfferList] = []
    first_use: dict[str, str] = {}
    for path in sorted(FilePath(folder).glob("*.yaml")) if FilePath(folder).is_dir() else []:
        raw = _read_file(path)
        data, _lines = _read(raw, str(path))
        if not is_offer_list(data) or data.get("catalog") != catalog.id:
            continue
        offer_list = parse_offer_list(raw, catalog, str(path))
        for index, regional in enumerate(offer_list.offers):
            offer_id = regional.offer.id
            if offer_id in first_use:
                message = f'duplicate offer id "{offer_id}" (already used in {first_use[offer_id]}); ids must be unique'
                raise CatalogError(str(path), [Problem(f"offers[{index}].id", message)])
            first_use[offer_id] = path.name
        found.append(offer_list)
    return tuple(found)


def _read_file(path: str | FilePath) -> bytes:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CatalogError(str(path), [Problem("", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogError(str(path), [Problem("", f"the file is larger than {MAX_FILE_BYTES:,} bytes")])
    return raw


def _read(raw: bytes, source: str) -> tuple[Any, dict]:
    try:
        document = read_yaml(raw)
    except YamlProblems as exc:
        raise CatalogError(source, exc.problems) from None
    return document.data, document.lines


def _named_catalog(raw: bytes, path: FilePath, source: str) -> Catalog:
    """The catalogue an offer list names: `<name>.yaml` in the folder that holds the offers folder."""
    data, lines = _read(raw, source)
    name = data.get("catalog") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        problem = Problem("catalog", f"is missing or not text ({describe(name)}); name the catalogue, e.g. dortmund-leitfaden")
        raise CatalogError(source, [dataclasses.replace(problem, line=lines.get(("catalog",)))])
    candidate = path.resolve().parent.parent / f"{name.strip()}.yaml"
    if not candidate.is_file():
        message = f'no catalogue "{name.strip()}" at {candidate}; an offer list lives in the folder offers/ beside its catalogue'
        raise CatalogError(source, [Problem("catalog", message, lines.get(("catalog",)))])
    return load_catalog(candidate)


class _OfferListChecker(OfferChecks):
    def __init__(self, lines: dict[Path, int], catalog: Catalog):
        super().__init__(lines)
        self.catalog = catalog
        self.targets = {criterion.id for criterion in catalog.criteria} | {ind.id for ind in catalog.indicators}
        self.catalog_offers = {offer.id for offer in catalog.offers}

    def offer_list(self, data: Any) -> OfferList | None:
        data = self.top_level(data, "a mapping with id, title, publisher, catalog, kreise and offers", OFFER_LIST_KEYS)
        if data is None:
            return None
        list_id = self.slug(data, ())
        title = self.text(data, "title", ())
        publisher = self.text(data, "publisher", ())
        catalog_id = self.text(data, "catalog", ())
        if catalog_id and catalog_id != self.catalog.id:
            self.error(("catalog",), f'names the catalogue "{catalog_id}" but is checked against "{self.catalog.id}"')
        list_kreise = self.keys(data, "kreise", (), kreise(), 'a Kreisschlüssel of NRW, e.g. "05913"')
        if not list_kreise and "kreise" not in data:
            self.error(("kreise",), 'is missing; name the Kreise whose schools the offers are for, e.g. ["05913"]')
        elif not list_kreise:
            self.error(("kreise",), "must name at least one Kreis")
        offers = tuple(
            regional
            for index, raw in enumerate(self.items(data, "offers", (), "offer"))
            if (regional := self.regional_offer(raw, ("offers", index), list_kreise)) is not None
        )
        warnings = tuple(problem for problem in self.problems if problem.is_warning)
        return OfferList(list_id, title, publisher, catalog_id, list_kreise, offers, warnings)

    def regional_offer(self, value: Any, path: Path, list_kreise: tuple[str, ...]) -> RegionalOffer | None:
        offer = self.offer(value, path, REGIONAL_OFFER_KEYS)
        if offer is None:
            return None
        if offer.id in self.catalog_offers:
            self.error((*path, "id"), f'"{offer.id}" is already an offer of the catalogue {self.catalog.id}; choose another id')
        outside = [key for key in offer.kreise if key not in list_kreise]
        if outside:
            self.error((*path, "kreise"), f'"{outside[0]}" is not one of the list\'s Kreise ({", ".join(list_kreise)})')
        fits = self.fits(value.get("fits"), (*path, "fits"))
        return RegionalOffer(_in_kreise(offer, list_kreise), fits)

    def fits(self, value: Any, path: Path) -> tuple[str, ...]:
        if value is None:
            self.error(path, "is missing; list the ids of the indicators or criteria the offer fits, e.g. [k1b, k6]")
            return ()
        if not isinstance(value, list) or not value:
            self.error(path, f"must be a non-empty list of indicator or criterion ids, not {describe(value)}")
            return ()
        found: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or item.strip() not in self.targets:
                shown = item.strip() if isinstance(item, str) else describe(item)
                self.error((*path, index), f'"{shown}" is no indicator or criterion of the catalogue {self.catalog.id}')
            elif item.strip() in found:
                self.error((*path, index), f'"{item.strip()}" is listed twice')
            else:
                found.append(item.strip())
        return tuple(found)


def _in_kreise(offer: SupportOffer, list_kreise: tuple[str, ...]) -> SupportOffer:
    """A regional offer is limited to the list's Kreise unless it names fewer of them itself."""
    return offer if offer.kreise else dataclasses.replace(offer, kreise=list_kreise)
