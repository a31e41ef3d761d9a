"""JSON API v1: the same services as the pages, for autosave and for other programs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, make_response, request, url_for
from flask_login import current_user
from pydantic import ValidationError

from ..exports import ExportData, to_csv, to_xlsx
from ..extensions import catalogs, csrf
from ..models import School
from ..permissions import can_edit_assessment, can_use_analytics, can_view_assessment, can_view_scores, can_view_shared_texts
from ..reference import kreis
from ..reports.batch import report_filename
from ..reports.cache import cached_pdf
from ..services import analytics, assessments, reports
from ..services.accounts import principal_for_token, user_for_token
from ..services.area_report import selection_suffix
from ..services.consensus import phase as consensus_phase
from ..services.consensus import sheets as member_sheets
from ..services.consensus.spread import load_spread
from ..services.errors import InvalidInput, NotFound
from ..services.history import school_history
from ..services.monitoring import monitoring_csv
from ..services.rounds import current_round, get_round, previous_round
from ..services.schools import get_school, schools_page_visible_to
from .api_models import openapi_document
from .api_models.consensus import PhaseChange
from .api_models.errors import error_body
from .api_models.ratings import InvalidBody, rating_changes
from .api_requests import ApiError, if_match_version, json_body
from .downloads import pdf_response
from .json_body import JsonBody
from .paging_links import page_links
from .refusals import log_refusal
from .serializers import (
    analytics_to_json,
    catalog_to_json,
    history_to_json,
    school_summary_to_json,
    schools_to_json,
    sheet_to_json,
    spread_to_json,
    state_to_json,
)

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer calls carry no cookie and need no CSRF token; session calls are checked below.
csrf.exempt(blueprint)
PUBLIC_ENDPOINTS = {"api.openapi", "api.catalog"}
INVALID = "Die Eingaben sind ungültig; nichts wurde gespeichert."
INVALID_QUERY = "Die Abfrage ist ungültig."
EXPORT_FORMATS = {
    "csv": (to_csv, "text/csv"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
#: The autosave's read and save take a token's account as a `Principal` (services.accounts.principal); others a `User`.
PRINCIPAL_ENDPOINTS = frozenset({"api.get_assessment", "api.put_assessment"})
#: GET /schools: 500 schools are about 90 KB of JSON; all 24,000 of a large installation were 4.3 MB in one answer.
DEFAULT_PER_PAGE, MAX_PER_PAGE, LARGEST_PAGE = 500, 2000, 1_000_000


#: "The caller has not read the previous round's slug": distinct from None, which means there is none.
_UNKNOWN: Any = object()


@blueprint.errorhandler(ApiError)
def api_error_response(error: ApiError):
    log_refusal(error.status)
    response = jsonify(error_body(error.status, error.message, **error.extra))
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="selfeval"'
    return response, error.status


@blueprint.before_request
def authenticate():
    g.api_user = None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        look_up = principal_for_token if request.endpoint in PRINCIPAL_ENDPOINTS else user_for_token
        user = look_up(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise ApiError(401, "Das Token ist ungültig oder abgelaufen.")
        g.api_user = user
    elif current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            csrf.protect()  # the page sends its token in the X-CSRFToken header
        g.api_user = current_user._get_current_object()
    elif request.endpoint not in PUBLIC_ENDPOINTS:
        raise ApiError(401, "Anmeldung erforderlich: Authorization: Bearer <Token>.")


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(catalogs.active))


@blueprint.get("/catalog")
def catalog():
    return jsonify(catalog_to_json(catalogs.active))


@blueprint.get("/schools/<schulnummer>/assessments/<round_slug>")
def get_assessment(schulnummer: str, round_slug: str):
    fetched, round_ = _fetch_assessment(schulnummer, round_slug, write=False)
    state = assessments.state_of(fetched, schulnummer, round_)
    school = fetched.school
    assert school is not None  # noqa: S101 - _fetch_assessment refuses an unknown school  # nosec B101
    shared = {
        "scores_shown": can_view_scores(g.api_user, school, state),
        "texts_shown": can_view_shared_texts(g.api_user, school, state),
    }
    return _state_response(state, fetched.previous_round_slug, **shared)


@blueprint.put("/schools/<schulnummer>/assessments/<round_slug>")
def put_assessment(schulnummer: str, round_slug: str):
    """The autosave's path: token, address + assessment, version, ratings, audit trail: 5 statements (docs/BENCHMARKS.md)."""
    body = JsonBody.read(ApiError)
    merge = assessments.rows.MergeQuery(g.api_user.id, body.rating_keys())
    fetched, round_ = _fetch_assessment(schulnummer, round_slug, write=True, merge=merge)
    base_version = if_match_version()
    changes = _rating_changes(body.value(), assessments.catalog_of(fetched, round_))
    school_id = fetched.school.id if fetched.school else 0
    # A refusal (version conflict, locked) is answered by views.service_errors with the documented status.
    state = assessments.save_fetched(fetched, school_id, schulnummer, round_, g.api_user, base_version, changes)
    return _state_response(state, fetched.previous_round_slug)


