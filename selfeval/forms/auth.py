"""Log-in, setting a password through a one-time link, and asking for such a link by e-mail."""

from wtforms import EmailField, PasswordField, ValidationError
from wtforms.validators import DataRequired, EqualTo, Length

from ..limits import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ..services.accounts.rules import password_problem
from . import GermanForm


class LoginForm(GermanForm):
    email = EmailField("E-Mail-Adresse", validators=[DataRequired(), Length(max=MAX_EMAIL_LENGTH)])
    password = PasswordField("Passwort", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])


class SetPasswordForm(GermanForm):
    """The page an invitation or reset link opens; the rule is services.accounts.rules.password_problem."""

    password = PasswordField(
        "Neues Passwort",
        validators=[DataRequired(message="Bitte geben Sie ein neues Passwort ein.")],
        description=(
            f"Mindestens {MIN_PASSWORD_LENGTH} Zeichen, nicht Ihr Name oder Ihre E-Mail-Adresse. "
            "Ein Satz aus mehreren Wörtern ist gut zu merken."
        ),
    )
    confirm = PasswordField(
        "Passwort wiederholen",
        validators=[
            DataRequired(message="Bitte geben Sie das neue Passwort ein zweites Mal ein."),
            EqualTo("password", message="Die beiden Passwörter sind nicht gleich."),
        ],
    )

    def __init__(self, *args, email: str = "", name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email, self.account_name = email, name

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", email=self.account_email, name=self.account_name)
        if problem is not None:
            raise ValidationError(problem)


class ForgotPasswordForm(GermanForm):
    email = EmailField(
        "E-Mail-Adresse",
        validators=[DataRequired(message="Bitte geben Sie Ihre E-Mail-Adresse ein."), Length(max=MAX_EMAIL_LENGTH)],
    )
