""""Passwort vergessen?": a reset link by e-mail, the same answer for every address, limits against floods.

Mail goes to a real SMTP server on 127.0.0.1 (aiosmtpd, as in test_mail.py) and is read from there.
"""

from __future__ import annotations

import time
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import AuditEvent, PasswordLink, User
from selfeval.services import accounts
from tests.conftest import make_test_app
from tests.support.factories import PASSWORD, login, make_school, make_user
from tests.support.html import soup_of, text
from tests.support.mail import Recorder, free_port

PAGE = "/passwort-vergessen"
SENT = [
    "Wenn zu dieser E-Mail-Adresse ein Konto gehört, haben wir Ihnen eben eine E-Mail mit einem Link geschickt. "
    "Über den Link legen Sie ein neues Passwort fest; er gilt 72 Stunden und nur einmal.",
    "Kommt keine E-Mail an, sehen Sie bitte auch im Spam-Ordner nach, oder wenden Sie sich an die Verwaltung von selfeval.",
    "Zurück zur Anmeldung",
]
ASK_THE_ADMIN = [
    "Ein neues Passwort kann hier nicht per E-Mail angefordert werden. Bitte wenden Sie sich an die Verwaltung von "
    "selfeval; sie kann Ihnen einen Link zum Festlegen eines neuen Passworts geben.",
    "Zurück zur Anmeldung",
]
NEW_PASSWORD = "Herbstlaub im Schulgarten"


@pytest.fixture
def smtp():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()


@pytest.fixture
def people(app):
    with app.app_context():
        school = make_school("100001")
        make_user("lehrer@schule.de", school=school)
        make_user("weg@schule.de", school=school)
        accounts.deactivate_user(make_user("alt@schule.de", school=school), actor=None)
        db.session.commit()


@pytest.fixture
def mail_app(app, migrated_database, tmp_path, smtp, people):
    port, _ = smtp
    return make_test_app(
        migrated_database, tmp_path / "mail-instance",
        SELFEVAL_SMTP_HOST="127.0.0.1", SELFEVAL_SMTP_PORT=port, SELFEVAL_SMTP_SECURITY="none",
        SELFEVAL_SMTP_USER="", SELFEVAL_SMTP_PASSWORD="", SELFEVAL_MAIL_FROM="selfeval@kreis.de",
        SELFEVAL_BASE_URL="https://selfeval.kreis.de",
    )  # fmt: skip


def ask(client, email: str, address: str = "192.0.2.20"):
    token = soup_of(client.get(PAGE)).find("input", attrs={"name": "csrf_token"})["value"]
    return client.post(PAGE, data={"csrf_token": token, "email": email}, environ_base={"REMOTE_ADDR": address})


def paragraphs(response) -> list[str]:
    return [text(p) for p in soup_of(response).select("main p")]


def mails(handler, expected: int, wait: float = 15.0) -> list[tuple[list[str], str]]:
    """(recipients, body) of every mail received, once `expected` have arrived (they leave in the background)."""
    deadline = time.monotonic() + wait
    while len(handler.envelopes) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # a mail too many would arrive now
    found = []
    for envelope in handler.envelopes:
        message = message_from_bytes(envelope.original_content, policy=email_policy.default)
        found.append((envelope.rcpt_tos, message.get_content().replace("\r\n", "\n")))
    return found


def link_in(body: str) -> str:
    [line] = [line for line in body.splitlines() if line.startswith("https://selfeval.kreis.de/passwort-festlegen/")]
    return line.removeprefix("https://selfeval.kreis.de")


def test_without_mail_the_log_in_page_has_no_link_and_the_page_says_to_ask_the_admin(client, people):
    assert soup_of(client.get("/anmelden")).find("a", string="Passwort vergessen?") is None
    page = client.get(PAGE)
    assert (page.status_code, paragraphs(page), soup_of(page).find("form", attrs={"method": "post"})) == (
        200, ASK_THE_ADMIN, None,
    )  # fmt: skip
    token = soup_of(client.get("/anmelden")).find("input", attrs={"name": "csrf_token"})["value"]
    assert paragraphs(client.post(PAGE, data={"csrf_token": token, "email": "lehrer@schule.de"})) == ASK_THE_ADMIN
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 0


