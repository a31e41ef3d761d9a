"""The development plan of an assessment (issue 18): goals with measures, agreements with the Medienberatung,
last school year's open measures carried over.

- the team writes the plan (draft or submitted, also in a closed round) and confirms agreements;
- the Medienberatung in scope reads it (a draft's plan too, never the draft's scores) and records agreements;
- supervision, the Schulträger and the admins read it once the assessment is submitted and its texts released
  (permissions.can_view_plan); everyone else gets 403.

Nothing typed is lost: a colleague's save in between shows their plan above the kept input (409), problems stand
beside their fields, and a save whose session ended keeps the input across the new log-in (views/unsaved.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from ..forms import plan as plan_form
from ..forms.agreement import AGREEMENT_FIELDS, agreement_values, kept_agreement
from ..permissions import can_edit_plan, can_record_agreement, can_view_plan, can_view_scores, can_view_team_names
from ..planning import MEASURE_STATUS_LABELS, MEASURE_STATUSES, PlanInvalid, suggested_focus
from ..planning import model as plan_limits
from ..services import assessments, plan_agreements, plans
from ..services.assessments import AssessmentState
from ..services.errors import NotFound
from ..unit_of_work import attempt
from .audit_display import short_title
from .guards import serve_school_rounds
from .service_errors import refusals_go_to
from .unsaved import AGREEMENT_KEPT, PLAN_KEPT, owner_token, take_kept_input

blueprint = serve_school_rounds(Blueprint("plans", __name__))
SAVED = "Der Entwicklungsplan ist gespeichert."
NOT_YET_SAVED = "Noch nicht gespeichert: Ihre Eingaben stehen unten, eine leere Zeile ist dazugekommen."
RESTORED = "Ihre Eingaben stehen wieder im Formular, sind aber noch nicht gespeichert. Bitte prüfen und speichern Sie sie."
INCOMPLETE = "Die Seite ist unvollständig angekommen. Ihre Eingaben stehen unten; bitte speichern Sie noch einmal."
AGREEMENT_RESTORED = (
    "Ihre Vereinbarung ist noch nicht festgehalten: Ihre Eingaben stehen wieder unten im Formular „Vereinbarung "
    "festhalten“. Bitte prüfen Sie sie und wählen Sie dann „Vereinbarung festhalten“."
)


@blueprint.route("/schulen/<schulnummer>/<round_slug>/plan", methods=["GET", "POST"])
def edit():
    assessment = _readable()
    editable = can_edit_plan(current_user, g.school)
    if request.method == "POST" and not editable:
        abort(403)
    state = plans.load_plan(g.school, g.round)
    if request.method == "GET":
        kept = take_kept_input(g.school, g.round, PLAN_KEPT) if editable and state.status else None
        if kept is not None:
            flash(RESTORED, "warning")
            form = plan_form.with_blank_rows(plan_form.from_formdata(plan_form.formdata_of(kept.payload)))
            return _page(state, assessment, form)
        recorder = can_record_agreement(current_user, g.school) and state.status
        kept = take_kept_input(g.school, g.round, AGREEMENT_KEPT) if recorder else None
        if kept is not None:
            flash(AGREEMENT_RESTORED, "warning")
            return _page(state, assessment, None, agreement=(kept_agreement(kept.payload), {}))
        return _page(state, assessment, plan_form.from_goals(state.version, state.goals) if editable else None)
    form = plan_form.from_formdata(request.form)
    action = request.form.get("aktion", plan_form.SAVE)
    if action != plan_form.SAVE:
        return _page(state, assessment, plan_form.with_blank_rows(form.with_more(action)), notice=NOT_YET_SAVED)
    if not form.version_ok:
        return _page(state, assessment, plan_form.with_blank_rows(form), notice=INCOMPLETE)
    raw, _ = form.raw_goals()
    with attempt(PlanInvalid, plans.PlanConflict, NotFound) as failed:
        plans.replace_goals(g.school, g.round, current_user, int(form.version), raw)
    if failed.error is None:
        flash(SAVED, "success")
        return redirect(url_for("plans.edit"))
    if isinstance(failed.error, plans.PlanConflict):
        current = failed.error.current
        form.version = str(current.version)
        return _page(current, assessment, plan_form.with_blank_rows(form), conflict=current), 409
    if isinstance(failed.error, PlanInvalid):
        form.attach(failed.error.problems)
        return _page(state, assessment, plan_form.with_blank_rows(form))
    return _page(state, assessment, plan_form.with_blank_rows(form), notice=str(failed.error)), 409


@blueprint.post("/schulen/<schulnummer>/<round_slug>/plan/vereinbarungen")
def record_agreement():
    """The Medienberatung in scope keeps what was agreed in a consultation; problems stand beside the fields."""
    assessment = _readable()
    if not can_record_agreement(current_user, g.school):
        abort(403)
    values = agreement_values(request.form)
    with attempt(PlanInvalid, NotFound) as failed:
        plan_agreements.record_agreement(g.school, g.round, current_user, values)
    if failed.error is None:
        flash("Die Vereinbarung ist festgehalten. Das Team sieht sie auf seinem Entwicklungsplan und bestätigt sie.", "success")
        return redirect(url_for("plans.edit", _anchor="vereinbarungen"))
    state = plans.load_plan(g.school, g.round)
    if isinstance(failed.error, PlanInvalid):
        return _page(state, assessment, None, agreement=(values, failed.error.problems))
    return _page(state, assessment, None, agreement=(values, {}), notice=str(failed.error)), 409


@blueprint.post("/schulen/<schulnummer>/<round_slug>/plan/vereinbarungen/<int:agreement_id>/bestaetigen")
@refusals_go_to("plans.edit")
def confirm_agreement(agreement_id: int):
    """The team confirms an agreement (once; a second confirmation comes back as a message)."""
    _readable()
    if not can_edit_plan(current_user, g.school):
        abort(403)
    row = plan_agreements.confirm_agreement(g.school, g.round, current_user, agreement_id)
    flash(f"Die Vereinbarung vom {row.held_on:%d.%m.%Y} ist bestätigt.", "success")
    return redirect(url_for("plans.edit", _anchor="vereinbarungen"))


@blueprint.post("/schulen/<schulnummer>/<round_slug>/plan/uebernehmen")
@refusals_go_to("plans.edit")
def carry_over():
    """Last school year's open measures into this year's plan; a colleague's save in between is a message."""
    _readable()
    if not can_edit_plan(current_user, g.school):
        abort(403)
    version = request.form.get("version", "")
    if not version.isdigit() or len(version) > 9:
        flash(INCOMPLETE.split(".")[0] + ". Bitte wählen Sie „Offene Maßnahmen übernehmen“ noch einmal.", "error")
        return redirect(url_for("plans.edit"))
    _, count = plans.carry_over(g.school, g.round, current_user, int(version))
    if count:
        words = "offene Maßnahme ist" if count == 1 else "offene Maßnahmen sind"
        flash(f"{count} {words} aus dem letzten Schuljahr übernommen. Bitte prüfen Sie Termine und Zuständige.", "success")
    else:
        flash("Es gab keine offenen Maßnahmen mehr zu übernehmen.", "info")
    return redirect(url_for("plans.edit"))


