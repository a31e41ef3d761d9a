"""Each member's own view first, then the team's consensus (issue 21): the pages of the team's way of rating.

- /arbeitsweise: the way of rating and its options; a Schulleitung member of the team changes it;
- /einzeln/: the member's own sheet (progress per criterion, "x von n Kolleg:innen fertig", "Ich bin fertig");
- /einzeln/kriterien/<id>: the own sheet's rating page, the same form and autosave (rating.js) as the team's;
- /streuung: the spread per indicator, the indicators where the team disagrees first.

The consensus itself is set on the team's usual rating pages (assessment.edit_criterion), which show the spread
beside each indicator and start at the median. Only the school's own team reaches these pages (g.can_edit).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..forms.rating import changed_ratings, fill_indicator, form_with_input, make_rating_form
from ..services import assessments
from ..services.consensus import phase as phases
from ..services.consensus import sheets
from ..services.consensus.spread import SpreadNotYet, load_band, load_spread
from ..services.rating_input import InvalidRatings, parse_rating_changes
from ..services.rounds import previous_round
from ..unit_of_work import attempt
from ..vocabulary import CONSENSUS_PHASE, INDIVIDUAL_PHASE
from .charts import team_band_chart
from .follow_up import follow_up_for
from .guards import serve_school_rounds
from .service_errors import refusals_go_to
from .unsaved import KEPT_UNDER, owner_token, take_kept_input

blueprint = serve_school_rounds(Blueprint("consensus", __name__))


@blueprint.before_request
def team_only():
    """Sheets and spread are the team's alone: supervision, advisers and admins get 403 (the guard ran first)."""
    if "school" in g and not g.can_edit:
        abort(403)


@blueprint.get("/schulen/<schulnummer>/<round_slug>/arbeitsweise")
def way_of_rating():
    state = assessments.load_state(g.school, g.round)
    return render_template(
        "consensus/way_of_rating.html",
        state=state,
        options=phases.team_options(g.school, g.round),
        is_leadership=assessments.is_leadership_member(current_user, g.school),
        labels=phases.PHASE_LABELS,
        sheet=sheets.load_sheet(g.school, g.round, current_user),
    )


@blueprint.post("/schulen/<schulnummer>/<round_slug>/arbeitsweise")
@refusals_go_to("consensus.way_of_rating")
def change_way_of_rating():
    """The refusals (not Schulleitung, stale version, locked) come back to this page as messages."""
    phase = request.form.get("phase", "")
    if phase not in (INDIVIDUAL_PHASE, CONSENSUS_PHASE):
        abort(400)
    options = phases.TeamOptions(
        names_visible=request.form.get("names_visible") == "ja",
        delete_sheets_on_submit=request.form.get("delete_sheets_on_submit") == "ja",
        spread_in_report=request.form.get("spread_in_report") == "ja",
    )
    with attempt(assessments.VersionConflict) as failed:
        phases.set_phase(g.school, g.round, current_user, _int(request.form.get("base_version")), phase, options)
    if failed.error is not None:
        flash("Die Bewertung wurde inzwischen geändert. Bitte prüfen Sie den aktuellen Stand und wählen Sie erneut.", "error")
        return redirect(url_for("consensus.way_of_rating"))
    if phase == INDIVIDUAL_PHASE:
        flash("Die Einzelbewertung ist geöffnet: Jedes Mitglied bewertet jetzt für sich.", "success")
        return redirect(url_for("consensus.my_sheet"))
    flash("Die Konsensphase ist geöffnet: Das Team sieht die Streuung und legt die gemeinsamen Werte fest.", "success")
    return redirect(url_for("consensus.spread"))


@blueprint.get("/schulen/<schulnummer>/<round_slug>/einzeln/")
def my_sheet():
    return render_template("consensus/my_sheet.html", sheet=sheets.load_sheet(g.school, g.round, current_user))


@blueprint.post("/schulen/<schulnummer>/<round_slug>/einzeln/fertig")
@refusals_go_to("consensus.my_sheet")
def finish():
    sheet = sheets.finish_sheet(g.school, g.round, current_user)
    if sheet.phase == CONSENSUS_PHASE:
        flash("Alle sind fertig: Die Konsensphase ist geöffnet.", "success")
        return redirect(url_for("consensus.spread"))
    flash("Danke! Ihr Bogen ist als fertig markiert. Sie können ihn bis zur Konsensphase noch ändern.", "success")
    return redirect(url_for("consensus.my_sheet"))


