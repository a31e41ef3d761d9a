"""Public pages: the start page, the catalogue, and Impressum, Datenschutz and Barrierefreiheit."""

from flask import Blueprint, current_app, redirect, render_template

from ..legal import ACCESSIBILITY_STATEMENT_DATE, LDI_NRW, LEGAL_PAGES, OMBUDSSTELLE_NRW, operator_from

blueprint = Blueprint("main", __name__)
URL_SETTINGS = {page.endpoint: page.url_setting for page in LEGAL_PAGES}


@blueprint.get("/")
def index():
    return render_template("main/index.html")


@blueprint.get("/leitfaden")
def catalog():
    return render_template("main/catalog.html")


@blueprint.get("/impressum")
def imprint():
    return _legal_page("main.imprint", "main/imprint.html")


@blueprint.get("/datenschutz")
def privacy():
    return _legal_page("main.privacy", "main/privacy.html", authority=LDI_NRW)


@blueprint.get("/barrierefreiheit")
def accessibility():
    return _legal_page(
        "main.accessibility", "main/accessibility.html",
        ombudsstelle=OMBUDSSTELLE_NRW, statement_date=ACCESSIBILITY_STATEMENT_DATE,
    )  # fmt: skip


def _legal_page(endpoint: str, template: str, **context):
    """The operator's own page where one is configured (the footer links there too), else the built-in one."""
    own_page = current_app.config.get(URL_SETTINGS[endpoint])
    if own_page:
        return redirect(own_page)
    operator = operator_from(current_app.config)
    return render_template(template, operator=operator, demo=current_app.config.get("SELFEVAL_DEMO", False), **context)
