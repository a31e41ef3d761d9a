"""The assessment: a team's start page, the overview, one rating page per criterion, submit and reopen.

The results of an assessment and its reports (for the team and every other role who may see them) are in
`results.py`; both load the school and round of the address through `guards.serve_school_rounds`.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..catalog import indicator_letter
from ..forms.rating import changed_ratings, fill_indicator, form_with_input, make_rating_form
from ..models import Round
from ..permissions import can_use_analytics, can_view_plan, can_view_scores, can_view_team_names
from ..services import assessments
from ..services.accounts import team_members, team_size
from ..services.assessments import AssessmentState
from ..services.consensus.spread import SpreadNotYet, TeamSpread, load_spread
from ..services.rating_input import InvalidRatings, parse_rating_changes
from ..services.rounds import current_round
from ..services.rounds import previous_round as previous_round_of
from ..services.school_rounds import school_rounds
from ..services.schools import schools_visible_to
from ..unit_of_work import attempt, discard
from ..vocabulary import CONSENSUS_PHASE, INDIVIDUAL_PHASE
from .follow_up import follow_up_for
from .guards import serve_school_rounds
from .unsaved import owner_token, take_kept_input

blueprint = serve_school_rounds(Blueprint("assessment", __name__))


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
        return redirect(url_for("assessment.overview", schulnummer=overviews[0].school.schulnummer, round_slug=current.slug))
    return render_template("assessment/home.html", overviews=overviews, round=current_round())


@blueprint.get("/schulen/<schulnummer>/<round_slug>/")
def overview():
    state = assessments.load_state(g.school, g.round)
    names = can_view_team_names(current_user, g.school)
    return render_template(
        "assessment/overview.html",
        state=state,
        # Supervision reads the same page, but sees how large the team is, not who is in it (DATENSCHUTZ.md).
        show_names=names,
        members=team_members(g.school) if names else [],
        size=None if names else team_size(g.school),
        has_leadership=assessments.has_leadership_member(g.school),
        is_leadership=assessments.is_leadership_member(current_user, g.school),
        # A draft is the team's: others see how far it got, not its values (DATENSCHUTZ.md).
        scores_visible=can_view_scores(current_user, g.school, state),
        plan_visible=can_view_plan(current_user, g.school, state),
    )


@blueprint.route("/schulen/<schulnummer>/<round_slug>/kriterien/<criterion_id>", methods=["GET", "POST"])
def edit_criterion(criterion_id: str):
    if request.method == "POST" and not g.can_edit:
        abort(403)  # readers who open the page are led on below; writing is the school's own team's alone
    loaded = None
    if request.method == "POST":  # read once, with the audit entries the save may merge into
        loaded = assessments.load_for_saving(g.school, g.round, current_user, _indicators_in_form())
        state = assessments.state_of(loaded, g.school.schulnummer, assessments.round_facts(g.round))
    else:
        state = assessments.load_state(g.school, g.round)
    criterion = _criterion_or_404(state, criterion_id)
    number = list(state.catalog.criteria).index(criterion) + 1
    form_class = make_rating_form(criterion, number, state.catalog.scale)
    kept = take_kept_input(g.school, g.round, criterion.id) if request.method == "GET" and g.can_edit else None
    form = form_with_input(form_class, kept.payload) if kept else form_class()
    if request.method == "GET" and g.can_edit and state.phase == INDIVIDUAL_PHASE and state.status == "draft":
        return redirect(url_for("consensus.edit_sheet", criterion_id=criterion.id))  # the shared form waits
    if not (g.can_edit and state.is_editable):
        if request.method == "POST" or kept:
            # Submitted or closed while the team typed: say so, and show the input to copy.
            return _page(state, criterion, form, number, locked=True), 409 if request.method == "POST" else 200
        return redirect(url_for("results.results") if state.status == "submitted" else url_for("assessment.overview"))
    conflict: assessments.VersionConflict | None = None
    if request.method == "GET" and not kept:
        _fill(form, criterion, state)
        _start_at_the_median(form, criterion, state)
    elif request.method == "POST" and form.validate_on_submit():
        try:
            saved, conflict = _save(form, criterion, state, loaded)
        except assessments.RoundGone:
            # Nothing was written: the database refused only the new draft, so the round, deleted meanwhile, is still
            # loaded to draw the page (not discarded, which would make it reload from a database that lost it).
            return _page(state, criterion, form, number, locked=True, round_gone=True), 409
        except assessments.AssessmentLocked:
            discard()  # a first save in a closed round may have created the empty draft: none of it stays
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
    earlier = previous_round_of(g.round)
    return render_template(
        "assessment/edit_criterion.html",
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
        last_year=_last_year(state, earlier),
        # Last school year's goals beside their indicators: read for the page only, never on a save (two statements).
        goals=follow_up_for(g.school, earlier, current_user, state, state.catalog),
        spread=_team_spread(state),
    )


def _team_spread(state: AssessmentState) -> TeamSpread | None:
    """In the consensus phase, the team's spread beside each indicator (the team's own members only)."""
    if state.phase != CONSENSUS_PHASE or not g.can_edit:
        return None
    try:
        return load_spread(g.school, g.round)
    except SpreadNotYet:
        return None


def _start_at_the_median(form, criterion, state: AssessmentState) -> None:
    """The consensus starts at the team's median (rounded half up) where no consensus value is stored yet.

    Only the shown value changes, not what the page "saw": saving the page takes the median on consciously.
    """
    spread = _team_spread(state) if state.is_editable else None
    if spread is None:
        return
    for indicator in criterion.indicators:
        suggested = spread.indicators[indicator.id].suggested_score
        if state.rating(indicator.id).score is None and suggested is not None:
            form[indicator.id].form.score.data = str(suggested)


def _browser_copy_key(criterion_id: str) -> str:
    """Where rating.js keeps a copy of this page's unsaved input in the browser (localStorage)."""
    return f"selfeval:{g.school.schulnummer}:{g.round.slug}:{criterion_id}:{current_user.id}"


