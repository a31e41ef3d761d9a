"""Bulk invitations (issue 19): a CSV of team members, all or nothing, on the admin page and with `users import`."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from selfeval.extensions import db
from selfeval.models import AuditEvent, PasswordLink, User
from tests.support.factories import login, make_school, make_user
from tests.support.html import soup_of, text

PAGE = "/verwaltung/konten/einladen"
GOOD = (
    "Schulnummer;E-Mail;Name;Schulleitung\n"
    "100001;Leitung@Markt.test;Lena Leitung;ja\n"
    "100001;kollege@markt.test;Karl Kollege;nein\n"
    "100002;team@see.test;Tara Team;ja\n"
)
BAD = (
    "Schulnummer;E-Mail;Name;Schulleitung\n"
    "100001;leitung@markt.test;Lena Leitung;ja\n"
    "999999;x@markt.test;Xaver;nein\n"
    "100001;LEITUNG@markt.test;Lena Doppelt;nein\n"
    "100002;vorhanden@see.test;Vera Vorhanden;vielleicht\n"
    "100002;kein-at;Otto;nein\n"
)
BAD_ROWS = [
    ("3", "Es gibt keine Schule mit der Schulnummer „999999“."),
    ("4", "leitung@markt.test steht schon in Zeile 2."),
    ("5", "Es gibt schon ein Konto für vorhanden@see.test. Schulleitung „vielleicht“: bitte „ja“ oder „nein“."),
    ("6", "„kein-at“ ist keine E-Mail-Adresse."),
]


def _setup(app) -> None:
    with app.app_context():
        make_school("100001", kreis="05978")
        make_school("100002", kreis="05978")
        make_user("admin@land.test", "admin")
        make_user("vorhanden@see.test", school=None, role="adviser", kreise=["05978"])


def _accounts(app) -> list[tuple[str, str, bool, bool]]:
    with app.app_context():
        users = db.session.scalars(select(User).where(User.role == "team").order_by(User.email))
        return [
            (u.email, u.memberships[0].school.schulnummer, u.memberships[0].is_leadership, u.password_hash is None) for u in users
        ]


def _upload(client, content: str):
    page = client.get(PAGE).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    data = {"csrf_token": token, "file": (io.BytesIO(content.encode()), "team.csv")}
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def test_a_good_file_creates_and_invites_every_team_member(app, client):
    _setup(app)
    login(client, "admin@land.test")
    response = _upload(client, GOOD)
    page = soup_of(response)

    assert (response.status_code, text(page.h1)) == (200, "Teams eingeladen")
    assert text(page.select_one("[role=status]")) == "3 Konten sind angelegt."
    rows = [[text(cell) for cell in row.find_all(["th", "td"])][:2] for row in page.select("#einladungslinks tbody tr")]
    assert rows == [
        ["Lena Leitung", "leitung@markt.test"],
        ["Karl Kollege", "kollege@markt.test"],
        ["Tara Team", "team@see.test"],
    ]
    assert _accounts(app) == [
        ("kollege@markt.test", "100001", False, True),
        ("leitung@markt.test", "100001", True, True),
        ("team@see.test", "100002", True, True),
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PasswordLink)) == 3
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "user.created")) == 5  # 2 by setup


def test_a_file_with_wrong_rows_creates_nothing_and_names_each_row(app, client):
    _setup(app)
    login(client, "admin@land.test")
    response = _upload(client, BAD)
    page = soup_of(response)

    assert response.status_code == 200
    assert [[text(cell) for cell in row.find_all(["th", "td"])] for row in page.select("#fehlerhafte-zeilen tbody tr")] == [
        list(row) for row in BAD_ROWS
    ]
    assert text(page.select_one("#file-error")) == "4 Zeile(n) fehlerhaft; es wurde kein Konto angelegt."
    assert _accounts(app) == []


def test_the_cli_imports_the_same_file(app, runner, tmp_path):
    _setup(app)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")

    refused = runner("users", "import", str(bad))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        *(f"error: {bad}, line {line}: {reason}" for line, reason in BAD_ROWS),
        "error: 4 wrong row(s); no account was created",
    ]
    assert _accounts(app) == []

    accepted = runner("users", "import", str(good))
    assert accepted.exit_code == 0
    created = [line for line in accepted.stdout.splitlines() if line.startswith("created")]
    assert created == ["created team leitung@markt.test", "created team kollege@markt.test", "created team team@see.test"]
    assert len(_accounts(app)) == 3


def test_a_scoped_account_without_an_area_is_refused_in_german_and_plainly(app, client, runner):
    _setup(app)
    login(client, "admin@land.test")
    result = runner("users", "create", "aufsicht@bezreg.test", "--name", "Anna Aufsicht", "--role", "traeger", "--invite")

    assert (result.exit_code, result.stderr) == (1, "error: scope: Ein Schulträger-Konto braucht mindestens eine Trägernummer.\n")
