"""Error pages in German (HTML) or plain JSON (API); never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_login import logout_user
from sqlalchemy import inspect
from sqlalchemy.orm.exc import ObjectDeletedError
from werkzeug.exceptions import HTTPException

from .. import unit_of_work
from ..extensions import db, login_manager
from ..models import User
from .refusals import log_refusal

MESSAGES = {
    400: ("Ungültige Anfrage", "Die Anfrage konnte nicht verarbeitet werden."),
    403: ("Kein Zugriff", "Sie haben keine Berechtigung für diese Seite."),
    404: ("Seite nicht gefunden", "Diese Seite gibt es nicht. Vielleicht hat sich die Adresse geändert."),
    405: ("Nicht erlaubt", "Diese Aktion ist an dieser Stelle nicht möglich."),
    413: ("Zu große Anfrage", "Die gesendeten Daten sind zu groß."),
    429: ("Zu viele Anfragen", "Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
    500: (
        "Ein Fehler ist aufgetreten",
        "Das hat leider nicht geklappt. Bitte versuchen Sie es später erneut.",
    ),
}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(ObjectDeletedError, _deleted_row)
    app.register_error_handler(Exception, unexpected_error)


def http_error(error: HTTPException):
    log_refusal(error.code or 500)
    # werkzeug's stock descriptions are English; the API then answers with the German title instead.
    description = None if error.description == type(error).description else error.description
    body, code = _respond(error.code or 500, description)
    # The exception's own headers carry protocol duties: Allow on a 405 (RFC 9110), Retry-After on a 429.
    return body, code, [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def unexpected_error(error: Exception):
    # Logged with its traceback for the operator; the user sees a calm page.
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    # A write that failed half-way leaves the session unusable until rolled back, and the page's header reads
    # the current user through it: without this, the error page itself would fail.
    unit_of_work.discard()
    return _respond(500, None)


def _deleted_row(error: ObjectDeletedError):
    """The account making this request was erased meanwhile (by another admin at the same moment): it is logged out.

    Any other vanished row is an unexpected error as before.
    """
    unit_of_work.discard()
    user = g.get("_login_user")
    if isinstance(user, User) and db.session.get(User, inspect(user).identity[0]) is None:
        logout_user()
        if request.path.startswith("/api/"):
            return _respond(401, None)
        return login_manager.unauthorized()
    return unexpected_error(error)


def _respond(code: int, description: str | None):
    title, text = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify({"error": {"code": code, "message": description or f"{title}. {text}"}}), code
    return render_template("errors/error.html", code=code, title=title, text=text), code
