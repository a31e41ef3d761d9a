"""Layers point one way: the catalogue (and later scoring) must not pull in Flask or the database."""

import subprocess
import sys

FRAMEWORK_MODULES = {"flask", "flask_sqlalchemy", "flask_wtf", "flask_login", "sqlalchemy", "werkzeug", "reportlab"}


def imported_frameworks(module: str) -> list[str]:
    code = (
        f"import sys, {module}; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(FRAMEWORK_MODULES)!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return eval(result.stdout)  # noqa: S307 - our own subprocess prints a list literal


def test_catalog_imports_no_framework():
    assert imported_frameworks("selfeval.catalog") == []


def test_package_import_alone_imports_no_framework():
    assert imported_frameworks("selfeval") == []


def test_scoring_and_reference_data_import_no_framework():
    assert imported_frameworks("selfeval.scoring") == []
    assert imported_frameworks("selfeval.reference") == []
    assert imported_frameworks("selfeval.charts") == []


def test_aggregation_and_exports_import_no_framework():
    """pandas and openpyxl are fine; Flask, the database and reportlab are not."""
    assert imported_frameworks("selfeval.scoring.aggregate") == []
    assert imported_frameworks("selfeval.exports") == []


def test_report_content_is_pure_and_only_the_renderer_imports_reportlab():
    """Report data knows nothing of Flask or the database; the PDF modules add reportlab and nothing else."""
    for module in ("selfeval.reports.model", "selfeval.reports.content", "selfeval.reports.chart", "selfeval.display"):
        assert imported_frameworks(module) == []
    assert imported_frameworks("selfeval.reports.pdf") == ["reportlab"]
    assert imported_frameworks("selfeval.reports.batch") == ["reportlab"]


def test_school_directory_parser_imports_no_framework():
    """Reading schuldaten.csv is pure; services.school_import does the database."""
    assert imported_frameworks("selfeval.directory") == []
