"""The offers of the Kreise: a Medienberatung maintains the support offers of its own Kreise, an admin all of them.

What is kept here joins the catalogue's state-wide offers and the offer files in the reports of the Kreis's
schools (services/offers.py). Schulaufsicht and teams have no access: they see the offers in the reports.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..extensions import catalogs, login_manager
from ..forms.offers import OfferForm, fit_choices
from ..models import KreisOffer
from ..permissions import can_maintain_offers, can_maintain_offers_of, offer_kreise
from ..reference import SCHULFORMEN, SCHULSTUFEN, kreis_name, kreise
from ..services import offers as service
from ..services.errors import InvalidInput, NotFound
from ..unit_of_work import attempt

blueprint = Blueprint("offers", __name__, url_prefix="/angebote")
SAVED = "Das Angebot ist gespeichert. Es erscheint ab sofort in den Berichten der passenden Schulen."


@blueprint.before_request
def guard():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_maintain_offers(current_user):
        abort(403)
    return None


@blueprint.get("/")
def index():
    allowed = offer_kreise(current_user)
    return render_template(
        "offers/index.html",
        offers=service.maintained_offers(allowed),
        kreise_shown=_kreise_of(allowed),
        is_admin=allowed is None,
        labels=_labels(),
        kreis_name=kreis_name,
        for_whom=for_whom,
    )


def for_whom(offer: KreisOffer) -> str:
    """ "Grundschule, Primarstufe" – the Schulformen and Schulstufen an offer is limited to; no limit: all schools."""
    names = [SCHULFORMEN.get(code, code) for code in offer.schulformen]
    names += [SCHULSTUFEN.get(key, key) for key in offer.schulstufen]
    return ", ".join(names) if names else "alle Schulen des Kreises"


@blueprint.route("/neu", methods=["GET", "POST"])
def new():
    form = _form()
    if request.method == "GET":
        form.version.data = "0"
    elif form.validate_on_submit():
        with attempt(InvalidInput, IntegrityError) as failed:
            service.create_offer(
                form.values(), actor=current_user, catalog=catalogs.active, allowed_kreise=offer_kreise(current_user)
            )
        if failed.error is None:
            flash(SAVED, "success")
            return redirect(url_for("offers.index"))
        _attach(form, failed.error)
    return render_template("offers/form.html", form=form, offer=None, conflict=None, labels=_labels())


@blueprint.route("/<int:offer_id>", methods=["GET", "POST"])
def edit(offer_id: int):
    offer = _find(offer_id)
    form = _form()
    if offer is None:
        if request.method == "GET":
            abort(404)
        return _deleted_meanwhile(form)
    _check_scope(offer)
    if request.method == "GET":
        form.fill(service.offer_values(offer), offer.version)
    elif form.validate_on_submit():
        with attempt(InvalidInput, service.OfferConflict, IntegrityError) as failed:
            changed = service.update_offer(
                offer,
                form.values(),
                expected_version=int(form.version.data),
                actor=current_user,
                catalog=catalogs.active,
                allowed_kreise=offer_kreise(current_user),
            )
        if failed.error is None:
            flash(SAVED if changed else "Es gab nichts zu ändern.", "success" if changed else "info")
            return redirect(url_for("offers.index"))
        if isinstance(failed.error, service.OfferConflict):
            return _conflict(form, offer_id)
        _attach(form, failed.error)
    return render_template("offers/form.html", form=form, offer=offer, conflict=None, labels=_labels())


@blueprint.route("/<int:offer_id>/loeschen", methods=["GET", "POST"])
def delete(offer_id: int):
    offer = _find(offer_id)
    if offer is None:
        if request.method == "GET":
            abort(404)
        flash("Das Angebot war schon gelöscht.", "info")
        return redirect(url_for("offers.index"))
    _check_scope(offer)
    version, message = request.form.get("version", ""), None
    if request.method == "POST":
        if not version.isdigit() or len(version) > 9:
            message = "Die Seite ist unvollständig angekommen; bitte bestätigen Sie noch einmal."
        else:
            with attempt(service.OfferConflict) as failed:
                service.delete_offer(offer, expected_version=int(version), actor=current_user)
            if failed.error is None:
                flash(f"Das Angebot „{offer.title}“ ist gelöscht.", "success")
                return redirect(url_for("offers.index"))
            offer = _find(offer_id)
            if offer is None:
                flash("Das Angebot war schon gelöscht.", "info")
                return redirect(url_for("offers.index"))
            message = (
                "Das Angebot wurde inzwischen geändert. Bitte prüfen Sie die gespeicherte Fassung unten, bevor Sie es löschen."
            )
    return render_template("offers/delete.html", offer=offer, message=message, labels=_labels(), kreis_name=kreis_name)


def _form() -> OfferForm:
    allowed = offer_kreise(current_user)
    return OfferForm(catalog=catalogs.active, kreise=_kreise_of(allowed))


def _kreise_of(allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    return tuple(kreise()) if allowed is None else allowed


def _find(offer_id: int) -> KreisOffer | None:
    try:
        return service.get_offer(offer_id)
    except NotFound:
        return None


def _check_scope(offer: KreisOffer) -> None:
    if not can_maintain_offers_of(current_user, offer.kreis):
        abort(403)


def _conflict(form: OfferForm, offer_id: int):
    """The editor's input stays in the form; the stored version is shown beside it, and saving again overwrites it."""
    current = _find(offer_id)
    if current is None:
        return _deleted_meanwhile(form)
    form.version.data = str(current.version)
    return render_template(
        "offers/form.html", form=form, offer=current, conflict=service.offer_values(current), labels=_labels()
    ), 409


def _deleted_meanwhile(form: OfferForm):
    """Someone deleted the offer while it was edited: the input is kept, and saving makes it anew."""
    form.validate()
    form.version.data = "0"
    form.version.errors = []
    message = "Dieses Angebot wurde inzwischen gelöscht. Ihre Eingaben stehen noch hier; speichern Sie sie, wird es neu angelegt."
    return render_template("offers/form.html", form=form, offer=None, conflict=None, deleted=message, labels=_labels()), 409


def _attach(form: OfferForm, error: Exception | None) -> None:
    """The service's messages on the fields of the same name; a constraint the database enforces on the title."""
    problems = (
        error.problems
        if isinstance(error, InvalidInput)
        else {"title": "Das Angebot konnte nicht gespeichert werden; bitte versuchen Sie es noch einmal."}
    )
    for field_name, message in problems.items():
        target = form[field_name] if field_name in form else form.title  # noqa: SIM401 - a form has no get()
        target.errors = [*target.errors, message]


def _labels() -> dict[str, dict[str, str]]:
    """Readable names of the stored keys, for the list and the stored version shown in a conflict."""
    return {
        "schulformen": dict(SCHULFORMEN),
        "schulstufen": dict(SCHULSTUFEN),
        "fits": {choice.value: choice.label for choice in fit_choices(catalogs.active)},
    }
