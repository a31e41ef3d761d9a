"""Erhebungsrunden: the list with their assessments, a new round, closing and reopening."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ...extensions import catalogs, db
from ...forms.admin_schools import RoundForm
from ...services.errors import InvalidInput, NotFound
from ...services.round_stats import round_summaries
from ...services.rounds import create_round, get_round, set_round_open
from . import blueprint


@blueprint.route("/runden", methods=["GET", "POST"])
def rounds():
    form = RoundForm()
    if form.validate_on_submit():
        try:
            created = create_round(form.name.data, catalogs.active, actor=current_user)
        except InvalidInput as exc:
            db.session.rollback()
            form.name.errors.extend(exc.problems.values())
        else:
            db.session.commit()
            flash(f"Die Erhebungsrunde {created.name} ist angelegt und geöffnet.", "success")
            return redirect(url_for("admin.rounds"))
    return render_template("admin/rounds.html", form=form, rounds=round_summaries(), catalog=catalogs.active)


@blueprint.post("/runden/<slug>/schliessen")
def close_round(slug: str):
    return _set_open(slug, False)


@blueprint.post("/runden/<slug>/oeffnen")
def open_round(slug: str):
    return _set_open(slug, True)


def _set_open(slug: str, is_open: bool):
    try:
        round_ = get_round(slug)
    except NotFound:
        abort(404)
    changed = set_round_open(round_, is_open, actor=current_user)
    db.session.commit()
    state = "geöffnet" if is_open else "geschlossen"
    if changed:
        flash(f"Die Erhebungsrunde {round_.name} ist {'wieder ' if is_open else ''}{state}.", "success")
    else:
        flash(f"Die Erhebungsrunde {round_.name} war schon {state}.", "info")
    return redirect(url_for("admin.rounds"))
