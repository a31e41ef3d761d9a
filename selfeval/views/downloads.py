"""Responses that hand a file to the browser."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response

from ..storage import Storage, chunks


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> Response:
    """A PDF download (never cached: security.headers sends no-store on everything not public)."""
    response = Response(pdf, mimetype="application/pdf")
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def stored_file_response(store: Storage, key: str, mimetype: str) -> Response:
    """A file from storage, streamed in chunks (a Bezirk's ZIP is never read into memory); the caller names it."""
    size = store.size(key)

    def streamed() -> Iterator[bytes]:
        with store.reading(key) as file:
            yield from chunks(file)

    response = Response(streamed(), mimetype=mimetype, direct_passthrough=True)
    response.content_length = size
    return response
