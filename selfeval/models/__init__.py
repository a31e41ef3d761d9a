"""Persistence only: SQLAlchemy models. Import every model here so Alembic sees them all."""

from .assessment import Assessment, Rating
from .audit import AuditEvent
from .catalog_snapshot import CatalogSnapshot
from .offer import KreisOffer
from .school import Round, School
from .unsaved_input import UnsavedInput
from .user import ApiToken, Membership, PasswordLink, User, UserScope

__all__ = [
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "CatalogSnapshot",
    "KreisOffer",
    "Membership",
    "PasswordLink",
    "Rating",
    "Round",
    "School",
    "UnsavedInput",
    "User",
    "UserScope",
]
