"""Log-in, and setting a password through a one-time link."""

from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from ..services.users import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from . import GermanForm


class LoginForm(GermanForm):
    email = EmailField("E-Mail-Adresse", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Passwort", validators=[DataRequired(), Length(max=1024)])


class SetPasswordForm(GermanForm):
    """The page an invitation or reset link opens; the rules are those of services.users."""

    password = PasswordField(
        "Neues Passwort",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=f"Mindestens {MIN_PASSWORD_LENGTH} Zeichen. Ein Satz aus mehreren Wörtern ist gut zu merken.",
    )
    confirm = PasswordField(
        "Passwort wiederholen",
        validators=[DataRequired(), EqualTo("password", message="Die beiden Passwörter sind nicht gleich.")],
    )
