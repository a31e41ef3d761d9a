"""The catalogue as immutable data: what the YAML loader produces and everything else reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..reference import schulstufen_of


def indicator_letter(position: int) -> str:
    """a, b, c … for the 0-based position of an indicator within its criterion, as in the Leitfaden."""
    return chr(ord("a") + position) if position < 26 else str(position + 1)


@dataclass(frozen=True)
class Problem:
    """One finding about a catalogue file, with where it was found."""

    location: str  # e.g. "criteria[2].indicators[1].id"; "" for the file as a whole
    message: str
    line: int | None = None
    is_warning: bool = False
    column: int | None = None

    def __str__(self) -> str:
        message = f"warning: {self.message}" if self.is_warning else self.message
        text = f"{self.location}: {message}" if self.location else message
        if self.line and self.column:
            return f"{text} (line {self.line}, column {self.column})"
        return f"{text} (line {self.line})" if self.line else text


class CatalogError(Exception):
    """A catalogue file could not be loaded; carries every problem found, not just the first."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


@dataclass(frozen=True)
class ScaleLabel:
    value: int
    text: str


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: tuple[ScaleLabel, ...] = ()

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str = ""
    year: int | None = None
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class SupportOffer:
    """A support offer a school can turn to (training, advice, a programme), as named in a source document."""

    id: str
    title: str
    provider: str
    description: str
    source: str  # the document and section that names the offer, so that a reader can check it
    url: str = ""
    # Who the offer is for; an empty tuple does not limit. An offer fits a school in one of its `kreise`
    # (Kreisschlüssel) whose Schulform is listed in `schulformen` (codes) or teaches one of its `schulstufen`.
    kreise: tuple[str, ...] = ()
    schulformen: tuple[str, ...] = ()
    schulstufen: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()  # e.g. ("Lehrkräfte", "Schulleitungen"): shown, never used to filter
    contact: str = ""  # whom to ask (a person's function, a telephone number or an e-mail address), as published

    def fits(self, school: SchoolProfile | None) -> bool:
        """Whether the offer is open to this school; every offer fits when the school is not known."""
        if school is None:
            return True
        if self.kreise and school.kreis not in self.kreise:
            return False
        if not (self.schulformen or self.schulstufen):
            return True
        return school.schulform in self.schulformen or any(stufe in self.schulstufen for stufe in school.schulstufen)


@dataclass(frozen=True)
class SchoolProfile:
    """What decides which offers fit a school: its Kreis (Kreisschlüssel) and its Schulform (code)."""

    kreis: str
    schulform: str

    @property
    def schulstufen(self) -> tuple[str, ...]:
        return schulstufen_of(self.schulform)


@dataclass(frozen=True)
class RegionalOffer:
    """An offer from a regional offer list, with the indicators and criteria (ids) it fits."""

    offer: SupportOffer
    fits: tuple[str, ...]


@dataclass(frozen=True)
class OfferList:
    """A regional offer list: the offers a Medienzentrum or Kreis keeps for its schools, beside the catalogue."""

    id: str
    title: str
    publisher: str
    catalog_id: str  # the catalogue whose indicator and criterion ids `fits` refers to
    kreise: tuple[str, ...]
    offers: tuple[RegionalOffer, ...]
    warnings: tuple[Problem, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Indicator:
    id: str
    criterion_id: str
    text: str
    examples: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()  # ids of the catalogue's support offers that fit this indicator


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    indicators: tuple[Indicator, ...]
    description: str = ""
    offers: tuple[str, ...] = ()  # ids of support offers that fit every indicator of the criterion

    @property
    def paragraphs(self) -> list[str]:
        """The description split into paragraphs (separated by blank lines in the YAML)."""
        return [part.strip() for part in self.description.split("\n\n") if part.strip()]


@dataclass(frozen=True)
class Catalog:
    id: str
    version: str
    title: str
    scale: Scale
    criteria: tuple[Criterion, ...]
    description: str = ""
    source: Source | None = None
    offers: tuple[SupportOffer, ...] = ()
    offers_note: str = ""  # what the catalogue says about support in general
    offers_note_kreise: tuple[str, ...] = ()  # where the note applies (it may name local partners); empty: everywhere
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for criterion in self.criteria for ind in criterion.indicators)

    @property
    def example_count(self) -> int:
        return sum(len(ind.examples) for ind in self.indicators)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id; KeyError if the catalogue has none."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def offer(self, offer_id: str) -> SupportOffer:
        """The support offer with this id; KeyError if the catalogue has none."""
        for offer in self.offers:
            if offer.id == offer_id:
                return offer
        raise KeyError(offer_id)

    def offers_for(
        self, indicator_id: str, school: SchoolProfile | None = None, offer_lists: tuple[OfferList, ...] = ()
    ) -> tuple[SupportOffer, ...]:
        """The offers that fit an indicator (and the school, if given): its own first, then its criterion's,
        then those of the regional offer lists for this catalogue; each once."""
        indicator = self.indicator(indicator_id)
        ids = dict.fromkeys((*indicator.offers, *self.criterion(indicator.criterion_id).offers))
        found = [self.offer(offer_id) for offer_id in ids]
        targets = {indicator.id, indicator.criterion_id}
        for offer_list in offer_lists:
            if offer_list.catalog_id == self.id:
                found += [regional.offer for regional in offer_list.offers if targets & set(regional.fits)]
        return tuple(offer for offer in found if offer.fits(school))

    def offers_note_for(self, school: SchoolProfile | None) -> str:
        """The general note on support, if it applies to the school's Kreis."""
        if school is not None and self.offers_note_kreise and school.kreis not in self.offers_note_kreise:
            return ""
        return self.offers_note

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; KeyError if the catalogue has none."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)
