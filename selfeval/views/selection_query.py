"""The round and filters of the analytics pages, read from and written to the query string.

Shared by the supervision overview and the area report (views/area_report.py): no blueprint borrows another's.
"""

from __future__ import annotations

from flask import abort, request

from ..services import analytics as analytics_service
from ..services.errors import InvalidInput, NotFound
from ..services.rounds import current_round, get_round
from ..vocabulary import STATE_COLUMN

FILTERS = {
    "schulform": "Schulform", "kreis": "Kreis", "bezirk": "Bezirksregierung", "traeger": "Schulträger", "status": STATE_COLUMN,
}  # fmt: skip


def requested_round():
    slug = request.args.get("runde")
    if not slug:
        return current_round()
    try:
        return get_round(slug)
    except NotFound:
        abort(404)


def selection_from_query() -> tuple[analytics_service.Selection, list[str]]:
    """The filters of the query; a value we do not know is left out and named on the page."""
    values = {name: [v for v in request.args.getlist(name) if v] for name in FILTERS}
    ignored = []
    for name in FILTERS:
        kept = []
        for value in values[name]:
            try:
                analytics_service.parse_selection({name: [value]})
                kept.append(value)
            except InvalidInput:
                ignored.append(f"{FILTERS[name]} „{value[:40]}“")
        values[name] = kept
    return analytics_service.parse_selection(values), ignored


def selection_query(selection) -> dict[str, list[str]]:
    """The selection's filters as query parameters (the status filter is the table's and stays out)."""
    return {
        "schulform": list(selection.schulformen),
        "kreis": list(selection.kreise),
        "bezirk": list(selection.bezirke),
        "traeger": list(selection.traeger),
    }
