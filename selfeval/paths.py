"""Where the checkout's data folders are, independent of the working directory."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"
CRITERIA_DIR = PROJECT_ROOT / "criteria"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
DEFAULT_CATALOG = "dortmund-leitfaden"
