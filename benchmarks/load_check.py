"""The consistency check of `python -m benchmarks load`: did the database keep every write the server accepted?

The schools of the run start without an assessment (version 0), every write changes something
(each carries a comment of its own), and every accepted save adds exactly one version. So after the
run, for every assessment written to: no version was handed out twice, the version equals the
number of accepted writes, each indicator holds its last accepted write (the one with the highest
version), and no rating exists that no accepted write made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import create_engine, select

from selfeval.models import Assessment, Rating, Round, School


@dataclass(frozen=True)
class AcceptedWrite:
    """A save the server answered with 200, and the version it named."""

    school: str
    indicator: str
    score: int
    comment: str
    version: int
    echoed: bool = True  # the answer showed the write

    @classmethod
    def from_dict(cls, data: dict) -> AcceptedWrite:
        """A write as the driver's result (and --json) records it."""
        return cls(data["school"], data["indicator"], data["score"], data["comment"], data["version"], data["echoed"])


@dataclass(frozen=True)
class StoredRating:
    """A rating as the database holds it."""

    score: int | None
    comment: str
    changed_in_version: int


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment's version and its ratings by indicator, as the database holds them."""

    version: int
    ratings: dict[str, StoredRating]


@dataclass(frozen=True)
class Consistency:
    """The outcome of the check: empty lists when the database kept every accepted write."""

    writes: int  # accepted writes checked
    assessments: int
    lost: list[str] = field(default_factory=list)  # one line per accepted write the database does not reflect
    problems: list[str] = field(default_factory=list)  # versions, ratings nobody wrote, answers without the write

    @property
    def ok(self) -> bool:
        """Nothing lost and nothing else wrong."""
        return not self.lost and not self.problems


def stored_assessments(database_url: str, round_slug: str, schools: Iterable[str]) -> dict[str, StoredAssessment]:
    """The assessments of these schools in this round as the database holds them (schools without one are left out)."""
    engine = create_engine(database_url)
    query = (
        select(
            School.schulnummer, Assessment.version, Rating.indicator_id, Rating.score, Rating.comment, Rating.changed_in_version
        )
        .join(Assessment, Assessment.school_id == School.id)
        .join(Round, Round.id == Assessment.round_id)
        .outerjoin(Rating, Rating.assessment_id == Assessment.id)
        .where(Round.slug == round_slug, School.schulnummer.in_(list(schools)))
    )
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).all()
    finally:
        engine.dispose()
    versions: dict[str, int] = {}
    ratings: dict[str, dict[str, StoredRating]] = defaultdict(dict)
    for schulnummer, version, indicator, score, comment, changed_in_version in rows:
        versions[schulnummer] = version
        if indicator is not None:
            ratings[schulnummer][indicator] = StoredRating(score, comment or "", changed_in_version)
    return {schulnummer: StoredAssessment(version, ratings[schulnummer]) for schulnummer, version in versions.items()}


def check(writes: list[AcceptedWrite], stored: dict[str, StoredAssessment]) -> Consistency:
    """Compare the accepted writes with what the database holds."""
    by_school: dict[str, list[AcceptedWrite]] = defaultdict(list)
    for write in writes:
        by_school[write.school].append(write)
    lost: list[str] = []
    problems: list[str] = []
    for school, accepted in sorted(by_school.items()):
        found = stored.get(school)
        if found is None:
            lost += [f"school {school}: {_describe(write)} was accepted, but the school has no assessment" for write in accepted]
            continue
        school_lost, school_problems = _check_school(school, accepted, found)
        lost += school_lost
        problems += school_problems
    return Consistency(len(writes), len(by_school), lost, problems)


def _check_school(school: str, accepted: list[AcceptedWrite], found: StoredAssessment) -> tuple[list[str], list[str]]:
    lost, problems = [], []
    by_version: dict[int, list[AcceptedWrite]] = defaultdict(list)
    for write in accepted:
        by_version[write.version].append(write)
    for version, same in sorted(by_version.items()):
        if len(same) > 1:  # two saves on one base version both accepted: one overwrote the other unseen
            lost += [
                f"school {school}: {_describe(write)} shares version {version} with another accepted write" for write in same[1:]
            ]
    if found.version != len(accepted):
        problems.append(
            f"school {school}: the assessment is at version {found.version}, but {len(accepted)} writes were accepted"
        )
    problems += [f"school {school}: the answer to {_describe(write)} did not show it" for write in accepted if not write.echoed]
    last: dict[str, AcceptedWrite] = {}
    for write in sorted(accepted, key=lambda w: w.version):
        last[write.indicator] = write
    for indicator, write in sorted(last.items()):
        rating = found.ratings.get(indicator)
        if rating != StoredRating(write.score, write.comment, write.version):
            held = "nothing" if rating is None else f"{rating.score}/{rating.comment!r} of version {rating.changed_in_version}"
            lost.append(f"school {school}: {_describe(write)} was accepted last for {indicator}, but the database holds {held}")
    problems += [
        f"school {school}: {indicator} holds {rating.score}/{rating.comment!r}, which no accepted write made"
        for indicator, rating in sorted(found.ratings.items())
        if indicator not in last
    ]
    return lost, problems


def _describe(write: AcceptedWrite) -> str:
    return f"{write.indicator}={write.score}/{write.comment!r} (version {write.version})"
