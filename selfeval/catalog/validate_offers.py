"""Check support offers: in the catalogue and in regional offer lists alike."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..reference import SCHULFORMEN, SCHULSTUFEN, kreise
from .checks import BaseChecker, Path, describe
from .model import SupportOffer

OFFER_KEYS = {
    "id",
    "title",
    "provider",
    "description",
    "source",
    "url",
    "contact",
    "kreise",
    "schulformen",
    "schulstufen",
    "target_groups",
}
URL = re.compile(r"https?://[^\s<>\"']+")


class OfferChecks(BaseChecker):
    """Support offers with who they are for; their ids share the catalogue's namespace."""

    def offers(self, value: Any) -> tuple[SupportOffer, ...]:
        path: Path = ("offers",)
        raws = self.optional_list(value, path, "a list of support offers")
        return tuple(offer for index, raw in enumerate(raws) if (offer := self.offer(raw, (*path, index))) is not None)

    def offer(self, value: Any, path: Path, allowed: set[str] = OFFER_KEYS) -> SupportOffer | None:
        entry = self.entry(value, path, "a support offer", allowed)
        if entry is None:
            return None
        mapping, offer_id = entry
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
            kreise=self.keys(mapping, "kreise", path, kreise(), 'a Kreisschlüssel of NRW, e.g. "05913"'),
            schulformen=self.keys(mapping, "schulformen", path, SCHULFORMEN, 'a Schulform code, e.g. "02"'),
            schulstufen=self.keys(mapping, "schulstufen", path, SCHULSTUFEN, "a Schulstufe"),
            target_groups=self.texts(mapping, "target_groups", path),
            contact=self.text(mapping, "contact", path, required=False),
        )

    def keys(self, mapping: dict, key: str, path: Path, known: Mapping[str, object], what: str) -> tuple[str, ...]:
        """A list of keys from a fixed table (Kreise, Schulformen, Schulstufen); every unknown one is an error."""
        found: list[str] = []
        for index, item in self.list_items(mapping, key, path):
            where = (*path, key, index)
            if isinstance(item, int) and not isinstance(item, bool):
                self.error(where, f"must be {what} in quotes; unquoted, YAML reads it as the number {item}")
            elif not isinstance(item, str) or item.strip() not in known:
                value = item.strip() if isinstance(item, str) else describe(item)
                choices = f" (one of: {', '.join(known)})" if len(known) < 20 else ""
                self.error(where, f'"{value}" is not {what}{choices}')
            elif item.strip() in found:
                self.error(where, f'"{item.strip()}" is listed twice')
            else:
                found.append(item.strip())
        return tuple(found)

    def texts(self, mapping: dict, key: str, path: Path) -> tuple[str, ...]:
        found: list[str] = []
        for index, item in self.list_items(mapping, key, path):
            if not isinstance(item, str) or not item.strip():
                self.error((*path, key, index), f"must be non-empty text, not {describe(item)}")
            else:
                found.append(item.strip())
        return tuple(found)

    def list_items(self, mapping: dict, key: str, path: Path) -> list[tuple[int, Any]]:
        """The items of an optional list; a single value instead of a list is an error."""
        return list(enumerate(self.optional_list(mapping.get(key), (*path, key), "a list (e.g. [a, b])")))

    def offer_ids(self, value: Any, path: Path) -> tuple[str, ...]:
        """The offer ids listed under a criterion or indicator; whether they exist is checked at the end."""
        ids: list[str] = []
        for index, item in enumerate(self.optional_list(value, path, "a list of offer ids")):
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
