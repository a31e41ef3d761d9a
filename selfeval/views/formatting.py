"""Display helpers for templates: German numbers and dates, form error wiring."""

from __future__ import annotations

from datetime import datetime

from .. import limits, roles
from ..catalog import indicator_letter
from ..display import LOCAL_TIME, format_score, format_signed_score, round_half_up
from ..permissions import can_view_history
from ..reference import schulform_label
from ..vocabulary import STATE_COLUMN, shown_status, state_label, state_text

__all__ = ["LOCAL_TIME", "format_score", "format_signed_score", "round_half_up"]


def format_percent(fraction: float) -> str:
    return f"{round(fraction * 100)} %"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(LOCAL_TIME).strftime("%d.%m.%Y, %H:%M Uhr")


def field_aria(field, hint: bool = False) -> dict[str, str]:
    """Ties a field to its hint (an element with id FIELD-hint) and error message for screen readers."""
    described_by = ([f"{field.id}-hint"] if hint else []) + ([f"{field.id}-error"] if field.errors else [])
    aria = {"aria-describedby": " ".join(described_by)} if described_by else {}
    return {"aria-invalid": "true", **aria} if field.errors else aria


def form_errors(form, within: str = "") -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error, sub-forms included, in form order."""
    found = []
    for field in form:
        if field.type == "FormField":
            found += form_errors(field.form, within=field.label.text)
        else:
            label = f"{within}, {field.label.text}" if within else field.label.text
            found += [(field.id, label, message) for message in field.errors]
    return found


TEMPLATE_FILTERS = {
    "score": format_score,
    "signed_score": format_signed_score,
    "percent": format_percent,
    "datetime": format_datetime,
    "letter": indicator_letter,
    "schulform": schulform_label,
}
TEMPLATE_GLOBALS = {
    "field_aria": field_aria, "form_errors": form_errors, "can_view_history": can_view_history,
    "state_label": state_label, "state_text": state_text, "state_column": STATE_COLUMN, "shown_status": shown_status,
    # The length limits and role names, as models, forms and services use them (maxlength=limits.MAX_…).
    "limits": limits, "account_roles": roles,
}  # fmt: skip