@blueprint.route("/schulen/<schulnummer>/<round_slug>/einzeln/kriterien/<criterion_id>", methods=["GET", "POST"])
def edit_sheet(criterion_id: str):
    sheet = sheets.load_sheet(g.school, g.round, current_user)
    try:
        criterion = sheet.catalog.criterion(criterion_id)
    except KeyError:
        abort(404)
    number = list(sheet.catalog.criteria).index(criterion) + 1
    form_class = make_rating_form(criterion, number, sheet.catalog.scale)
    # Input saved after the session had ended comes back here, once, not yet saved (views/unsaved.py).
    kept = (
        take_kept_input(g.school, g.round, KEPT_UNDER["consensus.edit_sheet"] + criterion.id) if request.method == "GET" else None
    )
    form = form_with_input(form_class, kept.payload) if kept else form_class()
    if kept and not sheet.is_editable:
        return _page(sheet, criterion, form, number, locked=True)  # the phase ended meanwhile: the input, to copy
    if not sheet.is_editable and request.method == "GET":
        return redirect(url_for("consensus.my_sheet"))
    conflict = None
    if kept:
        flash("Ihre Eingaben stehen wieder im Formular, sind aber noch nicht gespeichert. Bitte speichern Sie sie.", "warning")
    elif request.method == "GET":
        _fill(form, criterion, sheet)
    elif not sheet.is_editable:
        return _page(sheet, criterion, form, number, locked=True), 409
    elif form.validate_on_submit():
        saved, conflict = _save(form, criterion, sheet)
        if saved is not None:
            flash("Ihr Bogen ist gespeichert.", "success")
            return redirect(_after_save_target(sheet, criterion))
    return _page(conflict.current if conflict else sheet, criterion, form, number, conflict=conflict)


def _save(form, criterion, sheet: sheets.SheetState):
    changes = changed_ratings(form, criterion)
    try:
        parsed = parse_rating_changes(sheet.catalog, changes)
    except InvalidRatings as exc:
        for error in exc.errors:
            _, indicator_id, field = (error.location.split(".") + ["", ""])[:3]
            target = form[indicator_id].form[field] if indicator_id in form and field in ("score", "comment") else None
            (target or form.base_version).errors.append(error.message)
        return None, None
    with attempt(sheets.SheetConflict) as failed:
        saved = sheets.save_sheet(g.school, g.round, current_user, _int(form.base_version.data), parsed)
    if isinstance(failed.error, sheets.SheetConflict):
        current = failed.error.current
        form.base_version.data = str(current.version)
        for indicator in criterion.indicators:  # the member's input stays; what the page had seen moves on
            rating = current.rating(indicator.id)
            fill_indicator(form[indicator.id].form, rating.score, rating.comment, keep_input=indicator.id in changes)
        return None, failed.error
    return saved, None


def _fill(form, criterion, sheet: sheets.SheetState) -> None:
    form.base_version.data = str(sheet.version)
    for indicator in criterion.indicators:
        rating = sheet.rating(indicator.id)
        fill_indicator(form[indicator.id].form, rating.score, rating.comment)


def _page(sheet: sheets.SheetState, criterion, form, number: int, *, conflict=None, locked=False) -> str:
    criteria = list(sheet.catalog.criteria)
    index = criteria.index(criterion)
    return render_template(
        "consensus/edit_sheet.html",
        sheet=sheet,
        criterion=criterion,
        form=form,
        number=number,
        conflict=conflict,
        locked=locked,
        previous=criteria[index - 1] if index > 0 else None,
        following=criteria[index + 1] if index + 1 < len(criteria) else None,
        browser_copy_key=f"selfeval:{g.school.schulnummer}:{g.round.slug}:einzeln:{criterion.id}:{current_user.id}",
        page_owner=owner_token(current_user, g.school, g.round),
        session_idle_seconds=int(current_app.permanent_session_lifetime.total_seconds()),
        # Last school year's goals, as on the team's page: each member rates knowing what was aimed at and done.
        # The sheet is the team's own (team_only), who read its plan whatever this year's assessment's state.
        goals=follow_up_for(g.school, previous_round(g.round), current_user, None, sheet.catalog),
    )


def _after_save_target(sheet: sheets.SheetState, criterion) -> str:
    target = request.form.get("goto", "")
    if target in {c.id for c in sheet.catalog.criteria}:
        return url_for("consensus.edit_sheet", criterion_id=target)
    if target == "overview":
        return url_for("consensus.my_sheet")
    return url_for("consensus.edit_sheet", criterion_id=criterion.id)


@blueprint.get("/schulen/<schulnummer>/<round_slug>/streuung")
def spread():
    try:
        team_spread = load_spread(g.school, g.round)
    except SpreadNotYet as exc:
        flash(str(exc), "error")
        return redirect(url_for("assessment.overview"))
    state = assessments.load_state(g.school, g.round)
    band = load_band(g.school, g.round)  # the blueprint serves the school's own team only
    return render_template(
        "consensus/spread.html",
        spread=team_spread,
        state=state,
        band=band,
        band_chart=team_band_chart(state, band) if band is not None else None,
    )


def _int(value: str | None) -> int:
    """A version from a hidden field; anything else (a page from no form of ours) names no version: -1, a conflict."""
    return int(value) if value and value.isdigit() and len(value) < 10 else -1
