"""The report's "Entwicklungsschwerpunkte" (issue 18): the school's focus areas with their goals, measures and
chosen offers, last school year's goals followed up, and the agreements with the Medienberatung.

Pure data and wording, shared by the PDF (plan_pdf) and the HTML twin, as content/text are for the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ..catalog import Catalog, OfferList, SupportOffer
from ..display import format_date, format_score
from ..planning import MEASURE_STATUS_LABELS, Agreement, Goal, follow_up, suggested_focus

HEADING = "Entwicklungsschwerpunkte"
#: Where the reader may not see the plan (issue 19): one calm sentence, as for the team's comments.
PLAN_WITHHELD = (
    "Der Entwicklungsplan der Schule (Ziele, Maßnahmen, Vereinbarungen) ist nicht enthalten, weil die Schule "
    "ihre Texte nicht freigegeben hat."
)
NO_GOALS = (
    "Für dieses Schuljahr hat die Schule noch keine Entwicklungsziele festgelegt; die Vorschläge oben können der "
    "Anfang sein."
)
MEASURES_HEADING = "Maßnahmen"
OFFERS_HEADING = "Gewählte Unterstützungsangebote"
AGREEMENTS_HEADING = "Vereinbarungen mit der Medienberatung"
REACHED = "erreicht"
NOT_REACHED = "noch nicht erreicht"


# --- what the services hand in (ReportInput.plan) ---


@dataclass(frozen=True)
class PreviousPlanInput:
    """Last school year's goals and that year's ratings (for "vorher"); this year's come with the report."""

    round_name: str
    goals: tuple[Goal, ...]
    scores_before: Mapping[str, int | None]


@dataclass(frozen=True)
class PlanInput:
    goals: tuple[Goal, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    previous: PreviousPlanInput | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.goals or self.agreements or self.previous)


# --- what a report shows (ReportData.plan) ---


@dataclass(frozen=True)
class PlanIndicator:
    label: str  # "3b"
    text: str
    score: int | None  # as rated in this report's assessment


@dataclass(frozen=True)
class PlanMeasure:
    what: str
    who: str
    due: date | None
    status: str  # a label of planning.MEASURE_STATUS_LABELS
    carried: bool  # continued from last school year


@dataclass(frozen=True)
class FocusArea:
    number: int
    indicators: tuple[PlanIndicator, ...]
    current: float | None  # the mean of the indicators as rated now
    target: float | None
    success: str  # "woran wir es merken"
    measures: tuple[PlanMeasure, ...]
    offers: tuple[SupportOffer, ...]  # chosen for any of the measures, in the order chosen, and not for an earlier goal
    #: Offers chosen here that an earlier focus area already describes: named by title only.
    offers_above: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoalFollowUp:
    indicators: tuple[PlanIndicator, ...]
    target: float | None
    before: float | None
    achieved: float | None
    reached: bool | None  # None: no target, or nothing rated yet
    success: str
    measures: tuple[PlanMeasure, ...]


@dataclass(frozen=True)
class PlanSection:
    focus: tuple[FocusArea, ...]
    #: The lowest rated indicators (all that tie) that no goal takes up: named, so a tie is never hidden.
    not_covered: tuple[PlanIndicator, ...] = ()
    previous_round_name: str | None = None
    previous: tuple[GoalFollowUp, ...] = ()
    agreements: tuple[Agreement, ...] = ()


def build_plan_section(
    plan: PlanInput | None,
    catalog: Catalog,
    lines: Mapping[str, tuple[str, str]],
    scores: Mapping[str, int | None],
    offer_lists: tuple[OfferList, ...],
) -> PlanSection | None:
    """The section's content; None where there is no plan at all. `lines`: indicator id -> (label, text)."""
    if plan is None or plan.is_empty:
        return None
    offers = _offer_index(catalog, offer_lists, {o for goal in plan.goals for m in goal.measures for o in m.offers})

    def indicators(ids: Iterable[str]) -> tuple[PlanIndicator, ...]:
        return tuple(PlanIndicator(*lines.get(i, (i, "")), scores.get(i)) for i in ids)

    focus, described = [], set()
    for number, goal in enumerate(plan.goals, 1):
        chosen = [offers[o] for o in dict.fromkeys(o for m in goal.measures for o in m.offers) if o in offers]
        focus.append(FocusArea(
            number, indicators(goal.indicators), _mean(goal.indicators, scores), goal.target, goal.success,
            _measures(goal), tuple(o for o in chosen if o.id not in described),
            tuple(o.title for o in chosen if o.id in described),
        ))  # fmt: skip
        described |= {o.id for o in chosen}
    taken = {i for goal in plan.goals for i in goal.indicators}
    weakest = [i for i in suggested_focus(catalog, scores) if i not in taken] if plan.goals else []
    previous = plan.previous
    outcomes = follow_up(previous.goals, scores, previous.scores_before) if previous else ()
    return PlanSection(
        focus=tuple(focus),
        not_covered=indicators(weakest),
        previous_round_name=previous.round_name if previous else None,
        previous=tuple(
            GoalFollowUp(indicators(o.goal.indicators), o.goal.target, o.before, o.achieved, o.reached, o.goal.success,
                         _measures(o.goal))
            for o in outcomes
        ),  # fmt: skip
        agreements=plan.agreements,
    )


