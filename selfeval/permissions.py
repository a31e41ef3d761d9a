"""Who may see or change what, as small predicates over users and the things they ask for (pure: no Flask, no database).

Every access decision of the views is one of these: a view or a blueprint's guard asks a predicate and
refuses (403, or 404 where even the existence of the thing is private); no view compares role names.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Protocol

from .reference import kreis
from .roles import ADMIN, ADVISER, BEZIRK, KREIS, SCHULFORM, SCHULTRAEGER, SUPERVISOR, TEAM, TRAEGER
from .vocabulary import SUBMITTED_STATUS as SUBMITTED

if TYPE_CHECKING:  # only for the annotations: the predicates read attributes, whatever the objects' class
    from .models import School, User


class SchoolFacts(Protocol):
    """What the rules below read of a school: a `School`, or the plain facts the assessment's hot path reads."""

    @property
    def id(self) -> int: ...
    @property
    def kreis(self) -> str: ...
    @property
    def schulform(self) -> str: ...
    @property
    def traeger_nummer(self) -> str | None: ...


class Shared(Protocol):
    """What the sharing rule reads of an assessment (models.Assessment, or a row of its columns)."""

    status: str
    comments_released: bool


class Owned(Protocol):
    """Something one account started and only that account sees (a background report job)."""

    owner: str  # account_key() of the account that started it


def is_team_member(user: User, school: SchoolFacts) -> bool:
    """A member of the school's Team Digitalisierung (whether active or not: the callers check that)."""
    return user.role == TEAM and any(m.school_id == school.id for m in user.memberships)


def is_in_scope(user: User, school: SchoolFacts) -> bool:
    """Supervisors: any listed Kreis, Bezirksregierung or Schulträger, narrowed by listed Schulformen.
    Advisers: Kreise. Schulträger: the schools of their Trägernummern (services.schools.visibility_condition alike)."""
    kreise = {s.value for s in user.scopes if s.kind == KREIS}
    traeger = {s.value for s in user.scopes if s.kind == SCHULTRAEGER}
    if user.role == ADVISER:
        return school.kreis in kreise
    if user.role == TRAEGER:
        return school.traeger_nummer is not None and school.traeger_nummer in traeger
    if user.role != SUPERVISOR:
        return False
    bezirke = {s.value for s in user.scopes if s.kind == BEZIRK}
    schulformen = {s.value for s in user.scopes if s.kind == SCHULFORM}
    school_kreis = kreis(school.kreis)
    in_area = (
        school.kreis in kreise
        or (school_kreis is not None and school_kreis.bezirksregierung in bezirke)
        or (school.traeger_nummer is not None and school.traeger_nummer in traeger)
    )
    return in_area and (not schulformen or school.schulform in schulformen)


def can_administer(user: User) -> bool:
    """The administration (schools, directory import, accounts, rounds, audit trail) is the admins' alone."""
    return user.is_active and user.role == ADMIN


def can_maintain_offers(user: User) -> bool:
    """The offers of the Kreise (page /angebote): a Medienberatung those of its Kreise, an admin all of them.

    Schulaufsicht does not maintain offers; it sees them where schools see them, in the reports.
    """
    return user.is_active and user.role in ("adviser", "admin")


def offer_kreise(user: User) -> tuple[str, ...] | None:
    """The Kreise whose offers the user maintains: None for an admin (all), an adviser's Kreise, otherwise none."""
    if not can_maintain_offers(user):
        return ()
    if user.role == "admin":
        return None
    return tuple(s.value for s in user.scopes if s.kind == "kreis")


def can_maintain_offers_of(user: User, kreis_key: str) -> bool:
    allowed = offer_kreise(user)
    return can_maintain_offers(user) and (allowed is None or kreis_key in allowed)


def can_view_assessment(user: User, school: SchoolFacts) -> bool:
    """The school's own team, supervisors and advisers whose scope includes it, and admins (results and reports)."""
    if not user.is_active:
        return False
    return user.role == ADMIN or is_team_member(user, school) or is_in_scope(user, school)


