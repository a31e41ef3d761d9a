"""Supervision analytics: the one adapter from database rows to frames, and the use cases on it.

Everything here is limited to what the user may see (services.schools.visibility_condition);
the arithmetic itself lives in selfeval.scoring.aggregate.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select, true

from ..catalog import Catalog
from ..directory import TRAEGERNUMMER
from ..extensions import db
from ..models import Assessment, Rating, Round, School, User
from ..reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreis, kreise
from ..scoring import aggregate
from .catalog_snapshots import snapshot_catalog
from .errors import InvalidInput
from .rounds import all_rounds, previous_round
from .schools import visibility_condition


@dataclass(frozen=True)
class Selection:
    """Filters within a user's scope; an empty tuple does not narrow."""

    schulformen: tuple[str, ...] = ()
    kreise: tuple[str, ...] = ()
    bezirke: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    traeger: tuple[str, ...] = ()  # Trägernummern

    def schools_in(self, scope: pd.DataFrame) -> pd.DataFrame:
        """The schools of `scope` in the selected Schulformen, Kreise, Bezirke and Schulträger (the status filter is
        the table's)."""
        return aggregate.select(
            scope, schulformen=self.schulformen, kreise=self.kreise, bezirke=self.bezirke, traeger=self.traeger
        )


def parse_selection(values: dict[str, list[str]]) -> Selection:
    """Query parameters (schulform, kreis, bezirk, status) as a Selection; InvalidInput names every unknown value."""
    known = {
        "schulform": set(SCHULFORMEN),
        "kreis": set(kreise()),
        "bezirk": set(BEZIRKSREGIERUNGEN),
        "status": set(aggregate.STATUSES),
    }
    problems = {}
    for name, allowed in known.items():
        wrong = [value for value in values.get(name, []) if value not in allowed]
        if wrong:
            problems[name] = f"unbekannter Wert „{wrong[0][:40]}“"
    wrong = [value for value in values.get("traeger", []) if not TRAEGERNUMMER.fullmatch(value)]
    if wrong:
        problems["traeger"] = f"„{wrong[0][:40]}“ ist keine Trägernummer (höchstens 10 Ziffern)"
    if problems:
        raise InvalidInput(problems)

    def unique(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(values.get(name, [])))

    return Selection(unique("schulform"), unique("kreis"), unique("bezirk"), unique("status"), unique("traeger"))


@dataclass(frozen=True)
class RoundAnalytics:
    """Everything the overview, the API and the exports show for one round and selection."""

    round_name: str
    round_slug: str
    catalog: Catalog
    scope: pd.DataFrame  # every school the user may see, with its status (for the filter choices)
    schools: pd.DataFrame  # the selection without the status filter
    listed: pd.DataFrame  # the selection with the status filter: the rows of the school table
    indicator_scores: pd.DataFrame  # submitted schools of the selection
    criterion_scores: pd.DataFrame
    criterion_stats: pd.DataFrame
    indicator_stats: pd.DataFrame
    previous_round_name: str | None = None
    change: pd.DataFrame = field(default_factory=pd.DataFrame)  # per school, criteria and overall
    change_summary: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def participation(self) -> dict[str, int]:
        return aggregate.participation(self.schools)


def analyse(user: User, round_: Round, selection: Selection = Selection()) -> RoundAnalytics:
    catalog = round_catalog(round_)
    scope = scope_schools(user, round_)
    schools = selection.schools_in(scope)
    listed = aggregate.select(schools, statuses=selection.statuses)
    indicator_scores = submitted_scores(round_, schools)
    criterion_scores = aggregate.criterion_scores(indicator_scores, catalog)
    result = RoundAnalytics(
        round_name=round_.name,
        round_slug=round_.slug,
        catalog=catalog,
        scope=scope,
        schools=schools,
        listed=listed,
        indicator_scores=indicator_scores,
        criterion_scores=criterion_scores,
        criterion_stats=aggregate.describe(criterion_scores),
        indicator_stats=aggregate.describe(indicator_scores, [i.id for i in catalog.indicators]),
    )
    before = previous_round(round_)
    if before is None:
        return result
    previous_scores = aggregate.criterion_scores(submitted_scores(before, schools), round_catalog(before))
    return replace(
        result,
        previous_round_name=before.name,
        change=aggregate.change(criterion_scores, previous_scores),
        change_summary=aggregate.change_summary(criterion_scores, previous_scores),
    )


