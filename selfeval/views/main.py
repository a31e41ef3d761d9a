"""Public pages: the start page and the catalogue."""

from flask import Blueprint, render_template

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
def index():
    return render_template("main/index.html")


@blueprint.get("/leitfaden")
def catalog():
    return render_template("main/catalog.html")
