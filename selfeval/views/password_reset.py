""""Passwort vergessen?": a person asks for a reset link by e-mail (only where mail is configured).

The answer is the same whether an account has the address or not, and the mail leaves in the
background, so that neither the page nor its timing tells who has an account. Requests are
limited per client address (429) and per e-mail address (silently: no more mails go out).
"""

from __future__ import annotations

import logging
import threading

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ..forms.auth import ForgotPasswordForm
from ..security.throttle import reset_throttle
from ..services.accounts import find_user, issue_password_link
from ..services.audit import RESET_REQUEST_ACTOR
from ..services.mail import MailNotSent, MailSettings, password_link_message, send
from ..unit_of_work import commit_now
from .auth import blueprint
from .password_links import password_link_url, reset_by_mail_possible

log = logging.getLogger("selfeval.mail")


@blueprint.route("/passwort-vergessen", methods=["GET", "POST"])
def forgot_password():
    if current_user.is_authenticated:
        return redirect(url_for("assessment.home"))
    if not reset_by_mail_possible():
        return render_template("auth/forgot_password.html", form=None, sent=False)
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot_password.html", form=form, sent=False)
    blocked = reset_throttle().address_blocked(request.remote_addr or "unknown")
    if blocked is not None:
        minutes = max(1, -(-blocked.retry_after // 60))
        wait = "einer Minute" if minutes == 1 else f"{minutes} Minuten"
        form.email.errors.append(f"Zu viele Anfragen von diesem Anschluss. Bitte versuchen Sie es in {wait} erneut.")
        response = make_response(render_template("auth/forgot_password.html", form=form, sent=False), 429)
        response.headers["Retry-After"] = str(blocked.retry_after)
        return response
    if reset_throttle().may_mail(form.email.data):
        _mail_link(form.email.data)
    return render_template("auth/forgot_password.html", form=None, sent=True)


def _mail_link(email: str) -> None:
    """A new link for an active account with this address, mailed in the background; else nothing."""
    user = find_user(email)
    if user is None or not user.active:
        return
    purpose = "invite" if user.password_hash is None else "reset"
    # Nobody is logged in: the trail must not name the account holder (anyone may type an address) nor the server's operator.
    link = issue_password_link(user, purpose, actor=None, without_account=RESET_REQUEST_ACTOR)
    commit_now()  # the link is stored before the mail that carries it leaves: no mail with a link that never was
    settings = MailSettings.from_config(current_app.config)
    message = password_link_message(settings.sender, user, password_link_url(link.token), purpose, link.expires_at)
    threading.Thread(target=_send_quietly, args=(settings, message), name="selfeval-reset-mail").start()


def _send_quietly(settings: MailSettings, message) -> None:
    try:
        send(settings, message)
    except MailNotSent as exc:
        # The person sees the same page either way; the operator sees why no mail arrived.
        log.error("reset link could not be mailed: %s", exc)
