"""The JSON shapes of the API, shared by the API and the pages' autosave."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..scoring.aggregate import OVERALL, STAT_COLUMNS
from ..services.analytics import RoundAnalytics
from ..services.assessments import AssessmentState
from ..services.history import RoundResult


def state_to_json(state: AssessmentState, previous_round: str | None) -> dict[str, Any]:
    """The assessment document; `previous_round` is the slug of the round before (None for the first)."""
    scores = state.scores
    return {
        "school": state.schulnummer,
        "round": state.round_slug,
        "previous_round": previous_round,
        "catalog": {"id": state.catalog.id, "version": state.catalog.version},
        "status": state.status,
        "version": state.version,
        "ratings": {
            indicator.id: {"score": state.rating(indicator.id).score, "comment": state.rating(indicator.id).comment}
            for indicator in state.catalog.indicators
        },
        "scores": {"overall": scores.overall, "criteria": scores.criteria},
        "completeness": scores.completeness,
        "submitted_at": state.submitted_at.isoformat() if state.submitted_at else None,
    }


def history_to_json(schulnummer: str, results: list[RoundResult]) -> dict[str, Any]:
    return {
        "schulnummer": schulnummer,
        "rounds": [
            {
                "round": result.round_slug,
                "status": result.status,
                "completeness": result.completeness,
                "scores": {"overall": result.overall, "criteria": result.criteria},
            }
            for result in results
        ],
    }


def _number(value) -> float | int | None:
    """NaN (no data) becomes null; JSON has no NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _stats(frame: pd.DataFrame, ids: list[str]) -> dict[str, dict[str, Any]]:
    return {
        key: {column: _number(int(row["n"]) if column == "n" else float(row[column])) for column in STAT_COLUMNS}
        for key, row in frame.reindex(ids).iterrows()
    }


def analytics_to_json(result: RoundAnalytics) -> dict[str, Any]:
    participation = result.participation
    criteria = [criterion.id for criterion in result.catalog.criteria]
    return {
        "round": result.round_slug,
        "round_name": result.round_name,
        "n_schools_in_scope": participation["in_scope"],
        "n_submitted": participation["submitted"],
        "n_draft": participation["draft"],
        "criteria": _stats(result.criterion_stats, criteria),
        "overall": _stats(result.criterion_stats, [OVERALL])[OVERALL],
        "indicators": _stats(result.indicator_stats, [indicator.id for indicator in result.catalog.indicators]),
    }


def schools_to_json(summaries: pd.DataFrame) -> list[dict[str, Any]]:
    return [
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
        for schulnummer, row in summaries.iterrows()
    ]
