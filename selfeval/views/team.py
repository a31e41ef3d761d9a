"""Team Digitalisierung: the assessment overview, one page per criterion, submit and reopen."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..catalog import indicator_letter
from ..extensions import db, login_manager
from ..forms.rating import changed_ratings, fill_indicator, form_with_input, make_rating_form
from ..permissions import (
    can_edit_assessment,
    can_use_analytics,
    can_view_assessment,
    can_view_history,
    can_view_team_names,
)
from ..reports import text as report_text
from ..reports.batch import report_filename
from ..reports.cache import cached_pdf
from ..scoring.aggregate import MIN_GROUP_SIZE
from ..services import assessments, audit
from ..services.accounts import team_members, team_size
from ..services.analytics import comparison_group
from ..services.assessments import AssessmentState
from ..services.errors import NotFound
from ..services.history import school_history
from ..services.rating_input import InvalidRatings, parse_rating_changes
from ..services.reports import NothingToReport, report_for
from ..services.rounds import current_round, get_round
from ..services.rounds import previous_round as previous_round_of
from ..services.school_rounds import school_rounds
from ..services.schools import get_school, schools_visible_to
from .admin.audit_log import indicator_titles
from .charts import history_charts, report_chart, results_chart
from .downloads import pdf_response
from .unsaved import keep_or_none, owner_token, take_kept_input

blueprint = Blueprint("team", __name__)


@blueprint.before_request
def guard():
    """One guard for the whole blueprint: a logged-in user who may see this school."""
    values = request.view_args or {}
    if not current_user.is_authenticated:
        # A save from a page whose session ended elsewhere (log-out on another device) keeps its input.
        return keep_or_none(values) or login_manager.unauthorized()
    if "schulnummer" not in values:
        return None
    try:
        g.school = get_school(values.pop("schulnummer"))
        g.round = get_round(values.pop("round_slug"))
    except NotFound:
        abort(404)
    if not can_view_assessment(current_user, g.school):
        abort(403)
    g.can_edit = can_edit_assessment(current_user, g.school)
    return None


@blueprint.url_defaults
def add_school_and_round(endpoint, values):
    """Links within one assessment's pages need not repeat the school and the round."""
    if "school" in g and current_app.url_map.is_endpoint_expecting(endpoint, "schulnummer"):
        values.setdefault("schulnummer", g.school.schulnummer)
        values.setdefault("round_slug", g.round.slug)


@blueprint.get("/schule")
def home():
    """A team's start page: open drafts first, then the current round, then the archive.

    With nothing but the current round to show, a team member goes straight to it; supervision,
    advisers and admins go to their overview.
    """
    if can_use_analytics(current_user):
        return redirect(url_for("supervision.overview"))
    overviews = [school_rounds(school) for school in schools_visible_to(current_user)]
    if len(overviews) == 1 and overviews[0].only_the_current_round:
        current = overviews[0].current.round
        return redirect(url_for("team.overview", schulnummer=overviews[0].school.schulnummer, round_slug=current.slug))
    return render_template("team/home.html", overviews=overviews, round=current_round())


@blueprint.get("/schulen/<schulnummer>/<round_slug>/")
def overview():
    state = assessments.load_state(g.school, g.round)
    names = can_view_team_names(current_user, g.school)
    return render_template(
        "team/overview.html",
        state=state,
        # Supervision reads the same page, but sees how large the team is, not who is in it (DATENSCHUTZ.md).
        show_names=names,
        members=team_members(g.school) if names else [],
        size=None if names else team_size(g.school),
        has_leadership=assessments.has_leadership_member(g.school),
        is_leadership=assessments.is_leadership_member(current_user, g.school),
    )


@blueprint.route("/schulen/<schulnummer>/<round_slug>/kriterien/<criterion_id>", methods=["GET", "POST"])
def edit_criterion(criterion_id: str):
    if request.method == "POST" and not g.can_edit:
        abort(403)  # readers who open the page are led on below; writing is the school's own team's alone
    state = assessments.load_state(g.school, g.round)
    criterion = _criterion_or_404(state, criterion_id)
    number = list(state.catalog.criteria).index(criterion) + 1
    form_class = make_rating_form(criterion, number, state.catalog.scale)
    kept = take_kept_input(g.school, g.round, criterion.id) if request.method == "GET" and g.can_edit else None
    form = form_with_input(form_class, kept.payload) if kept else form_class()
    if not (g.can_edit and state.is_editable):
        if request.method == "POST" or kept:
            # Submitted or closed while the team typed: say so, and show the input to copy.
            return _page(state, criterion, form, number, locked=True), 409 if request.method == "POST" else 200
        return redirect(url_for("team.results") if state.status == "submitted" else url_for("team.overview"))
    conflict: assessments.VersionConflict | None = None
    if request.method == "GET" and not kept:
        _fill(form, criterion, state)
    elif request.method == "POST" and form.validate_on_submit():
        try:
            saved, conflict = _save(form, criterion, state)
        except assessments.RoundGone:
            # Only the savepoint was undone: the round, deleted meanwhile, is still loaded to draw the page.
            return _page(state, criterion, form, number, locked=True, round_gone=True), 409
        except assessments.AssessmentLocked:
            db.session.rollback()
            return _page(assessments.load_state(g.school, g.round), criterion, form, number, locked=True), 409
        if saved is not None:
            flash("Entwurf gespeichert.", "success")
            session["saved_copy"] = _browser_copy_key(criterion.id)  # the next page deletes the browser's copy
            return redirect(_after_save_target(state, criterion))
    return _page(conflict.current if conflict else state, criterion, form, number, conflict=conflict, restored=kept)


