"""Blueprints by audience, the error pages and what every template may use."""

from __future__ import annotations

from flask import Flask

from ..extensions import catalogs
from . import errors, main


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(main.blueprint)


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["letter"] = indicator_letter
    app.context_processor(lambda: {"catalog": catalogs.active})


def indicator_letter(position: int) -> str:
    """a, b, c … for the 0-based position of an indicator within its criterion, as in the Leitfaden."""
    return chr(ord("a") + position) if position < 26 else str(position + 1)
