"""E-mail with invitation and reset links, through the SMTP server the operator configures.

Uses the standard library (smtplib, email.message): sending one plain-text message needs no
more. Without a configured server nothing is sent and the admin passes the link on.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from ..display import LOCAL_TIME, format_date, local_date
from ..models import User


class MailNotSent(Exception):
    """The server refused or could not be reached; the message says what happened."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str  # "starttls" | "tls" | "none"
    user: str
    password: str
    sender: str

    @classmethod
    def from_config(cls, config: Mapping) -> MailSettings | None:
        if not config.get("SELFEVAL_SMTP_HOST"):
            return None
        return cls(
            config["SELFEVAL_SMTP_HOST"],
            config["SELFEVAL_SMTP_PORT"],
            config["SELFEVAL_SMTP_SECURITY"],
            config["SELFEVAL_SMTP_USER"],
            config["SELFEVAL_SMTP_PASSWORD"],
            config["SELFEVAL_MAIL_FROM"],
        )


SUBJECTS = {
    "invite": "Ihr Zugang zu selfeval",
    "reset": "Neues Passwort für selfeval",
}
INTROS = {
    "invite": "für Sie wurde ein Zugang zu selfeval eingerichtet, dem Werkzeug zur Selbstevaluation "
    "der digitalen Schulentwicklung.",
    "reset": "für Ihren Zugang zu selfeval wurde ein neues Passwort angefordert.",
}


def password_link_message(sender: str, user: User, url: str, purpose: str, expires_at: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = SUBJECTS[purpose]
    message["From"] = sender
    message["To"] = user.email
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    expiry = expires_at.astimezone(LOCAL_TIME)
    message.set_content(
        f"Guten Tag {user.display_name},\n\n"
        f"{INTROS[purpose]}\n\n"
        "Bitte legen Sie Ihr Passwort über diesen Link fest:\n\n"
        f"{url}\n\n"
        f"Der Link gilt einmal und bis {format_date(local_date(expires_at))}, {expiry:%H:%M} Uhr. "
        "Wenn Sie diese Nachricht nicht erwartet haben, können Sie sie löschen; "
        "ohne den Link geschieht nichts.\n"
    )
    return message


def send(settings: MailSettings, message: EmailMessage, timeout: float = 20) -> None:
    try:
        client: smtplib.SMTP
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"Die E-Mail konnte nicht gesendet werden ({settings.host}:{settings.port}: {exc}).") from exc
