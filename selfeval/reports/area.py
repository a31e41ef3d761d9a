"""The area report (for a Schulausschuss, a network of schools, a Medienzentrum): what it says, from frames (pure).

One small-group rule for every figure (scoring.aggregate.area_statistics): nothing of fewer than five schools,
the mean from five, median, quartiles and standard deviation from ten; minimum and maximum never. A count of
schools below 4 ("Fortbildungsbedarf") follows the same rule. Both renderers (area_pdf, the HTML template)
show exactly these lines and the rule in the same words (RULE_TEXT).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..catalog import Catalog, OfferList, SchoolProfile, SupportOffer, indicator_letter
from ..charts import BoxStats
from ..reference import schulform_label
from ..scoring import aggregate
from ..vocabulary import state_label

TITLE = "Bericht zur digitalen Schulentwicklung im Gebiet"
RULE_TEXT = (
    f"Regel für kleine Gruppen: Werte von weniger als {aggregate.MIN_GROUP_SIZE} Schulen werden nicht gezeigt. "
    f"Ab {aggregate.MIN_GROUP_SIZE} Schulen steht der Mittelwert; Median, Quartile und Standardabweichung erst ab "
    f"{aggregate.MIN_QUARTILE_GROUP_SIZE} Schulen, weil sie bei weniger Schulen einzelne Schulen beschreiben statt "
    "einer Streuung. Kleinster und größter Wert werden nie gezeigt: Sie sind jeweils der Wert einer einzelnen Schule."
)
SMALL_CAUTION = f"kleine Gruppe (unter {aggregate.MIN_QUARTILE_GROUP_SIZE} Schulen): nur der Mittelwert, mit Vorsicht lesen"
HIDDEN = f"weniger als {aggregate.MIN_GROUP_SIZE} Schulen: nicht gezeigt"
#: How many indicators of the Fortbildungsbedarf list get their offers listed.
NEEDS_WITH_OFFERS = 5
#: An indicator is in the Fortbildungsbedarf list when at least this share of the schools rated it below WEAK_BELOW.
NEED_SHARE = 0.25


@dataclass(frozen=True)
class StatLine:
    key: str  # "overall", a criterion or an indicator id
    label: str
    n: int
    mean: float | None
    median: float | None
    q1: float | None
    q3: float | None
    std: float | None

    @property
    def is_hidden(self) -> bool:
        return self.mean is None

    @property
    def is_small(self) -> bool:
        return aggregate.is_small(self.n)

    @property
    def note(self) -> str:
        return HIDDEN if self.is_hidden else SMALL_CAUTION if self.is_small else ""


@dataclass(frozen=True)
class NeedLine:
    """An indicator rated below WEAK_BELOW at `weak` of `n` schools, with the offers that fit those schools."""

    label: str
    weak: int
    n: int
    statewide: tuple[SupportOffer, ...]
    regional: tuple[SupportOffer, ...]


@dataclass(frozen=True)
class TrendPoint:
    round_name: str
    n: int
    overall: float | None  # None below MIN_GROUP_SIZE


@dataclass(frozen=True)
class SchoolLine:
    schulnummer: str
    name: str
    schulform: str
    state: str
    overall: float | None


@dataclass(frozen=True)
class AreaInput:
    area: str  # e.g. "Schulträger Stadt Unna (Trägernummer 05978036)"
    filters: tuple[str, ...]  # each chosen filter in words
    round_name: str
    created_on: date
    catalog: Catalog
    schools: pd.DataFrame  # the selection with status (analytics' frame)
    indicator_scores: pd.DataFrame
    criterion_scores: pd.DataFrame
    history: Sequence[tuple[str, pd.DataFrame]]  # (round name, criterion scores) per school year, oldest first
    offer_lists: tuple[OfferList, ...] = ()
    show_schools: bool = False  # whether the reader may see each school's overall score


@dataclass(frozen=True)
class AreaReport:
    area: str
    filters: tuple[str, ...]
    round_name: str
    created_on: date
    catalog_title: str
    scale_min: int
    scale_max: int
    participation: dict[str, int]
    overall: StatLine
    criteria: tuple[StatLine, ...]
    indicators: tuple[tuple[StatLine, tuple[StatLine, ...]], ...]  # per criterion: its line and its indicators
    trend: tuple[TrendPoint, ...]
    needs: tuple[NeedLine, ...]
    needs_left_out: int  # indicators below WEAK_BELOW at some schools, but fewer than NEED_SHARE of them
    schools: tuple[SchoolLine, ...] | None  # None: the reader may not see single schools
    weak_below: int = aggregate.WEAK_BELOW
    rule: str = RULE_TEXT

    @property
    def title(self) -> str:
        return f"{TITLE}: {self.area}"

    def boxes(self) -> list[BoxStats]:
        """The distribution chart's rows: overall and criteria, each as far as the rule lets it be drawn."""
        return [_box(line) for line in (self.overall, *self.criteria)]


