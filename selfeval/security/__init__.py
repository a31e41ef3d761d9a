"""Web security that every request shares: response headers, session lifetime, log-in throttling.

The parts are small and separate; `register` wires them into an app (called by the factory).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import headers, sessions, throttle


def register(app: Flask) -> None:
    hops = app.config["SELFEVAL_PROXY_HOPS"]
    if hops:
        # Behind a TLS proxy: take the client address and scheme from the proxy's X-Forwarded-* headers,
        # trusting exactly as many proxies as configured (never more, or clients could forge their address).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    headers.register(app)
    sessions.register(app)
    throttle.register(app)
