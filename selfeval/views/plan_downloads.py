"""The team's own results and plan as files for its Medienkonzept: a Word document and a spreadsheet.

For everyone who may read the plan (permissions.can_view_plan): the team, the Medienberatung in scope (a draft's
without its scores), supervision, the Schulträger and the admins once the assessment is submitted and its texts
released. The school and round come from the address (guards.serve_school_rounds).
"""

from __future__ import annotations

from flask import Blueprint, abort, g
from flask_login import current_user

from ..permissions import can_view_plan
from ..services.plan_documents import plan_assessment
from .guards import serve_school_rounds
from .plan_files import docx_response, xlsx_response

blueprint = serve_school_rounds(Blueprint("plan_downloads", __name__))


def _assessment():
    """The assessment the plan belongs to, if the user may read the plan; 403, or 404 without an assessment."""
    assessment = plan_assessment(g.school, g.round)
    if not can_view_plan(current_user, g.school, assessment):
        abort(403)
    if assessment is None:
        abort(404)
    return assessment


@blueprint.get("/schulen/<schulnummer>/<round_slug>/plan.docx")
def docx():
    return docx_response(g.school, g.round, current_user, _assessment())


@blueprint.get("/schulen/<schulnummer>/<round_slug>/ergebnis.xlsx")
def xlsx():
    return xlsx_response(g.school, g.round, current_user, _assessment())
