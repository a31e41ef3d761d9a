"""Schulaufsicht and Medienberater: the schools of their scope side by side (read-only)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from ..reference import BEZIRKSREGIERUNGEN, kreis_name, schulform_label
from ..scoring.aggregate import MIN_GROUP_SIZE
from ..services import analytics as analytics_service
from ..services.rounds import all_rounds
from ..vocabulary import STATE_LABELS
from .charts import distribution_chart
from .guards import analytics_audience
from .heatmap import heat_legend, heatmap_page, parse_sorting
from .selection_query import FILTERS, requested_round, selection_from_query, selection_query

blueprint = Blueprint("supervision", __name__, url_prefix="/auswertung")



blueprint.before_request(analytics_audience)


@blueprint.get("/")
def overview():
    rounds = all_rounds()
    if not rounds:
        return render_template("supervision/overview.html", analytics=None, rounds=[])
    round_ = requested_round()
    selection, ignored = selection_from_query()
    analytics = analytics_service.analyse(current_user, round_, selection)
    criterion_ids = [criterion.id for criterion in analytics.catalog.criteria]
    sorting = parse_sorting(request.args.get("sortierung"), request.args.get("richtung"), criterion_ids)
    page = heatmap_page(analytics, sorting, request.args.get("seite", 1, type=int))
    return render_template(
        "supervision/overview.html",
        analytics=analytics,
        rounds=rounds,
        round=round_,
        selection=selection,
        ignored=ignored,
        page=page,
        choices=_filter_choices(analytics, selection),
        legend=heat_legend(analytics.catalog.scale.min, analytics.catalog.scale.max),
        distribution=distribution_chart(analytics),
        round_means=analytics_service.means_over_rounds(current_user, selection, analytics.catalog),
        min_group_size=MIN_GROUP_SIZE,
        status_labels=STATE_LABELS,
        sort_url=_sort_url,
        page_url=_page_url,
        export_url=_export_url,
        area_url=_area_url,
    )


def _filter_choices(analytics, selection) -> dict[str, list[tuple[str, str]]]:
    """What occurs in the user's scope, plus what is chosen (a chosen value always shows as chosen)."""
    scope = analytics.scope
    kreise = sorted(set(scope["kreis"]) | set(selection.kreise), key=lambda key: kreis_name(key).casefold())
    schulformen = sorted(set(scope["schulform"]) | set(selection.schulformen))
    bezirke = set(scope["bezirksregierung"]) | set(selection.bezirke)
    return {
        "schulform": [(code, schulform_label(code)) for code in schulformen],
        "kreis": [(key, kreis_name(key)) for key in kreise],
        "bezirk": [(name, name) for name in BEZIRKSREGIERUNGEN if name in bezirke],
        "traeger": _traeger_choices(scope, selection),
        "status": list(STATE_LABELS.items()),
    }


def _traeger_choices(scope, selection) -> list[tuple[str, str]]:
    """The Schulträger of the schools in scope by name (a chosen one always shows)."""
    known = scope.dropna(subset=["traeger_nummer"]).drop_duplicates("traeger_nummer")
    names = {row.traeger_nummer: row.traeger_name or "Schulträger" for row in known.itertuples()}
    for nummer in selection.traeger:
        names.setdefault(nummer, "Schulträger")
    ordered = sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))
    return [(nummer, f"{name} ({nummer})") for nummer, name in ordered]


def _current_query(**changes) -> dict:
    query = {key: request.args.getlist(key) for key in ("runde", *FILTERS, "sortierung", "richtung", "seite")}
    query = {key: values for key, values in query.items() if values}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query


def _sort_url(key: str, current) -> str:
    """Clicking the sorted column again reverses it; another column starts ascending."""
    direction = "auf" if current.key != key or current.descending else "ab"
    return url_for("supervision.overview", **_current_query(sortierung=key, richtung=direction, seite=None))


def _page_url(number: int) -> str:
    return url_for("supervision.overview", **_current_query(seite=number))


def _export_url(round_slug: str, file_format: str, selection) -> str:
    return url_for("api.export", round=round_slug, format=file_format, **selection_query(selection))


def _area_url(round_slug: str, selection, *, pdf: bool = False) -> str:
    endpoint = "supervision.area_report_pdf" if pdf else "supervision.area_report"
    return url_for(endpoint, runde=round_slug, **selection_query(selection))
