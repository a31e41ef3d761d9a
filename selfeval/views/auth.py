"""Log-in, log-out, and setting a password through an invitation or reset link."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from ..forms.auth import LoginForm, SetPasswordForm
from ..security.sessions import end_session, start_session
from ..security.throttle import login_throttle
from ..services import unsaved_input
from ..services.accounts import LinkInvalid, authenticate, end_all_sessions, find_password_link, set_password_by_link
from ..services.errors import InvalidInput
from ..unit_of_work import attempt
from .password_links import reset_by_mail_possible

blueprint = Blueprint("auth", __name__)
security_log = logging.getLogger("selfeval.security")


@blueprint.route("/anmelden", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("assessment.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form)
    throttle, address = login_throttle(), request.remote_addr or "unknown"
    blocked = throttle.reserve(form.email.data, address)  # counted before the password is checked
    if blocked is not None:
        security_log.warning("log-in refused: too many failed attempts (address %s)", address)
        return _too_many_attempts(form, blocked.retry_after)
    user = authenticate(form.email.data, form.password.data)
    if user is None:
        form.password.errors.append("E-Mail-Adresse oder Passwort sind nicht richtig.")
        return _login_page(form)
    throttle.succeeded(form.email.data, address)
    start_session(user)
    unsaved_input.purge_expired()  # rating input kept across a log-in lives a few hours at most
    next_page = request.args.get("next", "")
    return redirect(next_page if _is_local(next_page) else url_for("assessment.home"))


def _login_page(form: LoginForm) -> str:
    return render_template("auth/login.html", form=form, reset_by_mail=reset_by_mail_possible())


def _too_many_attempts(form: LoginForm, retry_after: int):
    """429 with the form kept (e-mail filled in), the wait in minutes and Retry-After for programs."""
    minutes = max(1, -(-retry_after // 60))
    wait = "einer Minute" if minutes == 1 else f"{minutes} Minuten"
    form.password.errors.append(
        f"Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in {wait} erneut."
    )
    response = make_response(_login_page(form), 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


@blueprint.post("/abmelden")
@login_required
def logout():
    # Log-out ends the session everywhere: the cookie is signed, not stored, so a copy of it
    # would stay valid unless the account's session key changes.
    end_all_sessions(current_user._get_current_object())
    end_session()
    # The next page deletes this browser's copies of unsaved rating input once more (browser-copies.js): a copy
    # written by the last page's own save may reach the browser's storage only after the log-out form's clean-up.
    session["forget_copies"] = True
    flash("Sie sind abgemeldet.", "info")
    return redirect(url_for("main.index"))


@blueprint.post("/sitzung/verlaengern")
def keep_alive():
    """The rating page's "Sitzung verlängern": any request renews the idle time; this one says how long it is now."""
    if not current_user.is_authenticated:
        return jsonify({"error": {"code": 401, "message": "Die Sitzung ist abgelaufen. Bitte melden Sie sich neu an."}}), 401
    return jsonify({"idle_seconds": int(current_app.permanent_session_lifetime.total_seconds())})


@blueprint.route("/passwort-festlegen/<token>", methods=["GET", "POST"])
def set_password(token: str):
    link = find_password_link(token)
    response = _link_invalid() if link is None else _set_password_form(token, link)
    # The token is in the address: never send it on to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _set_password_form(token: str, link):
    form = SetPasswordForm(email=link.user.email, name=link.user.display_name)
    if form.validate_on_submit():
        with attempt(LinkInvalid, InvalidInput) as failed:
            set_password_by_link(token, form.password.data)
        if isinstance(failed.error, LinkInvalid):
            return _link_invalid()  # another request used the link a moment ago
        if isinstance(failed.error, InvalidInput):
            form.password.errors.append(failed.error.problems.get("password", str(failed.error)))
        else:
            end_session()  # whoever was logged in here, the new password is for the link's account
            flash("Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden.", "success")
            return redirect(url_for("auth.login"))
    return make_response(render_template("auth/set_password.html", form=form, link=link))


def _link_invalid():
    return make_response(render_template("auth/link_invalid.html"), 404)


def _is_local(target: str) -> bool:
    """Only redirect to a path on this site after log-in (no open redirect)."""
    parts = urlsplit(target)
    # Browsers read a backslash as a slash, so "/\\host" would be "//host": refused like it.
    looks_local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return looks_local and target.isprintable() and not parts.netloc
