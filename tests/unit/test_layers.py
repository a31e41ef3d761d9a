"""Layers point one way: the pure modules (catalogue, scoring, charts, report content, validation, constants,
permissions) must not pull in Flask or the database; the PDF renderer adds reportlab and nothing else, the Word
document for the Medienkonzept python-docx and nothing else."""

import json
import pkgutil
import subprocess
import sys

from selfeval import catalog, charts, planning, reports, scoring

FRAMEWORK_MODULES = {"flask", "flask_sqlalchemy", "flask_wtf", "flask_login", "sqlalchemy", "werkzeug", "reportlab", "docx"}


def imported_frameworks(module: str) -> list[str]:
    code = f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(FRAMEWORK_MODULES)!r})))"
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


def test_the_word_document_adds_python_docx_alone_and_its_content_and_spreadsheet_are_pure():
    """The Medienkonzept's document: its content, chart image and spreadsheet are pure; the DOCX adds python-docx."""
    for module in ("selfeval.reports.plan_document", "selfeval.reports.radar_png", "selfeval.reports.xlsx_plan"):
        assert imported_frameworks(module) == []
    assert imported_frameworks("selfeval.reports.docx_plan") == ["docx"]


def test_school_directory_parser_imports_no_framework():
    """Reading schuldaten.csv is pure; services.school_import does the database."""
    assert imported_frameworks("selfeval.directory") == []


#: The report modules that draw the PDF: they need reportlab, and nothing else of the frameworks.
PDF_MODULES = {
    "selfeval.reports.area_charts",
    "selfeval.reports.area_pdf",
    "selfeval.reports.batch",
    "selfeval.reports.cache",
    "selfeval.reports.flowables",
    "selfeval.reports.fonts",
    "selfeval.reports.paragraph",
    "selfeval.reports.pdf",
    "selfeval.reports.plan_pdf",
}
#: The report module that writes the Word document (issue 18): it needs python-docx, and nothing else of the frameworks.
DOCX_MODULES = {"selfeval.reports.docx_plan"}
#: Pure modules outside the pure packages.
PURE_MODULES = (
    "selfeval",
    "selfeval.directory",
    "selfeval.display",
    "selfeval.exports",
    "selfeval.legal",
    "selfeval.limits",
    "selfeval.paths",
    "selfeval.permissions",
    "selfeval.reference",
    "selfeval.roles",
    "selfeval.tokens",
    "selfeval.vocabulary",
    "selfeval.services.errors",
    "selfeval.services.rating_input",
)


def submodules(package) -> list[str]:
    return [package.__name__] + [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def pure_modules() -> list[str]:
    """Every module of the pure packages (but the PDF renderer) and the pure modules beside them."""
    found = [name for package in (catalog, scoring, planning, charts, reports) for name in submodules(package)]
    return sorted({*found, *PURE_MODULES} - PDF_MODULES - DOCX_MODULES)


def frameworks_by_module(modules: list[str]) -> dict[str, list[str]]:
    """For each module, in one fresh interpreter: the frameworks its import added to those already loaded."""
    code = (
        "import importlib, json, sys\n"
        f"frameworks = set({sorted(FRAMEWORK_MODULES)!r})\n"
        "loaded = lambda: {m.split('.')[0] for m in sys.modules} & frameworks\n"
        "found = {}\n"
        f"for name in {modules!r}:\n"
        "    before = loaded()\n"
        "    importlib.import_module(name)\n"
        "    found[name] = sorted(loaded() - before)\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(result.stdout)


def test_every_pure_module_imports_no_framework():
    modules = pure_modules()

    found = frameworks_by_module(modules)

    assert {name: loaded for name, loaded in found.items() if loaded} == {}
    assert set(found) == set(modules)


def test_the_pure_modules_include_permissions_validation_and_constants():
    """A guard for the list above: these were once impure (permissions loaded Flask through the models)."""
    assert {"selfeval.permissions", "selfeval.services.rating_input", "selfeval.limits", "selfeval.roles"} <= set(pure_modules())
    assert {"selfeval.catalog.loader", "selfeval.scoring.aggregate", "selfeval.charts.radar", "selfeval.reports.content"} <= set(
        pure_modules()
    )