def test_a_person_gets_a_working_reset_link_by_mail(mail_app, smtp):
    _, handler = smtp
    client = mail_app.test_client()
    link = soup_of(client.get("/anmelden")).find("a", string="Passwort vergessen?")
    assert link["href"] == PAGE

    response = ask(client, " Lehrer@Schule.de ")

    assert (response.status_code, paragraphs(response)) == (200, SENT)
    [(recipients, body)] = mails(handler, 1)
    assert recipients == ["lehrer@schule.de"]
    assert "für Ihren Zugang zu selfeval wurde ein neues Passwort angefordert." in body.splitlines()
    # Until the link is used, the old password works; the link sets the new one once.
    assert login(mail_app.test_client(), "lehrer@schule.de").headers["Location"] == "/schule"
    user = mail_app.test_client()
    url = link_in(body)
    csrf = soup_of(user.get(url)).find("input", attrs={"name": "csrf_token"})["value"]
    saved = user.post(url, data={"csrf_token": csrf, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert saved.headers["Location"] == "/anmelden"
    assert login(mail_app.test_client(), "lehrer@schule.de", NEW_PASSWORD).headers["Location"] == "/schule"
    with mail_app.app_context():
        events = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert events[-2:] == ["user.reset_requested", "user.password_set"]


@pytest.mark.parametrize("email", ["niemand@schule.de", "alt@schule.de"], ids=["unknown", "deactivated"])
def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_no_mail(mail_app, smtp, email):
    _, handler = smtp
    client = mail_app.test_client()

    answers = [ask(client, email), ask(client, "lehrer@schule.de")]

    assert [(r.status_code, paragraphs(r)) for r in answers] == [(200, SENT), (200, SENT)]
    assert [recipients for recipients, _ in mails(handler, 1)] == [["lehrer@schule.de"]]
    with mail_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 1


def test_one_address_gets_at_most_three_mails_an_hour_and_the_answer_does_not_change(mail_app, smtp):
    _, handler = smtp
    client = mail_app.test_client()

    answers = [ask(client, "lehrer@schule.de", address=f"192.0.2.{n}") for n in range(5)]

    assert [(r.status_code, paragraphs(r)) for r in answers] == [(200, SENT)] * 5
    assert [recipients for recipients, _ in mails(handler, 3)] == [["lehrer@schule.de"]] * 3


def test_one_client_address_may_ask_ten_times_an_hour_then_waits(mail_app, smtp):
    client = mail_app.test_client()

    statuses = [ask(client, f"person{n}@schule.de", address="198.51.100.7").status_code for n in range(10)]
    refused = ask(client, "lehrer@schule.de", address="198.51.100.7")

    assert statuses == [200] * 10
    assert refused.status_code == 429
    assert 3590 <= int(refused.headers["Retry-After"]) <= 3600
    assert [text(p) for p in soup_of(refused).select("p.field-error")] == [
        "Zu viele Anfragen von diesem Anschluss. Bitte versuchen Sie es in 60 Minuten erneut."
    ]
    assert soup_of(refused).find("input", attrs={"name": "email"})["value"] == "lehrer@schule.de"
    assert mails(smtp[1], 0) == []


def test_a_logged_in_person_is_sent_to_the_start_page(mail_app):
    client = mail_app.test_client()
    login(client, "lehrer@schule.de", PASSWORD)

    assert client.get(PAGE).headers["Location"] == "/schule"


def test_the_trail_names_the_forgot_password_request_not_the_command_line_nor_the_account_holder(mail_app, smtp):
    _, handler = smtp
    assert paragraphs(ask(mail_app.test_client(), "lehrer@schule.de")) == SENT
    assert len(mails(handler, 1)) == 1
    with mail_app.app_context():
        lehrer = db.session.scalar(select(User).where(User.email == "lehrer@schule.de"))
        entries = db.session.execute(
            select(
                AuditEvent.action, AuditEvent.actor_name, AuditEvent.actor_id, AuditEvent.subject, AuditEvent.subject_user_id
            ).where(AuditEvent.action == "user.reset_requested")
        ).all()
        assert [tuple(entry) for entry in entries] == [
            ("user.reset_requested", "Anfrage über „Passwort vergessen?“", None, "lehrer@schule.de", lehrer.id)
        ]
