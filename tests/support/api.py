"""The rating API of school 123456 in round 2025/26: addresses, headers and the state body computed independently of the app."""

from __future__ import annotations

import math

from tests.support.catalogue import CRITERIA, INDICATORS

SCHULNUMMER = "123456"
ROUND_SLUG = "2025-26"
URL = f"/api/v1/schools/{SCHULNUMMER}/assessments/{ROUND_SLUG}"


class _Text:
    """Equal to any non-empty string: error messages are German prose, their wording is not the contract."""

    def __eq__(self, other):
        return isinstance(other, str) and other.strip() != ""

    def __repr__(self) -> str:
        return "<non-empty text>"


TEXT = _Text()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def expected_state(
    version: int, ratings: dict[str, tuple[int | None, str]], *, status="draft", submitted_at=None, previous_round=None
) -> dict:
    """The API's state body, computed independently of the app's scoring code."""
    scores = {key: ratings.get(key, (None, ""))[0] for key in INDICATORS}
    criteria = {}
    for criterion, indicators in CRITERIA.items():
        rated = [scores[key] for key in indicators if scores[key] is not None]
        criteria[criterion] = mean(rated) if rated else None
    rated_criteria = [value for value in criteria.values() if value is not None]
    return {
        "school": SCHULNUMMER,
        "round": ROUND_SLUG,
        "previous_round": previous_round,
        "catalog": {"id": "dortmund-leitfaden", "version": "3"},
        "status": status,
        "version": version,
        "ratings": {
            key: {"score": ratings.get(key, (None, ""))[0], "comment": ratings.get(key, (None, ""))[1]} for key in INDICATORS
        },
        "scores": {"overall": mean(rated_criteria) if rated_criteria else None, "criteria": criteria},
        "completeness": sum(1 for value in scores.values() if value is not None) / len(INDICATORS),
        "submitted_at": submitted_at,
    }


def mean(values):
    return math.fsum(values) / len(values)
