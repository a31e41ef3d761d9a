"""Security headers on every response, pages, API, files and errors alike."""

from __future__ import annotations

from flask import Flask, Response

#: No inline script or style anywhere: scripts and styles come from /static, charts are inline SVG
#: without style attributes. Data URIs for images only (none of ours need more).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
#: One year, as the HSTS preload list asks; only sent when the site is configured for HTTPS.
HSTS = "max-age=31536000; includeSubDomains"
BASE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def register(app: Flask) -> None:
    https = app.config["SELFEVAL_HTTPS"]

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in BASE_HEADERS.items():
            # A view may have set a stricter value (the password link page sends no referrer at all).
            response.headers.setdefault(name, value)
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
