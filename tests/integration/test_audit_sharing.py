"""Issue 19 in the audit trail: a rating entry shows its values as the school shares them with the reader.

The team sees every value of its own history. Everyone else who reads entries (the admins: their trail, a school's
and an account's page, and the history of an assessment) sees of a draft that it changed, not its values or
comments, and the comments of a submitted assessment only when the team released them. Supervision, the
Medienberatung and the Schulträger read none of these pages.
"""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.services import assessments
from selfeval.services.accounts import find_user
from selfeval.services.rounds import get_round
from selfeval.services.schools import find_school
from tests.support.factories import all_scores, login, make_round, make_school, make_user, rate
from tests.support.html import page_rows, soup_of

HISTORY = "/schulen/100001/2025-26/verlauf"
TRAEGER = "5913000"
K1A = "Indikator 1a) Die Schule hat verantwortliche Ansprechpartner für die einzelnen …"
ALL = "Bewertung: 7 → 4 Anmerkung: (leer) → „Beamer in allen Räumen“"
DRAFT = "Bewertung: geändert (Wert eines Entwurfs, nur für das Team) Anmerkung: geändert (Text eines Entwurfs, nur für das Team)"
SCORES_ONLY = "Bewertung: 7 → 4 Anmerkung: geändert (Text nicht freigegeben, nur für Team und Medienberatung)"


@pytest.fixture(params=["draft", "submitted", "released", "reopened"])
def assessment(request, app):
    """The Schulleitung rated everything, then Lehrer changed 1a and wrote a comment; then, as the parameter says,
    the Schulleitung left it a draft, submitted it (comments not released), submitted it with the comments
    released, or submitted and reopened it."""
    with app.app_context():
        school = make_school("100001", name="Adler-Gesamtschule", traeger_nummer=TRAEGER)
        round_ = make_round("2025/26")
        leitung = make_user("leitung@schule.de", school=school, leadership=True)
        lehrer = make_user("lehrer@schule.de", school=school)
        rate(school, round_, leitung, all_scores(7))
        state = rate(school, round_, lehrer, {"k1a": 4}, {"k1a": "Beamer in allen Räumen"})
        if request.param != "draft":
            assessments.submit(school, round_, leitung, state.version, release_comments=request.param == "released")
        if request.param == "reopened":
            assessments.reopen(school, round_, leitung)
        make_user("admin@amt.de", "admin")
        make_user("aufsicht@bezreg.de", "supervisor", kreise=["05913"])
        make_user("beratung@mz.de", "adviser", kreise=["05913"])
        make_user("traeger@stadt.de", "traeger", traeger=[TRAEGER])
        db.session.commit()
    return request.param


#: What the admin reads of Lehrer's entry, by the assessment's state now.
ADMIN_READS = {"draft": DRAFT, "submitted": SCORES_ONLY, "released": ALL, "reopened": DRAFT}


def lehrer_entry_in_history(client) -> list[str]:
    rows = page_rows(soup_of(client.get(HISTORY)), "table.audit-table")
    return [row for row in rows if row[1] == "Lehrer"][0][2:]


def test_the_team_reads_every_value_of_its_history(client, assessment):
    login(client, "leitung@schule.de")
    assert lehrer_entry_in_history(client) == [K1A, ALL]


def test_an_admin_reads_the_history_as_the_school_shares_it(client, assessment):
    login(client, "admin@amt.de")
    assert lehrer_entry_in_history(client) == [K1A, ADMIN_READS[assessment]]


def test_an_admin_reads_the_trail_as_the_school_shares_it(app, client, assessment):
    login(client, "admin@amt.de")
    with app.app_context():
        lehrer_id = find_user("lehrer@schule.de").id
    trail = page_rows(soup_of(client.get("/verwaltung/protokoll", query_string={"art": "rating.changed", "wer": "Lehrer"})))
    assert [row[1:] for row in trail] == [
        ["Lehrer", "Bewertung geändert", f"100001 Adler-Gesamtschule Runde 2025/26 {K1A}", ADMIN_READS[assessment]]
    ]
    # The same entry on the school's page and on the page of the account that made it.
    for url in ("/verwaltung/schulen/100001", f"/verwaltung/konten/{lehrer_id}"):
        rows = page_rows(soup_of(client.get(url)), "table.audit-table")
        assert [row[4] for row in rows if row[1:3] == ["Lehrer", "Bewertung geändert"]] == [ADMIN_READS[assessment]], url


@pytest.mark.parametrize("email", ["aufsicht@bezreg.de", "beratung@mz.de", "traeger@stadt.de"])
def test_supervision_advice_and_the_schultraeger_read_no_history_and_no_trail(client, assessment, email):
    login(client, email)
    answers = {url: client.get(url) for url in (HISTORY, "/verwaltung/protokoll", "/verwaltung/schulen/100001")}
    assert {url: response.status_code for url, response in answers.items()} == dict.fromkeys(answers, 403)
    leaked = {url: "Beamer" in response.get_data(as_text=True) for url, response in answers.items()}
    assert leaked == dict.fromkeys(answers, False)


def test_the_withheld_entries_still_count_and_name_the_indicator(app, client, assessment):
    """A draft shows that it changed: every entry stays, with who, when and which indicator."""
    login(client, "admin@amt.de")
    admin_rows = page_rows(soup_of(client.get(HISTORY)), "table.audit-table")
    team = app.test_client()
    login(team, "leitung@schule.de")
    team_rows = page_rows(soup_of(team.get(HISTORY)), "table.audit-table")
    assert [row[:3] for row in admin_rows] == [row[:3] for row in team_rows]
    with app.app_context():
        state = assessments.load_state(find_school("100001"), get_round("2025-26"))
        assert state.status == ("submitted" if assessment in ("submitted", "released") else "draft")
