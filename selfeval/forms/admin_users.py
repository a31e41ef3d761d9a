"""Forms of the administration: an account, the erasure confirmation, and the audit-trail filters."""

from __future__ import annotations

import re

import wtforms
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..limits import MAX_AUDIT_TEXT_LENGTH, MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH
from ..models import User
from ..reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreise
from ..roles import ROLE_LABELS, TEAM
from ..services.accounts.rules import EMAIL
from ..services.audit import ACTION_GROUPS, ACTIONS
from . import GermanForm

SCHULNUMMER = r"^[0-9]{6}$"
SCHULNUMMER_MESSAGE = "Eine Schulnummer hat 6 Ziffern, z. B. 199001."
#: Which assignments each role uses; the others are ignored when the form is saved.
ROLE_FIELDS = {
    "team": ("school", "is_leadership"),
    "supervisor": ("kreise", "bezirke", "traeger", "schulformen"),
    "adviser": ("kreise",),
    "traeger": ("traeger",),
    "admin": (),
}
#: Service problem keys (services.accounts) → the form field that shows the message.
PROBLEM_FIELDS = {
    "email": "email",
    "name": "display_name",
    "role": "role",
    "school": "school",
    "kreis": "kreise",
    "bezirk": "bezirke",
    "schulform": "schulformen",
    "traeger": "traeger",
    "scope": "kreise",
}
#: Trägernummern typed into one field: separated by commas, semicolons or blanks.
SEPARATORS = re.compile(r"[,;\s]+")


class Checkboxes(SelectMultipleField):
    """Several choices, shown as checkboxes by the template; a German message for a wrong value."""

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        unknown = [value for value in self.data or [] if value not in known]
        if unknown:
            raise ValidationError(f"„{unknown[0]}“ ist keine der angebotenen Möglichkeiten.")


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def kreis_choices() -> list[SelectChoice]:
    """The 53 Kreise by Bezirksregierung, then by name (the template groups them)."""
    ordered = sorted(kreise().values(), key=lambda k: (k.bezirksregierung, k.name))
    return choices((k.key, k.name) for k in ordered)


def kreis_groups() -> list[tuple[str, set[str]]]:
    """(Bezirksregierung, its Kreisschlüssel) for grouping the Kreise in fieldsets."""
    return [(name, {k.key for k in kreise().values() if k.bezirksregierung == name}) for name in BEZIRKSREGIERUNGEN]


