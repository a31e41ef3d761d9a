"""Error pages in German (HTML) or plain JSON (API); never a traceback."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

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
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(error: HTTPException):
    return _respond(error.code or 500, error.description)


def _unexpected_error(error: Exception):
    # Logged with its traceback for the operator; the user sees a calm page.
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return _respond(500, InternalServerError.description)


def _respond(code: int, description: str | None):
    title, text = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify({"error": {"code": code, "message": description or title}}), code
    return render_template("errors/error.html", code=code, title=title, text=text), code
