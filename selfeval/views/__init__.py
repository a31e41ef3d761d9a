"""Blueprints by audience, the error pages and what every template may use."""

from __future__ import annotations

from flask import Flask

from ..extensions import catalogs
from . import admin, api, auth, errors, main, report_jobs, request_guard, supervision, team
from .formatting import TEMPLATE_FILTERS, TEMPLATE_GLOBALS


def register_blueprints(app: Flask) -> None:
    request_guard.register_converters(app)  # ids in addresses beyond the database's range: 404, before any route
    for module in (main, auth, team, supervision, report_jobs, admin, api):
        app.register_blueprint(module.blueprint)


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)
    request_guard.register(app)  # refuses what would otherwise end in a database error


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(TEMPLATE_FILTERS)
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    app.context_processor(lambda: {"catalog": catalogs.active})
