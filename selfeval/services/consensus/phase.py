"""The team's way of rating, chosen by a Schulleitung member of the team: the phase and its options.

Allowed changes: shared → individual (the team starts rating alone), individual → consensus (the meeting),
consensus → individual (back to the sheets, if the meeting finds the team should think again). The same phase
again only updates the options. "shared" is never chosen again once sheets exist: a team that rated alone decides
together. Each change names the assessment's version it was based on (If-Match): a stale one is a VersionConflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...models import Round, School, User
from ...vocabulary import CONSENSUS_PHASE, INDIVIDUAL_PHASE, SHARED_PHASE
from .. import assessments, audit
from ..assessments import AssessmentState, NotLeadership, VersionConflict, is_leadership_member, load_state
from .team import change_phase, ensure_assessment, ensure_editable, find_assessment, reopen_sheets

ALLOWED = {
    (SHARED_PHASE, INDIVIDUAL_PHASE),
    (INDIVIDUAL_PHASE, CONSENSUS_PHASE),
    (CONSENSUS_PHASE, INDIVIDUAL_PHASE),
}
PHASE_LABELS = {
    SHARED_PHASE: "gemeinsam in einem Formular",
    INDIVIDUAL_PHASE: "Einzelbewertung: jedes Mitglied bewertet für sich",
    CONSENSUS_PHASE: "Konsens: das Team legt die gemeinsamen Werte fest",
}


class PhaseRefused(assessments.AssessmentLocked):
    """Not a change the team can make now (answered like a locked assessment: 409)."""


@dataclass(frozen=True)
class TeamOptions:
    names_visible: bool = False  # members' names beside their values in the spread
    delete_sheets_on_submit: bool = False
    spread_in_report: bool = False  # the report's page "Wo wir uns einig und uneinig waren"


def team_options(school: School, round_: Round) -> TeamOptions:
    assessment = find_assessment(school, round_)
    if assessment is None:
        return TeamOptions()
    return TeamOptions(assessment.spread_names_visible, assessment.delete_sheets_on_submit, assessment.spread_in_report)


def set_phase(
    school: School, round_: Round, user: User, base_version: int, phase: str, options: TeamOptions | None = None
) -> AssessmentState:
    """Move the assessment to `phase` (and set the options, if given); the caller commits."""
    if not is_leadership_member(user, school):
        raise NotLeadership("Nur ein Mitglied der Schulleitung im Team kann die Arbeitsweise wählen.")
    assessment = ensure_assessment(school, round_)
    ensure_editable(assessment)
    if assessment.version != base_version:
        raise VersionConflict(load_state(school, round_), base_version)
    before = assessment.phase
    if before != phase and (before, phase) not in ALLOWED:
        raise PhaseRefused(f"Von „{PHASE_LABELS[before]}“ geht es nicht zu „{PHASE_LABELS.get(phase, phase)}“.")
    values = {}
    if options is not None:
        values = {
            "spread_names_visible": options.names_visible,
            "delete_sheets_on_submit": options.delete_sheets_on_submit,
            "spread_in_report": options.spread_in_report,
        }
    if not change_phase(assessment, base_version, phase, **values):
        raise VersionConflict(load_state(school, round_), base_version)
    if (before, phase) == (CONSENSUS_PHASE, INDIVIDUAL_PHASE):
        reopen_sheets(assessment)  # back to the sheets: everyone says "fertig" again when done
    audit.record("assessment.phase_changed", actor=user, school=school, round_=round_, changes={"phase": [before, phase]})
    return load_state(school, round_)
