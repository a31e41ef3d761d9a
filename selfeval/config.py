"""Configuration: defaults, then the environment (SELFEVAL_*), then the factory's mapping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from limits import parse as parse_rate
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .legal import EMAIL_SETTINGS, LEGAL_PAGES, OPERATOR_SETTINGS
from .paths import CRITERIA_DIR, DEFAULT_CATALOG

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret  # nosec B105
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
        # No pre-ping: it cost every request one more round trip to the database (a third of the save's statements,
        # docs/BENCHMARKS.md). A connection the database dropped (a restart, a failover) fails the one request that
        # meets it, SQLAlchemy then discards the whole pool, and the next requests connect anew; connections are
        # replaced after 30 minutes, before idle timeouts of firewalls and poolers. SELFEVAL_DATABASE_PRE_PING=1 turns
        # it back on where dropped connections are common.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": env.get("SELFEVAL_DATABASE_PRE_PING", "") == "1",
            "pool_recycle": 1800,
        },
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "JSON_SORT_KEYS": False,
        # Flask-WTF would look for Flask-Babel; off, WTForms uses its own German messages (forms.GermanForm).
        "WTF_I18N_ENABLED": False,
        # werkzeug's method string for new password hashes. Only the tests set a cheap one: scrypt's ~0.1 s per
        # hash was half of the suite's CPU. A stored hash names its own method, so checking works either way.
        "PASSWORD_HASH_METHOD": "scrypt",  # a hash method, not a password  # nosec B105
    }
    if env.get("SELFEVAL_SECRET_KEY"):
        config["SECRET_KEY"] = env["SELFEVAL_SECRET_KEY"]
    config.update(mail_config(env))
    config.update(security_config(env))
    config.update(legal_config(env))
    config.update(jobs_config(env, instance_path))
    #: How links in e-mails and on the command line start, e.g. https://selfeval.kreis-unna.de
    config["SELFEVAL_BASE_URL"] = env.get("SELFEVAL_BASE_URL", "").rstrip("/")
    config.update(overrides)
    # Derived from the settings above, unless the caller's mapping sets one of them itself.
    config.update({key: value for key, value in session_config(config).items() if key not in overrides})
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


def security_config(env: Mapping[str, str]) -> dict[str, Any]:
    """HTTPS, proxies, session lifetime and log-in throttling (docs/SECURITY.md explains each)."""
    storage = env.get("SELFEVAL_RATELIMIT_STORAGE") or "memory://"
    if storage.split("://", 1)[0] not in ("memory", "redis", "rediss", "redis+sentinel", "redis+cluster", "valkey"):
        raise ConfigurationError(
            f"SELFEVAL_RATELIMIT_STORAGE must be memory:// or a Redis URL such as redis://127.0.0.1:6379/0, not {storage!r}"
        )
    return {
        "SELFEVAL_HTTPS": _flag(env, "SELFEVAL_HTTPS"),
        "SELFEVAL_PROXY_HOPS": _whole_number(env, "SELFEVAL_PROXY_HOPS", "0", upper=5),
        "SELFEVAL_SESSION_IDLE_MINUTES": _whole_number(env, "SELFEVAL_SESSION_IDLE_MINUTES", "30", lower=1, upper=24 * 60),
        "SELFEVAL_SESSION_MAX_SECONDS": 3600 * _whole_number(env, "SELFEVAL_SESSION_MAX_HOURS", "12", lower=1, upper=24 * 7),
        "SELFEVAL_RATELIMIT_STORAGE": storage,
        "SELFEVAL_LOGIN_LIMIT_ACCOUNT": _rate(env, "SELFEVAL_LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes"),
        "SELFEVAL_LOGIN_LIMIT_ADDRESS": _rate(env, "SELFEVAL_LOGIN_LIMIT_ADDRESS", "30 per 15 minutes"),
        # "Passwort vergessen?": mails to one address, and requests from one client address.
        "SELFEVAL_RESET_LIMIT_EMAIL": _rate(env, "SELFEVAL_RESET_LIMIT_EMAIL", "3 per hour"),
        "SELFEVAL_RESET_LIMIT_ADDRESS": _rate(env, "SELFEVAL_RESET_LIMIT_ADDRESS", "10 per hour"),
    }


def jobs_config(env: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """Background report jobs: the broker (none: a thread of the web process), the parts' size, the files' place."""
    broker = (env.get("SELFEVAL_BROKER_URL") or "").strip()
    if broker and broker.split("://", 1)[0] not in ("redis", "rediss", "amqp", "amqps", "pyamqp", "sentinel"):
        raise ConfigurationError(
            f"SELFEVAL_BROKER_URL must be a Redis or RabbitMQ URL such as redis://127.0.0.1:6379/1, not {broker!r}"
        )
    storage = (env.get("SELFEVAL_STORAGE") or "").strip() or (Path(instance_path) / "report-jobs").as_uri()
    if not storage.startswith(("file:///", "s3://")):
        raise ConfigurationError(f"SELFEVAL_STORAGE must be file:///a/folder or s3://bucket/prefix, not {storage!r}")
    return {
        "SELFEVAL_BROKER_URL": broker,
        # Above the longest part: a part whose worker was lost is delivered again after this many seconds.
        "SELFEVAL_BROKER_VISIBILITY_TIMEOUT": _whole_number(
            env, "SELFEVAL_BROKER_VISIBILITY_TIMEOUT", "3600", lower=10, upper=7 * 24 * 3600
        ),
        # The queue's name: several selfeval installations (or test runs) may share one Redis.
        "SELFEVAL_BROKER_QUEUE": (env.get("SELFEVAL_BROKER_QUEUE") or "selfeval").strip(),
        "SELFEVAL_REPORT_PART_SIZE": _whole_number(env, "SELFEVAL_REPORT_PART_SIZE", "40", lower=1, upper=10_000),
        "SELFEVAL_STORAGE": storage,
    }


def legal_config(env: Mapping[str, str]) -> dict[str, Any]:
    """The operator's details for Impressum, Datenschutz and Barrierefreiheit, or the addresses of its own pages."""
    config: dict[str, Any] = {name: (env.get(name) or "").strip() for name in OPERATOR_SETTINGS}
    for name in EMAIL_SETTINGS:
        value = config[name]
        if value and (value.count("@") != 1 or any(character.isspace() for character in value)):
            raise ConfigurationError(f"{name} must be an e-mail address such as barrierefreiheit@kreis-unna.de, not {value!r}")
    for page in LEGAL_PAGES:
        value = (env.get(page.url_setting) or "").strip()
        if value and not value.startswith(("https://", "http://")):
            raise ConfigurationError(f"{page.url_setting} must be an address starting with https://, not {value!r}")
        config[page.url_setting] = value
    return config


def session_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """Cookie flags follow the HTTPS flag; a session ends after the idle time (the cookie's signed age)."""
    https = bool(config["SELFEVAL_HTTPS"])
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=config["SELFEVAL_SESSION_IDLE_MINUTES"]),
        "SESSION_REFRESH_EACH_REQUEST": True,
        # The CSRF token lives as long as the session that holds it; its own one-hour limit would
        # refuse a form that autosave kept alive (the session's idle timeout already bounds it).
        "WTF_CSRF_TIME_LIMIT": None,
    }


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = (env.get(name) or "false").strip().lower()
    if value not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise ConfigurationError(f"{name} must be true or false, not {value!r}")
    return value in ("1", "true", "yes", "on")


def _whole_number(env: Mapping[str, str], name: str, default: str, *, lower: int = 0, upper: int) -> int:
    value = env.get(name) or default
    if not (value.isascii() and value.isdigit()) or not lower <= int(value) <= upper:
        raise ConfigurationError(f"{name} must be a whole number from {lower} to {upper}, not {value!r}")
    return int(value)


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name) or default
    try:
        parse_rate(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a rate such as '5 per 15 minutes', not {value!r}") from None
    return value


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