def can_view_scores(user: User, school: SchoolFacts, assessment: Shared | None) -> bool:
    """A draft is the team's: everyone else who may see the school sees only its status and how far it got.

    A submitted assessment's scores are open to supervision, the Medienberatung and the Schulträger in scope,
    and the admins (DATENSCHUTZ.md, "Was eine Schule teilt").
    """
    if not can_view_assessment(user, school):
        return False
    if is_team_member(user, school):
        return True
    return assessment is not None and assessment.status == SUBMITTED


def can_view_shared_texts(user: User, school: SchoolFacts, assessment: Shared | None) -> bool:
    """A submitted assessment's texts (Belege/Anmerkungen, the plan): the team's own, the Medienberatung in scope
    (who advises the school), and supervision, the Schulträger and the admins only when the team released them."""
    if not can_view_scores(user, school, assessment):
        return False
    if is_team_member(user, school) or user.role == ADVISER:
        return True
    return assessment is not None and bool(assessment.comments_released)


def can_view_plan(user: User, school: SchoolFacts, assessment: Shared | None) -> bool:
    """The plan (goals, measures, agreements) is the team's working document. The Medienberatung in scope advises on
    it while it takes shape, so it reads the plan of a draft too (without the draft's scores); supervision, the
    Schulträger and the admins read it as the texts: submitted and released (DATENSCHUTZ.md)."""
    if not user.is_active:
        return False
    if is_team_member(user, school) or (user.role == ADVISER and is_in_scope(user, school)):
        return True
    return can_view_shared_texts(user, school, assessment)


def can_edit_plan(user: User, school: SchoolFacts) -> bool:
    """The team writes its plan, in a draft and after submission alike (it is followed through the school year)."""
    return can_edit_assessment(user, school)


def can_record_agreement(user: User, school: SchoolFacts) -> bool:
    """An agreement with the Medienberatung is recorded by a Medienberater:in whose scope includes the school."""
    return user.is_active and user.role == ADVISER and is_in_scope(user, school)


def can_release_texts(user: User, school: SchoolFacts) -> bool:
    """Releasing the texts, or taking the release back, is the Schulleitung's decision within the team."""
    return user.is_active and any(m.school_id == school.id and m.is_leadership for m in user.memberships if user.role == TEAM)


def can_edit_assessment(user: User, school: SchoolFacts) -> bool:
    """Only the school's own team writes; supervision, advisers and admins read."""
    return user.is_active and is_team_member(user, school)


def can_use_analytics(user: User) -> bool:
    """Schulaufsicht, Medienberater, Schulträger and admins compare schools (within their scope); teams see only their own."""
    return user.is_active and user.role in (SUPERVISOR, ADVISER, TRAEGER, ADMIN)


def can_view_team_names(user: User, school: School) -> bool:
    """Who is in the team and who changed or submitted what is the team's own business (and the admin's).

    Schulaufsicht and Medienberatung see results and reports without names (DATENSCHUTZ.md).
    """
    return user.is_active and (user.role == ADMIN or is_team_member(user, school))


def can_view_history(user: User, school: School) -> bool:
    """The history names who changed what: the same readers as the team's names."""
    return can_view_team_names(user, school)


def can_view_report_job(user: User, job: Owned) -> bool:
    """A ZIP of reports holds the teams' comments: only whoever started the job sees it, not even an admin."""
    return user.is_active and job.owner == account_key(user)


def account_key(user: User) -> str:
    """Names one account for its whole lifetime and no other: the id with the moment the account was made.

    The id alone is not enough: SQLite hands an erased account's id to the next new account,
    which would inherit whatever was kept under that id.
    """
    made = round(user.created_at.timestamp() * 1_000_000)
    return hashlib.sha256(f"{user.id}:{made}".encode()).hexdigest()[:32]


def is_own_account(actor: User | None, account: User) -> bool:
    """Nobody deactivates, erases or changes the role of their own account: an admin would lock themselves out.

    `actor` None is the operator at the command line, who acts on others' accounts only.
    """
    return actor is not None and actor.id == account.id
