"""A report built from the real Dortmund Leitfaden with known scores, and the text of its PDF pages."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from selfeval.reports.content import ReportInput, build_report
from selfeval.reports.model import Comparison, ReportSchool
from tests.support.catalogue import CRITERIA, LEITFADEN

#: Criterion scores 6, 7.5, 8/3, 6.25, 9, 4.5: printed 6,0 · 7,5 · 2,7 · 6,3 (half up) · 9,0 · 4,5.
SCORES = {
    **dict(zip(CRITERIA["k1"], [6, 6, 6, 6], strict=True)),
    **dict(zip(CRITERIA["k2"], [7, 7, 8, 8], strict=True)),
    **dict(zip(CRITERIA["k3"], [2, 3, 3], strict=True)),
    **dict(zip(CRITERIA["k4"], [6, 6, 7, 6], strict=True)),
    **dict(zip(CRITERIA["k5"], [9, 9, 9, 9], strict=True)),
    **dict(zip(CRITERIA["k6"], [4, 5, 4, 5], strict=True)),
}
HOSTILE = '<font size="80">groß</font> & Co <b>'
NAME = "Ayşe-Yılmaz-Gesamtschule Şehitlik"
SCHOOL = ReportSchool("199001", NAME, "Gesamtschule", "Dortmund", "Dortmund")


def make_report(
    *, submitted: bool = False, comments=None, scores=SCORES, previous=None, comparison=None, means=None, **extra
):
    return build_report(
        ReportInput(
            catalog=LEITFADEN,
            school=SCHOOL,
            round_name="2025/26",
            is_submitted=submitted,
            submitted_on=date(2025, 11, 3) if submitted else None,
            created_on=date(2025, 11, 4),
            scores=scores,
            comments=comments if comments is not None else {"k1a": HOSTILE, "k2b": "Ansprechpartner: Łukasz Nowak"},
            comparison=comparison or Comparison("Gesamtschule", 2, 5),
            comparison_means=means or {},
            previous=previous,
            **extra,  # e.g. plan= (reports.plan_section.PlanInput), plan_withheld=, offer_lists=
        )
    )


def normalised(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def pages_text(pdf: bytes) -> list[str]:
    return [normalised(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
