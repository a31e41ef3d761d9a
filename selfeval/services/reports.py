"""Improvement reports: gather what a report says for one school or a whole selection, in bulk.

One code path serves both: a single report is the batch of one school (drafts allowed), so the
PDF a team downloads and the one in an adviser's ZIP can never disagree. The one addition is the team's own: the
page on its spread (issue 21), which only the team's copy carries, and only if the team chose it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Row, select, true

from ..catalog import indicator_letter
from ..directory import TRAEGERNUMMER
from ..display import local_date
from ..extensions import catalogs as registry
from ..extensions import db
from ..models import Assessment, CatalogSnapshot, Rating, Round, School, User
from ..models.types import utcnow
from ..permissions import can_view_plan, can_view_scores, can_view_shared_texts
from ..reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreis_name, kreise, schulform_label
from ..reports.batch import BatchSummary, Progress, render_batch, report_filename
from ..reports.content import PreviousResult, ReportInput, build_report
from ..reports.model import Comparison, ReportData, ReportSchool, SpreadCriterion, SpreadLine
from ..scoring import aggregate
from .analytics import comparison_scores, group_for
from .catalog_snapshots import snapshot_catalog
from .consensus.spread import spread_for_report
from .errors import InvalidInput, NotFound, ServiceError
from .offers import database_offer_list
from .report_plans import chunk_plans
from .rounds import previous_round
from .schools import visibility_condition

#: Schools whose rows are loaded per query in a batch; keeps memory flat for a whole Bezirk.
CHUNK_SIZE = 250


def spread_page(school: School, round_: Round) -> tuple[SpreadCriterion, ...]:
    """The page "Wo wir uns einig und uneinig waren", if the team wants it and has a spread; never with names."""
    spread = spread_for_report(school, round_)
    if spread is None:
        return ()
    return tuple(
        SpreadCriterion(number, criterion.title, tuple(
            SpreadLine(f"{number}{indicator_letter(position)}", indicator.text, item.values, item.median, item.min,
                       item.max, item.disagreement)
            for position, indicator in enumerate(criterion.indicators)
            for item in [spread.indicators[indicator.id]]
        ))
        for number, criterion in enumerate(spread.catalog.criteria, start=1)
    )  # fmt: skip


class NothingToReport(NotFound):
    """The school has no rated assessment in the round."""


class DraftNotShared(ServiceError):
    """A draft, asked for by a reader outside the team: a draft is the team's (DATENSCHUTZ.md)."""


@dataclass(frozen=True)
class ReportSelection:
    """Which submitted schools of a user's scope a batch covers; empty tuples do not narrow."""

    kreise: tuple[str, ...] = ()
    schulformen: tuple[str, ...] = ()
    bezirke: tuple[str, ...] = ()
    traeger: tuple[str, ...] = ()  # Trägernummern (the school directory's Schulträger)


def parse_report_selection(
    kreise_values: Iterable[str],
    schulform_values: Iterable[str],
    bezirk_values: Iterable[str] = (),
    traeger_values: Iterable[str] = (),
) -> ReportSelection:
    """Kreis keys, Schulform codes, Bezirksregierungen and Trägernummern from the command line, a form or the API;
    InvalidInput names unknown ones."""
    chosen_traeger = _unique(traeger_values)
    chosen_kreise = _unique(kreise_values)
    chosen_schulformen = _unique(schulform_values)
    chosen_bezirke = _unique(bezirk_values)
    problems = {}
    unknown = [value for value in chosen_kreise if value not in kreise()]
    if unknown:
        problems["kreis"] = f"unbekannter Kreis „{unknown[0][:40]}“ (erwartet wird der Kreisschlüssel, z. B. 05913)"
    unknown = [value for value in chosen_schulformen if value not in SCHULFORMEN]
    if unknown:
        problems["schulform"] = f"unbekannte Schulform „{unknown[0][:40]}“ (erwartet wird der Schulformschlüssel, z. B. 15)"
    unknown = [value for value in chosen_bezirke if value not in BEZIRKSREGIERUNGEN]
    if unknown:
        problems["bezirk"] = f"unbekannte Bezirksregierung „{unknown[0][:40]}“"
    wrong = [value for value in chosen_traeger if not TRAEGERNUMMER.fullmatch(value)]
    if wrong:
        problems["traeger"] = f"„{wrong[0][:40]}“ ist keine Trägernummer (höchstens 10 Ziffern)"
    if problems:
        raise InvalidInput(problems)
    return ReportSelection(chosen_kreise, chosen_schulformen, chosen_bezirke, chosen_traeger)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value.strip() for value in values if value.strip()))


