"""Refuse a request with a NUL character in its address, its query or an uploaded file's name before any view sees it.

PostgreSQL can neither store nor compare text holding NUL (U+0000): such a value would end in a server error wherever
it reaches a query (a search, a Schulnummer in the address, the audit entry of an import). Nobody types one; only a
broken or hostile client sends it. Form fields are checked by the services, which name the field (as for a comment);
JSON bodies and uploaded files where they are read.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.datastructures import MultiDict

NUL = "\x00"
MESSAGE = "Die Anfrage enthält ein unzulässiges Steuerzeichen (U+0000); nichts wurde verarbeitet."


def register(app: Flask) -> None:
    app.before_request(refuse_nul_characters)


def refuse_nul_characters() -> None:
    """400 when the path, a query value (or its name) or an uploaded file's name holds a NUL character."""
    file_names = "".join(upload.filename or "" for upload in request.files.values())
    if NUL in request.path or NUL in file_names or _holds_nul(request.args):
        abort(400, MESSAGE)


def _holds_nul(values: MultiDict) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))
