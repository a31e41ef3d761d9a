"""The catalogue the app serves: loaded once at start-up from SELFEVAL_CATALOG."""

from __future__ import annotations

from flask import Flask, current_app

from .catalog import Catalog, CatalogError, load_catalog
from .config import ConfigurationError, resolve_catalog_path

EXTENSION_KEY = "selfeval.catalogs"


class CatalogRegistry:
    """Flask extension holding the active catalogue; a broken file stops the start with its problems."""

    def init_app(self, app: Flask) -> None:
        path = resolve_catalog_path(app.config["SELFEVAL_CATALOG"])
        try:
            catalog = load_catalog(path)
        except CatalogError as exc:
            raise ConfigurationError(f"the active catalogue (SELFEVAL_CATALOG) is not valid:\n{exc}") from None
        app.extensions[EXTENSION_KEY] = catalog

    @property
    def active(self) -> Catalog:
        return current_app.extensions[EXTENSION_KEY]