def _fetch_assessment(schulnummer: str, round_slug: str, *, write: bool, merge=None):
    """School, round and assessment in one statement; 404 (school), 403, 404 (round) in the order of the other routes."""
    try:
        fetched = assessments.fetch_addressed(schulnummer, round_slug, merge)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None
    allowed = can_edit_assessment if write else can_view_assessment
    if fetched.school is None or not allowed(g.api_user, fetched.school):
        raise ApiError(403, "Kein Zugriff auf die Bewertung dieser Schule.")
    if fetched.round is None:
        raise ApiError(404, f"Erhebungsrunde {round_slug} nicht gefunden")
    return fetched, fetched.round


@blueprint.post("/schools/<schulnummer>/assessments/<round_slug>/submit")
def submit_assessment(schulnummer: str, round_slug: str):
    school, round_ = _school_and_round(schulnummer, round_slug, write=True)
    base_version = if_match_version()
    return _state_response(assessments.submit(school, round_, g.api_user, base_version))


@blueprint.put("/schools/<schulnummer>/assessments/<round_slug>/phase")
def put_phase(schulnummer: str, round_slug: str):
    """How the team rates (issue 21): a Schulleitung member of the team; the refusals are services.consensus's."""
    school, round_ = _school_and_round(schulnummer, round_slug, write=True)
    base_version = if_match_version()
    change = _phase_change(json_body())
    current = consensus_phase.team_options(school, round_)
    given = change.model_dump(exclude_unset=True)
    options = consensus_phase.TeamOptions(**{
        name: given.get(name, getattr(current, name)) for name in ("names_visible", "delete_sheets_on_submit", "spread_in_report")
    })  # fmt: skip
    return _state_response(consensus_phase.set_phase(school, round_, g.api_user, base_version, change.phase, options))


@blueprint.get("/schools/<schulnummer>/assessments/<round_slug>/mine")
def get_my_sheet(schulnummer: str, round_slug: str):
    """The caller's own sheet: team members only (write access), for nobody else sees a sheet."""
    school, round_ = _school_and_round(schulnummer, round_slug, write=True)
    return _sheet_response(member_sheets.load_sheet(school, round_, g.api_user))


@blueprint.put("/schools/<schulnummer>/assessments/<round_slug>/mine")
def put_my_sheet(schulnummer: str, round_slug: str):
    school, round_ = _school_and_round(schulnummer, round_slug, write=True)
    base_version = if_match_version()
    changes = _rating_changes(json_body(), analytics.round_catalog(round_))
    return _sheet_response(member_sheets.save_sheet(school, round_, g.api_user, base_version, changes))


@blueprint.get("/schools/<schulnummer>/assessments/<round_slug>/spread")
def get_spread(schulnummer: str, round_slug: str):
    """The team's spread, for the team's members only; 409 while the individual phase is on."""
    school, round_ = _school_and_round(schulnummer, round_slug, write=True)
    return jsonify(spread_to_json(load_spread(school, round_)))


