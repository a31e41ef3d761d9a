"""Build a report's content from a catalogue and ratings: pure, so that one school and a batch agree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..catalog import Catalog, Indicator, OfferList, SchoolProfile, SupportOffer, indicator_letter
from ..scoring import AssessmentScores, score_assessment
from .model import Comparison, CriterionLine, Highlight, IndicatorLine, NextStep, ReportData, ReportSchool
from .plan_section import PlanInput, build_plan_section

#: How many indicators a report names as Stärken, and at least as Entwicklungsfelder.
HIGHLIGHT_COUNT = 3
#: Lines of a comment a report prints. Input allows no more (models.MAX_COMMENT_LINES); comments stored
#: before that rule are cut here, so that no comment can make a report long and slow (issue 15).
COMMENT_LINES_SHOWN = 40
#: At most this many Entwicklungsfelder are worked out with steps and offers: a report stays readable, and a
#: tie that would go beyond is named as a whole instead of cut at an arbitrary indicator.
MAX_AREAS = 6
#: Offers a suggestion shows in full per Entwicklungsfeld, the most fitting first; the rest are named by title, so
#: that six tied fields with many offers still fit on two pages.
OFFERS_SHOWN = 3


@dataclass(frozen=True)
class PreviousResult:
    """The school's submitted assessment of the previous round."""

    round_name: str
    catalog: Catalog
    scores: Mapping[str, int | None]


@dataclass(frozen=True)
class ReportInput:
    """Everything a report is made of, gathered by the services from one school or from a whole batch."""

    catalog: Catalog
    school: ReportSchool
    round_name: str
    is_submitted: bool
    submitted_on: date | None
    created_on: date
    scores: Mapping[str, int | None]
    comments: Mapping[str, str]
    comparison: Comparison
    comparison_means: Mapping[str, float | None]  # criterion id -> mean of the group; empty when not shown
    previous: PreviousResult | None = None
    offer_lists: tuple[OfferList, ...] = ()  # regional offer lists; only offers that fit the school are shown
    texts_withheld: bool = False  # the team did not share its comments with the reader: `comments` is empty
    scores_withheld: bool = False  # a draft, for a reader outside the team: `scores` and `comments` are empty
    plan: PlanInput | None = None  # the school's plan (issue 18); None where it has none or the reader may not see it
    plan_withheld: bool = False  # the reader may not see the plan (permissions.can_view_plan): `plan` is None


def build_report(source: ReportInput) -> ReportData:
    """The report's content; strengths and development areas are chosen from the rated indicators."""
    catalog = source.catalog
    scores = score_assessment(catalog, source.scores)
    previous = _previous_scores(source)
    criteria = tuple(
        CriterionLine(
            id=criterion.id,
            number=number,
            title=criterion.title,
            score=scores.criteria[criterion.id],
            comparison_mean=source.comparison_means.get(criterion.id) if source.comparison.is_shown else None,
            previous_score=previous.criteria.get(criterion.id) if previous else None,
            indicators=tuple(
                IndicatorLine(
                    id=indicator.id,
                    label=f"{number}{indicator_letter(position)}",
                    text=indicator.text,
                    score=source.scores.get(indicator.id),
                    **_printed_comment(source.comments.get(indicator.id, "")),
                )
                for position, indicator in enumerate(criterion.indicators)
            ),
        )
        for number, criterion in enumerate(catalog.criteria, 1)
    )
    strengths, areas, tied = choose_highlights(criteria)
    profile = _profile(source)
    return ReportData(
        school=source.school,
        round_name=source.round_name,
        is_submitted=source.is_submitted,
        submitted_on=source.submitted_on,
        created_on=source.created_on,
        catalog_title=catalog.title,
        catalog_source=_source_text(catalog),
        scale_min=catalog.scale.min,
        scale_max=catalog.scale.max,
        overall=scores.overall,
        rated=scores.rated,
        total=scores.total,
        criteria=criteria,
        comparison=source.comparison,
        previous_round_name=source.previous.round_name if previous and source.previous else None,
        previous_overall=previous.overall if previous else None,
        strengths=strengths,
        development_areas=areas,
        next_steps=tuple(_next_step(source, area, profile) for area in areas),
        offers_note=catalog.offers_note_for(profile),
        tied_areas=tied,
        texts_withheld=source.texts_withheld,
        scores_withheld=source.scores_withheld,
        **_plan(source, criteria),
    )


def _plan(source: ReportInput, criteria: tuple[CriterionLine, ...]) -> dict:
    """The report's Entwicklungsschwerpunkte (reports.plan_section), or that the reader may not see them."""
    lines = {line.id: (line.label, line.text) for criterion in criteria for line in criterion.indicators}
    section = build_plan_section(source.plan, source.catalog, lines, source.scores, source.offer_lists)
    return {"plan": section, "plan_withheld": source.plan_withheld}


