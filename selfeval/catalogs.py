"""The catalogue the app serves: loaded once at start-up from SELFEVAL_CATALOG."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app

from .catalog import Catalog, CatalogError, OfferList, load_catalog, load_offer_lists, offer_list_folder
from .config import ConfigurationError, resolve_catalog_path

EXTENSION_KEY = "selfeval.catalogs"
OFFER_LISTS_KEY = "selfeval.offer_lists"


class CatalogRegistry:
    """Flask extension holding the active catalogue and its regional offer lists (the folder offers/ beside the
    catalogue file); a broken file stops the start with its problems."""

    def init_app(self, app: Flask) -> None:
        path = Path(resolve_catalog_path(app.config["SELFEVAL_CATALOG"]))
        try:
            catalog = _catalog_from(path)
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


def _catalog_from(path: Path) -> Catalog:
    try:
        stat = path.stat()
    except OSError:
        return load_catalog(path)  # the loader's own CatalogError names the file and the reason
    return _parsed_catalog(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _parsed_catalog(path: str, mtime_ns: int, size: int) -> Catalog:
    """Each catalogue file is parsed once per process (the Catalog is frozen, so apps can share it).

    Keyed by modification time and size too, so that an edited file is read afresh: every app created
    in the process (tests create hundreds) would otherwise parse and validate the same YAML again.
    """
    return load_catalog(path)