def _phase_change(body) -> PhaseChange:
    try:
        return PhaseChange.model_validate(body)
    except ValidationError as exc:
        errors = [{"location": ".".join(map(str, e["loc"])) or "phase", "message": _phase_message(e)} for e in exc.errors()]
        raise ApiError(422, INVALID, errors=errors) from None


def _phase_message(error) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    if field == "phase" or not field:
        return "Erwartet wird „phase“: „individual“ oder „consensus“."
    if field in PhaseChange.model_fields:
        return f"„{field}“ ist true oder false."
    return f"Unbekanntes Feld „{field}“."


def _sheet_response(sheet: member_sheets.SheetState):
    response = make_response(jsonify(sheet_to_json(sheet)))
    response.headers["ETag"] = f'"{sheet.version}"'
    return response


@blueprint.get("/schools/<schulnummer>/history")
def get_history(schulnummer: str):
    """Every round in which the school has an assessment, in school-year order; scores only once submitted."""
    school = _visible_school(schulnummer, write=False)
    started = [result for result in school_history(school) if result.status != "not_started"]
    return jsonify(history_to_json(school.schulnummer, started))


@blueprint.get("/schools/<schulnummer>/reports/<round_slug>.pdf")
def report_pdf(schulnummer: str, round_slug: str):
    """The improvement report of one school and round as PDF (drafts are marked as such)."""
    school, round_ = _school_and_round(schulnummer, round_slug, write=False)
    try:
        data = reports.report_for(
            school, round_, for_the_team=can_edit_assessment(g.api_user, school), reader=g.api_user
        )
    except reports.NothingToReport as exc:
        raise ApiError(404, str(exc)) from None
    except reports.DraftNotShared as exc:
        raise ApiError(403, str(exc)) from None
    return pdf_response(cached_pdf(data), report_filename(data, round_.slug))


