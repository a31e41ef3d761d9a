"""Configuration: defaults, then the environment (SELFEVAL_*), then the factory's mapping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .paths import CRITERIA_DIR, DEFAULT_CATALOG

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
DEFAULT_DATABASE_FILE = "selfeval.sqlite3"


class ConfigurationError(Exception):
    """The configuration cannot work; the message says what to change."""


def build_config(instance_path: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The complete configuration for one app instance."""
    overrides = dict(overrides or {})
    env = os.environ
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": env.get("SELFEVAL_DATABASE_URL")
        or f"sqlite:///{Path(instance_path) / DEFAULT_DATABASE_FILE}",
        "SELFEVAL_CATALOG": env.get("SELFEVAL_CATALOG") or DEFAULT_CATALOG,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "JSON_SORT_KEYS": False,
        # Flask-WTF would look for Flask-Babel; off, WTForms uses its own German messages (forms.GermanForm).
        "WTF_I18N_ENABLED": False,
    }
    if env.get("SELFEVAL_SECRET_KEY"):
        config["SECRET_KEY"] = env["SELFEVAL_SECRET_KEY"]
    config.update(mail_config(env))
    #: How links in e-mails and on the command line start, e.g. https://selfeval.kreis-unna.de
    config["SELFEVAL_BASE_URL"] = env.get("SELFEVAL_BASE_URL", "").rstrip("/")
    config.update(overrides)
    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = instance_secret_key(Path(instance_path))
    return config


def mail_config(env: Mapping[str, str]) -> dict[str, Any]:
    """SMTP settings; without SELFEVAL_SMTP_HOST no mail is sent and links are shown to the admin."""
    port = env.get("SELFEVAL_SMTP_PORT") or "587"
    if not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise ConfigurationError(f"SELFEVAL_SMTP_PORT must be a port number, not {port!r}")
    security = env.get("SELFEVAL_SMTP_SECURITY") or "starttls"
    if security not in ("starttls", "tls", "none"):
        raise ConfigurationError(f"SELFEVAL_SMTP_SECURITY must be starttls, tls or none, not {security!r}")
    host = env.get("SELFEVAL_SMTP_HOST", "")
    sender = env.get("SELFEVAL_MAIL_FROM", "")
    if host and not sender:
        raise ConfigurationError("SELFEVAL_SMTP_HOST is set, so SELFEVAL_MAIL_FROM (the sender address) is needed too")
    return {
        "SELFEVAL_SMTP_HOST": host,
        "SELFEVAL_SMTP_PORT": int(port),
        "SELFEVAL_SMTP_SECURITY": security,
        "SELFEVAL_SMTP_USER": env.get("SELFEVAL_SMTP_USER", ""),
        "SELFEVAL_SMTP_PASSWORD": env.get("SELFEVAL_SMTP_PASSWORD", ""),
        "SELFEVAL_MAIL_FROM": sender,
    }


def normalize_database_url(url: str) -> str:
    """Check the URL and use the psycopg 3 driver for plain postgresql:// URLs."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(
            f"SELFEVAL_DATABASE_URL is not a database URL: {url!r} "
            "(examples: sqlite:////path/to/file.sqlite3, postgresql+psycopg://user@host/dbname)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigurationError(
            f"SELFEVAL_DATABASE_URL uses {parsed.get_backend_name()!r}; selfeval supports SQLite and PostgreSQL"
        )
    return parsed.render_as_string(hide_password=False)


def instance_secret_key(instance_path: Path) -> str:
    """The key kept in the instance folder; made once, atomically, readable by the owner only."""
    key_file = instance_path / SECRET_KEY_FILE
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        temporary = instance_path / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            # link() fails if another process won the race; then its key is used by both.
            os.link(temporary, key_file)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = key_file.read_text().strip()
    if len(key) < 32:
        raise ConfigurationError(f"{key_file} holds no usable secret key; delete it to have a new one made")
    return key


def resolve_catalog_path(value: str) -> Path:
    """A catalogue given by name (a file in criteria/) or by path."""
    candidate = Path(value)
    if candidate.suffix not in (".yaml", ".yml") and "/" not in value:
        candidate = CRITERIA_DIR / f"{value}.yaml"
    if not candidate.is_file():
        available = ", ".join(sorted(path.stem for path in CRITERIA_DIR.glob("*.yaml"))) or "none"
        raise ConfigurationError(
            f"SELFEVAL_CATALOG: no catalogue file at {candidate} (catalogues in {CRITERIA_DIR}: {available})"
        )
    return candidate