def means_over_rounds(user: User, selection: Selection, catalog: Catalog) -> pd.DataFrame:
    """Per round in school-year order: how many schools of the selection submitted, and (from MIN_GROUP_SIZE on)
    their mean overall and criterion scores; the criteria are those of `catalog` (the round on the page)."""
    per_round = []
    for round_ in all_rounds():
        scope = scope_schools(user, round_)
        schools = selection.schools_in(scope)
        per_round.append((round_.name, aggregate.criterion_scores(submitted_scores(round_, schools), round_catalog(round_))))
    return aggregate.means_over_rounds(per_round, [aggregate.OVERALL, *(c.id for c in catalog.criteria)])


def comparison_group(school: School, round_: Round) -> aggregate.ComparisonGroup:
    """The other submitted schools of this school's Schulform in the round, on this installation (identities never leave)."""
    scores = comparison_scores(round_, [school.schulform]).get(school.schulform, _no_scores(round_))
    return group_for(scores, school)


def group_for(schulform_scores: pd.DataFrame, school: School) -> aggregate.ComparisonGroup:
    """What `school` may see of the others in its Schulform's scores: itself left out, the small-group rule applied."""
    return aggregate.comparison_group(schulform_scores.drop(index=school.id, errors="ignore"))


def comparison_scores(round_: Round, schulformen: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Schulform -> the criterion scores of its submitted schools in the round (indexed by school id)."""
    query = (
        select(School.id, School.schulform)
        .join(Assessment, and_(Assessment.school_id == School.id, Assessment.round_id == round_.id))
        .where(Assessment.status == "submitted")
    )
    if schulformen is not None:
        query = query.where(School.schulform.in_(schulformen))
    members: dict[str, list[int]] = {}
    for school_id, schulform in db.session.execute(query):
        members.setdefault(schulform, []).append(school_id)
    scores, catalog = _round_scores(round_), round_catalog(round_)
    groups = {}
    for schulform, ids in members.items():
        group = scores.loc[scores.index.intersection(pd.Index(ids), sort=False)]
        groups[schulform] = aggregate.criterion_scores(group, catalog)
    return groups


def _no_scores(round_: Round) -> pd.DataFrame:
    return aggregate.criterion_scores(_round_scores(round_).iloc[0:0], round_catalog(round_))


def round_catalog(round_: Round) -> Catalog:
    return snapshot_catalog(round_.catalog_snapshot)


def scope_schools(user: User | None, round_: Round) -> pd.DataFrame:
    """The schools `user` may see (None: the operator at the command line, every school), indexed by Schulnummer,
    with their status in `round_` and their school id."""
    condition = true() if user is None else visibility_condition(user)
    if condition is None:
        empty = aggregate.empty_schools().assign(school_id=pd.Series(dtype="int64"))
        return empty.assign(**{name: pd.Series(dtype="object") for name in AREA_KEYS})
    columns = [School.schulnummer, School.id, School.name, School.schulform, School.kreis, School.ort, Assessment.status]
    query = (
        select(*columns, *(getattr(School, name) for name in AREA_KEYS))
        .outerjoin(Assessment, and_(Assessment.school_id == School.id, Assessment.round_id == round_.id))
        .where(condition)
        .order_by(School.schulnummer)
    )
    rows = db.session.execute(query).all()
    names = ["schulnummer", "school_id", "name", "schulform", "kreis", "ort", "status", *AREA_KEYS]
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    frame["status"] = frame["status"].fillna("not_started")
    frame["school_id"] = frame["school_id"].astype("int64")
    frame["bezirksregierung"] = frame["kreis"].map(_bezirk_of)
    return frame.set_index("schulnummer")[[*aggregate.SCHOOL_COLUMNS, "school_id", *AREA_KEYS]]


#: The columns of the scope frame besides SCHOOL_COLUMNS and school_id: the school's municipality and Schulträger.
AREA_KEYS = ("gemeindeschluessel", "traeger_nummer", "traeger_name")


def _bezirk_of(kreis_key: str) -> str:
    found = kreis(kreis_key)
    return found.bezirksregierung if found else ""


def submitted_scores(round_: Round, schools: pd.DataFrame) -> pd.DataFrame:
    """Indicator scores of the submitted assessments of these schools, indexed by Schulnummer."""
    submitted = schools[schools["status"] == "submitted"]
    scores = _round_scores(round_)
    present = submitted[submitted["school_id"].isin(scores.index)]
    frame = scores.loc[present["school_id"].to_numpy()]
    frame.index = pd.Index(present.index, name=aggregate.INDEX)
    return frame


# --- the adapter: rows of one round's submitted ratings -> schools x indicators, cached --------------


class _ScoreCache:
    """Per database engine and round: the indicator-score frame and the fingerprint it was built for.

    Submitted assessments cannot change without their version, status or row changing, so a cheap
    aggregate over them (count, id sum, version sum, newest change) tells whether a frame is current,
    in every process, without trusting any in-process invalidation.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._frames: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def get(self, engine, round_id: int, fingerprint) -> pd.DataFrame | None:
        with self._lock:
            cached = self._frames.get(engine, {}).get(round_id)
        return cached[1] if cached and cached[0] == fingerprint else None

    def put(self, engine, round_id: int, fingerprint, frame: pd.DataFrame) -> None:
        with self._lock:
            self._frames.setdefault(engine, {})[round_id] = (fingerprint, frame)


_cache = _ScoreCache()


def _round_scores(round_: Round) -> pd.DataFrame:
    """Indicator scores of every submitted assessment in the round, indexed by school id."""
    fingerprint = tuple(
        db.session.execute(
            select(
                func.count(Assessment.id),
                func.sum(Assessment.id),
                func.sum(Assessment.version),
                func.max(Assessment.updated_at),
            ).where(Assessment.round_id == round_.id, Assessment.status == "submitted")
        ).one()
    )
    engine = db.engine
    frame = _cache.get(engine, round_.id, fingerprint)
    if frame is None:
        frame = _load_round_scores(round_)
        _cache.put(engine, round_.id, fingerprint, frame)
    return frame


def _load_round_scores(round_: Round) -> pd.DataFrame:
    indicator_ids = [indicator.id for indicator in round_catalog(round_).indicators]
    query = (
        select(Assessment.school_id, Rating.indicator_id, Rating.score)
        .join(Rating, Rating.assessment_id == Assessment.id)
        .where(Assessment.round_id == round_.id, Assessment.status == "submitted", Rating.score.is_not(None))
    )
    rows = db.session.execute(query).all()
    school_ids = sorted({row[0] for row in rows})
    values = np.full((len(school_ids), len(indicator_ids)), np.nan)
    row_of = {school_id: i for i, school_id in enumerate(school_ids)}
    column_of = {indicator_id: j for j, indicator_id in enumerate(indicator_ids)}
    for school_id, indicator_id, score in rows:
        column = column_of.get(indicator_id)
        if column is not None:  # a rating of an indicator the round's catalogue lacks cannot count
            values[row_of[school_id], column] = score
    return pd.DataFrame(values, index=pd.Index(school_ids, name="school_id", dtype="int64"), columns=indicator_ids)


def school_summaries(user: User, round_: Round) -> pd.DataFrame:
    """The schools `user` may see with status and overall score (submitted only) in the round."""
    scope = scope_schools(user, round_)
    overall = aggregate.criterion_scores(submitted_scores(round_, scope), round_catalog(round_))[aggregate.OVERALL]
    return scope.assign(overall=overall.reindex(scope.index))

