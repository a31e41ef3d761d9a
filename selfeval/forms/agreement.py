"""The plan page's agreement form (the Medienberatung records a consultation): its fields, and its input to keep.

Plain HTML fields like the plan's (forms/plan.py); the values are checked by planning.check_agreement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The posted field names and their labels, in the order of the page.
AGREEMENT_FIELDS = {"date": "Datum des Gesprächs", "participants": "Teilnehmende", "text": "Was vereinbart wurde",
                    "next_contact": "Nächster Kontakt"}  # fmt: skip
#: Any one posted value longer than this came from no page of ours (the longest field holds 4,000 characters).
MAX_VALUE = 8000


def agreement_values(formdata: Mapping[str, Any]) -> dict[str, str]:
    """The four fields as posted (missing ones empty)."""
    return {name: str(formdata.get(name) or "") for name in AGREEMENT_FIELDS}


def posted_agreement_input(formdata: Mapping[str, Any]) -> dict[str, str] | None:
    """The agreement's fields of a posted form, to keep across a new log-in; None when nothing was typed or a value
    is longer than any field of the page allows."""
    values = agreement_values(formdata)
    if not any(value.strip() for value in values.values()) or any(len(value) > MAX_VALUE for value in values.values()):
        return None
    return values


def kept_agreement(payload: Mapping[str, Any]) -> dict[str, str]:
    """Kept input (posted_agreement_input) as the form's values."""
    return {name: payload[name] for name in AGREEMENT_FIELDS if isinstance(payload.get(name), str)}
