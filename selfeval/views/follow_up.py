"""Last school year's goals where this year's work happens (issue 18): beside each indicator on the rating pages, and
on the results page with target against achieved. The texts are made here; the templates only print them.

Who sees what: the goals only a reader whom permissions.can_view_plan allows both last year's plan and this year's
(a plan's sharing follows its assessment); this year's values only with can_view_scores for this year's assessment,
last year's only with it for last year's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..catalog import Catalog, indicator_letter
from ..display import format_score
from ..models import Round, School, User
from ..permissions import Shared, can_view_plan, can_view_scores
from ..planning import MEASURE_STATUS_LABELS, GoalOutcome
from ..services.plans import LastYearsGoals, fitting_offers, last_years_goals

#: The order of a goal's measure counts: done first, then under way, planned, dropped.
SUMMARY_ORDER = ("erledigt", "begonnen", "geplant", "verworfen")
REACHED, NOT_REACHED, NOT_RATED, NO_TARGET = "erreicht", "noch nicht erreicht", "noch nicht bewertet", "ohne Zielwert"


@dataclass(frozen=True)
class MeasureLine:
    what: str
    detail: str  # who and by when: "Schulleitung, bis 31.03.2026" (may be empty)
    status: str
    offers: tuple[str, ...] = ()  # titles of the chosen offers (provider and contact: on the plan page and the report)


@dataclass(frozen=True)
class GoalView:
    number: int
    ids: tuple[str, ...]  # the goal's indicators
    indicators: tuple[tuple[str, str], ...]  # (label "1a)", the indicator's text)
    target: str  # "6", "6,5" or "–"
    before: str | None  # the goal's indicators last school year; None: not for this reader
    achieved: str | None  # the same this school year; None: not for this reader
    verdict: str | None  # REACHED, NOT_REACHED, NOT_RATED, NO_TARGET; None with `achieved`
    success: str
    measure_summary: str  # "2 erledigt, 1 begonnen"
    measures: tuple[MeasureLine, ...]
    note: str  # the line beside an indicator: "Ziel aus 2024/25: 6 (damals 3)."


@dataclass(frozen=True)
class FollowUp:
    round_name: str
    round_slug: str
    goals: tuple[GoalView, ...]
    scores_shown: bool

    def for_indicator(self, indicator_id: str) -> list[GoalView]:
        return [goal for goal in self.goals if indicator_id in goal.ids]


def follow_up_for(
    school: School,
    earlier: Round | None,
    reader: User,
    current: Shared | None,
    catalog: Catalog,
    *,
    scores_now: Mapping[str, int | None] | None = None,
    with_offers: bool = False,
) -> FollowUp | None:
    """Last school year's goals as this reader may see them; None without a previous round, a plan, or the right.

    `scores_now` None: this year's values are not shown (the rating pages, a draft to a reader outside the team);
    `with_offers`: the chosen offers' titles too (one more statement: the stored offers of the school's Kreis)."""
    if earlier is None or not can_view_plan(reader, school, current):
        return None
    found = last_years_goals(school, earlier, scores_now or {})
    if found is None or not can_view_plan(reader, school, found):
        return None
    shown_now = scores_now is not None and can_view_scores(reader, school, current)
    chosen = any(m.offers for o in found.plan.outcomes for m in o.goal.measures)
    offers = _offer_titles(catalog, school) if with_offers and chosen else {}
    return _follow_up(found, catalog, shown_now, can_view_scores(reader, school, found), offers)


def _offer_titles(catalog: Catalog, school: School) -> dict[str, str]:
    return {key: offer.title for key, offer in fitting_offers(catalog, school).items()}


def _follow_up(found: LastYearsGoals, catalog: Catalog, shown_now: bool, shown_before: bool, offers) -> FollowUp:
    labels = indicator_labels(catalog)
    texts = {indicator.id: indicator.text for indicator in catalog.indicators}
    plan = found.plan
    goals = tuple(
        _goal_view(number, outcome, plan.round_name, labels, texts, shown_now, shown_before, offers)
        for number, outcome in enumerate(plan.outcomes, start=1)
    )
    return FollowUp(plan.round_name, plan.round_slug, goals, shown_now)


def _goal_view(number: int, outcome: GoalOutcome, round_name: str, labels, texts, shown_now, shown_before, offers) -> GoalView:
    goal = outcome.goal
    indicators = tuple((labels.get(i, i), texts.get(i, "nicht mehr im Katalog")) for i in goal.indicators)
    return GoalView(
        number=number,
        ids=goal.indicators,
        indicators=indicators,
        target=plain_value(goal.target),
        before=plain_value(outcome.before) if shown_before else None,
        achieved=plain_value(outcome.achieved) if shown_now else None,
        verdict=_verdict(outcome) if shown_now else None,
        success=goal.success,
        measure_summary=measure_summary(outcome),
        measures=tuple(_measure_line(m, offers) for m in goal.measures),
        note=_note(outcome, [label for label, _ in indicators], round_name, shown_before),
    )


def _note(outcome: GoalOutcome, labels: list[str], round_name: str, shown_before: bool) -> str:
    together = f" für {_joined(labels)} zusammen" if len(labels) > 1 else ""
    target = plain_value(outcome.goal.target) if outcome.goal.target is not None else "kein Zielwert festgelegt"
    before = outcome.before
    earlier = "" if not shown_before else f" (damals {plain_value(before)})" if before is not None else " (damals nicht bewertet)"
    return f"Ziel aus {round_name}{together}: {target}{earlier}."


def _verdict(outcome: GoalOutcome) -> str:
    if outcome.goal.target is None:
        return NO_TARGET
    if outcome.achieved is None:
        return NOT_RATED
    return REACHED if outcome.reached else NOT_REACHED


def _measure_line(measure, offers: Mapping[str, str]) -> MeasureLine:
    parts = [measure.who] if measure.who else []
    if measure.due is not None:
        parts.append(f"bis {measure.due:%d.%m.%Y}")
    chosen = tuple(offers[offer] for offer in measure.offers if offer in offers)
    return MeasureLine(measure.what, ", ".join(parts), MEASURE_STATUS_LABELS[measure.status], chosen)


def measure_summary(outcome: GoalOutcome) -> str:
    """ "2 erledigt, 1 begonnen": what is done first; "keine festgehalten" without measures."""
    counts = [(sum(1 for m in outcome.goal.measures if m.status == s), s) for s in SUMMARY_ORDER]
    shown = [f"{count} {MEASURE_STATUS_LABELS[status]}" for count, status in counts if count]
    return ", ".join(shown) if shown else "keine festgehalten"


def plain_value(value: float | None) -> str:
    """A target or mean as people write it: "6", "6,5"; "–" for none."""
    text = format_score(value)
    return text.removesuffix(",0")


def indicator_labels(catalog: Catalog) -> dict[str, str]:
    """{indicator id: "2c)"} as the rating pages number the indicators."""
    return {
        indicator.id: f"{number}{indicator_letter(position)})"
        for number, criterion in enumerate(catalog.criteria, start=1)
        for position, indicator in enumerate(criterion.indicators)
    }


def _joined(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " und " + labels[-1]
