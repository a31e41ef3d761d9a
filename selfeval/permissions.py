"""Who may see or change what, as small predicates over users and schools (no Flask here)."""

from __future__ import annotations

from .models import School, User
from .reference import kreis


def is_team_member(user: User, school: School) -> bool:
    return user.role == "team" and any(m.school_id == school.id for m in user.memberships)


def is_in_scope(user: User, school: School) -> bool:
    """Supervisors: any listed Kreis or Bezirksregierung, narrowed by listed Schulformen. Advisers: Kreise."""
    kreise = {s.value for s in user.scopes if s.kind == "kreis"}
    if user.role == "adviser":
        return school.kreis in kreise
    if user.role != "supervisor":
        return False
    bezirke = {s.value for s in user.scopes if s.kind == "bezirk"}
    schulformen = {s.value for s in user.scopes if s.kind == "schulform"}
    school_kreis = kreis(school.kreis)
    in_area = school.kreis in kreise or (school_kreis is not None and school_kreis.bezirksregierung in bezirke)
    return in_area and (not schulformen or school.schulform in schulformen)


def can_view_assessment(user: User, school: School) -> bool:
    if not user.is_active:
        return False
    return user.role == "admin" or is_team_member(user, school) or is_in_scope(user, school)


def can_edit_assessment(user: User, school: School) -> bool:
    """Only the school's own team writes; supervision, advisers and admins read."""
    return user.is_active and is_team_member(user, school)


def can_use_analytics(user: User) -> bool:
    """Schulaufsicht, Medienberater and admins compare schools; teams see only their own."""
    return user.is_active and user.role in ("supervisor", "adviser", "admin")


def can_view_history(user: User, school: School) -> bool:
    """Who changed what is the team's own business (and the admin's); supervision sees results, not names."""
    return user.is_active and (user.role == "admin" or is_team_member(user, school))
