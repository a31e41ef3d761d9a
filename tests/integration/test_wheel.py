"""The package installs on its own: a wheel built from the checkout serves the demo from another directory.

The wheel is built from a copy of the checkout with `pip wheel --no-deps` (pip's isolated build fetches
setuptools from the index or pip's cache, as `make` does for the editable install). It is installed into a
fresh virtual environment in a temporary folder that borrows this test environment's dependencies through
a .pth file: `venv --without-pip` plus one path line needs neither network nor a wheel of every dependency
(`--no-index --find-links` would), and unlike `--system-site-packages` it sees the locked versions the
suite runs with. A .pth path line does not run the .pth files in that folder, so the editable install of
the checkout stays out of sight: `selfeval` is imported from the wheel only (the test checks it).
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory

from selfeval.paths import MIGRATIONS_DIR, PACKAGE_DIR

pytestmark = pytest.mark.wheel

CHECKOUT = PACKAGE_DIR.parent
#: Package data that must travel in the wheel, relative to the package.
DATA_FOLDERS = ("templates", "static", "migrations", "criteria")
#: Not copied for the build: environments, caches and earlier build output.
NOT_COPIED = (".git", ".venv", "instance", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.pyc")


def _package_data_in_checkout() -> set[str]:
    return {
        path.relative_to(CHECKOUT).as_posix()
        for folder in DATA_FOLDERS
        for path in (PACKAGE_DIR / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _package_files_in_checkout() -> set[str]:
    return {
        path.relative_to(CHECKOUT).as_posix()
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def _licence_files() -> list[Path]:
    patterns = ("LICEN[CS]E*", "NOTICE*", "COPYING*")
    ignored = {".git", ".venv", "node_modules"}
    return [
        path
        for pattern in patterns
        for path in CHECKOUT.rglob(pattern)
        if path.is_file() and not ignored & set(path.relative_to(CHECKOUT).parts)
    ]


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False, **kwargs)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "selfeval"
    shutil.copytree(CHECKOUT, source, ignore=shutil.ignore_patterns(*NOT_COPIED))
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(source)])
    (built,) = out.glob("selfeval-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory, wheel) -> Path:
    """A virtual environment outside the checkout with the wheel installed; this environment's libraries beside it."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    borrowed = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "borrowed-test-libraries.pth").write_text("".join(f"{path}\n" for path in borrowed), encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)])
    return venv


def _clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any SELFEVAL_ setting or Python path that could point at the checkout."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith("SELFEVAL_") and key != "PYTHONPATH"}
    return kept | extra


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_wheel_holds_the_package_with_its_data_and_licence_and_no_tests_or_benchmarks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {name.split("/")[0] for name in names} == {"selfeval", "selfeval-0.1.0.dist-info"}
    # Every file of the package, code and data alike, and nothing else (no caches).
    assert {name for name in names if name.startswith("selfeval/")} == _package_files_in_checkout()
    assert {name for name in names if name.split("/")[1] in DATA_FOLDERS} == _package_data_in_checkout()
    # The repository's only licence file is the report fonts' (there is no LICENSE or NOTICE at its root).
    assert sorted(path.relative_to(CHECKOUT).as_posix() for path in _licence_files()) == ["selfeval/reports/fonts/LICENSE"]
    assert "selfeval/reports/fonts/LICENSE" in names


def test_an_installed_wheel_upgrades_a_database_from_another_directory(fresh_venv, tmp_path):
    database = tmp_path / "selfeval.sqlite3"
    env = _clean_environment(SELFEVAL_DATABASE_URL=f"sqlite:///{database}")
    python = fresh_venv / "bin" / "python"
    imported = _run([str(python), "-c", "import selfeval; print(selfeval.__file__)"], cwd=tmp_path, env=env).stdout.strip()
    assert Path(imported).is_relative_to(fresh_venv)

    _run([str(fresh_venv / "bin" / "selfeval"), "db", "upgrade"], cwd=tmp_path, env=env)

    # The instance folder of an installed package: the environment's var/, never site-packages or the directory.
    assert sorted(path.name for path in (fresh_venv / "var" / "selfeval-instance").iterdir()) == ["secret_key"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["selfeval.sqlite3"]
    connection = sqlite3.connect(database)
    try:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    assert revision == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def test_an_installed_wheel_serves_the_demo_with_templates_static_files_and_the_catalogue(fresh_venv, tmp_path):
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - the console script the wheel installed, fixed arguments
        [str(fresh_venv / "bin" / "selfeval"), "demo", "--port", str(port)],
        cwd=tmp_path, env=_clean_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        login = _wait_for(f"http://127.0.0.1:{port}/anmelden", server)
        css = httpx.get(f"http://127.0.0.1:{port}/static/css/selfeval.css", timeout=10)
        leitfaden = httpx.get(f"http://127.0.0.1:{port}/leitfaden", timeout=10)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert (login.status_code, login.text.count("<title>Anmelden – selfeval</title>")) == (200, 1), output
    assert (css.status_code, css.content) == (200, (PACKAGE_DIR / "static" / "css" / "selfeval.css").read_bytes())
    assert (leitfaden.status_code, leitfaden.text.count('class="indicator"')) == (200, 23)
    assert (fresh_venv / "var" / "selfeval-instance" / "demo.sqlite3").is_file()
    assert list(tmp_path.iterdir()) == []


def _wait_for(url: str, server: subprocess.Popen) -> httpx.Response:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"selfeval demo ended with {server.returncode}: {server.communicate()[0]}")
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.3)
    pytest.fail(f"selfeval demo did not answer {url} within 90 s")
