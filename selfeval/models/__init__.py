"""Persistence only: SQLAlchemy models. Import every model here so Alembic sees them all."""

from .assessment import MAX_COMMENT_LENGTH, MAX_COMMENT_LINES, Assessment, Rating
from .audit import AuditEvent
from .catalog_snapshot import CatalogSnapshot
from .report_job import ReportJobPart, ReportJobRow
from .school import Round, School
from .unsaved_input import UnsavedInput
from .user import ROLES, SCOPE_KINDS, ApiToken, Membership, PasswordLink, User, UserScope

__all__ = [
    "MAX_COMMENT_LENGTH",
    "MAX_COMMENT_LINES",
    "ROLES",
    "SCOPE_KINDS",
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "CatalogSnapshot",
    "Membership",
    "PasswordLink",
    "Rating",
    "ReportJobPart",
    "ReportJobRow",
    "Round",
    "School",
    "UnsavedInput",
    "User",
    "UserScope",
]