def report_for(
    school: School, round_: Round, today: date | None = None, *, for_the_team: bool = False, reader: User | None = None
) -> ReportData:
    """The report of one school, also for a draft; NothingToReport if nothing is rated yet.

    `for_the_team`: the reader is the school's own team, whose copy has the page on its spread if it chose so
    (issue 21); supervision, advisers and admins never get it.
    `reader`: who reads it (None: the operator at the command line, or the team). A draft is refused to readers
    outside the team (DraftNotShared); comments the team did not share with the reader are left out, and the
    report says so.
    """
    reports = list(iter_reports(round_, [school], statuses=("submitted", "draft"), today=today, reader=reader))
    if reports and reports[0].scores_withheld:
        raise DraftNotShared(
            f"Die Bewertung von {school.name} in der Runde {round_.name} ist noch nicht abgeschlossen. "
            "Ein Entwurf gehört dem Team: Ein Bericht ist erst nach dem Abschluss möglich."
        )
    if not reports or reports[0].rated == 0:
        raise NothingToReport(f"Für {school.name} liegt in der Runde {round_.name} noch keine Bewertung vor.")
    if for_the_team:
        return replace(reports[0], spread=spread_page(school, round_))
    return reports[0]


def batch_schools(user: User | None, round_: Round, selection: ReportSelection = ReportSelection()) -> list[School]:
    """The schools of the user's scope (None: all, for the operator's CLI), narrowed by the selection, that
    submitted in the round; by Schulnummer."""
    condition = true() if user is None else visibility_condition(user)
    if condition is None:
        return []
    query = (
        select(School)
        .join(Assessment, (Assessment.school_id == School.id) & (Assessment.round_id == round_.id))
        .where(condition, Assessment.status == "submitted")
        .order_by(School.schulnummer)
    )
    if selection.kreise:
        query = query.where(School.kreis.in_(selection.kreise))
    if selection.schulformen:
        query = query.where(School.schulform.in_(selection.schulformen))
    if selection.bezirke:
        in_bezirke = [key for key, found in kreise().items() if found.bezirksregierung in selection.bezirke]
        query = query.where(School.kreis.in_(in_bezirke))
    if selection.traeger:
        query = query.where(School.traeger_nummer.in_(selection.traeger))
    return list(db.session.scalars(query))


#: Where rendered reports go: called with each report's file name and PDF (a ZIP's writestr, a folder's writer).
ReportSink = Callable[[str, bytes], None]


def write_reports(
    round_: Round,
    schools: Sequence[School],
    sink: ReportSink,
    *,
    progress: Progress | None = None,
    workers: int = 1,
    reader: User | None = None,
) -> BatchSummary:
    """Render the reports of the schools' submitted assessments in the round into `sink`, named as downloads are.

    A report that cannot be made is counted in the summary (and passed to `progress` as failed), not fatal.
    `reader`: as in report_for (comments not shared with the reader are left out).
    """

    def named(data: ReportData, pdf: bytes) -> None:
        sink(report_filename(data, round_.slug), pdf)

    reports = iter_reports(round_, schools, today=None, reader=reader)
    return render_batch(reports, named, workers=workers, progress=progress)


