"""One log record for every refused request: who asked, for what, when and from where.

Called by the error handlers (pages and API), never by a view. Data minimisation: the account's id
and role, never its e-mail address or name; the path without its query (search text can name people).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import quote

from flask import g, request
from flask_login import current_user

log = logging.getLogger("selfeval.security")
#: Characters of a path that stay as they are; everything else (line breaks too) is percent-encoded.
PATH_SAFE = "/-._~!$&'()*+,;=:@"
MAX_PATH = 200


def log_refusal(status: int) -> None:
    """A 403, or a 401 for credentials that were presented and refused (a wrong or revoked API token)."""
    refused = status == 403 or (status == 401 and "Authorization" in request.headers)
    if not refused:
        return
    at = datetime.now(UTC).isoformat()
    who, user_id, role = _requester()
    path = quote(request.path, safe=PATH_SAFE)[:MAX_PATH]
    endpoint = request.endpoint or "-"
    client = request.remote_addr or "-"
    log.warning(
        "refused %s %s %s (endpoint %s) for %s from %s at %s",
        status, request.method, path, endpoint, who, client, at,
        extra={"refusal": {"status": status, "user_id": user_id, "role": role, "method": request.method,
                           "path": path, "endpoint": endpoint, "client": client, "at": at}},
    )  # fmt: skip


def _requester() -> tuple[str, int | None, str | None]:
    """(who in words, user id, role): the API's token user, else the session's user, else anonymous."""
    user = g.get("api_user")
    if user is None and current_user.is_authenticated:
        user = current_user
    if user is None:
        return "anonymous", None, None
    return f"user {user.id} ({user.role})", user.id, user.role
