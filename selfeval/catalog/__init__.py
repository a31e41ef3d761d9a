"""The criteria catalogue: load and validate YAML into frozen dataclasses.

Knows nothing of Flask or the database, so that the CLI, the web app, the reports and the
tests all read one and the same Catalog.
"""

from .loader import catalog_from_dict, load_catalog, parse_catalog
from .model import (
    Catalog,
    CatalogError,
    Criterion,
    Indicator,
    OfferList,
    Problem,
    RegionalOffer,
    Scale,
    ScaleLabel,
    SchoolProfile,
    Source,
    SupportOffer,
    indicator_letter,
)
from .offer_lists import load_offer_list, load_offer_lists, offer_list_folder, parse_offer_list
from .serialize import catalog_digest, catalog_to_dict

__all__ = [
    "Catalog",
    "CatalogError",
    "Criterion",
    "Indicator",
    "OfferList",
    "Problem",
    "RegionalOffer",
    "Scale",
    "ScaleLabel",
    "SchoolProfile",
    "Source",
    "SupportOffer",
    "catalog_digest",
    "catalog_from_dict",
    "catalog_to_dict",
    "indicator_letter",
    "load_catalog",
    "load_offer_list",
    "load_offer_lists",
    "offer_list_folder",
    "parse_catalog",
    "parse_offer_list",
]
