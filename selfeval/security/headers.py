"""Security headers on every response, pages, API, files and errors alike, and who may cache what."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

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

#: Endpoints whose content is the same for everyone and holds no school or personal data. Only these,
#: and only when answered to someone not logged in, may be cached; every other response is no-store.
#: Deny by default, so that a new page is never cached by mistake.
PUBLIC_ENDPOINTS = frozenset(
    {"main.index", "main.catalog", "main.imprint", "main.privacy", "main.accessibility", "api.openapi", "api.catalog"}
)
#: Static files keep Flask's caching (stored, revalidated with ETag and Last-Modified).
STATIC_ENDPOINT = "static"
NO_STORE = "no-store"


def may_be_cached() -> bool:
    """Static files, and public content for someone without a session user or API token.

    A logged-in person's every page shows their name in the header (and most show far more), and a
    page answered to an API token is the token holder's: neither may stay in a browser or proxy cache.
    """
    if request.endpoint == STATIC_ENDPOINT:
        return True
    if request.endpoint not in PUBLIC_ENDPOINTS:
        return False
    return not current_user.is_authenticated and "Authorization" not in request.headers


def register(app: Flask) -> None:
    https = app.config["SELFEVAL_HTTPS"]

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in BASE_HEADERS.items():
            # A view may have set a stricter value (the password link page sends no referrer at all).
            response.headers.setdefault(name, value)
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if not may_be_cached():
            response.headers["Cache-Control"] = NO_STORE
        return response
