"""The report area (schools, users, ratings) and reading report PDFs."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from tests.support.catalogue import VARIED
from tests.support.factories import leader, make_round, make_school, make_user, rate, rated, submitted

BASE = "/schulen/100001/2025-26"
PDF, HTML, API = f"{BASE}/bericht.pdf", f"{BASE}/bericht", "/api/v1/schools/100001/reports/2025-26.pdf"
FILENAME = "bericht-2025-26-100001-adler-gesamtschule.pdf"
#: Criterion 1 = 2.5, criterion 2 = 3.5, the others 6: overall (2.5 + 3.5 + 4 * 6) / 6 = 5.
ADLER = VARIED
SCRIPT = '<script>alert("x")</script> & Co'
COMMENTS = {"k1a": SCRIPT, "k3a": "Ayşe Yılmaz kümmert sich."}
USERS = {
    "team": "leitung-100001@schule.test",
    "other_team": "leitung-300001@schule.test",
    "adviser": "berater@kommune.test",
    "adviser_elsewhere": "bochum@kommune.test",
    "supervisor": "aufsicht@bezreg.test",
    "admin": "admin@land.test",
}


def populate(app) -> None:
    """Dortmund: 100001 submitted (ADLER, with comments), 100002 submitted, 100003 a draft; Bochum: 100004 nothing
    rated; Gelsenkirchen: 300001 submitted. Advisers for Dortmund and Bochum, a supervisor for Arnsberg, an admin."""
    with app.app_context():
        round_ = make_round("2025/26")
        adler = make_school("100001", name="Adler-Gesamtschule", schulform="15", kreis="05913")
        rate(adler, round_, leader(adler), {}, COMMENTS)
        submitted(adler, round_, ADLER)
        submitted(make_school("100002", name="Birken-Gymnasium", schulform="20", kreis="05913"), round_, 8)
        rated(make_school("100003", name="Castell-Gesamtschule", schulform="15", kreis="05913"), round_, {"k1a": 10})
        make_school("100004", name="Dorf-Grundschule", schulform="02", kreis="05911")
        submitted(make_school("300001", name="Zechen-Gesamtschule", schulform="15", kreis="05513"), round_, 3)
        make_user(USERS["adviser"], "adviser", kreise=["05913"])
        make_user(USERS["adviser_elsewhere"], "adviser", kreise=["05911"])
        make_user(USERS["supervisor"], "supervisor", bezirke=["Arnsberg"])
        make_user(USERS["admin"], "admin")


def pdf_text(body: bytes) -> str:
    return " ".join(re.sub(r"\s+", " ", page.extract_text()).strip() for page in PdfReader(io.BytesIO(body)).pages)


def assert_pdf_download(response, filename: str = FILENAME) -> None:
    assert (response.status_code, response.mimetype) == (200, "application/pdf")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF-")
    assert response.data.rstrip().endswith(b"%%EOF")
