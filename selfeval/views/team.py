"""Team Digitalisierung: the assessment overview, one page per criterion, submit and reopen."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..catalog import indicator_letter
from ..extensions import db, login_manager
from ..forms.rating import changed_ratings, fill_indicator, make_rating_form
from ..permissions import (
    can_edit_assessment,
    can_use_analytics,
    can_view_assessment,
    can_view_history,
    can_view_team_names,
)
from ..reports import text as report_text
from ..reports.batch import report_filename
from ..reports.pdf import render_pdf
from ..scoring.aggregate import MIN_GROUP_SIZE
from ..services import assessments, audit
from ..services.analytics import comparison_group
from ..services.assessments import AssessmentState
from ..services.errors import NotFound
from ..services.rating_input import InvalidRatings, parse_rating_changes
from ..services.reports import NothingToReport, report_for
from ..services.rounds import current_round, get_round
from ..services.rounds import previous_round as previous_round_of
from ..services.schools import get_school, schools_visible_to
from ..services.team import team_members, team_size
from .admin.audit_log import indicator_titles
from .charts import report_chart, results_chart
from .downloads import pdf_response

blueprint = Blueprint("team", __name__)


@blueprint.before_request
def guard():
    """One guard for the whole blueprint: a logged-in user who may see this school."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    values = request.view_args or {}
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
    """A team member goes straight to the current assessment; supervision, advisers and admins to the overview."""
    if can_use_analytics(current_user):
        return redirect(url_for("supervision.overview"))
    round_ = current_round()
    schools = schools_visible_to(current_user)
    if len(schools) == 1 and round_ is not None:
        return redirect(url_for("team.overview", schulnummer=schools[0].schulnummer, round_slug=round_.slug))
    states = {s.id: assessments.load_state(s, round_) for s in schools} if round_ else {}
    return render_template("team/home.html", schools=schools, round=round_, states=states)


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
    if not (g.can_edit and state.is_editable):
        return redirect(url_for("team.results") if state.status == "submitted" else url_for("team.overview"))
    number = list(state.catalog.criteria).index(criterion) + 1
    form = make_rating_form(criterion, number, state.catalog.scale)()
    conflict: assessments.VersionConflict | None = None
    if request.method == "GET":
        _fill(form, criterion, state)
    elif form.validate_on_submit():
        saved, conflict = _save(form, criterion, state)
        if saved is not None:
            flash("Entwurf gespeichert.", "success")
            return redirect(_after_save_target(state, criterion))
    user_changed = set(changed_ratings(form, criterion)) if conflict else set()
    return render_template(
        "team/edit_criterion.html",
        state=conflict.current if conflict else state,
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
    )


def _save(form, criterion, state: AssessmentState):
    """Returns (new state, None) or (None, conflict); field errors are put on the form."""
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
    except assessments.AssessmentLocked as exc:
        db.session.rollback()
        flash(str(exc), "error")
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


@blueprint.post("/schulen/<schulnummer>/<round_slug>/wieder-oeffnen")
def reopen():
    if not g.can_edit:
        abort(403)
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
    return render_template(
        "team/results.html",
        state=state,
        previous=previous,
        group=group,
        min_group_size=MIN_GROUP_SIZE,
        comparison_text=report_text,
        chart=results_chart(state, previous, group),
    )


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
    return pdf_response(render_pdf(data), report_filename(data, g.round.slug))


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
