"""One vocabulary for what people read about an assessment (pure, no Flask).

Pages, CSV/XLSX exports, PDF and web reports, the heatmap, the audit trail and the API's messages
take their words from here, so that a state is called the same everywhere (README, "Glossar").
An assessment is "nicht begonnen", a "Entwurf" or "abgeschlossen"; the team "schließt" it "ab"
("Bewertung abschließen") and a Schulleitung member can open it again ("wieder öffnen"). The column
or filter that shows the state is called "Stand", as for a round ("offen", "geschlossen"). An account's
state is its "Status" (aktiv, eingeladen, deaktiviert): a different thing, on the admin pages only.
"""

from __future__ import annotations

#: An assessment's status as stored; a school without an assessment has "not_started" (derived, never stored).
DRAFT_STATUS = "draft"
SUBMITTED_STATUS = "submitted"
NOT_STARTED_STATUS = "not_started"
ASSESSMENT_STATUSES = (DRAFT_STATUS, SUBMITTED_STATUS)

NOT_STARTED = "nicht begonnen"
DRAFT = "Entwurf"
SUBMITTED = "abgeschlossen"
#: status as stored ("draft", "submitted") or derived for schools without an assessment ("not_started").
STATE_LABELS = {NOT_STARTED_STATUS: NOT_STARTED, DRAFT_STATUS: DRAFT, SUBMITTED_STATUS: SUBMITTED}
#: The heading of a column, filter or fact that shows a state.
STATE_COLUMN = "Stand"
#: A draft where there is room for a few words only (the PDF's page header).
DRAFT_SHORT = f"{DRAFT}, noch nicht {SUBMITTED}"
#: The audit trail's words for the two changes of state.
SUBMITTED_EVENT = f"Bewertung {SUBMITTED}"
REOPENED_EVENT = "Bewertung wieder geöffnet"


def state_label(status: str | None) -> str:
    """The state in one word; no status (no assessment yet) is "nicht begonnen", an unknown one stays as it is."""
    return STATE_LABELS.get(status or "not_started", status or NOT_STARTED)


def shown_status(status: str | None, rated: int) -> str:
    """The status as pages name it: a draft without a single rating (or no assessment at all) has not begun, as
    the heatmap and the exports say; a reopened assessment keeps its ratings and is a draft again."""
    if status == "submitted":
        return "submitted"
    return "draft" if status == "draft" and rated else "not_started"


def state_text(status: str | None, rated: int, total: int, when: str = "") -> str:
    """The state with what matters about it: when it was completed, or how far a draft has got.

    A draft without a single rating has not begun in any sense a reader cares about.
    """
    if status == "submitted":
        return f"{SUBMITTED} am {when}" if when else SUBMITTED
    if status == "draft" and rated:
        return f"{DRAFT} ({rated} von {total} Indikatoren bewertet)"
    return NOT_STARTED


#: An account's "Status" on the admin pages: it can log in, it waits for its owner to set a password, or it is switched off.
ACCOUNT_ACTIVE = "aktiv"
ACCOUNT_INVITED = "eingeladen"
ACCOUNT_DEACTIVATED = "deaktiviert"
ACCOUNT_STATUSES = (ACCOUNT_ACTIVE, ACCOUNT_INVITED, ACCOUNT_DEACTIVATED)