def batch_by_ids(round_id: int, school_ids: Sequence[int]) -> tuple[Round, list[School]]:
    """The round and schools of a batch chosen earlier (by another request), by Schulnummer; NotFound if the round is gone."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound("Diese Erhebungsrunde gibt es nicht mehr.")
    schools = db.session.scalars(select(School).where(School.id.in_(school_ids)).order_by(School.schulnummer))
    return round_, list(schools)


def iter_reports(
    round_: Round,
    schools: Sequence[School],
    *,
    statuses: tuple[str, ...] = ("submitted",),
    today: date | None = None,
    reader: User | None = None,
) -> Iterator[ReportData]:
    """Report data for each school with an assessment of one of `statuses`, in the given order, loaded in chunks.

    With a `reader`, each report holds what the school shares with that reader (permissions.can_view_scores and
    can_view_shared_texts): a draft's report to a reader outside the team is marked `scores_withheld` and holds
    no scores or comments; unshared comments are left out and `texts_withheld` is set. The school's plan (issue 18)
    goes to readers permissions.can_view_plan allows; for the others `plan_withheld` is set.
    """
    created_on = today or local_date(utcnow())
    earlier = previous_round(round_)
    groups = comparison_scores(round_, sorted({school.schulform for school in schools}))
    catalogs: dict[int, object] = {}
    # State-wide offers come with the catalogue; each school keeps only those of its Kreis from the others.
    offer_lists = (*registry.offer_lists, database_offer_list(registry.active.id))
    for start in range(0, len(schools), CHUNK_SIZE):
        chunk = schools[start : start + CHUNK_SIZE]
        current = _assessments(round_, chunk, statuses)
        previous = _assessments(earlier, chunk, ("submitted",)) if earlier else {}
        plans = chunk_plans(round_, earlier, chunk)
        ratings = _ratings([a.id for a in (*current.values(), *previous.values())] + plans.previous_assessment_ids)
        for school in chunk:
            assessment = current.get(school.id)
            if assessment is None:
                continue
            scores_shown = reader is None or can_view_scores(reader, school, assessment)
            texts_shown = reader is None or can_view_shared_texts(reader, school, assessment)
            plan_shown = scores_shown and (reader is None or can_view_plan(reader, school, assessment))
            rated = ratings.get(assessment.id, {}) if scores_shown else {}
            source = ReportInput(
                catalog=_catalog(catalogs, assessment.catalog_snapshot_id),
                school=_school(school),
                round_name=round_.name,
                is_submitted=assessment.status == "submitted",
                submitted_on=local_date(assessment.submitted_at) if assessment.submitted_at else None,
                created_on=created_on,
                scores={key: score for key, (score, _comment) in rated.items()},
                comments={key: comment for key, (_score, comment) in rated.items() if comment} if texts_shown else {},
                texts_withheld=not texts_shown,
                scores_withheld=not scores_shown,
                **_comparison(_group(groups, school), school.schulform),
                previous=_previous(earlier, previous.get(school.id), ratings, catalogs),
                offer_lists=offer_lists,
                plan=plans.input_for(school.id, earlier, ratings) if plan_shown else None,
                plan_withheld=not plan_shown,
            )
            yield build_report(source)


#: An assessment's id, school_id, status, submitted_at, catalog_snapshot_id and comments_released (what a report needs).
AssessmentColumns = Row[int, int, str, datetime | None, int, bool]


def _assessments(round_: Round, schools: Sequence[School], statuses: tuple[str, ...]) -> dict[int, AssessmentColumns]:
    """school id -> the assessment's columns we need (no relationships are loaded)."""
    query = select(
        Assessment.id, Assessment.school_id, Assessment.status, Assessment.submitted_at, Assessment.catalog_snapshot_id,
        Assessment.comments_released,
    ).where(
        Assessment.round_id == round_.id,
        Assessment.school_id.in_([school.id for school in schools]),
        Assessment.status.in_(statuses),
    )
    return {row.school_id: row for row in db.session.execute(query)}


def _ratings(assessment_ids: list[int]) -> dict[int, dict[str, tuple[int | None, str]]]:
    """assessment id -> indicator id -> (score, comment)."""
    out: dict[int, dict[str, tuple[int | None, str]]] = {}
    if not assessment_ids:
        return out
    query = select(Rating.assessment_id, Rating.indicator_id, Rating.score, Rating.comment).where(
        Rating.assessment_id.in_(assessment_ids)
    )
    for assessment_id, indicator_id, score, comment in db.session.execute(query):
        out.setdefault(assessment_id, {})[indicator_id] = (score, comment or "")
    return out


def _catalog(cache: dict, snapshot_id: int):
    if snapshot_id not in cache:
        cache[snapshot_id] = snapshot_catalog(db.session.get_one(CatalogSnapshot, snapshot_id))
    return cache[snapshot_id]


def _school(school: School) -> ReportSchool:
    return ReportSchool(
        school.schulnummer,
        school.name,
        schulform_label(school.schulform),
        school.ort,
        kreis_name(school.kreis),
        kreis_key=school.kreis,
        schulform_code=school.schulform,
    )


def _group(groups: dict[str, pd.DataFrame], school: School) -> aggregate.ComparisonGroup | None:
    scores = groups.get(school.schulform)
    return None if scores is None else group_for(scores, school)


def _comparison(group: aggregate.ComparisonGroup | None, schulform: str) -> dict:
    label = schulform_label(schulform)
    if group is None or group.stats is None:  # not shown
        size = group.size if group is not None else 0
        return {"comparison": Comparison(label, size, aggregate.MIN_GROUP_SIZE), "comparison_means": {}}
    means = {key: _number(value) for key, value in group.stats["mean"].items()}
    overall = means.pop(aggregate.OVERALL, None)
    return {"comparison": Comparison(label, group.size, aggregate.MIN_GROUP_SIZE, overall), "comparison_means": means}


def _previous(
    earlier: Round | None, assessment: AssessmentColumns | None, ratings: dict, catalogs: dict
) -> PreviousResult | None:
    if earlier is None or assessment is None:
        return None
    scores = {key: score for key, (score, _comment) in ratings.get(assessment.id, {}).items()}
    return PreviousResult(earlier.name, _catalog(catalogs, assessment.catalog_snapshot_id), scores)


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
