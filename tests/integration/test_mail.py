"""E-mail with password links through a real SMTP server (aiosmtpd on 127.0.0.1), and the mail settings."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller

from selfeval.config import ConfigurationError, mail_config
from selfeval.display import LOCAL_TIME
from selfeval.extensions import db
from selfeval.services import accounts
from selfeval.services.accounts import create_user
from selfeval.services.mail import MailNotSent, MailSettings, password_link_message, send
from tests.support.factories import make_school
from tests.support.mail import Recorder, free_port

SENDER = "selfeval@example.org"
URL = "https://selfeval.example.org/passwort-festlegen/abc123"


@pytest.fixture
def smtp():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, MailSettings("127.0.0.1", controller.port, "none", "", "", SENDER)
    finally:
        controller.stop()


@pytest.fixture
def carla(app_context):
    school = make_school("100001")
    user = create_user("carla@schule.de", "Carla Cramer", "team", None, school=school)
    db.session.commit()
    return user


def body(purpose_intro: str, until: str) -> str:
    return (
        "Guten Tag Carla Cramer,\n\n"
        f"{purpose_intro}\n\n"
        "Bitte legen Sie Ihr Passwort über diesen Link fest:\n\n"
        f"{URL}\n\n"
        f"Der Link gilt einmal und bis {until}. "
        "Wenn Sie diese Nachricht nicht erwartet haben, können Sie sie löschen; "
        "ohne den Link geschieht nichts.\n"
    )


INVITE_INTRO = (
    "für Sie wurde ein Zugang zu selfeval eingerichtet, dem Werkzeug zur Selbstevaluation der digitalen Schulentwicklung."
)
RESET_INTRO = "für Ihren Zugang zu selfeval wurde ein neues Passwort angefordert."


def received(handler) -> list[tuple]:
    found = []
    for envelope in handler.envelopes:
        message = message_from_bytes(envelope.original_content, policy=email_policy.default)
        found.append(
            (
                envelope.mail_from, envelope.rcpt_tos, message["From"], message["To"], message["Subject"],
                message.get_content().replace("\r\n", "\n"),  # lines end in CRLF on the wire
            )
        )  # fmt: skip
    return found


def test_an_invitation_arrives_with_sender_recipient_subject_link_and_local_expiry(smtp, carla):
    handler, settings = smtp
    # 23:30 UTC on 1 March is 00:30 on 2 March in Germany (UTC+1).
    expires_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)

    send(settings, password_link_message(SENDER, carla, URL, "invite", expires_at))

    assert received(handler) == [
        (
            SENDER,
            ["carla@schule.de"],
            SENDER,
            "carla@schule.de",
            "Ihr Zugang zu selfeval",
            body(INVITE_INTRO, "02.03.2026, 00:30 Uhr"),
        )
    ]


def test_a_reset_mail_in_summer_shows_summer_time(smtp, carla):
    handler, settings = smtp
    expires_at = datetime(2026, 7, 1, 22, 5, tzinfo=UTC)  # UTC+2: 00:05 on 2 July

    send(settings, password_link_message(SENDER, carla, URL, "reset", expires_at))

    assert received(handler) == [
        (
            SENDER,
            ["carla@schule.de"],
            SENDER,
            "carla@schule.de",
            "Neues Passwort für selfeval",
            body(RESET_INTRO, "02.07.2026, 00:05 Uhr"),
        )
    ]


def test_the_message_id_names_the_senders_domain(carla):
    message = password_link_message(SENDER, carla, URL, "invite", datetime(2026, 3, 1, 12, 0, tzinfo=UTC))

    assert message["Message-ID"].startswith("<")
    assert message["Message-ID"].endswith("@example.org>")


def test_the_link_of_a_real_invitation_arrives_and_expires_when_the_database_says(smtp, carla):
    handler, settings = smtp
    link = accounts.issue_password_link(carla, "invite", actor=None)
    db.session.commit()
    url = f"https://selfeval.example.org/passwort-festlegen/{link.token}"

    send(settings, password_link_message(SENDER, carla, url, "invite", link.expires_at))

    [(_, _, _, _, _, content)] = received(handler)
    local = link.expires_at.astimezone(LOCAL_TIME)
    assert f"\n\n{url}\n\n" in content
    assert f"Der Link gilt einmal und bis {local:%d.%m.%Y, %H:%M} Uhr. " in content
    assert accounts.find_password_link(url.rsplit("/", 1)[1]).user == carla


def test_an_unreachable_server_raises_mail_not_sent_in_german(carla):
    port = free_port()  # nothing listens there any more
    settings = MailSettings("127.0.0.1", port, "none", "", "", SENDER)
    message = password_link_message(SENDER, carla, URL, "invite", datetime(2026, 3, 1, 12, 0, tzinfo=UTC))

    with pytest.raises(MailNotSent) as raised:
        send(settings, message, timeout=5)

    assert str(raised.value) == f"Die E-Mail konnte nicht gesendet werden (127.0.0.1:{port}: [Errno 111] Connection refused)."


def test_a_refused_recipient_raises_mail_not_sent_and_nothing_is_delivered(smtp, carla):
    handler, settings = smtp
    carla.email = "refuse@schule.de"
    message = password_link_message(SENDER, carla, URL, "invite", datetime(2026, 3, 1, 12, 0, tzinfo=UTC))

    with pytest.raises(MailNotSent) as raised:
        send(settings, message)

    assert str(raised.value) == (
        f"Die E-Mail konnte nicht gesendet werden (127.0.0.1:{settings.port}: "
        "{'refuse@schule.de': (550, b'5.1.1 unknown recipient')})."
    )
    assert handler.envelopes == []


@pytest.mark.parametrize(
    ("security", "user", "reason"),
    [
        ("starttls", "", "STARTTLS extension not supported by server."),
        ("none", "selfeval", "SMTP AUTH extension not supported by server."),
    ],
    ids=["starttls-not-offered", "auth-not-offered"],
)
def test_a_server_without_the_needed_extension_raises_mail_not_sent(smtp, carla, security, user, reason):
    handler, plain = smtp
    settings = MailSettings("127.0.0.1", plain.port, security, user, "geheim", SENDER)
    message = password_link_message(SENDER, carla, URL, "invite", datetime(2026, 3, 1, 12, 0, tzinfo=UTC))

    with pytest.raises(MailNotSent) as raised:
        send(settings, message)

    assert str(raised.value) == f"Die E-Mail konnte nicht gesendet werden (127.0.0.1:{plain.port}: {reason})."
    assert handler.envelopes == []


def test_implicit_tls_against_a_plain_server_raises_mail_not_sent(smtp, carla):
    handler, plain = smtp
    settings = MailSettings("127.0.0.1", plain.port, "tls", "", "", SENDER)
    message = password_link_message(SENDER, carla, URL, "invite", datetime(2026, 3, 1, 12, 0, tzinfo=UTC))

    with pytest.raises(MailNotSent) as raised:
        send(settings, message, timeout=5)

    assert str(raised.value).startswith(f"Die E-Mail konnte nicht gesendet werden (127.0.0.1:{plain.port}: ")
    assert isinstance(raised.value.__cause__, OSError)
    assert handler.envelopes == []


# --- settings ----------------------------------------------------------------------------------------


def test_mail_config_without_a_host_sends_nothing():
    config = mail_config({})

    assert config == {
        "SELFEVAL_SMTP_HOST": "",
        "SELFEVAL_SMTP_PORT": 587,
        "SELFEVAL_SMTP_SECURITY": "starttls",
        "SELFEVAL_SMTP_USER": "",
        "SELFEVAL_SMTP_PASSWORD": "",
        "SELFEVAL_MAIL_FROM": "",
    }
    assert MailSettings.from_config(config) is None


def test_mail_config_with_every_setting_becomes_the_mail_settings():
    env = {
        "SELFEVAL_SMTP_HOST": "smtp.kreis-unna.de",
        "SELFEVAL_SMTP_PORT": "465",
        "SELFEVAL_SMTP_SECURITY": "tls",
        "SELFEVAL_SMTP_USER": "selfeval",
        "SELFEVAL_SMTP_PASSWORD": "geheim",
        "SELFEVAL_MAIL_FROM": "selfeval@kreis-unna.de",
    }

    assert MailSettings.from_config(mail_config(env)) == MailSettings(
        "smtp.kreis-unna.de", 465, "tls", "selfeval", "geheim", "selfeval@kreis-unna.de"
    )


def test_the_app_reads_the_mail_settings_from_the_environment(migrated_database, tmp_path, monkeypatch):
    from tests.conftest import make_test_app

    monkeypatch.setenv("SELFEVAL_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("SELFEVAL_MAIL_FROM", SENDER)
    monkeypatch.setenv("SELFEVAL_SMTP_SECURITY", "none")
    monkeypatch.setenv("SELFEVAL_SMTP_PORT", "2525")

    app = make_test_app(migrated_database, tmp_path / "instance")

    assert MailSettings.from_config(app.config) == MailSettings("smtp.example.org", 2525, "none", "", "", SENDER)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SELFEVAL_SMTP_PORT": "smtp"}, "SELFEVAL_SMTP_PORT must be a port number, not 'smtp'"),
        ({"SELFEVAL_SMTP_PORT": "-25"}, "SELFEVAL_SMTP_PORT must be a port number, not '-25'"),
        ({"SELFEVAL_SMTP_PORT": "25 "}, "SELFEVAL_SMTP_PORT must be a port number, not '25 '"),
        ({"SELFEVAL_SMTP_SECURITY": "ssl"}, "SELFEVAL_SMTP_SECURITY must be starttls, tls or none, not 'ssl'"),
        ({"SELFEVAL_SMTP_SECURITY": "STARTTLS"}, "SELFEVAL_SMTP_SECURITY must be starttls, tls or none, not 'STARTTLS'"),
        (
            {"SELFEVAL_SMTP_HOST": "smtp.example.org"},
            "SELFEVAL_SMTP_HOST is set, so SELFEVAL_MAIL_FROM (the sender address) is needed too",
        ),
    ],
    ids=["port-word", "port-negative", "port-space", "security-unknown", "security-upper-case", "host-without-sender"],
)
def test_mail_config_rejects_settings_that_cannot_work(env, message):
    with pytest.raises(ConfigurationError) as raised:
        mail_config(env)

    assert str(raised.value) == message


@pytest.mark.parametrize("port", ["70000", "0", "²"])
def test_mail_config_rejects_a_port_outside_1_to_65535(port):
    with pytest.raises(ConfigurationError) as raised:
        mail_config({"SELFEVAL_SMTP_PORT": port})

    assert str(raised.value) == f"SELFEVAL_SMTP_PORT must be a port number, not {port!r}"
