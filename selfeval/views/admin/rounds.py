"""Erhebungsrunden: the list with their assessments, a new round, closing (after a confirmation),
opening again, and deleting a round that holds no assessment (after a confirmation).

The confirmations are pages of their own with a POST form, so they work without JavaScript.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ...extensions import catalogs
from ...forms.admin_schools import RoundForm
from ...services.errors import InvalidInput, NotFound
from ...services.round_stats import round_summaries
from ...services.rounds import (
    assessment_count,
    create_round,
    created_meanwhile_message,
    delete_round,
    get_round,
    not_empty_message,
    open_drafts,
    set_round_open,
)
from ...unit_of_work import attempt
from ..service_errors import refusals_go_to
from . import blueprint


@blueprint.route("/runden", methods=["GET", "POST"])
def rounds():
    form = RoundForm()
    if form.validate_on_submit():
        with attempt(InvalidInput, IntegrityError) as failed:
            name = create_round(form.name.data, catalogs.active, actor=current_user).name
        if isinstance(failed.error, InvalidInput):
            form.name.errors.extend(failed.error.problems.values())
        elif failed.error is not None:
            # A double-submitted form: the other request passed the same check and inserted first.
            form.name.errors.append(created_meanwhile_message(form.name.data))
        else:
            flash(f"Die Erhebungsrunde {name} ist angelegt und geöffnet.", "success")
            return redirect(url_for("admin.rounds"))
    return render_template("admin/rounds.html", form=form, rounds=round_summaries(), catalog=catalogs.active)


@blueprint.route("/runden/<slug>/schliessen", methods=["GET", "POST"])
def close_round(slug: str):
    """GET asks first and says how many schools still have an open draft; POST closes."""
    round_ = _round_or_404(slug)
    if request.method == "POST":
        return _set_open(round_, False)
    if not round_.is_open:
        flash(f"Die Erhebungsrunde {round_.name} war schon geschlossen.", "info")
        return redirect(url_for("admin.rounds"))
    return render_template("admin/round_close.html", round=round_, drafts=open_drafts(round_))


@blueprint.post("/runden/<slug>/oeffnen")
def open_round(slug: str):
    return _set_open(_round_or_404(slug), True)


@blueprint.route("/runden/<slug>/loeschen", methods=["GET", "POST"], endpoint="delete_round")
@refusals_go_to("admin.rounds")
def delete_round_page(slug: str):
    """GET asks first; POST deletes. A round with assessments is never deleted, only closed."""
    round_ = _round_or_404(slug)
    name = round_.name
    if request.method == "GET":
        count = assessment_count(round_)
        if count:
            flash(not_empty_message(name, count), "error")
            return redirect(url_for("admin.rounds"))
        return render_template("admin/round_delete.html", round=round_)
    delete_round(round_, actor=current_user)  # RoundNotEmpty or NotFound: the message on the list (service_errors)
    flash(f"Die Erhebungsrunde {name} ist gelöscht.", "success")
    return redirect(url_for("admin.rounds"))


def _round_or_404(slug: str):
    try:
        return get_round(slug)
    except NotFound:
        abort(404)


def _set_open(round_, is_open: bool):
    changed = set_round_open(round_, is_open, actor=current_user)
    state = "geöffnet" if is_open else "geschlossen"
    if changed:
        flash(f"Die Erhebungsrunde {round_.name} ist {'wieder ' if is_open else ''}{state}.", "success")
    else:
        flash(f"Die Erhebungsrunde {round_.name} war schon {state}.", "info")
    return redirect(url_for("admin.rounds"))
