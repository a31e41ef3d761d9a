"""How audit entries read in German: field labels, values, actions and indicator titles, and what a reader sees of them.

The audit trail for administrators (admin/audit_log.py), an account's and a school's history (admin) and the
team's history of its assessment (results.py) show entries alike; the templates reach the first three
through `AUDIT_TEMPLATE_GLOBALS`, registered app-wide in views/__init__.py.

A rating entry shows its values as the school shares them with the reader (DATENSCHUTZ.md, "Was eine Schule
teilt"): outside the team, a change of a draft shows that it happened but not its values, and a comment of a
submitted assessment only to whoever may read the team's comments (`withheld_changes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..catalog import Catalog, indicator_letter
from ..extensions import catalogs
from ..forms.plan import indicator_labels
from ..models import AuditEvent, Round
from ..permissions import SchoolFacts, Shared, can_view_scores, can_view_shared_texts
from ..reference import kreis_name, schulform_label
from ..roles import ROLE_LABELS, SCOPE_LABELS
from ..services import audit
from ..services.catalog_snapshots import snapshot_catalog
from ..vocabulary import STATE_COLUMN

if TYPE_CHECKING:
    from ..models import User

SHORT_TITLE = 70
FIELD_LABELS = {
    "email": "E-Mail",
    "display_name": "Name",
    "role": "Rolle",
    "school": "Schule",
    "scopes": "Zuständigkeit",
    "active": "Status",
    "score": "Bewertung",
    "comment": "Anmerkung",
    "name": "Name",
    "schulform": "Schulform",
    "kreis": "Kreis",
    "ort": "Ort",
    "created": "neu angelegt",
    "updated": "geändert",
    "unchanged": "unverändert",
    "rejected": "abgelehnt",
    "warnings": "Warnungen",
    "catalog": "Leitfaden",
    "is_open": STATE_COLUMN,
    "comments_released": "Anmerkungen für Schulaufsicht und Schulträger",
    # Entwicklungspläne (issue 18): a plan change keeps the goals' indicators and the measures with their status.
    "ziele": "Ziele (Indikatoren)",
    "massnahmen": "Maßnahmen",
    "vereinbarung": "Vereinbarung",
}
#: Fields whose value is a long free text (shown folded away on the pages).
TEXT_FIELDS = ("comment",)


def audit_field(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def audit_action(action: str) -> str:
    return audit.ACTIONS.get(action, action)


def audit_value(field: str, value) -> str:
    """One old or new value of an entry as readable German text."""
    if field == "score":
        return "nicht bewertet" if value is None else str(value)
    if value is None:
        return "–"
    if field == "comment":
        return value or "(leer)"
    formats = {
        "role": lambda v: ROLE_LABELS.get(v, v),
        "active": lambda v: "aktiv" if v else "deaktiviert",
        "is_open": lambda v: "offen" if v else "geschlossen",
        "comments_released": lambda v: "freigegeben" if v else "nicht freigegeben",
        "schulform": schulform_label,
        "kreis": lambda v: f"{kreis_name(v)} ({v})",
        "scopes": _scopes_text,
        "ziele": _goals_text,
        "massnahmen": lambda v: ("; ".join(v) or "keine") if isinstance(v, list) else str(v),
    }
    text = formats.get(field, str)(value)
    return text if text != "" else "(leer)"


def _goals_text(value) -> str:
    """["k1b", "k2a, k2b"] → "1b; 2a, 2b" (the indicators as the Leitfaden numbers them)."""
    if not isinstance(value, list):
        return str(value)
    labels = indicator_labels(catalogs.active)
    return "; ".join(", ".join(labels.get(part, part) for part in goal.split(", ")) for goal in value) or "keine"


def _scopes_text(value: str) -> str:
    """ "kreis 05913, schulform 20" → "Kreis Dortmund (05913), Schulform Gymnasium"."""
    parts = []
    for item in filter(None, value.split(", ")):
        kind, _, key = item.partition(" ")
        shown = {"kreis": lambda k: f"{kreis_name(k)} ({k})", "schulform": schulform_label}.get(kind, str)(key)
        parts.append(f"{SCOPE_LABELS.get(kind, kind)} {shown}")
    return ", ".join(parts)


def short_title(text: str, limit: int = SHORT_TITLE) -> str:
    """An indicator's text cut at a word before `limit` characters."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def indicator_titles(catalog: Catalog) -> dict[str, str]:
    """{indicator id: "Indikator 2c) Die Schule nutzt …"} as the rating pages number them."""
    titles = {}
    for number, criterion in enumerate(catalog.criteria, start=1):
        for position, indicator in enumerate(criterion.indicators):
            titles[indicator.id] = f"Indikator {number}{indicator_letter(position)}) {short_title(indicator.text)}"
    return titles


def round_indicator_titles(events: list[AuditEvent]) -> dict[int, dict[str, str]]:
    """The indicator titles of every round that rating entries on this page belong to."""
    rounds: dict[int, Round] = {e.round.id: e.round for e in events if e.action == "rating.changed" and e.round}
    return {round_id: indicator_titles(snapshot_catalog(r.catalog_snapshot)) for round_id, r in rounds.items()}


#: What a rating entry says instead of its values where the school does not share them with the reader.
WITHHELD_DRAFT = {
    "score": "geändert (Wert eines Entwurfs, nur für das Team)",
    "comment": "geändert (Text eines Entwurfs, nur für das Team)",
}
WITHHELD_TEXT = "geändert (Text nicht freigegeben, nur für Team und Medienberatung)"
WITHHELD_GONE = "geändert (die Bewertung gibt es nicht mehr)"


def withheld_changes(reader: User, events: list[AuditEvent], school: SchoolFacts | None = None) -> dict[int, dict[str, str]]:
    """{entry id: {field: what stands instead of its values}} for the rating entries whose values the school does
    not share with `reader` (permissions.can_view_scores, can_view_shared_texts), judged by the assessment as it is now.

    `school`: the one school all entries belong to (an assessment's history); otherwise each entry's own.
    """
    sharing = audit.sharing_of(events)
    withheld = {}
    for event in events:
        if event.action != "rating.changed":
            continue
        assessment = sharing.get((event.school_id, event.round_id))
        why = _withheld_fields(reader, school or event.school, assessment, event.changes)
        if why:
            withheld[event.id] = why
    return withheld


def _withheld_fields(reader: User, school: SchoolFacts | None, assessment: Shared | None, changes: dict) -> dict[str, str]:
    if school is None or assessment is None:  # the school or round was deleted: nothing left to judge by
        return dict.fromkeys(changes, WITHHELD_GONE)
    if not can_view_scores(reader, school, assessment):
        return {field: WITHHELD_DRAFT.get(field, WITHHELD_GONE) for field in changes}
    if not can_view_shared_texts(reader, school, assessment):
        return dict.fromkeys((field for field in changes if field in TEXT_FIELDS), WITHHELD_TEXT)
    return {}


AUDIT_TEMPLATE_GLOBALS = {"audit_field": audit_field, "audit_action": audit_action, "audit_value": audit_value}
