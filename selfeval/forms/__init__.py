"""WTForms classes. German messages come from WTForms' own translations."""

from flask_wtf import FlaskForm


class GermanForm(FlaskForm):
    class Meta:
        locales = ["de_DE", "de"]
