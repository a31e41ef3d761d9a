"""Configuration from the environment: database URL, secret key, active catalogue."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval.app import create_app
from selfeval.config import ConfigurationError, normalize_database_url
from selfeval.extensions import catalogs
from selfeval.paths import CRITERIA_DIR

SELFEVAL = str(Path(sys.executable).with_name("selfeval"))


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("SELFEVAL_DATABASE_URL", "SELFEVAL_SECRET_KEY", "SELFEVAL_CATALOG", "SELFEVAL_INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_sqlite_in_the_instance_folder_and_the_dortmund_catalogue(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    assert app.instance_path == str(tmp_path / "inst")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'selfeval.sqlite3'}"
    with app.app_context():
        assert catalogs.active.id == "dortmund-leitfaden"


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text()
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".secret_key")] == []


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_SECRET_KEY", "from-the-environment")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_environment_sets_database_instance_and_catalogue(tmp_path, monkeypatch):
    catalog_file = tmp_path / "mini.yaml"
    catalog_file.write_text(
        "id: mini\nversion: 1\ntitle: Mini\nscale: {min: 1, max: 4}\n"
        "criteria: [{id: a, title: A, indicators: [{id: a1, text: Eins}]}]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFEVAL_DATABASE_URL", "postgresql://someone@db.example/selfeval")
    monkeypatch.setenv("SELFEVAL_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("SELFEVAL_CATALOG", str(catalog_file))
    app = create_app()
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/selfeval"
    with app.app_context():
        assert (catalogs.active.id, catalogs.active.scale.max) == ("mini", 4)


def test_catalogue_by_name_is_looked_up_in_the_criteria_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_CATALOG", "dortmund-leitfaden")
    with create_app({"INSTANCE_PATH": str(tmp_path)}).app_context():
        assert catalogs.active.id == "dortmund-leitfaden"


def test_unknown_catalogue_names_the_available_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_CATALOG", "hamburg")
    with pytest.raises(ConfigurationError) as caught:
        create_app({"INSTANCE_PATH": str(tmp_path)})
    assert str(caught.value) == (
        f"SELFEVAL_CATALOG: no catalogue file at {CRITERIA_DIR / 'hamburg.yaml'} "
        f"(catalogues in {CRITERIA_DIR}: dortmund-leitfaden)"
    )


def test_invalid_active_catalogue_stops_the_start_with_its_problems(tmp_path, monkeypatch):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: Broken\n", encoding="utf-8")
    monkeypatch.setenv("SELFEVAL_CATALOG", str(broken))
    with pytest.raises(ConfigurationError) as caught:
        create_app({"INSTANCE_PATH": str(tmp_path)})
    assert str(caught.value).splitlines() == [
        "the active catalogue (SELFEVAL_CATALOG) is not valid:",
        f'{broken}: id: "Broken" is not a valid id: use at most 64 lowercase letters, digits, "-" and "_", '
        "starting with a letter or digit (line 1)",
        f'{broken}: version: is missing; give the catalogue a version such as "1" or "2024.1" (line 1)',
        f"{broken}: title: is missing; text is required here (line 1)",
        f"{broken}: scale: is missing; add for example scale: {{min: 0, max: 10}} (line 1)",
        f"{broken}: criteria: is missing; at least one criterion is required (line 1)",
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "SELFEVAL_DATABASE_URL is not a database URL: 'not a url' (examples: "
         "sqlite:////path/to/file.sqlite3, postgresql+psycopg://user@host/dbname)"),
        ("mysql://root@localhost/x", "SELFEVAL_DATABASE_URL uses 'mysql'; selfeval supports SQLite and PostgreSQL"),
    ],
)  # fmt: skip
def test_bad_database_urls_are_explained(url, message):
    with pytest.raises(ConfigurationError) as caught:
        normalize_database_url(url)
    assert str(caught.value) == message


def test_cli_reports_configuration_errors_without_traceback(tmp_path):
    env = {**os.environ, "SELFEVAL_CATALOG": "hamburg", "SELFEVAL_INSTANCE_PATH": str(tmp_path)}
    for args in (["routes"], ["--help"], ["demo", "--port", "1"]):
        result = subprocess.run([SELFEVAL, *args], capture_output=True, text=True, env=env, timeout=60)
        assert (result.returncode, result.stdout, result.stderr) == (
            1,
            "",
            f"selfeval: configuration error: SELFEVAL_CATALOG: no catalogue file at "
            f"{CRITERIA_DIR / 'hamburg.yaml'} (catalogues in {CRITERIA_DIR}: dortmund-leitfaden)\n",
        ), args