def _last_year(state: AssessmentState, before: Round | None) -> AssessmentState | None:
    """The submitted assessment of the round before, shown read-only beside each indicator to rate against."""
    if before is None:
        return None
    previous = assessments.load_state(g.school, before)
    return previous if previous.status == "submitted" and _same_indicators(state, previous) else None


def _same_indicators(state: AssessmentState, previous: AssessmentState) -> bool:
    """Last year's score stands beside an indicator only if the indicator meant the same then (catalogues change)."""

    def indicators(catalog):
        return [(i.id, i.text) for criterion in catalog.criteria for i in criterion.indicators]

    return indicators(previous.catalog) == indicators(state.catalog)


def _indicators_in_form() -> frozenset[str]:
    """The indicators the form's fields name ("k1a-score" → "k1a"); the form checks them, this only narrows a query."""
    names = {name.split("-", 1)[0] for name in request.form if "-" in name}
    return frozenset(names) if len(names) <= MAX_FORM_INDICATORS else frozenset()


#: More indicators than any criterion page has: such a form is refused field by field anyway.
MAX_FORM_INDICATORS = 200


def _save(form, criterion, state: AssessmentState, loaded: assessments.rows.Fetched | None):
    """Returns (new state, None) or (None, conflict); field errors are put on the form; AssessmentLocked passes.

    The save is committed with the request (unit_of_work); a conflict is refused before the save writes anything.
    """
    changes = changed_ratings(form, criterion)
    try:
        parsed = parse_rating_changes(state.catalog, changes)
    except InvalidRatings as exc:
        _attach_errors(form, exc)
        return None, None
    # No `attempt` (a savepoint on PostgreSQL, two more statements per save): the save refuses with a conflict
    # before it writes anything, so there is nothing of it to undo (services.assessments.save_fetched).
    try:
        saved = assessments.save_ratings(g.school, g.round, current_user, int(form.base_version.data), parsed, loaded)
    except assessments.VersionConflict as conflict:
        _show_current(form, criterion, conflict.current, keep=set(changes))
        return None, conflict
    return saved, None


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
        return url_for("assessment.edit_criterion", criterion_id=target)
    if target == "overview":
        return url_for("assessment.overview")
    return url_for("assessment.edit_criterion", criterion_id=criterion.id)


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


@blueprint.route("/schulen/<schulnummer>/<round_slug>/abschliessen", methods=["GET", "POST"])
def submit():
    state = assessments.load_state(g.school, g.round)
    if not g.can_edit:
        abort(403)
    has_leadership = assessments.has_leadership_member(g.school)
    if request.method == "POST":
        refusals = (assessments.VersionConflict, assessments.NotReadyToSubmit, assessments.AssessmentLocked, ValueError)
        with attempt(*refusals) as failed:  # a refusal leaves nothing of the attempt behind
            assessments.submit(
                g.school, g.round, current_user, int(request.form.get("base_version", "-1")),
                release_comments=request.form.get("anmerkungen_freigeben") == "ja",
            )  # fmt: skip
        if failed.error is None:
            flash("Die Bewertung ist abgeschlossen.", "success")
            return redirect(url_for("results.results"))
        if isinstance(failed.error, assessments.VersionConflict):
            flash("Die Bewertung wurde inzwischen geändert. Bitte prüfen Sie den aktuellen Stand.", "error")
        else:
            flash("Die Bewertung kann so nicht abgeschlossen werden.", "error")
        return redirect(url_for("assessment.submit"))
    return render_template("assessment/submit.html", state=state, has_leadership=has_leadership)


@blueprint.route("/schulen/<schulnummer>/<round_slug>/wieder-oeffnen", methods=["GET", "POST"])
def reopen():
    """GET asks first and says what reopening means for the submitted result; POST reopens."""
    if not g.can_edit:
        abort(403)
    if request.method == "GET":
        refusal = assessments.reopen_refusal(g.school, g.round, current_user)
        if refusal is not None:
            flash(str(refusal), "error")
            return redirect(url_for("assessment.overview"))
        return render_template("assessment/reopen.html", state=assessments.load_state(g.school, g.round))
    with attempt(assessments.NotLeadership, assessments.AssessmentLocked) as failed:
        assessments.reopen(g.school, g.round, current_user)
    if failed.error is not None:
        flash(str(failed.error), "error")
        return redirect(url_for("assessment.overview"))
    flash("Die Bewertung ist wieder geöffnet und kann bearbeitet werden.", "success")
    return redirect(url_for("assessment.overview"))