def build_area_report(source: AreaInput) -> AreaReport:
    catalog = source.catalog
    criterion_ids = [criterion.id for criterion in catalog.criteria]
    criterion_stats = aggregate.area_statistics(source.criterion_scores, [aggregate.OVERALL, *criterion_ids])
    indicator_ids = [indicator.id for indicator in catalog.indicators]
    indicator_stats = aggregate.area_statistics(source.indicator_scores, indicator_ids)
    labels = _labels(catalog)
    needs, left_out = _needs(source, labels)
    criteria = tuple(_line(criterion_stats, c.id, labels[c.id]) for c in catalog.criteria)
    indicators = tuple(
        (line, tuple(_line(indicator_stats, i.id, labels[i.id]) for i in criterion.indicators))
        for line, criterion in zip(criteria, catalog.criteria, strict=True)
    )
    return AreaReport(
        area=source.area,
        filters=source.filters,
        round_name=source.round_name,
        created_on=source.created_on,
        catalog_title=catalog.title,
        scale_min=catalog.scale.min,
        scale_max=catalog.scale.max,
        participation=aggregate.participation(source.schools),
        overall=_line(criterion_stats, aggregate.OVERALL, "Gesamtwert"),
        criteria=criteria,
        indicators=indicators,
        trend=_trend(source.history),
        needs=needs,
        needs_left_out=left_out,
        schools=_schools(source) if source.show_schools else None,
    )


def _labels(catalog: Catalog) -> dict[str, str]:
    labels = {}
    for number, criterion in enumerate(catalog.criteria, 1):
        labels[criterion.id] = f"{number}. {criterion.title}"
        for position, indicator in enumerate(criterion.indicators):
            labels[indicator.id] = f"{number}{indicator_letter(position)}) {indicator.text}"
    return labels


def _value(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _line(stats: pd.DataFrame, key: str, label: str) -> StatLine:
    row = stats.loc[key]
    return StatLine(key, label, int(row["n"]), *(_value(row[column]) for column in ("mean", "median", "q1", "q3", "std")))


def _box(line: StatLine) -> BoxStats:
    note = HIDDEN if line.is_hidden else ""
    if line.n == 0:
        note = "keine abgeschlossenen Bewertungen"
    return BoxStats(line.label, line.n, None, line.q1, line.median, line.q3, None, line.mean, note)


def _trend(history: Sequence[tuple[str, pd.DataFrame]]) -> tuple[TrendPoint, ...]:
    points = []
    for round_name, scores in history:
        overall = scores[aggregate.OVERALL] if aggregate.OVERALL in scores else pd.Series(dtype="float64")
        n = int(overall.count())
        points.append(TrendPoint(round_name, n, float(overall.mean()) if n >= aggregate.MIN_GROUP_SIZE else None))
    return tuple(points)


def _needs(source: AreaInput, labels: dict[str, str]) -> tuple[tuple[NeedLine, ...], int]:
    """Indicators rated below WEAK_BELOW at NEED_SHARE of the schools or more, most often first, with offers for the
    first few; and how many indicators are below WEAK_BELOW at fewer schools."""
    catalog, scores = source.catalog, source.indicator_scores
    counts = aggregate.weak_counts(scores, [indicator.id for indicator in catalog.indicators])
    weak = counts[counts["weak"].notna() & (counts["weak"] > 0)]
    shown = weak[weak["weak"] >= NEED_SHARE * weak["n"]]
    ordered = sorted(shown.itertuples(), key=lambda row: (-row.weak / row.n, -row.weak))
    needs = []
    for position, row in enumerate(ordered):
        statewide: tuple[SupportOffer, ...] = ()
        regional: tuple[SupportOffer, ...] = ()
        if position < NEEDS_WITH_OFFERS:
            statewide, regional = _offers(source, row.Index, scores[row.Index] < aggregate.WEAK_BELOW)
        needs.append(NeedLine(labels[row.Index], int(row.weak), int(row.n), statewide, regional))
    return tuple(needs), len(weak) - len(shown)


def _offers(source: AreaInput, indicator_id: str, weak: pd.Series) -> tuple[tuple[SupportOffer, ...], tuple[SupportOffer, ...]]:
    """The offers open to at least one of the schools rated below 4: state-wide ones, then regional ones."""
    weak_schools = source.schools.loc[source.schools.index.intersection(weak[weak].index, sort=False)]
    profiles = {SchoolProfile(row.kreis, row.schulform) for row in weak_schools.itertuples()}
    found: dict[str, SupportOffer] = {}
    for profile in sorted(profiles, key=lambda p: (p.kreis, p.schulform)):
        for offer in source.catalog.offers_for(indicator_id, profile, source.offer_lists):
            found.setdefault(offer.id, offer)
    offers = list(found.values())
    return tuple(o for o in offers if not o.kreise), tuple(o for o in offers if o.kreise)


def _schools(source: AreaInput) -> tuple[SchoolLine, ...]:
    overall = source.criterion_scores[aggregate.OVERALL] if len(source.criterion_scores) else pd.Series(dtype="float64")
    lines = []
    for schulnummer, school in source.schools.sort_values("name", key=lambda names: names.str.casefold()).iterrows():
        value = overall.get(schulnummer) if school["status"] == "submitted" else None
        schulform, state = schulform_label(school["schulform"]), state_label(school["status"])
        lines.append(SchoolLine(str(schulnummer), str(school["name"]), schulform, state, _value(value)))
    return tuple(lines)


def needs_intro(report: AreaReport) -> str:
    return (
        f"Indikatoren, die mindestens ein Viertel der Schulen mit weniger als {report.weak_below} Punkten bewertet hat, "
        f"die häufigsten zuerst; gezählt nur, wo mindestens {aggregate.MIN_GROUP_SIZE} Schulen den Indikator bewertet "
        f"haben. Zu den ersten {NEEDS_WITH_OFFERS} stehen darunter die Angebote, die mindestens einer dieser Schulen "
        "offenstehen (landesweit und regional)."
    )


def needs_left_out(report: AreaReport) -> str:
    count = report.needs_left_out
    which = "Ein weiterer Indikator liegt" if count == 1 else f"Weitere {count} Indikatoren liegen"
    return f"{which} bei weniger als einem Viertel der Schulen unter {report.weak_below} Punkten."
