"""The log-in form."""

from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from . import GermanForm


class LoginForm(GermanForm):
    email = EmailField("E-Mail-Adresse", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Passwort", validators=[DataRequired(), Length(max=1024)])