@blueprint.get("/schools")
def list_schools():
    """One page of the schools in the caller's scope, by Schulnummer; the total and the other pages in headers.

    The body stays the list it always was (API v1's clients keep working); `X-Total-Count` is the number of schools
    on all pages, `Link` (RFC 8288) names the first, previous, next and last page. A page beyond the last is empty.
    """
    page, per_page = _paging_from_query()
    round_ = _round_from_query(required=False)
    offset = (page - 1) * per_page
    if round_ is None:  # no round yet: the schools alone, without status and score
        schools, total = schools_page_visible_to(g.api_user, offset, per_page)
        body = [_school_without_round(school) for school in schools]
    else:
        summaries = analytics.school_summaries(g.api_user, round_).sort_index()
        total, body = len(summaries), schools_to_json(summaries.iloc[offset : offset + per_page])
    response = jsonify(body)
    response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = page_links(
        lambda number: url_for("api.list_schools", **_query_without_paging(), page=number, per_page=per_page),
        page,
        pages=max(1, -(-total // per_page)),
    )
    return response


def _paging_from_query() -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1 to MAX_PER_PAGE); 422 naming each bad value."""
    limits = {"page": (1, LARGEST_PAGE), "per_page": (DEFAULT_PER_PAGE, MAX_PER_PAGE)}
    parsed, errors = {}, []
    for name, (default, largest) in limits.items():
        raw = request.args.get(name) or str(default)
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= largest:
            parsed[name] = int(raw)
        else:
            errors.append({"location": name, "message": f"Erlaubt ist eine ganze Zahl von 1 bis {largest}."})
    if errors:
        raise ApiError(422, INVALID_QUERY, errors=errors)
    return parsed["page"], parsed["per_page"]


def _query_without_paging() -> dict[str, list[str]]:
    return {key: request.args.getlist(key) for key in request.args if key not in ("page", "per_page")}


def _school_without_round(school: School) -> dict[str, Any]:
    found = kreis(school.kreis)
    return school_summary_to_json({
        "schulnummer": school.schulnummer, "name": school.name, "schulform": school.schulform, "kreis": school.kreis,
        "bezirksregierung": found.bezirksregierung if found else "", "ort": school.ort, "status": None, "overall": None,
    })  # fmt: skip


@blueprint.get("/analytics")
def round_analytics():
    _require_analytics_role()
    round_ = _round_from_query(required=True)
    result = analytics.analyse(g.api_user, round_, _selection_from_query())
    return jsonify(analytics_to_json(result))


@blueprint.get("/export")
def export():
    _require_analytics_role()
    round_ = _round_from_query(required=True)
    file_format = request.args.get("format", "")
    if file_format not in EXPORT_FORMATS and file_format != "monitoring":
        message = "Erlaubt sind „csv“, „xlsx“ und „monitoring“."
        raise ApiError(422, INVALID_QUERY, errors=[{"location": "format", "message": message}])
    selection = _selection_from_query()
    if file_format == "monitoring":
        response = make_response(monitoring_csv(g.api_user, round_, selection))
        response.mimetype = "text/csv"
        filename = f"monitoring-{round_.slug}{selection_suffix(selection)}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    result = analytics.analyse(g.api_user, round_, selection)
    data = ExportData(result.round_name, result.catalog, result.schools, result.indicator_scores, result.criterion_scores)
    render, mimetype = EXPORT_FORMATS[file_format]
    response = make_response(render(data))
    response.mimetype = mimetype
    filename = f"auswertung-{round_.slug}{selection_suffix(selection)}.{file_format}"  # round and filter in the name
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _require_analytics_role() -> None:
    if not can_use_analytics(g.api_user):
        raise ApiError(403, "Auswertungen stehen der Schulaufsicht, den Medienberatungen und der Verwaltung offen.")


def _round_from_query(*, required: bool):
    slug = request.args.get("round")
    if not slug:
        if required:
            raise ApiError(422, INVALID_QUERY, errors=[{"location": "round", "message": "Der Parameter „round“ fehlt."}])
        return current_round()
    try:
        return get_round(slug)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None


def _selection_from_query() -> analytics.Selection:
    # An empty value means "all", as the page's form sends it.
    values = {name: [v for v in request.args.getlist(name) if v] for name in ("schulform", "kreis", "bezirk", "traeger")}
    try:
        return analytics.parse_selection(values)
    except InvalidInput as exc:
        errors = [{"location": name, "message": message} for name, message in exc.problems.items()]
        raise ApiError(422, INVALID_QUERY, errors=errors) from None


def _rating_changes(body, catalog):
    """The body's ratings as changes; 422 listing every problem of the body at once (api_models.ratings)."""
    try:
        return rating_changes(body, catalog)
    except InvalidBody as exc:
        raise ApiError(422, INVALID, errors=[error.as_dict() for error in exc.errors]) from None


def _school_and_round(schulnummer: str, round_slug: str, *, write: bool):
    school = _visible_school(schulnummer, write=write)
    try:
        return school, get_round(round_slug)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None


def _visible_school(schulnummer: str, *, write: bool) -> School:
    """The school, if the caller may read (or write) its assessments; 404 or 403 otherwise."""
    try:
        school = get_school(schulnummer)
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None
    allowed = can_edit_assessment if write else can_view_assessment
    if not allowed(g.api_user, school):
        raise ApiError(403, "Kein Zugriff auf die Bewertung dieser Schule.")
    return school


def previous_slug(state: assessments.AssessmentState) -> str | None:
    """The round before the state's one in school-year order (services.rounds decides which that is)."""
    before = previous_round(get_round(state.round_slug))
    return before.slug if before is not None else None


def _previous_or(known: str | None, state: assessments.AssessmentState) -> str | None:
    return previous_slug(state) if known is _UNKNOWN else known


def _state_response(
    state: assessments.AssessmentState,
    previous: str | None = _UNKNOWN,
    *,
    scores_shown: bool = True,
    texts_shown: bool = True,
):
    """PUT and submit answer the team, which sees everything; GET answers what the school shares with the caller."""
    document = state_to_json(state, _previous_or(previous, state), scores_shown=scores_shown, texts_shown=texts_shown)
    response = make_response(jsonify(document))
    response.headers["ETag"] = f'"{state.version}"'
    return response
