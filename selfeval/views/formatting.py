"""Display helpers for templates: German numbers and dates, form error wiring."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from ..catalog import indicator_letter
from ..reference import schulform_label

LOCAL_TIME = ZoneInfo("Europe/Berlin")


def round_half_up(value: float, places: str = "0.1") -> float:
    """Round as people expect (6,25 -> 6,3), not to the nearest even binary neighbour."""
    return float(Decimal(repr(float(value))).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def format_score(value: float | None) -> str:
    """One decimal with a German comma, rounded half up as people expect (6,25 -> 6,3); a dash for none or NaN."""
    if value is None or math.isnan(value):
        return "–"
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded}".replace(".", ",").replace("-0,0", "0,0")


def format_signed_score(value: float | None) -> str:
    """A change: "+0,5", "-1,3", "0,0"."""
    text = format_score(value)
    return "+" + text if text not in ("0,0", "–") and not text.startswith("-") else text


def format_percent(fraction: float) -> str:
    return f"{round(fraction * 100)} %"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(LOCAL_TIME).strftime("%d.%m.%Y, %H:%M Uhr")


def field_aria(field) -> dict[str, str]:
    """Ties a field to its error message for screen readers."""
    return {"aria-invalid": "true", "aria-describedby": f"{field.id}-error"} if field.errors else {}


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
TEMPLATE_GLOBALS = {"field_aria": field_aria, "form_errors": form_errors}
