"""Log-in and log-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..forms.auth import LoginForm
from ..services.users import authenticate

blueprint = Blueprint("auth", __name__)


@blueprint.route("/anmelden", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("team.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            next_page = request.args.get("next", "")
            session.clear()  # a fresh session at log-in: nothing from before survives
            login_user(user)
            return redirect(next_page if _is_local(next_page) else url_for("team.home"))
        form.password.errors.append("E-Mail-Adresse oder Passwort sind nicht richtig.")
    return render_template("auth/login.html", form=form)


@blueprint.post("/abmelden")
@login_required
def logout():
    logout_user()
    session.clear()
    flash("Sie sind abgemeldet.", "info")
    return redirect(url_for("main.index"))


def _is_local(target: str) -> bool:
    """Only redirect to a path on this site after log-in (no open redirect)."""
    parts = urlsplit(target)
    return bool(target) and target.startswith("/") and not target.startswith("//") and not parts.netloc
