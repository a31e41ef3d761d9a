"""Administration (role admin): schools and the directory import, accounts, rounds, audit trail.

One blueprint, its routes split by subject into the modules imported at the bottom.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from ...extensions import login_manager
from ...permissions import can_administer

blueprint = Blueprint("admin", __name__, url_prefix="/verwaltung")


@blueprint.before_request
def guard():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_administer(current_user):
        abort(403)
    return None


# The route modules register on the blueprint above, so they are imported after it.
from . import audit_log, home, invitations, rounds, schools, users  # noqa: E402, F401
