"""A school's development plan per assessment: read it with last year's goals followed up, replace its goals
(optimistic locking, audited), carry last year's open measures over. The caller commits (unit_of_work).

Agreements with the Medienberatung are in services.plan_agreements. Who may read or write is decided by the
views with permissions.can_view_plan / can_edit_plan; this module trusts its caller on that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from ..catalog import Catalog, SchoolProfile, SupportOffer
from ..database import changed_rows, insert_or_ignore
from ..extensions import catalogs as registry
from ..extensions import db
from ..models import Assessment, Plan, PlanAgreement, Rating, Round, School, User
from ..models.types import utcnow
from ..planning import Agreement, Goal, GoalOutcome, Measure, follow_up, parse_goals
from ..planning.model import goals_as_json, goals_from_json, highest_id
from . import audit
from .catalog_snapshots import catalog_of_snapshot
from .errors import NotFound, ServiceError
from .offers import database_offer_list
from .rounds import previous_round

NO_ASSESSMENT = "Für diese Runde gibt es noch keine Bewertung. Der Plan baut auf ihr auf: bitte zuerst bewerten."


class PlanConflict(ServiceError):
    """A colleague saved the plan since the caller read it: their plan, to show beside the caller's input."""

    def __init__(self, current: PlanState, base_version: int):
        super().__init__("Der Plan wurde inzwischen von einem anderen Teammitglied geändert.")
        self.current = current
        self.base_version = base_version


@dataclass(frozen=True)
class PreviousPlan:
    """Last school year's plan, followed up: what each goal's indicators reached in this year's assessment."""

    round_slug: str
    round_name: str
    outcomes: tuple[GoalOutcome, ...]


