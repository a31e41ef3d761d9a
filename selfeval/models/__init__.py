"""Persistence only: SQLAlchemy models. Import every model here so Alembic sees them all."""

from .assessment import Assessment, MemberRating, MemberSheet, Rating
from .audit import AuditEvent
from .catalog_snapshot import CatalogSnapshot
from .offer import KreisOffer
from .plan import Plan, PlanAgreement
from .report_job import ReportJobPart, ReportJobRow
from .school import Round, School
from .unsaved_input import UnsavedInput
from .user import ApiToken, Membership, PasswordLink, User, UserScope

__all__ = [
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "CatalogSnapshot",
    "KreisOffer",
    "MemberRating",
    "MemberSheet",
    "Membership",
    "PasswordLink",
    "Plan",
    "PlanAgreement",
    "Rating",
    "ReportJobPart",
    "ReportJobRow",
    "Round",
    "School",
    "UnsavedInput",
    "User",
    "UserScope",
]
