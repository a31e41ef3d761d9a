"""A service's refusal that a view lets through, turned into a response in one place.

By the time these handlers run, the request's writes are discarded (unit_of_work), so a refusal never leaves
half a change behind. What the person gets:

- the API (/api/…): the documented status and JSON body (`api_refusal`), like every other API error;
- a page whose view declares where its refusals are shown (`refusals_go_to`): the service's German message(s)
  as a flashed error and a redirect to that page;
- anything else: the calm 500 page, as for any error nobody expected.

A refusal that belongs on a form field is not handled here: the view catches it with `unit_of_work.attempt`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, flash, redirect, request, url_for

from ..services import assessments
from ..services.errors import InvalidInput, ServiceError
from .api import ApiError, api_error_response, previous_slug
from .errors import unexpected_error
from .serializers import state_to_json

V = TypeVar("V", bound=Callable)
_TARGET = "refusals_go_to"


def register(app: Flask) -> None:
    app.register_error_handler(ServiceError, _refused)


def refusals_go_to(endpoint: str) -> Callable[[V], V]:
    """Declare the page on which this view's refusals are shown; it takes the view's own address arguments.

    Used under the route decorator: `@refusals_go_to("admin.user")` on a POST /konten/<user_id>/… view
    redirects a refused action to /konten/<user_id> with the service's message.
    """

    def mark(view: V) -> V:
        setattr(view, _TARGET, endpoint)
        return view

    return mark


def _refused(error: ServiceError):
    if request.path.startswith("/api/"):
        refusal = api_refusal(error)
        return unexpected_error(error) if refusal is None else api_error_response(refusal)
    target = _declared_target()
    if target is None:
        return unexpected_error(error)
    for message in messages(error):
        flash(message, "error")
    return redirect(target)


def messages(error: ServiceError) -> list[str]:
    """What the person reads: each problem of an InvalidInput, else the error's own sentence."""
    return list(error.problems.values()) if isinstance(error, InvalidInput) else [str(error)]


def _declared_target() -> str | None:
    view = current_app.view_functions.get(request.endpoint or "")
    endpoint = getattr(view, _TARGET, None)
    if endpoint is None:
        return None
    accepted = {name for rule in current_app.url_map.iter_rules(endpoint) for name in rule.arguments}
    return url_for(endpoint, **{name: value for name, value in (request.view_args or {}).items() if name in accepted})


def api_refusal(error: ServiceError) -> ApiError | None:
    """The API's answer to a refused save or submit (docs/API.md, the OpenAPI document); None for anything else."""
    if isinstance(error, assessments.VersionConflict):
        return ApiError(
            412,
            "Die Bewertung wurde inzwischen geändert; nichts wurde gespeichert.",
            changed=error.changed,
            current=state_to_json(error.current, previous_slug(error.current)),
        )
    if isinstance(error, assessments.NotReadyToSubmit):
        return ApiError(
            422,
            "Die Bewertung kann noch nicht abgeschlossen werden.",
            missing=error.missing,
            has_leadership=error.has_leadership,
        )
    if isinstance(error, assessments.AssessmentLocked):
        return ApiError(409, str(error))
    return None
