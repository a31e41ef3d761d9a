"""The catalogue the app serves: loaded once at start-up from SELFEVAL_CATALOG."""

from __future__ import annotations

from flask import Flask, current_app

from .catalog import Catalog, CatalogError, OfferList, load_catalog, load_offer_lists, offer_list_folder
from .config import ConfigurationError, resolve_catalog_path

EXTENSION_KEY = "selfeval.catalogs"
OFFER_LISTS_KEY = "selfeval.offer_lists"


class CatalogRegistry:
    """Flask extension holding the active catalogue and its regional offer lists (the folder offers/ beside the
    catalogue file); a broken file stops the start with its problems."""

    def init_app(self, app: Flask) -> None:
        path = resolve_catalog_path(app.config["SELFEVAL_CATALOG"])
        try:
            catalog = load_catalog(path)
        except CatalogError as exc:
            raise ConfigurationError(f"the active catalogue (SELFEVAL_CATALOG) is not valid:\n{exc}") from None
        try:
            offer_lists = load_offer_lists(offer_list_folder(path), catalog)
        except CatalogError as exc:
            raise ConfigurationError(f"a regional offer list of the active catalogue is not valid:\n{exc}") from None
        app.extensions[EXTENSION_KEY] = catalog
        app.extensions[OFFER_LISTS_KEY] = offer_lists

    @property
    def active(self) -> Catalog:
        return current_app.extensions[EXTENSION_KEY]

    @property
    def offer_lists(self) -> tuple[OfferList, ...]:
        return current_app.extensions[OFFER_LISTS_KEY]
