"""The normalized, JSON-ready form of a catalogue (`catalog check --json`, the API, snapshots)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from .model import Catalog, SupportOffer


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """Plain data in the documented shape; `catalog_from_dict` turns it back into a Catalog."""
    data: dict[str, Any] = {
        "id": catalog.id,
        "version": catalog.version,
        "title": catalog.title,
        "description": catalog.description,
        "source": asdict(catalog.source) if catalog.source else None,
        "scale": {
            "min": catalog.scale.min,
            "max": catalog.scale.max,
            # JSON object keys are strings; the validator accepts them back as numbers.
            "labels": {str(label.value): label.text for label in catalog.scale.labels},
        },
        "criteria": [
            {
                "id": criterion.id,
                "title": criterion.title,
                "description": criterion.description,
                "indicators": [
                    {"id": ind.id, "text": ind.text, "examples": list(ind.examples), **_offer_ids(ind.offers)}
                    for ind in criterion.indicators
                ],
                **_offer_ids(criterion.offers),
            }
            for criterion in catalog.criteria
        ],
    }
    # Offer keys appear only when used, so that a catalogue without offers keeps the digest it always had.
    if catalog.offers:
        data["offers"] = [offer_to_dict(offer) for offer in catalog.offers]
    if catalog.offers_note:
        data["offers_note"] = catalog.offers_note
    if catalog.offers_note_kreise:
        data["offers_note_kreise"] = list(catalog.offers_note_kreise)
    return data


#: Who an offer is for: written only when it limits, so that offers without these keys keep their digest.
_RESTRICTIONS = ("kreise", "schulformen", "schulstufen", "target_groups")
#: Written only when given, for the same reason.
_OPTIONAL_TEXTS = ("contact",)


def offer_to_dict(offer: SupportOffer) -> dict[str, Any]:
    data = asdict(offer)
    for key in _RESTRICTIONS:
        data[key] = list(data[key])
        if not data[key]:
            del data[key]
    for key in _OPTIONAL_TEXTS:
        if not data[key]:
            del data[key]
    return data


def _offer_ids(ids: tuple[str, ...]) -> dict[str, list[str]]:
    return {"offers": list(ids)} if ids else {}


def catalog_digest(catalog: Catalog) -> str:
    """SHA-256 of the normalized content: equal digests mean equal catalogues."""
    text = json.dumps(catalog_to_dict(catalog), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
