"""A rating (or plan) save that arrives after the session ended keeps the input across the new log-in (issue 16).

Three ways a save meets a dead session: the idle timeout (the browser has dropped the cookie, so the
CSRF token is missing), a log-out on another device (the cookie's account key was replaced, so the user
is gone), a tab opened before a new log-in (its CSRF token is the old session's). All three would answer
a bare 400 or a redirect to the log-in page and drop what was typed. Instead the posted ratings are kept
(services.unsaved_input), the browser gets a cookie with the token that finds them, and the person logs
in and finds the criterion page with exactly that input, not yet saved, one click from saving.

Whose input it is cannot come from the session, so every rating page carries a signed owner field (the
account and school it was rendered for). Only input with a valid owner field is kept, and only that
account gets it back: a forged cross-site post cannot slip its values into someone's form, and nobody
else logging in on the same browser sees them.

The plan page (issue 18) has two such forms: the team's plan and the Medienberatung's agreement. The agreement's
owner field names its form ("vereinbarung"), and its owner must be an adviser who may record agreements for the
school (permissions.can_record_agreement), where a team form's owner must be a team member who may edit it. The
page's other buttons ("Bestätigen", "Offene Maßnahmen übernehmen") carry nothing typed: after an ended session
they lead back to the plan page (through the log-in) with a message saying that nothing was done yet.
"""

from __future__ import annotations

from flask import Flask, after_this_request, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_url
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData, URLSafeTimedSerializer

from ..extensions import db
from ..forms.agreement import posted_agreement_input
from ..forms.plan import posted_plan_input
from ..forms.rating import posted_input
from ..models import Round, School, User
from ..permissions import can_edit_assessment, can_record_agreement
from ..services import assessments, unsaved_input
from ..services.errors import NotFound
from ..services.rounds import get_round
from ..services.schools import get_school
from ..unit_of_work import attempt, commit_now
from .errors import http_error

RATING_ENDPOINT = "assessment.edit_criterion"
#: The rating pages whose input is kept, and how their kept input is told apart: a member's own sheet (issue 21)
#: keeps it under "einzeln:<criterion>", so that it comes back on the sheet, never in the team's form.
KEPT_UNDER = {RATING_ENDPOINT: "", "consensus.edit_sheet": "einzeln:"}
#: The plan page (issue 18) keeps its input the same way, under this key instead of a criterion's.
PLAN_ENDPOINT = "plans.edit"
PLAN_KEPT = "plan"
#: The plan page's agreement form (the Medienberatung's) keeps its input under this key, with its own owner field.
AGREEMENT_ENDPOINT = "plans.record_agreement"
AGREEMENT_KEPT = "vereinbarung"
#: The plan page's buttons without typed input: (what was not done, the button to choose again).
PLAN_BUTTONS = {
    "plans.confirm_agreement": ("ist die Vereinbarung noch nicht bestätigt", "„Bestätigen“"),
    "plans.carry_over": ("ist noch nichts übernommen", "„Offene Maßnahmen übernehmen“"),
}
OWNER_FIELD = "page_owner"
COOKIE = "selfeval_unsaved"
COOKIE_PATH = "/schulen/"
#: Tokens one browser holds at once (one per criterion page is plenty).
MAX_TOKENS = 6
#: A rating page's owner field is good for a day: longer than any session can last.
OWNER_MAX_AGE = 24 * 3600

SESSION_ENDED = (
    "Ihre Sitzung war abgelaufen, deshalb ist noch nichts gespeichert. Ihre Eingaben sind aufbewahrt: "
    "Melden Sie sich wieder an, dann sehen Sie sie und können sie speichern."
)
OLD_PAGE = (
    "Diese Seite stammte aus einer früheren Anmeldung, deshalb ist noch nichts gespeichert. "
    "Ihre Eingaben stehen wieder im Formular: Bitte prüfen Sie sie und speichern Sie dann."
)
BUTTON_SESSION_ENDED = (
    "Ihre Sitzung war abgelaufen, deshalb {not_done}. Bitte melden Sie sich wieder an und wählen Sie dann noch einmal {button}."
)
BUTTON_OLD_PAGE = "Diese Seite stammte aus einer früheren Anmeldung, deshalb {not_done}. Bitte wählen Sie noch einmal {button}."
OTHER_ACCOUNT = (
    "Diese Seite war für ein anderes Konto geöffnet, deshalb ist nichts gespeichert. Die Eingaben sind vier "
    "Stunden lang für dieses Konto aufbewahrt: Melden Sie sich damit an und öffnen Sie die Seite erneut."
)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_failed)


def owner_token(user: User, school: School, round_: Round, form: str = "") -> str:
    """The signed owner field of a rating page rendered for `user` (`form`: AGREEMENT_KEPT for the agreement's)."""
    claim: dict = {"user": user.id, "school": school.id, "round": round_.id}
    if form:
        claim["form"] = form
    return _serializer().dumps(claim)


