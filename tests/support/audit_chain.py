"""Does an assessment's audit trail tell the same story as its ratings? Shared by the concurrency and crash tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from selfeval.models import AuditEvent

NEW_RATING = {"score": None, "comment": ""}  # what a rating is before its first save, as the trail records it


def audit_chain_problems(events: Iterable[AuditEvent], stored: Mapping[str, tuple[int | None, str]]) -> list[str]:
    """Replays the "rating.changed" entries (oldest first): each must start where the one before ended, and the
    last one of every indicator must end at the stored (score, comment). Returns what disagrees, [] if nothing."""
    problems = []
    replayed: dict[str, dict] = {}
    for event in sorted(events, key=lambda e: e.id):
        if event.action != "rating.changed":
            continue
        values = replayed.setdefault(event.subject, dict(NEW_RATING))
        for field, (old, new) in event.changes.items():
            if values[field] != old:
                problems.append(f"entry {event.id} ({event.subject}.{field}) starts at {old!r}, not at {values[field]!r}")
            values[field] = new
    final = {indicator: (values["score"], values["comment"]) for indicator, values in replayed.items()}
    if final != dict(stored):
        problems.append(f"the trail ends at {final}, the ratings are {dict(stored)}")
    return problems
