"""Views do not reach into each other: what two blueprints share lives in a helper module of selfeval/views.

A blueprint module is one that defines a blueprint (`Blueprint(...)`) or adds routes to one (it takes the name
`blueprint` from the module that defines it, as the admin route modules and password_reset do). Between two
blueprint modules the only import allowed is that name `blueprint`, and the defining module importing its own
route modules so that they register.
"""

from __future__ import annotations

import ast
from pathlib import Path

import selfeval.views

VIEWS = Path(selfeval.views.__file__).parent
PACKAGE = "selfeval.views"


def module_name(path: Path) -> str:
    parts = path.relative_to(VIEWS).with_suffix("").parts
    return ".".join((PACKAGE, *parts)).removesuffix(".__init__")


def modules() -> dict[str, tuple[Path, ast.Module]]:
    return {module_name(path): (path, ast.parse(path.read_text("utf-8"))) for path in sorted(VIEWS.rglob("*.py"))}


def imports(name: str, path: Path, tree: ast.Module) -> list[tuple[str, str]]:
    """(module, imported name) for every import of the module, relative ones resolved; "" for `import x`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            source = ".".join([*base, *([node.module] if node.module else [])])
            found += [(source, alias.name) for alias in node.names]
    return found


def defines_blueprint(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Blueprint"
        for node in ast.walk(tree)
    )


def blueprint_modules(found: dict[str, tuple[Path, ast.Module]]) -> set[str]:
    defining = {name for name, (_, tree) in found.items() if defines_blueprint(tree)}
    extending = {
        name
        for name, (path, tree) in found.items()
        if any(source in defining and imported == "blueprint" for source, imported in imports(name, path, tree))
    }
    return defining | extending


def crossings(found: dict[str, tuple[Path, ast.Module]]) -> list[str]:
    """Every import of one blueprint module from another, but for taking `blueprint` and registering route modules."""
    blueprints = blueprint_modules(found)
    refused = []
    for name in sorted(blueprints):
        path, tree = found[name]
        for source, imported in imports(name, path, tree):
            target = f"{source}.{imported}" if f"{source}.{imported}" in found else source
            if target == name or target not in blueprints:
                continue
            registers_own_route_module = target == f"{name}.{imported}"
            if not (imported == "blueprint" or registers_own_route_module):
                refused.append(f"{name} imports {imported or source} from {target}")
    return refused


def test_no_blueprint_module_imports_from_another_blueprint_module():
    assert crossings(modules()) == []


def test_the_check_knows_the_blueprint_modules():
    """The check above sees every blueprint: a walk that found none would pass for nothing."""
    assert sorted(blueprint_modules(modules())) == [
        "selfeval.views.admin",
        "selfeval.views.admin.audit_log",
        "selfeval.views.admin.home",
        "selfeval.views.admin.invitations",
        "selfeval.views.admin.rounds",
        "selfeval.views.admin.schools",
        "selfeval.views.admin.users",
        "selfeval.views.api",
        "selfeval.views.api_plans",
        "selfeval.views.api_report_jobs",
        "selfeval.views.area_report",
        "selfeval.views.assessment",
        "selfeval.views.auth",
        "selfeval.views.consensus",
        "selfeval.views.health",
        "selfeval.views.main",
        "selfeval.views.offers",
        "selfeval.views.password_reset",
        "selfeval.views.plan_downloads",
        "selfeval.views.plans",
        "selfeval.views.report_jobs",
        "selfeval.views.results",
        "selfeval.views.supervision",
    ]


def test_the_check_refuses_a_helper_taken_from_another_blueprint():
    """As views/team.py once took indicator_titles from admin/audit_log.py, and admin/users.py links from auth.py."""
    found = modules()
    reaching = ast.parse("from .admin.audit_log import PER_PAGE\nfrom .auth import blueprint, login\n")
    found["selfeval.views.results"] = (VIEWS / "results.py", reaching)
    assert crossings(found) == [
        "selfeval.views.results imports PER_PAGE from selfeval.views.admin.audit_log",
        "selfeval.views.results imports login from selfeval.views.auth",
    ]
