"""The JSON shapes of the API, shared by the API and the pages' autosave."""

from __future__ import annotations

from typing import Any

from ..services.assessments import AssessmentState


def state_to_json(state: AssessmentState) -> dict[str, Any]:
    scores = state.scores
    return {
        "school": state.schulnummer,
        "round": state.round_slug,
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
