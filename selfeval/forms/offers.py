"""The form of a support offer a Medienberatung maintains (page /angebote).

The form checks what a browser can get wrong (choices, the hidden version); the service checks the values
(services.offers.check_offer_values), and its messages go onto the fields of the same name.
"""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Regexp

from ..catalog import Catalog, indicator_letter
from ..reference import SCHULFORMEN, SCHULSTUFEN, kreis_name
from ..services.offers import OfferValues
from . import GermanForm
from .admin_schools import CHOOSE
from .admin_users import Checkboxes


class OfferForm(GermanForm):
    kreis = SelectField(
        "Kreis oder kreisfreie Stadt",
        invalid_choice_message="Bitte wählen Sie einen Kreis aus der Liste.",
        description="Das Angebot erscheint in den Berichten der Schulen dieses Kreises.",
    )
    title = StringField("Titel")
    provider = StringField("Anbieter", description="Wer das Angebot macht, z. B. „Medienzentrum Bochum“.")
    description = TextAreaField("Beschreibung", description="Was die Schule bekommt, in zwei oder drei Sätzen.")
    contact = StringField(
        "Kontakt", description="Wahlweise: eine Funktion, Telefonnummer oder E-Mail-Adresse, wie veröffentlicht."
    )
    url = StringField("Webadresse", description="Wahlweise, beginnend mit https://.")
    schulformen = Checkboxes("Schulformen")
    schulstufen = Checkboxes("Schulstufen")
    target_groups = TextAreaField(
        "Zielgruppen", description="Wahlweise, eine je Zeile, z. B. Lehrkräfte, Schulleitungen, Schüler:innen."
    )
    fits = Checkboxes("Passt zu diesen Indikatoren und Kriterien")
    version = HiddenField(
        validators=[
            InputRequired("Die Seite ist unvollständig angekommen; bitte laden Sie sie neu."),
            Regexp(r"^[0-9]{1,9}$", message="Die Seite ist unvollständig angekommen; bitte laden Sie sie neu."),
        ]
    )

    def __init__(self, *args, catalog: Catalog, kreise: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        by_name = sorted(kreise, key=lambda key: kreis_name(key).casefold())
        first = [SelectChoice("", CHOOSE)] if len(by_name) != 1 else []
        self.kreis.choices = first + [SelectChoice(key, f"{kreis_name(key)} ({key})") for key in by_name]
        self.schulformen.choices = [SelectChoice(code, label) for code, label in SCHULFORMEN.items()]
        self.schulstufen.choices = [SelectChoice(key, label) for key, label in SCHULSTUFEN.items()]
        self.fits.choices = fit_choices(catalog)

    def fit_groups(self) -> list[tuple[str, set[str]]]:
        """(criterion heading, its values) for showing the fits as one group of checkboxes per criterion."""
        groups: dict[str, set[str]] = {}
        for choice in self.fits.choices:
            groups.setdefault(choice.optgroup or "", set()).add(choice.value)
        return list(groups.items())

    def values(self) -> OfferValues:
        return OfferValues(
            kreis=self.kreis.data or "",
            title=self.title.data or "",
            provider=self.provider.data or "",
            description=self.description.data or "",
            contact=self.contact.data or "",
            url=self.url.data or "",
            schulformen=tuple(self.schulformen.data or ()),
            schulstufen=tuple(self.schulstufen.data or ()),
            target_groups=tuple((self.target_groups.data or "").splitlines()),
            fits=tuple(self.fits.data or ()),
        )

    def fill(self, values: OfferValues, version: int) -> None:
        """Show stored values (on a GET)."""
        self.kreis.data, self.title.data, self.provider.data = values.kreis, values.title, values.provider
        self.description.data, self.contact.data, self.url.data = values.description, values.contact, values.url
        self.schulformen.data, self.schulstufen.data = list(values.schulformen), list(values.schulstufen)
        self.target_groups.data = "\n".join(values.target_groups)
        self.fits.data = list(values.fits)
        self.version.data = str(version)


def fit_choices(catalog: Catalog) -> list[SelectChoice]:
    """Each criterion ("Kriterium 1 (alle Indikatoren)"), then its indicators ("1a …"), grouped by criterion."""
    found = []
    for number, criterion in enumerate(catalog.criteria, 1):
        group = f"Kriterium {number}: {criterion.title}"
        found.append(SelectChoice(criterion.id, f"Kriterium {number} als Ganzes", optgroup=group))
        found += [
            SelectChoice(indicator.id, f"{number}{indicator_letter(position)}: {_short(indicator.text)}", optgroup=group)
            for position, indicator in enumerate(criterion.indicators)
        ]
    return found


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
