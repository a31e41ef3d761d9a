"""The rounds a school's team can act on or look back at, for the team's start page.

A new round must never hide an open draft: the draft of an earlier round that is still open
comes first, then the current round, then the rounds the school took part in before (an
archive with their results). Closed rounds the school never took part in are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, Round, School
from .assessments import AssessmentState, load_states
from .rounds import all_rounds, current_of


@dataclass(frozen=True)
class RoundEntry:
    round: Round
    state: AssessmentState
    started: bool  # False: the school has no assessment in this round yet

    @property
    def is_open_draft(self) -> bool:
        return self.started and self.state.status == "draft" and self.round.is_open


@dataclass(frozen=True)
class SchoolRounds:
    school: School
    open_drafts: list[RoundEntry]  # drafts in open rounds other than the current one, latest school year first
    current: RoundEntry | None
    archive: list[RoundEntry]  # every other round the school took part in or can still start, latest first

    @property
    def only_the_current_round(self) -> bool:
        """Nothing to choose from: the start page may lead straight to the current round."""
        return self.current is not None and not self.open_drafts and not self.archive


def school_rounds(school: School) -> SchoolRounds:
    rounds = all_rounds()
    current = current_of(rounds)
    started = set(db.session.scalars(select(Assessment.round_id).where(Assessment.school_id == school.id)))
    listed = [r for r in reversed(rounds) if r is current or r.id in started or r.is_open]
    states = load_states(school, listed)
    open_drafts: list[RoundEntry] = []
    archive: list[RoundEntry] = []
    current_entry: RoundEntry | None = None
    for round_ in listed:
        entry = RoundEntry(round_, states[round_.id], round_.id in started)
        if round_ is current:
            current_entry = entry
        else:
            (open_drafts if entry.is_open_draft else archive).append(entry)
    return SchoolRounds(school, open_drafts, current_entry, archive)
