"""Responses that hand a file to the browser."""

from __future__ import annotations

from flask import Response


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> Response:
    """A PDF download (never cached: security.headers sends no-store on everything not public)."""
    response = Response(pdf, mimetype="application/pdf")
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
