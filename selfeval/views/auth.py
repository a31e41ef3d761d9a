"""Log-in, log-out, and setting a password through an invitation or reset link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from ..forms.auth import LoginForm, SetPasswordForm
from ..services.accounts import LinkInvalid, find_password_link, set_password_by_link
from ..services.errors import InvalidInput
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


@blueprint.route("/passwort-festlegen/<token>", methods=["GET", "POST"])
def set_password(token: str):
    link = find_password_link(token)
    if link is None:
        response = make_response(render_template("auth/link_invalid.html"), 404)
    else:
        form = SetPasswordForm()
        if form.validate_on_submit():
            try:
                set_password_by_link(token, form.password.data)
            except (LinkInvalid, InvalidInput) as exc:
                db.session.rollback()
                form.password.errors.append(_reason(exc))
            else:
                db.session.commit()
                logout_user()  # whoever was logged in here, the new password is for the link's account
                session.clear()
                flash("Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden.", "success")
                return redirect(url_for("auth.login"))
        response = make_response(render_template("auth/set_password.html", form=form, link=link))
    # The token is in the address: never send it on to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _reason(error: Exception) -> str:
    return error.problems.get("password", str(error)) if isinstance(error, InvalidInput) else str(error)


def password_link_url(token: str) -> str:
    """The full link for an e-mail or for the admin to pass on (SELFEVAL_BASE_URL, else this request's host)."""
    base = current_app.config.get("SELFEVAL_BASE_URL", "")
    if base:
        return base + url_for("auth.set_password", token=token)
    return url_for("auth.set_password", token=token, _external=True)


def _is_local(target: str) -> bool:
    """Only redirect to a path on this site after log-in (no open redirect)."""
    parts = urlsplit(target)
    return bool(target) and target.startswith("/") and not target.startswith("//") and not parts.netloc