def _page(
    state: AssessmentState, criterion, form, number: int, *, conflict=None, restored=None, locked=False, round_gone=False
) -> str:
    user_changed = set(changed_ratings(form, criterion)) if conflict else set()
    return render_template(
        "team/edit_criterion.html",
        state=state,
        criterion=criterion,
        form=form,
        conflict=conflict,
        user_changed=user_changed,
        others_changed=[
            f"Indikator {number}{indicator_letter(i)})"
            for i, ind in enumerate(criterion.indicators)
            if conflict and ind.id in conflict.changed and ind.id not in user_changed
        ],
        neighbours=_neighbours(state, criterion),
        number=number,
        locked=locked,
        round_gone=round_gone,
        browser_copy_key=_browser_copy_key(criterion.id),
        restored_at=restored.created_at if restored else None,
        page_owner=owner_token(current_user, g.school, g.round),
        session_idle_seconds=int(current_app.permanent_session_lifetime.total_seconds()),
        last_year=_last_year(state),
    )


def _browser_copy_key(criterion_id: str) -> str:
    """Where rating.js keeps a copy of this page's unsaved input in the browser (localStorage)."""
    return f"selfeval:{g.school.schulnummer}:{g.round.slug}:{criterion_id}:{current_user.id}"


def _last_year(state: AssessmentState) -> AssessmentState | None:
    """The submitted assessment of the round before, shown read-only beside each indicator to rate against."""
    before = previous_round_of(g.round)
    if before is None:
        return None
    previous = assessments.load_state(g.school, before)
    return previous if previous.status == "submitted" and _same_indicators(state, previous) else None


def _same_indicators(state: AssessmentState, previous: AssessmentState) -> bool:
    """Last year's score stands beside an indicator only if the indicator meant the same then (catalogues change)."""

    def indicators(catalog):
        return [(i.id, i.text) for criterion in catalog.criteria for i in criterion.indicators]

    return indicators(previous.catalog) == indicators(state.catalog)


def _save(form, criterion, state: AssessmentState):
    """Returns (new state, None) or (None, conflict); field errors are put on the form; AssessmentLocked passes."""
    changes = changed_ratings(form, criterion)
    try:
        parsed = parse_rating_changes(state.catalog, changes)
        saved = assessments.save_ratings(g.school, g.round, current_user, int(form.base_version.data), parsed)
        db.session.commit()
        return saved, None
    except InvalidRatings as exc:
        _attach_errors(form, exc)
    except assessments.VersionConflict as exc:
        db.session.rollback()
        _show_current(form, criterion, exc.current, keep=set(changes))
        return None, exc
    return None, None


def _fill(form, criterion, state: AssessmentState) -> None:
    form.base_version.data = str(state.version)
    for indicator in criterion.indicators:
        rating = state.rating(indicator.id)
        fill_indicator(form[indicator.id].form, rating.score, rating.comment)


def _show_current(form, criterion, current: AssessmentState, keep: set[str]) -> None:
    """After a conflict: untouched fields show the current values; the user's own input stays."""
    form.base_version.data = str(current.version)
    for indicator in criterion.indicators:
        rating = current.rating(indicator.id)
        fill_indicator(form[indicator.id].form, rating.score, rating.comment, keep_input=indicator.id in keep)


def _attach_errors(form, exc: InvalidRatings) -> None:
    for error in exc.errors:
        _, indicator_id, field = (error.location.split(".") + ["", ""])[:3]
        if indicator_id in form and field in ("score", "comment"):
            form[indicator_id].form[field].errors.append(error.message)
        else:
            form.base_version.errors.append(error.message)


def _after_save_target(state: AssessmentState, criterion) -> str:
    target = request.form.get("goto", "")
    ids = [c.id for c in state.catalog.criteria]
    if target in ids:
        return url_for("team.edit_criterion", criterion_id=target)
    if target == "overview":
        return url_for("team.overview")
    return url_for("team.edit_criterion", criterion_id=criterion.id)


def _criterion_or_404(state: AssessmentState, criterion_id: str):
    try:
        return state.catalog.criterion(criterion_id)
    except KeyError:
        abort(404)