def _next_step(source: ReportInput, area: Highlight, profile: SchoolProfile | None) -> NextStep:
    """An Entwicklungsfeld with its Leitfaden examples and the offers that fit, the most fitting OFFERS_SHOWN first."""
    indicator = source.catalog.indicator(area.indicator.id)
    offers = rank_offers(indicator, source.catalog.offers_for(indicator.id, profile, source.offer_lists), source.offer_lists)
    return NextStep(area, indicator.examples, tuple(offers[:OFFERS_SHOWN]), tuple(offers[OFFERS_SHOWN:]))


def rank_offers(indicator: Indicator, offers: tuple[SupportOffer, ...], offer_lists: tuple[OfferList, ...]) -> list:
    """Offers of the school's own Kreis first (the closest help, kept by its Medienberatung), then state-wide ones;
    within each, offers named for the indicator itself before those for its whole criterion; else catalogue order."""
    specific = set(indicator.offers) | {
        regional.offer.id for offer_list in offer_lists for regional in offer_list.offers if indicator.id in regional.fits
    }
    return sorted(offers, key=lambda offer: (not offer.kreise, offer.id not in specific))


def bounded_comment(comment: str) -> tuple[str, int]:
    """The comment as a report prints it, and how many lines it leaves out.

    Runs of empty lines become one empty line and at most COMMENT_LINES_SHOWN lines are kept:
    what a report costs grows with its lines, not with its characters.
    """
    lines = [line.rstrip() for line in comment.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")]
    kept = [line for i, line in enumerate(lines) if line or (i > 0 and lines[i - 1])]
    if len(kept) <= COMMENT_LINES_SHOWN:
        return "\n".join(kept), 0
    shown = kept[:COMMENT_LINES_SHOWN]
    while shown and not shown[-1]:
        shown.pop()
    return "\n".join(shown), sum(1 for line in kept[len(shown) :] if line)


def _printed_comment(comment: str) -> dict:
    text, left_out = bounded_comment(comment)
    return {"comment": text, "comment_lines_left_out": left_out}


def choose_highlights(
    criteria: tuple[CriterionLine, ...],
) -> tuple[tuple[Highlight, ...], tuple[Highlight, ...], tuple[Highlight, ...]]:
    """Stärken, Entwicklungsfelder, and the indicators tied with the last Entwicklungsfeld that are named only.

    Stärken are the HIGHLIGHT_COUNT highest rated (a tie goes to the indicator listed first). Entwicklungsfelder
    are the lowest rated, taken a whole score at a time until there are HIGHLIGHT_COUNT: every indicator tied
    with the last one is one too. If a score's indicators would make more than MAX_AREAS, none of them is
    chosen over the others: they are returned as the tie, to be named together. An indicator is never both a
    Stärke and an Entwicklungsfeld.
    """
    rated = [
        (line.score, order, Highlight(line, criterion.number, criterion.title))
        for order, (criterion, line) in enumerate((c, i) for c in criteria for i in c.indicators)
        if line.score is not None
    ]
    strengths = sorted(rated, key=lambda item: (-item[0], item[1]))[:HIGHLIGHT_COUNT]
    taken = {item[1] for item in strengths}
    areas: list = []
    tied: list = []
    for group in _by_score(sorted(item for item in rated if item[1] not in taken)):
        if len(areas) >= HIGHLIGHT_COUNT:
            break
        if len(areas) + len(group) > MAX_AREAS:
            tied = group
            break
        areas += group
    return tuple(item[2] for item in strengths), tuple(item[2] for item in areas), tuple(item[2] for item in tied)


def _by_score(items: list) -> list[list]:
    """Sorted (score, order, highlight) items in groups of equal score, lowest first."""
    groups: list[list] = []
    for item in items:
        if groups and groups[-1][0][0] == item[0]:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _profile(source: ReportInput) -> SchoolProfile | None:
    """What decides which offers fit; None (every offer) only where the school's Kreis and Schulform are unknown."""
    school = source.school
    if not (school.kreis_key or school.schulform_code):
        return None
    return SchoolProfile(school.kreis_key, school.schulform_code)


def _previous_scores(source: ReportInput) -> AssessmentScores | None:
    """The previous round's scores, if its catalogue has the same criteria (catalogues may change)."""
    previous = source.previous
    if previous is None:
        return None
    if [c.id for c in previous.catalog.criteria] != [c.id for c in source.catalog.criteria]:
        return None
    scores = score_assessment(previous.catalog, previous.scores)
    return scores if scores.rated else None


def _source_text(catalog: Catalog) -> str:
    if catalog.source is None:
        return ""
    return ", ".join(part for part in (catalog.source.publisher, catalog.source.title) if part)
