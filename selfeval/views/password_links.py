"""Links to set a password (invitations and resets): whether one can be made, and its full address.

Used by the log-in pages (auth, password_reset) and by the account administration (admin/users).
"""

from __future__ import annotations

from flask import current_app, url_for

from ..services.mail import MailSettings

#: Shown to the admin when a link cannot be made: its address would come from the request's Host header.
NO_BASE_URL = (
    "Links zum Festlegen eines Passworts können noch nicht erstellt werden, weil die Adresse von selfeval "
    "nicht eingestellt ist (SELFEVAL_BASE_URL). Bitte bitten Sie den technischen Betrieb, sie einzustellen."
)


def links_possible() -> bool:
    """Whether a password link can be made: SELFEVAL_BASE_URL is set, or this is a test or debug run.

    Without it the link's host would be whatever the request's Host header said: an attacker who
    asks for a reset with a forged Host would get the victim's link pointing to the attacker's site.
    """
    config = current_app.config
    return bool(config.get("SELFEVAL_BASE_URL")) or current_app.testing or current_app.debug


def reset_by_mail_possible() -> bool:
    """Mail is configured and links know the site's address: then the log-in page offers "Passwort vergessen?"."""
    return MailSettings.from_config(current_app.config) is not None and links_possible()


def password_link_url(token: str) -> str:
    """The full link for an e-mail or for the admin to pass on; callers check links_possible() first."""
    base = current_app.config.get("SELFEVAL_BASE_URL", "")
    if base:
        return base + url_for("auth.set_password", token=token)
    if not links_possible():
        raise RuntimeError("no SELFEVAL_BASE_URL: a password link would take its host from the request")
    return url_for("auth.set_password", token=token, _external=True)  # tests and debug runs only
