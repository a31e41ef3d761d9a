"""Demo content for `selfeval demo`: grows with the features."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Catalog
from .catalog_snapshots import record_snapshot


@dataclass(frozen=True)
class DemoSummary:
    catalog_title: str
    catalog_version: str
    logins: tuple[tuple[str, str], ...]  # (e-mail, password) pairs to print


def load_demo_content(catalog: Catalog) -> DemoSummary:
    """Idempotent: a second call on the same database adds nothing."""
    record_snapshot(catalog)
    return DemoSummary(catalog.title, catalog.version, logins=())
