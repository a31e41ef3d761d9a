"""What a report says, as plain data: built once, rendered to PDF and to HTML alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..catalog import SupportOffer
from .plan_section import PlanSection


@dataclass(frozen=True)
class ReportSchool:
    schulnummer: str
    name: str
    schulform: str  # the label, e.g. "Gesamtschule"
    ort: str
    kreis: str  # the name of the Kreis or kreisfreie Stadt
    kreis_key: str = ""  # Kreisschlüssel and Schulform code: which support offers fit the school
    schulform_code: str = ""


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator with the school's rating and the team's comment."""

    id: str
    label: str  # "3b": criterion number and letter, as the Leitfaden counts
    text: str
    score: int | None
    comment: str  # as printed: empty-line runs collapsed, at most COMMENT_LINES_SHOWN lines
    comment_lines_left_out: int = 0  # lines of an older, longer comment that the report does not print


@dataclass(frozen=True)
class CriterionLine:
    id: str
    number: int
    title: str
    score: float | None
    comparison_mean: float | None  # None when there is no comparison group
    previous_score: float | None  # None when there is no previous round (or the criterion was not rated)
    indicators: tuple[IndicatorLine, ...]

    @property
    def rated(self) -> int:
        return sum(1 for line in self.indicators if line.score is not None)

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass(frozen=True)
class Highlight:
    """A Stärke or an Entwicklungsfeld: one indicator, where it belongs and its score."""

    indicator: IndicatorLine
    criterion_number: int
    criterion_title: str


@dataclass(frozen=True)
class NextStep:
    """For one Entwicklungsfeld: the Leitfaden's examples as steps and the offers that fit the school.

    `offers` are the most fitting ones, shown with provider and contact; `more_offers` the others, named by title."""

    area: Highlight
    examples: tuple[str, ...]
    offers: tuple[SupportOffer, ...]
    more_offers: tuple[SupportOffer, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """The comparison group: same Schulform, same round, submitted; means only when it is large enough."""

    schulform: str
    size: int
    minimum: int
    overall_mean: float | None = None

    @property
    def is_shown(self) -> bool:
        return self.size >= self.minimum


@dataclass(frozen=True)
class SpreadLine:
    """One indicator on the page "Wo wir uns einig und uneinig waren": the members' values without names."""

    label: str  # "3b"
    text: str
    values: tuple[int, ...]  # sorted ascending
    median: float | None
    low: int | None
    high: int | None
    disagreement: bool


@dataclass(frozen=True)
class SpreadCriterion:
    number: int
    title: str
    lines: tuple[SpreadLine, ...]


@dataclass(frozen=True)
class ReportData:
    school: ReportSchool
    round_name: str
    is_submitted: bool
    submitted_on: date | None
    created_on: date
    catalog_title: str
    catalog_source: str  # e.g. "Stadt Dortmund, Masterplan Digitale Bildung – Bausteine der Zukunft, Anhang 1"
    scale_min: int
    scale_max: int
    overall: float | None
    rated: int
    total: int
    criteria: tuple[CriterionLine, ...]
    comparison: Comparison
    previous_round_name: str | None  # set only when the school submitted in the previous round
    previous_overall: float | None
    strengths: tuple[Highlight, ...]
    development_areas: tuple[Highlight, ...]
    next_steps: tuple[NextStep, ...]
    offers_note: str  # empty where the catalogue's note does not apply to the school's Kreis
    # Indicators tied with the last Entwicklungsfeld that would have made too many to work out: named, not cut.
    tied_areas: tuple[Highlight, ...] = ()
    #: The team's spread per criterion (issue 21), only if the team chose the page and only in the team's own copy.
    spread: tuple[SpreadCriterion, ...] = ()
    #: The team did not release its comments to this report's reader: none are printed, and the report says so.
    texts_withheld: bool = False
    #: A draft, made for a reader outside the team: never rendered (services.reports.DraftNotShared).
    scores_withheld: bool = False
    #: The school's development plan (issue 18), where it has one and the reader may see it (can_view_plan).
    plan: PlanSection | None = None
    #: The reader may not see the plan (issue 19): the report says so instead, whether or not there is one.
    plan_withheld: bool = False

    @property
    def has_plan_goals(self) -> bool:
        """Whether the report is built around the school's goals (else it shows the suggestions)."""
        return self.plan is not None and bool(self.plan.focus)

    @property
    def has_previous(self) -> bool:
        return self.previous_round_name is not None

    @property
    def overall_change(self) -> float | None:
        if self.overall is None or self.previous_overall is None:
            return None
        return self.overall - self.previous_overall