def _measures(goal: Goal) -> tuple[PlanMeasure, ...]:
    return tuple(
        PlanMeasure(m.what, m.who, m.due, MEASURE_STATUS_LABELS.get(m.status, m.status), m.carried_from is not None)
        for m in goal.measures
    )


def _mean(ids: tuple[str, ...], scores: Mapping[str, int | None]) -> float | None:
    values = [value for i in ids if (value := scores.get(i)) is not None]
    return round(sum(values) / len(values), 1) if values else None


def _offer_index(catalog: Catalog, offer_lists: tuple[OfferList, ...], wanted: set[str]) -> dict[str, SupportOffer]:
    """The chosen offers by id: the catalogue's and the regional lists' (an offer since removed is left out)."""
    found = {offer.id: offer for offer in catalog.offers if offer.id in wanted}
    for offer_list in offer_lists:
        if offer_list.catalog_id == catalog.id:
            found.update({r.offer.id: r.offer for r in offer_list.offers if r.offer.id in wanted and r.offer.id not in found})
    return found


# --- wording, the same in the PDF and the HTML twin ---


def intro(round_name: str) -> str:
    return (
        f"Die Schwerpunkte, die sich die Schule mit der Bewertung {round_name} gesetzt hat: je Schwerpunkt die "
        "Indikatoren mit ihrem heutigen Wert, das Ziel für das nächste Schuljahr, Maßnahmen und gewählte "
        "Unterstützungsangebote."
    )


def focus_heading(area: FocusArea) -> str:
    return f"Schwerpunkt {area.number}: {', '.join(i.label for i in area.indicators)}"


def target_line(area: FocusArea) -> str:
    now = f"heute {format_score(area.current)}" if area.current is not None else "noch nicht bewertet"
    if area.target is None:
        return f"Zielwert: keiner festgelegt ({now})"
    return f"Zielwert für das nächste Schuljahr: {format_score(area.target)} ({now})"


def due_text(due: date | None) -> str:
    return format_date(due) if due else "–"


def who_text(who: str) -> str:
    return who or "–"


def status_text(measure: PlanMeasure) -> str:
    return measure.status + (" (aus dem Vorjahr)" if measure.carried else "")


def offer_line(offer: SupportOffer) -> str:
    """Who offers it and whom to contact."""
    return " · ".join([offer.provider, *([f"Kontakt: {offer.contact}"] if offer.contact else [])])


def offers_above_note(area: FocusArea) -> str:
    return f"Außerdem gewählt (oben beschrieben): {'; '.join(area.offers_above)}." if area.offers_above else ""


def not_covered_note(section: PlanSection) -> str:
    if not section.not_covered:
        return ""
    named = ", ".join(f"{i.label} (Wert {i.score})" for i in section.not_covered)
    return f"Ebenfalls unter den am niedrigsten bewerteten Indikatoren, aber in keinem Schwerpunkt: {named}."


def previous_heading(section: PlanSection) -> str:
    return f"Ziele aus dem Schuljahr {section.previous_round_name}: Ziel und Ergebnis"


def outcome_text(goal: GoalFollowUp) -> str:
    if goal.reached is None:
        return "kein Zielwert" if goal.target is None else "noch nicht vollständig bewertet"
    return REACHED if goal.reached else NOT_REACHED


#: Last year's goals are a look back: texts shortened, measures counted by status (the plan page has them in full).
FOLLOW_UP_TEXT = 90


def measures_line(measures: tuple[PlanMeasure, ...]) -> str:
    """ "3 Maßnahmen: 1 begonnen, 2 erledigt" """
    if not measures:
        return "Keine Maßnahmen festgehalten."
    counts = Counter(m.status for m in measures)
    done = ", ".join(f"{counts[s]} {s}" for s in MEASURE_STATUS_LABELS.values() if counts[s])
    return f"{len(measures)} {'Maßnahme' if len(measures) == 1 else 'Maßnahmen'}: {done}"


def success_line(goal: GoalFollowUp) -> str:
    return f"Woran wir es merken: {shortened(goal.success, 2 * FOLLOW_UP_TEXT)}" if goal.success else ""


def shortened(value: str, limit: int = FOLLOW_UP_TEXT) -> str:
    """The text on one line, cut at a word before `limit` characters with "…" where it is longer."""
    flat = " ".join(value.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:.-–") + " …"


def agreement_line(agreement: Agreement) -> str:
    """Date, participants and next contact of a consultation."""
    parts = [f"Gespräch am {format_date(agreement.held_on)}", f"Teilnehmende: {agreement.participants}"]
    if agreement.next_contact:
        parts.append(f"nächster Kontakt: {format_date(agreement.next_contact)}")
    return " · ".join(parts)


def confirmation_text(agreement: Agreement) -> str:
    if agreement.confirmed:
        when = f" am {format_date(agreement.confirmed_on)}" if agreement.confirmed_on else ""
        return f"Vom Team bestätigt{when}."
    return "Vom Team noch nicht bestätigt."
