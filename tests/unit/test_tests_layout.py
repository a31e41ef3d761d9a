"""The tests' own layout: shared helpers live in tests/support/, so no test module imports from another one.

A helper imported from a test module hides where it lives and ties two test files together (moving or
renaming tests breaks unrelated ones); tests/support/ is the one place for shared helpers.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path, root: Path = ROOT) -> list[str]:
    """Every module `path` imports, relative imports resolved against its package ("tests.unit.test_x")."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append(module)
            found.extend(f"{module}.{alias.name}" for alias in node.names)  # `from . import test_x`
    return found


def only_test_modules(modules: list[str]) -> list[str]:
    return [module for module in modules if module.startswith("tests.") and module.rsplit(".", 1)[-1].startswith("test_")]


def test_no_test_module_imports_another_test_module():
    paths = sorted((ROOT / "tests").rglob("*.py"))
    imports = {str(path.relative_to(ROOT)): only_test_modules(imported_modules(path)) for path in paths}
    assert {path: modules for path, modules in imports.items() if modules} == {}


def test_the_check_sees_absolute_relative_and_module_imports(tmp_path):
    probe = tmp_path / "tests" / "unit" / "test_probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "import tests.integration.test_mail\n"
        "from tests.integration.test_api import URL\n"
        "from .test_report_pdf import SCORES\n"
        "from . import test_radar\n"
        "from ..support.html import text\n"
        "from tests.support import factories\n"
    )
    assert only_test_modules(imported_modules(probe, tmp_path)) == [
        "tests.integration.test_mail",
        "tests.integration.test_api",
        "tests.unit.test_report_pdf",
        "tests.unit.test_radar",
    ]