def _readable() -> AssessmentState:
    """The assessment of the address, if the reader may see its plan (else 403)."""
    assessment = assessments.load_state(g.school, g.round)
    if not can_view_plan(current_user, g.school, assessment):
        abort(403)
    return assessment


def _page(
    state: plans.PlanState,
    assessment: AssessmentState,
    form: plan_form.PlanForm | None,
    *,
    conflict: plans.PlanState | None = None,
    agreement: tuple[dict[str, str], dict[str, str]] | None = None,
    notice: str = "",
) -> str:
    labels = plan_form.indicator_labels(state.catalog)
    editable = form is not None and state.status is not None
    can_record = can_record_agreement(current_user, g.school) and state.status is not None
    agreement_values, agreement_errors = agreement or ({}, {})
    return render_template(
        "plans/plan.html",
        state=state,
        form=form if editable else None,
        conflict=conflict,
        notice=notice,
        labels=labels,
        plan_catalog=state.catalog,
        short={i.id: short_title(i.text) for i in state.catalog.indicators},
        texts={i.id: i.text for i in state.catalog.indicators},
        suggestions=_suggestions(state, assessment),
        scores_visible=can_view_scores(current_user, g.school, assessment),
        goal_offers=_goal_offers(state, form) if editable and form else [],
        previous=_previous(state) if editable else None,
        names_visible=can_view_team_names(current_user, g.school),
        recorder_visible=can_view_team_names(current_user, g.school) or can_record_agreement(current_user, g.school),
        can_record=can_record,
        can_confirm=can_edit_plan(current_user, g.school),
        agreement_values=agreement_values,
        agreement_errors={f"a-{name}": message for name, message in agreement_errors.items()},
        agreement_summary=[
            (f"a-{name}", label, agreement_errors[name]) for name, label in AGREEMENT_FIELDS.items() if name in agreement_errors
        ],  # fmt: skip
        statuses=[(key, MEASURE_STATUS_LABELS[key]) for key in MEASURE_STATUSES],
        plan_limits=plan_limits,
        page_owner=owner_token(current_user, g.school, g.round) if editable else "",
        agreement_owner=owner_token(current_user, g.school, g.round, AGREEMENT_KEPT) if can_record else "",
    )


def _suggestions(state: plans.PlanState, assessment: AssessmentState) -> list[tuple[str, int]] | None:
    """The weakest indicators with every tie and their scores; None for a reader who may not see the scores (a
    draft, to the Medienberatung): which indicators are weakest would tell them."""
    if not can_view_scores(current_user, g.school, assessment):
        return None
    scores = {key: rating.score for key, rating in assessment.ratings.items()}
    return [(indicator, scores[indicator]) for indicator in suggested_focus(state.catalog, scores)]


def _goal_offers(state: plans.PlanState, form: plan_form.PlanForm) -> list[list[Any]]:
    """Per goal row, the offers its measures can choose: those fitting the goal's indicators (and the school), and
    any a measure has chosen already."""
    by_indicator = plans.offers_by_indicator(state.catalog, g.school)
    shown = []
    for goal in form.goals:
        ids = [offer for indicator in goal.chosen for offer in by_indicator.get(indicator, ())]
        ids += [offer for measure in goal.measures for offer in measure.offers]
        shown.append([state.offers[offer] for offer in dict.fromkeys(ids) if offer in state.offers])
    return shown


def _previous(state: plans.PlanState) -> dict[str, Any] | None:
    """Last school year's goals for the team, and how many of their open measures are not carried over yet."""
    if state.previous is None:
        return None
    carried = {m.carried_from for goal in state.goals for m in goal.measures if m.carried_from is not None}
    waiting = sum(1 for o in state.previous.outcomes for m in o.goal.measures if m.is_open and m.id not in carried)
    return {"plan": state.previous, "waiting": waiting}
