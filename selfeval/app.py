"""The application factory: a table of contents of what the app is made of."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import models, security, unit_of_work  # noqa: F401  (models: registers them with the metadata)
from .config import build_config
from .database import create_private_sqlite_file, register_sqlite_pragmas
from .extensions import catalogs, csrf, db, login_manager, migrate
from .jobs.celery_app import celery_init_app
from .paths import PACKAGE_DIR, STATIC_DIR, TEMPLATES_DIR, default_instance_path
from .services.accounts import load_by_login_id
from .views import register_blueprints, register_errorhandlers, register_template_helpers


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides the environment (tests pass one). Runs no queries."""
    config = dict(config or {})
    app = unit_of_work.SelfevalFlask(
        "selfeval",
        root_path=str(PACKAGE_DIR),
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_path=config.pop("INSTANCE_PATH", None) or default_instance_path(),
    )
    # The instance folder holds the secret key, report ZIPs and usually the database: for the server's account only.
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    app.config.from_mapping(build_config(app.instance_path, config))
    create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    register_extensions(app)
    unit_of_work.register(app)
    security.register(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    celery_init_app(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    register_sqlite_pragmas()
    migrate.init_app(app, db)
    csrf.init_app(app)
    catalogs.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_by_login_id)