class AccountForm(GermanForm):
    email = EmailField("E-Mail-Adresse", validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    display_name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=MAX_DISPLAY_NAME_LENGTH)],
        description="So erscheint die Person auf den Seiten und im Protokoll.",
    )
    role = SelectField("Rolle", choices=choices(ROLE_LABELS.items()), default=TEAM)
    school = StringField(
        "Schulnummer",
        validators=[Optional(), Regexp(SCHULNUMMER, message=SCHULNUMMER_MESSAGE)],
        filters=[lambda value: value.strip() if value else value],
        description="Nur für Team Digitalisierung: die Schule, deren Team die Person angehört.",
    )
    is_leadership = BooleanField("Mitglied der Schulleitung")
    bezirke = Checkboxes("Bezirksregierungen", choices=choices((name, name) for name in BEZIRKSREGIERUNGEN))
    kreise = Checkboxes("Kreise und kreisfreie Städte", choices=kreis_choices())
    schulformen = Checkboxes("Schulformen", choices=choices(sorted(SCHULFORMEN.items(), key=lambda item: item[1])))
    traeger = StringField(
        "Trägernummern",
        validators=[Length(max=400)],
        description="Die Nummern der Schulträger aus dem Schulverzeichnis, mehrere durch Komma getrennt, z. B. 5978036.",
    )

    def validate_email(self, field):
        """The service's rule, checked here too so that it shows together with the form's own messages."""
        email = (field.data or "").strip().lower()
        if not EMAIL.fullmatch(email):
            raise ValidationError(f"„{email}“ ist keine E-Mail-Adresse.")

    def assignments(self) -> dict:
        """The values that apply to the chosen role; the others are left out (see ROLE_FIELDS)."""
        used = ROLE_FIELDS.get(self.role.data, ())
        return {
            "is_leadership": "is_leadership" in used and bool(self.is_leadership.data),
            "kreise": list(self.kreise.data or []) if "kreise" in used else [],
            "bezirke": list(self.bezirke.data or []) if "bezirke" in used else [],
            "schulformen": list(self.schulformen.data or []) if "schulformen" in used else [],
            "traeger": self.traeger_numbers() if "traeger" in used else [],
        }

    def traeger_numbers(self) -> list[str]:
        return [number for number in SEPARATORS.split(self.traeger.data or "") if number]

    def wants_school(self) -> bool:
        return "school" in ROLE_FIELDS.get(self.role.data, ()) and bool(self.school.data)

    def fill_from(self, user: User) -> None:
        """Show an account's current values (GET of the edit page)."""
        self.email.data, self.display_name.data, self.role.data = user.email, user.display_name, user.role
        membership = next(iter(user.memberships), None)
        self.school.data = membership.school.schulnummer if membership else ""
        self.is_leadership.data = bool(membership and membership.is_leadership)
        for kind, field in (("kreis", self.kreise), ("bezirk", self.bezirke), ("schulform", self.schulformen)):
            field.data = [scope.value for scope in user.scopes if scope.kind == kind]
        self.traeger.data = ", ".join(scope.value for scope in user.scopes if scope.kind == "traeger")

    def attach_problems(self, problems: dict[str, str]) -> list[str]:
        """Put the service's messages on their fields; returns those that belong to no field."""
        left = []
        for key, message in problems.items():
            name = "traeger" if key == "scope" and self.role.data == "traeger" else PROBLEM_FIELDS.get(key)
            if name is None:
                left.append(message)
            else:
                self[name].errors = [*self[name].errors, message]
        return left


class InvitationFileForm(GermanForm):
    file = FileField(
        "CSV-Datei mit den Teammitgliedern",
        validators=[FileRequired("Bitte wählen Sie die CSV-Datei aus.")],
    )


class EraseForm(GermanForm):
    confirm = BooleanField(
        "Ja, das Konto soll endgültig gelöscht werden.",
        validators=[DataRequired(message="Bitte bestätigen Sie das Löschen mit dem Häkchen.")],
    )


def action_choices() -> list[SelectChoice]:
    groups = [(key, label) for key, (label, _) in ACTION_GROUPS.items()]
    return choices([("", "alle"), *groups, *ACTIONS.items()])


class DayField(DateField):
    """A date typed as 2025-03-01 (what type=date sends) or 01.03.2025; always shown as the former."""

    def __init__(self, label: str, **kwargs):
        super().__init__(label, format=["%Y-%m-%d", "%d.%m.%Y"], validators=[Optional()], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Kein gültiges Datum; bitte so angeben: 31.12.2025.") from exc

    def _value(self) -> str:
        return self.data.isoformat() if self.data else super()._value()


class AuditFilterForm(wtforms.Form):
    """The filters of the audit trail, read from the query string (GET, so no CSRF token)."""

    class Meta:
        locales = ["de_DE", "de"]

    art = SelectField("Art", choices=action_choices(), default="")
    wer = StringField("Wer", validators=[Length(max=MAX_DISPLAY_NAME_LENGTH)], description="Teil des Namens")
    schulnummer = StringField(
        "Schulnummer",
        validators=[Optional(), Regexp(SCHULNUMMER, message=SCHULNUMMER_MESSAGE)],
        filters=[lambda value: value.strip() if value else value],
    )
    betrifft = StringField(
        "Betrifft", validators=[Length(max=MAX_AUDIT_TEXT_LENGTH)], description="z. B. E-Mail-Adresse, Indikator, Schulnummer"
    )
    von = DayField("von")
    bis = DayField("bis")

    def validate_bis(self, field):
        if field.data and self.von.data and field.data < self.von.data:
            raise ValidationError("Das Ende liegt vor dem Anfang.")