@dataclass(frozen=True)
class PlanState:
    schulnummer: str
    round_slug: str
    round_name: str
    #: The assessment's status ("draft", "submitted"); None while the school has no assessment in the round.
    status: str | None
    catalog: Catalog
    version: int = 0  # 0: no plan saved yet
    goals: tuple[Goal, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    updated_at: datetime | None = None
    updated_by: str = ""
    previous: PreviousPlan | None = None
    #: The support offers that fit the school, for every indicator (chosen per measure): id -> offer.
    offers: Mapping[str, SupportOffer] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return self.version > 0


def load_plan(school: School, round_: Round) -> PlanState:
    """The plan of the school's assessment in the round (empty if none is saved), with last year's plan."""
    assessment = _assessment(school, round_)
    catalog = catalog_of_snapshot(assessment.catalog_snapshot_id) if assessment else registry.active
    plan = _plan_of(assessment.id) if assessment else None
    base = PlanState(
        school.schulnummer, round_.slug, round_.name, assessment.status if assessment else None, catalog,
        offers=fitting_offers(catalog, school),
        previous=_previous_plan(school, round_, _scores(assessment.id) if assessment else {}),
    )  # fmt: skip
    if plan is None:
        return base
    return replace(
        base,
        version=plan.version,
        goals=goals_from_json(plan.goals),
        agreements=tuple(agreement_of(row) for row in plan.agreements),
        updated_at=plan.updated_at if plan.version else None,
        updated_by=(plan.updated_by.display_name if plan.updated_by else audit.ERASED_ACCOUNT) if plan.version else "",
    )


def replace_goals(school: School, round_: Round, user: User, base_version: int, raw_goals: Any) -> PlanState:
    """Replace the plan's goals (a list as the page's form or the API's JSON has them): all or nothing.

    PlanInvalid names every problem; PlanConflict when a colleague saved first (nothing is saved then)."""
    assessment, state = _as_seen(school, round_, base_version)
    goals = parse_goals(raw_goals, catalog=state.catalog, offer_ids=state.offers.keys(), current=state.goals)
    _store(assessment, state, goals, user)
    return load_plan(school, round_)


def carry_over(school: School, round_: Round, user: User, base_version: int) -> tuple[PlanState, int]:
    """Last school year's open measures (geplant, begonnen) into this year's plan, each under a goal for the same
    indicators (made if missing); a measure already carried over is not carried twice. Returns the plan and how
    many measures came over."""
    assessment, state = _as_seen(school, round_, base_version)
    goals, count = _with_carried(state)
    if count:
        _store(assessment, state, goals, user)
    return load_plan(school, round_), count


def _as_seen(school: School, round_: Round, base_version: int) -> tuple[Assessment, PlanState]:
    """The assessment and its plan, if the plan is still at the version the caller saw (else PlanConflict)."""
    assessment = _assessment(school, round_)
    if assessment is None:
        raise NotFound(NO_ASSESSMENT)
    state = load_plan(school, round_)
    if state.version != base_version:
        raise PlanConflict(state, base_version)
    return assessment, state


def fitting_offers(catalog: Catalog, school: School) -> dict[str, SupportOffer]:
    """Every support offer that fits the school for any indicator: the catalogue's, the offer files' and the
    Medienberatung's stored offers of its Kreis (the same as the report draws)."""
    profile = SchoolProfile(school.kreis, school.schulform)
    lists = (*registry.offer_lists, database_offer_list(catalog.id))
    found: dict[str, SupportOffer] = {}
    for indicator in catalog.indicators:
        for offer in catalog.offers_for(indicator.id, profile, lists):
            found.setdefault(offer.id, offer)
    return found


def offers_by_indicator(catalog: Catalog, school: School) -> dict[str, tuple[str, ...]]:
    """For each indicator, the ids of the support offers that fit it and the school (the page offers a goal's
    measures those of the goal's indicators)."""
    profile = SchoolProfile(school.kreis, school.schulform)
    lists = (*registry.offer_lists, database_offer_list(catalog.id))
    return {i.id: tuple(offer.id for offer in catalog.offers_for(i.id, profile, lists)) for i in catalog.indicators}


def agreement_of(row: PlanAgreement) -> Agreement:
    return Agreement(
        id=row.id, held_on=row.held_on, participants=row.participants, text=row.text, next_contact=row.next_contact,
        recorded_by=row.recorded_by_name, confirmed=row.confirmed_at is not None,
        confirmed_on=row.confirmed_at.date() if row.confirmed_at else None,
    )  # fmt: skip


def _with_carried(state: PlanState) -> tuple[tuple[Goal, ...], int]:
    goals = list(state.goals)
    carried = {m.carried_from for goal in goals for m in goal.measures if m.carried_from is not None}
    next_id, count = highest_id(state.goals) + 1, 0
    for outcome in state.previous.outcomes if state.previous else ():
        missing = [m for m in outcome.goal.measures if m.is_open and m.id not in carried]
        if not missing:
            continue
        place = next((n for n, g in enumerate(goals) if set(g.indicators) & set(outcome.goal.indicators)), None)
        if place is None:
            goals.append(Goal(next_id, outcome.goal.indicators, outcome.goal.target, outcome.goal.success))
            place, next_id = len(goals) - 1, next_id + 1
        added = []
        for measure in missing:
            offers = tuple(offer for offer in measure.offers if offer in state.offers)
            added.append(Measure(next_id, measure.what, measure.who, None, measure.status, offers, carried_from=measure.id))
            next_id, count = next_id + 1, count + 1
        goals[place] = replace(goals[place], measures=(*goals[place].measures, *added))
    return tuple(goals), count


def _store(assessment: Assessment, state: PlanState, goals: tuple[Goal, ...], user: User) -> None:
    """Compare-and-set on the plan's version (the database decides who was first), then audit what changed."""
    if state.version == 0:
        values = {"assessment_id": assessment.id, "version": 0, "goals": [], "updated_at": utcnow()}
        insert_or_ignore(db.session, Plan, values, ["assessment_id"])
    claimed = changed_rows(
        db.session,
        update(Plan)
        .where(Plan.assessment_id == assessment.id, Plan.version == state.version)
        .values(version=state.version + 1, goals=goals_as_json(goals), updated_at=utcnow(), updated_by_id=user.id)
        .execution_options(synchronize_session=False),
    )
    if claimed != 1:
        db.session.expire_all()
        raise PlanConflict(load_plan(assessment.school, assessment.round), state.version)
    db.session.expire_all()
    audit.record(
        "plan.changed", actor=user, school=assessment.school, round_=assessment.round,
        changes=_summary(state.goals, goals),
    )  # fmt: skip


def _summary(before: tuple[Goal, ...], after: tuple[Goal, ...]) -> dict[str, list]:
    """What the audit trail keeps of a plan change: the goals' indicators and the measures with their status."""

    def shown(goals: tuple[Goal, ...]) -> dict[str, Any]:
        return {
            "ziele": [", ".join(goal.indicators) for goal in goals],
            "massnahmen": [f"{m.what} ({m.status})" for goal in goals for m in goal.measures],
        }

    return audit.diff(shown(before), shown(after)) or {"ziele": [shown(before)["ziele"], shown(after)["ziele"]]}


def _assessment(school: School, round_: Round) -> Assessment | None:
    query = select(Assessment).where(Assessment.school_id == school.id, Assessment.round_id == round_.id)
    return db.session.scalars(query).first()


def _plan_of(assessment_id: int) -> Plan | None:
    return db.session.scalars(select(Plan).where(Plan.assessment_id == assessment_id)).first()


def _scores(assessment_id: int) -> dict[str, int | None]:
    query = select(Rating.indicator_id, Rating.score).where(Rating.assessment_id == assessment_id)
    return {indicator: score for indicator, score in db.session.execute(query)}


def _previous_plan(school: School, round_: Round, scores_now: Mapping[str, int | None]) -> PreviousPlan | None:
    """The plan of the school's assessment in the previous school year, with what its goals reached now."""
    earlier = previous_round(round_)
    before = _assessment(school, earlier) if earlier else None
    plan = _plan_of(before.id) if before else None
    if earlier is None or before is None or plan is None or not plan.goals:
        return None
    outcomes = follow_up(goals_from_json(plan.goals), scores_now, _scores(before.id))
    return PreviousPlan(earlier.slug, earlier.name, outcomes)


@dataclass(frozen=True)
class LastYearsGoals:
    """Last school year's plan for the pages that show it beside this year's work, with what its sharing rules read
    of last year's assessment (permissions.Shared)."""

    plan: PreviousPlan
    status: str
    comments_released: bool


def last_years_goals(school: School, earlier: Round, scores_now: Mapping[str, int | None]) -> LastYearsGoals | None:
    """The plan of the school's assessment in `earlier` (the previous round, looked up by the caller), followed up with
    `scores_now`: two statements at most (the plan with its assessment; last year's ratings), for the rating pages.
    None without a plan or with no goals in it."""
    query = (
        select(Plan.goals, Assessment.id, Assessment.status, Assessment.comments_released)
        .join(Assessment, Plan.assessment_id == Assessment.id)
        .where(Assessment.school_id == school.id, Assessment.round_id == earlier.id)
    )
    row = db.session.execute(query).first()
    if row is None or not row.goals:
        return None
    outcomes = follow_up(goals_from_json(row.goals), scores_now, _scores(row.id))
    return LastYearsGoals(PreviousPlan(earlier.slug, earlier.name, outcomes), row.status, bool(row.comments_released))
