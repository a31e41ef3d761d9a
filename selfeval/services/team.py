"""A school's Team Digitalisierung."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Membership, School, User


@dataclass(frozen=True)
class TeamMember:
    display_name: str
    email: str
    is_leadership: bool
    has_accepted: bool  # set a password: an invitation not yet accepted is no one who can act for the school


def team_members(school: School) -> list[TeamMember]:
    """Active members, Schulleitung first, then by name."""
    query = (
        select(User.display_name, User.email, Membership.is_leadership, User.password_hash.is_not(None))
        .join(Membership)
        .where(Membership.school_id == school.id, User.active.is_(True))
        .order_by(Membership.is_leadership.desc(), User.display_name)
    )
    return [TeamMember(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class TeamSize:
    """How many active members a team has, for readers who may not see their names."""

    members: int
    leadership: int


def team_size(school: School) -> TeamSize:
    members = team_members(school)
    return TeamSize(len(members), sum(member.is_leadership for member in members))
