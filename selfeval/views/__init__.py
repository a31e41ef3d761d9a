"""Blueprints by what they serve, the error pages and what every template may use.

A blueprint module (one that defines or adds routes to a blueprint) imports nothing from another blueprint
module: what two of them share lives in a helper module here (guards, audit_display, password_links, charts, …);
tests/unit/test_view_modules.py checks it.
"""

from __future__ import annotations

from flask import Flask, url_for

from ..extensions import catalogs
from ..legal import LEGAL_PAGES, legal_links
from . import (
    admin,
    api,
    api_plans,  # noqa: F401  (adds the development plan to the API's blueprint)
    api_report_jobs,  # noqa: F401  (adds the report batches to the API's blueprint)
    area_report,  # noqa: F401  (adds the area report's pages to the supervision blueprint)
    assessment,
    auth,
    consensus,
    errors,
    health,
    main,
    offers,
    password_reset,  # noqa: F401  (adds "Passwort vergessen?" to the auth blueprint)
    plan_downloads,
    plans,
    report_jobs,
    request_guard,
    results,
    service_errors,
    supervision,
    unsaved,
)
from .audit_display import AUDIT_TEMPLATE_GLOBALS
from .formatting import TEMPLATE_FILTERS, TEMPLATE_GLOBALS


def register_blueprints(app: Flask) -> None:
    request_guard.register_converters(app)  # ids in addresses beyond the database's range: 404, before any route
    for module in (
        health, main, auth, assessment, consensus, results, plans, plan_downloads, supervision, report_jobs, offers,
        admin, api,
    ):  # fmt: skip
        app.register_blueprint(module.blueprint)


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)
    service_errors.register(app)  # a service's refusal: the API's status, or a message on the page the view names
    unsaved.register(app)  # a rating save whose session ended: before the CSRF 400
    request_guard.register(app)  # refuses what would otherwise end in a database error


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(TEMPLATE_FILTERS)
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    app.jinja_env.globals.update(AUDIT_TEMPLATE_GLOBALS)
    app.context_processor(lambda: {"catalog": catalogs.active})
    app.context_processor(lambda: {"legal_links": _legal_links(app)})


def _legal_links(app: Flask) -> list[tuple[str, str]]:
    """The footer's Impressum, Datenschutz and Barrierefreiheit: the operator's pages or the built-in ones."""
    return legal_links(app.config, {page.endpoint: url_for(page.endpoint) for page in LEGAL_PAGES})