def _neighbours(state: AssessmentState, criterion):
    criteria = list(state.catalog.criteria)
    index = criteria.index(criterion)
    previous = criteria[index - 1] if index > 0 else None
    following = criteria[index + 1] if index + 1 < len(criteria) else None
    return previous, following


def _comparable(state: AssessmentState, previous: AssessmentState) -> bool:
    """A previous round is shown when it has ratings and the same criteria (catalogues may change)."""
    same_criteria = [c.id for c in previous.catalog.criteria] == [c.id for c in state.catalog.criteria]
    return same_criteria and previous.scores.rated > 0


@blueprint.route("/schulen/<schulnummer>/<round_slug>/abschliessen", methods=["GET", "POST"])
def submit():
    state = assessments.load_state(g.school, g.round)
    if not g.can_edit:
        abort(403)
    has_leadership = assessments.has_leadership_member(g.school)
    if request.method == "POST":
        try:
            assessments.submit(g.school, g.round, current_user, int(request.form.get("base_version", "-1")))
        except assessments.VersionConflict:
            db.session.rollback()
            flash("Die Bewertung wurde inzwischen geändert. Bitte prüfen Sie den aktuellen Stand.", "error")
            return redirect(url_for("team.submit"))
        except (assessments.NotReadyToSubmit, assessments.AssessmentLocked, ValueError):
            db.session.rollback()
            flash("Die Bewertung kann so nicht abgeschlossen werden.", "error")
            return redirect(url_for("team.submit"))
        db.session.commit()
        flash("Die Bewertung ist abgeschlossen.", "success")
        return redirect(url_for("team.results"))
    return render_template("team/submit.html", state=state, has_leadership=has_leadership)


@blueprint.route("/schulen/<schulnummer>/<round_slug>/wieder-oeffnen", methods=["GET", "POST"])
def reopen():
    """GET asks first and says what reopening means for the submitted result; POST reopens."""
    if not g.can_edit:
        abort(403)
    if request.method == "GET":
        refusal = assessments.reopen_refusal(g.school, g.round, current_user)
        if refusal is not None:
            flash(str(refusal), "error")
            return redirect(url_for("team.overview"))
        return render_template("team/reopen.html", state=assessments.load_state(g.school, g.round))
    try:
        assessments.reopen(g.school, g.round, current_user)
    except (assessments.NotLeadership, assessments.AssessmentLocked) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("team.overview"))
    db.session.commit()
    flash("Die Bewertung ist wieder geöffnet und kann bearbeitet werden.", "success")
    return redirect(url_for("team.overview"))


@blueprint.get("/schulen/<schulnummer>/<round_slug>/ergebnis")
def results():
    state = assessments.load_state(g.school, g.round)
    previous_round = previous_round_of(g.round)
    previous = assessments.load_state(g.school, previous_round) if previous_round else None
    if previous is not None and not _comparable(state, previous):
        previous = None
    group = comparison_group(g.school, g.round)
    history = school_history(g.school, until=g.round)
    return render_template(
        "team/results.html",
        state=state,
        previous=previous,
        history=history,
        history_charts=history_charts(history, state) if _has_past_result(history) else [],
        group=group,
        min_group_size=MIN_GROUP_SIZE,
        chart=results_chart(state, previous, group),
        text=report_text,
    )


def _has_past_result(history) -> bool:
    """A history is worth drawing once an earlier school year was submitted: one point alone shows no change."""
    return any(result.is_submitted and result.round_slug != g.round.slug for result in history)


@blueprint.get("/schulen/<schulnummer>/<round_slug>/verlauf")
def history():
    """Who changed what and when in this assessment, newest first (the audit trail's part for it)."""
    if not can_view_history(current_user, g.school):
        abort(403)
    state = assessments.load_state(g.school, g.round)
    return render_template(
        "team/history.html",
        events=audit.assessment_history(g.school, g.round),
        titles=indicator_titles(state.catalog),
        merge_minutes=int(audit.MERGE_WINDOW.total_seconds() // 60),
    )


@blueprint.get("/schulen/<schulnummer>/<round_slug>/bericht.pdf")
def report_pdf():
    """The improvement report as PDF, for the team, advisers and supervisors in scope, and admins."""
    data = _report_or_none()
    if data is None:
        return redirect(url_for("team.results"))
    return pdf_response(cached_pdf(data), report_filename(data, g.round.slug))


@blueprint.get("/schulen/<schulnummer>/<round_slug>/bericht")
def report():
    """The same report as an accessible web page (headings, tables, print stylesheet)."""
    data = _report_or_none()
    if data is None:
        return redirect(url_for("team.results"))
    return render_template("team/report.html", report=data, chart=report_chart(data), text=report_text)


def _report_or_none():
    """The report of this page's school and round, or None with a message why there is none yet."""
    try:
        return report_for(g.school, g.round)
    except NothingToReport as exc:
        flash(str(exc), "error")
        return None