def keep_or_none(view_args: dict):
    """For a rating, plan or agreement save without a usable session: keep the input and answer with a redirect, or
    None. A plan page button without input gets its redirect with a message (nothing was done)."""
    if request.method != "POST" or request.endpoint not in (*KEPT_UNDER, PLAN_ENDPOINT, AGREEMENT_ENDPOINT, *PLAN_BUTTONS):
        return None
    if _holds_nul(view_args):
        # CSRF is checked before the request guard that refuses NUL, and PostgreSQL cannot even compare text
        # holding one: no page of ours sends it, so such a request gets the plain 400.
        return None
    try:
        school, round_ = get_school(view_args["schulnummer"]), get_round(view_args["round_slug"])
        if request.endpoint in PLAN_BUTTONS:
            return _button_again(school, round_)
        key, payload, page = _posted(school, round_, view_args)
    except (KeyError, NotFound):
        return None
    owner = _owner(school, round_)
    if payload is None or owner is None:
        return None
    with attempt(unsaved_input.NoRoomToKeep) as failed:
        token = unsaved_input.keep(school, round_, key, owner, payload)
    if failed.error is not None:
        return None
    if not current_user.is_authenticated:
        flash(SESSION_ENDED, "warning")
        response = _to_log_in(page)
    else:
        flash(OLD_PAGE if current_user.id == owner.id else OTHER_ACCOUNT, "warning")
        response = redirect(page, 303)
    _set_tokens(response, [*_tokens(), token])
    return response


def _posted(school: School, round_: Round, view_args: dict) -> tuple[str, dict | None, str]:
    """(the key the input is kept under, the input, the page it returns to) of a rating or plan page's save."""
    address = {"schulnummer": school.schulnummer, "round_slug": round_.slug}
    if request.endpoint == PLAN_ENDPOINT:
        return PLAN_KEPT, posted_plan_input(request.form), url_for(PLAN_ENDPOINT, **address)
    if request.endpoint == AGREEMENT_ENDPOINT:
        page = url_for(PLAN_ENDPOINT, _anchor="vereinbarungen", **address)
        return AGREEMENT_KEPT, posted_agreement_input(request.form), page
    catalog = assessments.load_state(school, round_).catalog
    criterion = catalog.criterion(view_args["criterion_id"])
    endpoint = request.endpoint or RATING_ENDPOINT
    page = url_for(endpoint, criterion_id=criterion.id, **address)
    return KEPT_UNDER[endpoint] + criterion.id, posted_input(criterion, catalog.scale, request.form), page


def _button_again(school: School, round_: Round):
    """A plan page button from a page whose session ended: back to the page (through the log-in), nothing done."""
    not_done, button = PLAN_BUTTONS[request.endpoint or ""]
    anchor = "vereinbarungen" if request.endpoint == "plans.confirm_agreement" else None
    page = url_for(PLAN_ENDPOINT, schulnummer=school.schulnummer, round_slug=round_.slug, _anchor=anchor)
    if not current_user.is_authenticated:
        flash(BUTTON_SESSION_ENDED.format(not_done=not_done, button=button), "warning")
        return _to_log_in(page)
    flash(BUTTON_OLD_PAGE.format(not_done=not_done, button=button), "warning")
    return redirect(page, 303)


def _to_log_in(page: str):
    # As Flask-Login's own redirect spells it; the log-in's next address has no fragment (the browser keeps none).
    return redirect(login_url("auth.login", next_url=page.split("#", 1)[0]), 303)


def take_kept_input(school: School, round_: Round, criterion_id: str) -> unsaved_input.KeptInput | None:
    """The input this browser had kept for this page and the logged-in user, handed out once."""
    tokens = _tokens()
    if not tokens:
        return None
    kept = unsaved_input.take(tokens, school, round_, criterion_id, current_user._get_current_object())
    if kept is not None:

        @after_this_request
        def forget_token(response):
            _set_tokens(response, [token for token in tokens if token != kept.token])
            return response

    return kept


def _holds_nul(view_args: dict) -> bool:
    parts = [request.path, *map(str, view_args.values()), *request.form.keys(), *request.form.values()]
    return any("\x00" in part for part in parts)


def _csrf_failed(error: CSRFError):
    # Before Flask-WTF's 400: a save from a rating page whose session ended keeps its input.
    kept = keep_or_none(request.view_args or {})
    if kept is None:
        return http_error(error)
    # An error handler: the unit of work has discarded this request, so the input it keeps is committed here.
    commit_now()
    return kept


def _owner(school: School, round_: Round) -> User | None:
    try:
        claim = _serializer().loads(request.form.get(OWNER_FIELD, ""), max_age=OWNER_MAX_AGE)
    except BadData:
        return None
    agreement = request.endpoint == AGREEMENT_ENDPOINT
    form = AGREEMENT_KEPT if agreement else ""
    if not isinstance(claim, dict) or (claim.get("school"), claim.get("round"), claim.get("form", "")) != (
        school.id, round_.id, form,
    ):  # fmt: skip
        return None
    user = db.session.get(User, claim.get("user")) if isinstance(claim.get("user"), int) else None
    if user is None or not user.active:
        return None
    return user if (can_record_agreement if agreement else can_edit_assessment)(user, school) else None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="selfeval.rating-page-owner")


def _tokens() -> list[str]:
    raw = request.cookies.get(COOKIE, "")
    return [token for token in raw.split(".") if token][-MAX_TOKENS:]


def _set_tokens(response, tokens: list[str]) -> None:
    tokens = tokens[-MAX_TOKENS:]
    if not tokens:
        response.delete_cookie(COOKIE, path=COOKIE_PATH)
        return
    response.set_cookie(
        COOKIE,
        ".".join(tokens),
        max_age=int(unsaved_input.KEEP_FOR.total_seconds()),
        path=COOKIE_PATH,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
