"""The API's answers, built as the models of views.api_models: what is sent is what the document describes."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pandas as pd

from ..catalog import Catalog, catalog_to_dict
from ..scoring.aggregate import OVERALL, STAT_COLUMNS
from ..services.analytics import RoundAnalytics
from ..services.assessments import AssessmentState
from ..services.consensus.sheets import SheetState
from ..services.consensus.spread import TeamSpread
from ..services.history import RoundResult
from .api_models import analytics as analytics_models
from .api_models import assessments as assessment_models
from .api_models import catalog as catalog_models
from .api_models import consensus as consensus_models


def state_to_json(
    state: AssessmentState, previous_round: str | None, *, scores_shown: bool = True, texts_shown: bool = True
) -> dict[str, Any]:
    """The assessment document; `previous_round` is the slug of the round before (None for the first).

    `scores_shown` / `texts_shown`: what the school shares with the caller (permissions.can_view_scores and
    can_view_shared_texts); what it does not share is null or empty, and the document says so.
    """
    scores = state.scores
    completeness = scores.completeness
    if not texts_shown or not scores_shown:
        state = state.without_texts()
    if not scores_shown:
        state = replace(state, ratings={})
        scores = state.scores
    model = assessment_models.Assessment(
        school=state.schulnummer,
        round=state.round_slug,
        previous_round=previous_round,
        catalog=assessment_models.CatalogRef(id=state.catalog.id, version=state.catalog.version),
        status=state.status,  # type: ignore[arg-type]  # the service's status is one of the model's
        phase=state.phase,  # type: ignore[arg-type]  # vocabulary.ASSESSMENT_PHASES
        version=state.version,
        ratings={
            indicator.id: assessment_models.Rating(
                score=state.rating(indicator.id).score, comment=state.rating(indicator.id).comment
            )
            for indicator in state.catalog.indicators
        },
        scores=assessment_models.Scores(overall=scores.overall, criteria=scores.criteria),
        completeness=completeness,
        submitted_at=state.submitted_at.isoformat() if state.submitted_at else None,
        scores_withheld=not scores_shown,
        comments_withheld=scores_shown and not texts_shown,
    )
    # The flags appear only when something is withheld: the team's document stays as it always was.
    unset = {name for name in ("scores_withheld", "comments_withheld") if not getattr(model, name)}
    return model.model_dump(mode="json", exclude=unset)


def sheet_to_json(sheet: SheetState) -> dict[str, Any]:
    model = consensus_models.Sheet(
        school=sheet.schulnummer,
        round=sheet.round_slug,
        phase=sheet.phase,  # type: ignore[arg-type]
        editable=sheet.is_editable,
        version=sheet.version,
        finished=sheet.finished_at is not None,
        finished_at=sheet.finished_at.isoformat() if sheet.finished_at else None,
        members=sheet.members,
        members_finished=sheet.finished,
        ratings={
            indicator.id: assessment_models.Rating(
                score=sheet.rating(indicator.id).score, comment=sheet.rating(indicator.id).comment
            )
            for indicator in sheet.catalog.indicators
        },
    )
    return model.model_dump(mode="json")


def spread_to_json(spread: TeamSpread) -> dict[str, Any]:
    """Without names, whatever the team chose for its page."""
    model = consensus_models.Spread(
        phase=spread.phase,  # type: ignore[arg-type]
        members=spread.members,
        finished=spread.finished,
        indicators={
            key: consensus_models.IndicatorSpread(
                n=item.n, values=list(item.values), median=item.median, min=item.min, max=item.max,
                disagreement=item.disagreement,
            )
            for key, item in spread.indicators.items()
        },
    )  # fmt: skip
    return model.model_dump(mode="json")


def history_to_json(schulnummer: str, results: list[RoundResult]) -> dict[str, Any]:
    model = assessment_models.SchoolHistory(
        schulnummer=schulnummer,
        rounds=[
            assessment_models.HistoryRound(
                round=result.round_slug,
                status=result.status,  # type: ignore[arg-type]  # started rounds only: draft or submitted
                completeness=result.completeness,
                scores=assessment_models.Scores(overall=result.overall, criteria=result.criteria),
            )
            for result in results
        ],
    )
    return model.model_dump(mode="json")


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    """catalog.catalog_to_dict's shape, held to the model; fields a catalogue does not use stay out."""
    return catalog_models.Catalog.model_validate(catalog_to_dict(catalog)).model_dump(mode="json", exclude_unset=True)


def _number(value) -> float | int | None:
    """NaN (no data) becomes null; JSON has no NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _stats(frame: pd.DataFrame, ids: list[str]) -> dict[str, analytics_models.Stats]:
    return {
        key: analytics_models.Stats.model_validate(
            {column: _number(int(row["n"]) if column == "n" else float(row[column])) for column in STAT_COLUMNS}
        )
        for key, row in frame.reindex(ids).iterrows()
    }


def analytics_to_json(result: RoundAnalytics) -> dict[str, Any]:
    participation = result.participation
    criteria = [criterion.id for criterion in result.catalog.criteria]
    model = analytics_models.Analytics(
        round=result.round_slug,
        round_name=result.round_name,
        n_schools_in_scope=participation["in_scope"],
        n_submitted=participation["submitted"],
        n_draft=participation["draft"],
        criteria=_stats(result.criterion_stats, criteria),
        overall=_stats(result.criterion_stats, [OVERALL])[OVERALL],
        indicators=_stats(result.indicator_stats, [indicator.id for indicator in result.catalog.indicators]),
    )
    return model.model_dump(mode="json")


def school_summary_to_json(fields: dict[str, Any]) -> dict[str, Any]:
    return analytics_models.SchoolSummary.model_validate(fields).model_dump(mode="json")


def schools_to_json(summaries: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        school_summary_to_json(
            {
                "schulnummer": schulnummer,
                "name": row["name"],
                "schulform": row["schulform"],
                "kreis": row["kreis"],
                "bezirksregierung": row["bezirksregierung"],
                "ort": row["ort"],
                "status": row["status"],
                "overall": _number(float(row["overall"])),
            }
        )
        for schulnummer, row in summaries.iterrows()
    ]
