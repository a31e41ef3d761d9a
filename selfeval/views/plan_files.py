"""The downloads for the Medienkonzept as responses, shared by the pages (plan_downloads) and the API (api_plans)."""

from __future__ import annotations

from flask import Response

from ..models import Assessment, Round, School, User
from ..reports.docx_plan import render_plan_docx
from ..reports.xlsx_plan import render_plan_xlsx
from ..services.plan_documents import plan_document

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_response(school: School, round_: Round, reader: User, assessment: Assessment) -> Response:
    document = plan_document(school, round_, reader, assessment)
    return _attachment(render_plan_docx(document), DOCX_MIMETYPE, f"medienkonzept-{school.schulnummer}-{round_.slug}.docx")


def xlsx_response(school: School, round_: Round, reader: User, assessment: Assessment) -> Response:
    document = plan_document(school, round_, reader, assessment)
    return _attachment(render_plan_xlsx(document), XLSX_MIMETYPE, f"ergebnis-{school.schulnummer}-{round_.slug}.xlsx")


def _attachment(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
