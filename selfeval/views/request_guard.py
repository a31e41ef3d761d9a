"""Refuse a request with a NUL character in its address, its query or an uploaded file's name before any view sees it.

PostgreSQL can neither store nor compare text holding NUL (U+0000): such a value would end in a server error wherever
it reaches a query (a search, a Schulnummer in the address, the audit entry of an import). Nobody types one; only a
broken or hostile client sends it, so one guard for every form field is safer than a check in each service (a round
name or a report's round slipped through before). Other control characters are named on their fields by the
services (limits.CONTROL_CHARACTERS); JSON bodies and uploaded files are checked where they are read.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BaseConverter, IntegerConverter

NUL = "\x00"
MESSAGE = "Die Anfrage enthält ein unzulässiges Steuerzeichen (U+0000); nichts wurde verarbeitet."


#: The largest value of PostgreSQL's `integer`, the type of every id column: beyond it a lookup is a database error.
LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number beyond the database's id range matches no route, so the answer is 404."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


class WordConverter(BaseConverter):
    """`<word:…>`: a path segment without a dot, for a route beside a download of the same name (`<round_slug>` and
    `<round_slug>.docx`): a PUT on the download's address then finds only the download, and is answered 405."""

    regex = r"[^/.]+"


def register_converters(app: Flask) -> None:
    """Before any blueprint: routes pick their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["word"] = WordConverter


def register(app: Flask) -> None:
    app.before_request(refuse_nul_characters)


#: Forms whose view checks every field itself and shows the page again with the reason on the field: the rating
#: form holds a team's long comments, and nothing a user typed may be lost (services.rating_input names the field).
FORMS_CHECKED_BY_THEIR_VIEW = frozenset({"assessment.edit_criterion"})


def refuse_nul_characters() -> None:
    """400 when the path, a query or form value (or its name) or an uploaded file's name holds a NUL character."""
    file_names = "".join(upload.filename or "" for upload in request.files.values())
    if NUL in request.path or NUL in file_names or _holds_nul(request.args) or _form_holds_nul():
        abort(400, MESSAGE)


def _form_holds_nul() -> bool:
    return request.endpoint not in FORMS_CHECKED_BY_THEIR_VIEW and _holds_nul(request.form)


def _holds_nul(values: MultiDict) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))
