"""GET /healthz for load balancers and orchestrators: can this app server do its work? (docs/BETRIEB.md)

No log-in, no session, no rate limit: it answers the database's and the broker's reachability as JSON, 200 when
both answer and 503 when one does not, so a balancer takes a server out that could only fail. It reveals nothing
but which dependency is down.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from kombu import Connection
from sqlalchemy import text

from ..extensions import db

blueprint = Blueprint("health", __name__)
#: Seconds a check may take: a balancer asks every few seconds and must not pile up requests.
TIMEOUT = 2.0
log = logging.getLogger(__name__)


@blueprint.get("/healthz")
def healthz():
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    response = jsonify({"status": "ok" if healthy else "unavailable", "checks": checks})
    response.status_code = 200 if healthy else 503
    return response


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means: not reachable
        log.warning("health check: the database does not answer", exc_info=True)
        # The failed statement leaves the session unusable; the probe answers 503 itself instead of raising, so it
        # ends that transaction here (it wrote nothing the unit of work could lose).
        db.session.rollback()
        return "unavailable"
    return "ok"


def _broker() -> str:
    url = current_app.config["SELFEVAL_BROKER_URL"]
    if not url:
        return "not configured"
    try:
        with Connection(url, connect_timeout=TIMEOUT, transport_options={"socket_timeout": TIMEOUT}) as connection:
            connection.ensure_connection(max_retries=1, timeout=TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure means: not reachable
        log.warning("health check: the broker does not answer", exc_info=True)
        return "unavailable"
    return "ok"
