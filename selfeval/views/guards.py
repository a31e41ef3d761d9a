"""The `before_request` guards that more than one blueprint uses, so that no blueprint borrows another's.

- `school_and_round`: the assessment and the results pages load the school and round their address names
  once, check that the user may see them, and link among themselves without repeating them;
- `analytics_audience`: the supervision overview and the report jobs serve supervisors, advisers and admins.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user

from ..extensions import login_manager
from ..permissions import can_edit_assessment, can_use_analytics, can_view_assessment
from ..services.errors import NotFound
from ..services.schools import get_school_and_round
from .unsaved import keep_or_none


def serve_school_rounds(blueprint: Blueprint) -> Blueprint:
    """Pages under /schulen/<schulnummer>/<round_slug>/: `g.school`, `g.round` and `g.can_edit` are set, or 403/404."""
    blueprint.before_request(load_school_and_round)
    blueprint.url_defaults(add_school_and_round)
    return blueprint


def load_school_and_round():
    """A logged-in user who may see this school; the school and round are in `g` for the view."""
    values = request.view_args or {}
    if not current_user.is_authenticated:
        # A save from a page whose session ended elsewhere (log-out on another device) keeps its input.
        return keep_or_none(values) or login_manager.unauthorized()
    if "schulnummer" not in values:
        return None
    try:
        g.school, g.round = get_school_and_round(values.pop("schulnummer"), values.pop("round_slug"))
    except NotFound:
        abort(404)
    if not can_view_assessment(current_user, g.school):
        abort(403)
    g.can_edit = can_edit_assessment(current_user, g.school)
    return None


def add_school_and_round(endpoint, values):
    """Links within one assessment's pages (rating, submit, results, reports) need not repeat the school and the round."""
    if "school" in g and current_app.url_map.is_endpoint_expecting(endpoint, "schulnummer"):
        values.setdefault("schulnummer", g.school.schulnummer)
        values.setdefault("round_slug", g.round.slug)


def analytics_audience():
    """Supervisors, advisers and admins; anyone else logged in gets 403, and nobody logged in the log-in page."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_use_analytics(current_user):
        abort(403)
    return None
