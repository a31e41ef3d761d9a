"""Forms of the administration: finding and editing schools, the directory import, new rounds.

The forms check what a browser can get wrong; the services check the rest (their messages are
put on the same fields, which carry the services' names: schulnummer, name, schulform, kreis, ort).
"""

from __future__ import annotations

import re

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..limits import MAX_ORT_LENGTH, MAX_ROUND_NAME_LENGTH, MAX_SCHOOL_NAME_LENGTH
from ..reference import BEZIRKSREGIERUNGEN, RECHTSFORMEN, SCHULFORMEN, kreise
from . import GermanForm

CHOOSE = "Bitte wählen …"
ALL = "alle"
SCHULFORM_CODE = re.compile(r"[0-9]{2}")


def at_most(limit: int) -> Length:
    """A length limit with a German message."""
    return Length(max=limit, message=too_long(limit))


def _stripped(value: str | None) -> str | None:
    return value.strip() if value else value


def too_long(limit: int) -> str:
    return f"Hier sind höchstens {limit} Zeichen möglich."


def schulform_choices(first: str, current: str | None = None) -> list[SelectChoice]:
    """The known Schulformen; a code outside the key table (from the directory) stays choosable as "NN (unbekannt)"."""
    choices = [SelectChoice("", first)] + [SelectChoice(code, f"{label} ({code})") for code, label in SCHULFORMEN.items()]
    if current and current not in SCHULFORMEN and SCHULFORM_CODE.fullmatch(current):
        choices.append(SelectChoice(current, f"{current} (unbekannt)"))
    return choices


def kreis_choices(first: str) -> list[SelectChoice]:
    """The 53 Kreise and kreisfreie Städte, grouped by Bezirksregierung, by name."""
    by_name = sorted(kreise().values(), key=lambda k: k.name.casefold())
    grouped = [
        SelectChoice(k.key, f"{k.name} ({k.key})", optgroup=f"Bezirksregierung {bezirk}")
        for bezirk in BEZIRKSREGIERUNGEN
        for k in by_name
        if k.bezirksregierung == bezirk
    ]
    return [SelectChoice("", first), *grouped]


class SchoolSearchForm(GermanForm):
    """The filters above the school list (GET, no CSRF token)."""

    class Meta:
        csrf = False

    suche = StringField(
        "Suchtext",
        validators=[Optional(), at_most(100)],
        description="Schulnummer, Name oder Ort, auch ein Teil davon",
    )
    kreis = SelectField(
        "Kreis", default="", invalid_choice_message="Diesen Kreis gibt es nicht; die Auswahl wurde nicht angewendet."
    )
    schulform = SelectField(
        "Schulform", default="", invalid_choice_message="Diese Schulform gibt es nicht; die Auswahl wurde nicht angewendet."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kreis.choices = kreis_choices(ALL)
        self.schulform.choices = schulform_choices(ALL, self.schulform.data)


class SchoolForm(GermanForm):
    """A school's directory data; the Schulnummer never changes."""

    name = StringField(
        "Name der Schule",
        validators=[DataRequired("Bitte geben Sie den Namen der Schule an."), at_most(MAX_SCHOOL_NAME_LENGTH)],
        filters=[lambda value: " ".join(value.split()) if value else value],
    )
    schulform = SelectField(
        "Schulform",
        validators=[DataRequired("Bitte wählen Sie die Schulform.")],
        invalid_choice_message="Bitte wählen Sie eine Schulform aus der Liste.",
    )
    kreis = SelectField(
        "Kreis oder kreisfreie Stadt",
        validators=[DataRequired("Bitte wählen Sie den Kreis oder die kreisfreie Stadt.")],
        invalid_choice_message="Bitte wählen Sie einen Kreis aus der Liste.",
        description="Die Bezirksregierung ergibt sich aus dem Kreis.",
    )
    ort = StringField(
        "Ort",
        validators=[Optional(), at_most(MAX_ORT_LENGTH)],
        filters=[lambda value: value.strip() if value else value],
    )
    gemeindeschluessel = StringField(
        "Gemeindeschlüssel (AGS)",
        validators=[Optional(), Regexp(r"^[0-9]{8}$", message="Der Gemeindeschlüssel hat 8 Ziffern, z. B. 05978036.")],
        filters=[_stripped],
        description="8 Ziffern; die ersten fünf sind der Kreisschlüssel, z. B. 05978036 für die Stadt Unna im Kreis Unna.",
    )
    traeger_nummer = StringField(
        "Trägernummer",
        validators=[Optional(), Regexp(r"^[0-9]{1,10}$", message="Die Trägernummer besteht aus höchstens 10 Ziffern.")],
        filters=[_stripped],
        description="Die Nummer des Schulträgers im Schulverzeichnis des Landes.",
    )
    traeger_name = StringField(
        "Schulträger",
        validators=[Optional(), at_most(200)],
        filters=[lambda value: " ".join(value.split()) if value else value],
        description="Der Name des Schulträgers, z. B. Stadt Unna (das Schulverzeichnis nennt nur die Nummer).",
    )
    rechtsform = SelectField(
        "Rechtsform",
        default="",
        choices=[SelectChoice("", "nicht angegeben"), *(SelectChoice(code, label) for code, label in RECHTSFORMEN.items())],
        invalid_choice_message="Bitte wählen Sie die Rechtsform aus der Liste.",
    )

    def __init__(self, *args, current_schulform: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.schulform.choices = schulform_choices(CHOOSE, current_schulform)
        self.kreis.choices = kreis_choices(CHOOSE)
        if self.rechtsform.data is None:  # a school without one (None) shows, and keeps, "nicht angegeben"
            self.rechtsform.data = ""


class NewSchoolForm(SchoolForm):
    schulnummer = StringField(
        "Schulnummer",
        validators=[
            DataRequired("Bitte geben Sie die Schulnummer an."),
            Regexp(r"^[0-9]{6}$", message="Die Schulnummer hat 6 Ziffern, z. B. 123456."),
        ],
        filters=[lambda value: value.strip() if value else value],
        description="6 Ziffern, wie im Schulverzeichnis des Landes (Schulnummer der amtlichen Schuldaten)",
    )

    field_order = (
        "schulnummer", "name", "schulform", "kreis", "ort", "gemeindeschluessel", "traeger_nummer", "traeger_name", "rechtsform",
    )  # fmt: skip

    def __iter__(self):
        """The Schulnummer first, in the error summary too."""
        return iter(sorted(super().__iter__(), key=self._position))

    def _position(self, field) -> int:
        return self.field_order.index(field.name) if field.name in self.field_order else len(self.field_order)


class DirectoryImportForm(GermanForm):
    file = FileField(
        "Datei schuldaten.csv",
        validators=[FileRequired("Bitte wählen Sie die Datei schuldaten.csv aus.")],
        description="Eine CSV-Datei, höchstens 20 MB.",
    )


class RoundForm(GermanForm):
    name = StringField(
        "Name der Erhebungsrunde",
        validators=[DataRequired("Bitte geben Sie einen Namen an, z. B. 2026/27."), at_most(MAX_ROUND_NAME_LENGTH)],
        description="Das Schuljahr in der Form JJJJ/JJ, z. B. 2026/27.",
    )
