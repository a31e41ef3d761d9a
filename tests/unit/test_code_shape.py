"""The house rule on size, checked: no module in selfeval/ over 400 lines, no function over 60 lines.

A function's length runs from its `def` line to its last line (decorators not counted), nested functions and
methods included. Only Python modules count: the reference data, templates and static files beside them are not
code. Applied migrations are left out: they record what databases went through and are not rewritten for shape.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "selfeval"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

#: Folders not measured: Alembic revisions, written once (largely by autogenerate) and then history.
NOT_MEASURED = ("migrations/versions/",)

def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if not name_of(path).startswith(NOT_MEASURED))


def name_of(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function or method in `source` longer than `limit` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append((node.name, node.lineno, length))
    return sorted(found, key=lambda item: item[1])


def test_no_module_is_longer_than_400_lines():
    too_long = [
        f"selfeval/{name_of(path)}: {lines} lines"
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == [], f"modules over {MAX_MODULE_LINES} lines (split them by what they do):\n" + "\n".join(too_long)


def test_no_function_is_longer_than_60_lines():
    too_long = [
        f"selfeval/{name_of(path)}:{line} {name}() is {length} lines"
        for path in modules()
        for name, line, length in long_functions(path.read_text(encoding="utf-8"))
    ]
    assert too_long == [], f"functions over {MAX_FUNCTION_LINES} lines (split them into named steps):\n" + "\n".join(
        too_long
    )


def test_the_folders_left_out_still_hold_modules():
    """An entry whose folder moved or emptied is stale: remove it from NOT_MEASURED."""
    assert [folder for folder in NOT_MEASURED if not list((PACKAGE / folder).glob("*.py"))] == []


def test_the_measure_counts_from_def_to_the_last_line_with_nested_functions_and_methods():
    body = "\n".join(f"    x{i} = {i}" for i in range(59))
    source = (
        f"@decorator\ndef fits():\n{body}\n\n"  # 60 lines from def to the end: allowed
        f"def too_long():\n{body}\n    return 1\n\n"  # 61 lines
        f"class Outer:\n    def method(self):\n        def nested():\n{body.replace('    ', '            ')}\n"
        "            return 1\n        return nested\n"  # method 63 lines, nested 61 lines
    )
    assert long_functions(source) == [("too_long", 63, 61), ("method", 126, 63), ("nested", 127, 61)]
