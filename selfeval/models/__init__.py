"""Persistence only: SQLAlchemy models. Import every model here so Alembic sees them all."""

from .catalog_snapshot import CatalogSnapshot

__all__ = ["CatalogSnapshot"]
