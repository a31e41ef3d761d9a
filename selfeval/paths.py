"""Where the package's data folders are: inside the package, so a checkout and an installed wheel alike find them.

Templates, static files, migrations and the shipped catalogues are package data (pyproject.toml,
[tool.setuptools.package-data]); nothing here depends on the working directory.
"""

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
CRITERIA_DIR = PACKAGE_DIR / "criteria"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
DEFAULT_CATALOG = "dortmund-leitfaden"

INSTANCE_PATH_ENV = "SELFEVAL_INSTANCE_PATH"
#: A source checkout (also when installed editable): pyproject.toml lies beside the package.
CHECKOUT_DIR = PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "pyproject.toml").is_file() else None


def default_instance_path() -> str:
    """SELFEVAL_INSTANCE_PATH; else instance/ in a checkout; else, installed, Flask's folder for installed
    packages, <prefix>/var/selfeval-instance (the virtual environment's var/): never inside site-packages,
    and the same folder whatever the working directory, so `selfeval db upgrade` and the server agree."""
    configured = os.environ.get(INSTANCE_PATH_ENV)
    if configured:
        return os.path.abspath(configured)
    if CHECKOUT_DIR is not None:
        return str(CHECKOUT_DIR / "instance")
    return str(Path(sys.prefix) / "var" / "selfeval-instance")
