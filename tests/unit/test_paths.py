"""Where the package finds its data and its instance folder (an installed wheel: tests/integration/test_wheel.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from selfeval import paths


def test_the_data_folders_are_inside_the_package():
    package = Path(paths.__file__).resolve().parent
    folders = [paths.TEMPLATES_DIR, paths.STATIC_DIR, paths.CRITERIA_DIR, paths.MIGRATIONS_DIR]
    assert [folder.relative_to(package).as_posix() for folder in folders] == ["templates", "static", "criteria", "migrations"]
    assert [(folder / name).is_file() for folder, name in [
        (paths.TEMPLATES_DIR, "base.html"), (paths.STATIC_DIR, "css/selfeval.css"),
        (paths.CRITERIA_DIR, f"{paths.DEFAULT_CATALOG}.yaml"), (paths.MIGRATIONS_DIR, "alembic.ini"),
    ]] == [True, True, True, True]  # fmt: skip


def test_the_instance_folder_is_the_configured_one_else_the_checkouts(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.INSTANCE_PATH_ENV, str(tmp_path / "elsewhere"))
    assert paths.default_instance_path() == str(tmp_path / "elsewhere")
    monkeypatch.delenv(paths.INSTANCE_PATH_ENV)
    checkout = Path(paths.__file__).resolve().parent.parent  # this test runs in a checkout
    assert paths.default_instance_path() == str(checkout / "instance")


def test_installed_the_instance_folder_is_the_environments_var_folder(monkeypatch):
    monkeypatch.delenv(paths.INSTANCE_PATH_ENV, raising=False)
    monkeypatch.setattr(paths, "CHECKOUT_DIR", None)
    assert paths.default_instance_path() == str(Path(sys.prefix) / "var" / "selfeval-instance")
