"""What the downloads for the Medienkonzept hold (the Word document and the spreadsheet), as plain data: the
report's scores as the reader may see them, the plan, last year's goals followed up and the agreements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..catalog import SupportOffer
from ..planning import Agreement, Goal, GoalOutcome
from ..planning.model import MEASURE_STATUS_LABELS, Measure
from .model import ReportData

WITHHELD = "nicht freigegeben"


@dataclass(frozen=True)
class PreviousGoals:
    """Last school year's goals with what they reached; scores only where the reader may see them."""

    round_name: str
    outcomes: tuple[GoalOutcome, ...]
    #: This round's scores (achieved, reached) may be shown to the reader.
    achieved_shown: bool = True
    #: Last round's scores (before) may be shown to the reader.
    before_shown: bool = True


@dataclass(frozen=True)
class PlanDocument:
    report: ReportData  # school, round, criteria and indicators; no scores where they are withheld
    goals: tuple[Goal, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    offers: Mapping[str, SupportOffer] = field(default_factory=dict)
    previous: PreviousGoals | None = None
    #: The team's comments per indicator, whole (empty where the reader may not see them).
    comments: Mapping[str, str] = field(default_factory=dict)

    @property
    def scores_shown(self) -> bool:
        return not self.report.scores_withheld

    @property
    def title(self) -> str:
        return f"Digitale Schulentwicklung {self.report.round_name}: {self.report.school.name}"

    def indicator_label(self, indicator_id: str) -> str:
        """"3b" for an indicator of the round's catalogue; the id for one it no longer has."""
        for criterion in self.report.criteria:
            for line in criterion.indicators:
                if line.id == indicator_id:
                    return line.label
        return indicator_id

    def indicators_text(self, goal: Goal) -> str:
        return ", ".join(self.indicator_label(i) for i in goal.indicators)

    def offers_text(self, measure: Measure) -> str:
        """The chosen offers with their providers, one per line; an offer no longer listed by its id."""
        return "\n".join(_offer_text(self.offers.get(offer_id), offer_id) for offer_id in measure.offers)


def _offer_text(offer: SupportOffer | None, offer_id: str) -> str:
    if offer is None:
        return offer_id
    return f"{offer.title} ({offer.provider})" if offer.provider else offer.title


def status_label(measure: Measure) -> str:
    return MEASURE_STATUS_LABELS.get(measure.status, measure.status)


def german_number(value: float | None) -> str:
    """One decimal with a comma ("6,5"); a dash for none."""
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def german_date(day) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


def reached_text(outcome: GoalOutcome) -> str:
    if outcome.reached is None:
        return "offen"
    return "erreicht" if outcome.reached else "nicht erreicht"
