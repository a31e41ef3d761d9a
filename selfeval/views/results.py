"""The results of an assessment, who changed what, and its improvement report (page and PDF).

For the team and for everyone else who may see the school's assessment: supervisors and advisers in scope
and admins (the supervision overview links here). The rating pages are in `assessment.py`.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..permissions import can_release_texts, can_view_history, can_view_plan, can_view_scores, can_view_shared_texts
from ..reports import plan_section
from ..reports import text as report_text
from ..reports.batch import report_filename
from ..reports.cache import cached_pdf
from ..scoring.aggregate import MIN_GROUP_SIZE
from ..services import assessments, audit
from ..services.analytics import comparison_group
from ..services.assessments import AssessmentState
from ..services.consensus.spread import load_band
from ..services.errors import NotFound
from ..services.history import school_history
from ..services.reports import DraftNotShared, NothingToReport, report_for
from ..services.rounds import previous_round as previous_round_of
from ..unit_of_work import attempt
from .audit_display import indicator_titles, withheld_changes
from .charts import history_charts, report_chart, results_chart, team_band_chart
from .downloads import pdf_response
from .follow_up import follow_up_for
from .guards import serve_school_rounds

blueprint = serve_school_rounds(Blueprint("results", __name__))


def _comparable(state: AssessmentState, previous: AssessmentState) -> bool:
    """A previous round is shown when it has ratings and the same criteria (catalogues may change)."""
    same_criteria = [c.id for c in previous.catalog.criteria] == [c.id for c in state.catalog.criteria]
    return same_criteria and previous.scores.rated > 0


@blueprint.get("/schulen/<schulnummer>/<round_slug>/ergebnis")
def results():
    state = assessments.load_state(g.school, g.round)
    previous_round = previous_round_of(g.round)
    if not can_view_scores(current_user, g.school, state):
        # A draft, to a reader outside the team: its status and how far it got, nothing it says; the Medienberatung,
        # who advises on the plan while it takes shape, last year's goals without this year's values.
        goals = follow_up_for(g.school, previous_round, current_user, state, state.catalog, with_offers=True)
        return render_template("results/withheld.html", state=state, text=report_text, goals=goals, plan_url=_plan_url())
    goals = follow_up_for(
        g.school, previous_round, current_user, state, state.catalog,
        scores_now={indicator.id: state.rating(indicator.id).score for indicator in state.catalog.indicators},
        with_offers=True,
    )  # fmt: skip
    texts_shared = can_view_shared_texts(current_user, g.school, state)
    if not texts_shared:
        state = state.without_texts()
    previous = assessments.load_state(g.school, previous_round) if previous_round else None
    if previous is not None and not _comparable(state, previous):
        previous = None
    group = comparison_group(g.school, g.round)
    history = school_history(g.school, until=g.round)
    # The members' range is the team's alone: computed only for a member of the school's team (never supervision,
    # Schulträger, advisers or admins, whatever the address asks for), and drawn only when asked for.
    band = load_band(g.school, g.round) if g.can_edit else None
    show_band = band is not None and request.args.get("spannweite") == "ja"
    return render_template(
        "results/results.html",
        state=state,
        previous=previous,
        history=history,
        history_charts=history_charts(history, state) if _has_past_result(history) else [],
        group=group,
        min_group_size=MIN_GROUP_SIZE,
        chart=results_chart(state, previous, group),
        band=band,
        band_chart=team_band_chart(state, band) if show_band and band is not None else None,
        text=report_text,
        texts_shared=texts_shared,
        can_release=can_release_texts(current_user, g.school) and state.status == "submitted",
        goals=goals,
        plan_url=_plan_url(),
        plan_visible=can_view_plan(current_user, g.school, state),
        # The downloads for the Medienkonzept (views.plan_downloads): once there is an assessment (a first save).
        plan_downloads=state.version > 0 and can_view_plan(current_user, g.school, state),
    )


def _plan_url() -> str:
    return url_for("plans.edit")


@blueprint.post("/schulen/<schulnummer>/<round_slug>/freigabe")
def release():
    """A Schulleitung member releases the team's comments to supervision and the Schulträger, or takes it back."""
    if not can_release_texts(current_user, g.school):
        abort(403)
    released = request.form.get("freigeben") == "ja"
    with attempt(assessments.NotLeadership, NotFound) as failed:
        assessments.set_comments_released(g.school, g.round, current_user, released)
    if failed.error is not None:
        flash(str(failed.error), "error")
    elif released:
        flash("Die Anmerkungen sind für Schulaufsicht und Schulträger freigegeben.", "success")
    else:
        flash("Die Anmerkungen sind nicht mehr für Schulaufsicht und Schulträger freigegeben.", "success")
    return redirect(url_for("results.results"))


def _has_past_result(history) -> bool:
    """A history is worth drawing once an earlier school year was submitted: one point alone shows no change."""
    return any(result.is_submitted and result.round_slug != g.round.slug for result in history)


@blueprint.get("/schulen/<schulnummer>/<round_slug>/verlauf")
def history():
    """Who changed what and when in this assessment, newest first (the audit trail's part for it)."""
    if not can_view_history(current_user, g.school):
        abort(403)
    state = assessments.load_state(g.school, g.round)
    events = audit.assessment_history(g.school, g.round)
    return render_template(
        "results/history.html",
        events=events,
        withheld=withheld_changes(current_user, events, g.school),
        titles=indicator_titles(state.catalog),
        merge_minutes=int(audit.MERGE_WINDOW.total_seconds() // 60),
    )


@blueprint.get("/schulen/<schulnummer>/<round_slug>/bericht.pdf")
def report_pdf():
    """The improvement report as PDF, for the team, advisers and supervisors in scope, and admins."""
    data = _report_or_none()
    if data is None:
        return redirect(url_for("results.results"))
    return pdf_response(cached_pdf(data), report_filename(data, g.round.slug))


@blueprint.get("/schulen/<schulnummer>/<round_slug>/bericht")
def report():
    """The same report as an accessible web page (headings, tables, print stylesheet)."""
    data = _report_or_none()
    if data is None:
        return redirect(url_for("results.results"))
    return render_template(
        "results/report.html", report=data, chart=report_chart(data), text=report_text, plan_words=plan_section
    )


def _report_or_none():
    """The report of this page's school and round as the reader may see it, or None with a message why there is none."""
    try:
        return report_for(g.school, g.round, for_the_team=g.can_edit, reader=current_user)
    except (NothingToReport, DraftNotShared) as exc:
        flash(str(exc), "error")
        return None
