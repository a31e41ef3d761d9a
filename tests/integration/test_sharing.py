"""What a school shares (issue 19, DATENSCHUTZ.md): per role and state of the assessment, in pages, API, exports and reports.

A draft is the team's: outside the team only its status and completeness. A submitted assessment's scores go to
supervision, the Medienberatung, the Schulträger (in scope) and the administration; its comments to the
Medienberatung, and to the others only once the team released them.
"""

from __future__ import annotations

import pytest

from selfeval.extensions import db
from selfeval.reports import text as report_text
from selfeval.services import assessments
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.factories import leader, login, make_round, make_school, make_token, make_user, rate, submitted
from tests.support.html import soup_of, text

SCHULNUMMER = "100001"
TRAEGER = "5978036"
RESULTS = f"/schulen/{SCHULNUMMER}/2025-26/ergebnis"
REPORT = f"/schulen/{SCHULNUMMER}/2025-26/bericht"
API = f"/api/v1/schools/{SCHULNUMMER}/assessments/2025-26"
EXPORT = "/api/v1/export?round=2025-26&format=csv"
COMMENT = "Medienkonzept im Kollegium abgestimmt"
READERS = {
    "supervisor": ("aufsicht@bezreg.test", {"kreise": ["05978"]}),
    "traeger": ("schultraeger@unna.test", {"traeger": [TRAEGER]}),
    "adviser": ("medienberatung@unna.test", {"kreise": ["05978"]}),
    "admin": ("verwaltung@land.test", {}),
}
STATES = ("draft", "submitted", "released")
#: (role, state) -> whether the reader sees the scores, and the comment.
SEES = {
    (role, state): (state != "draft", state == "released" or (state == "submitted" and role == "adviser"))
    for role in READERS
    for state in STATES
}


@pytest.fixture(params=STATES)
def school_state(request, app):
    """The school in Unna, its team's comment on k1a; a draft (k1a rated 7), or submitted (all 6), released or not."""
    with app.app_context():
        school = make_school(SCHULNUMMER, kreis="05978", name="Schule am Markt", traeger_nummer=TRAEGER)
        round_ = make_round("2025/26")
        for role, (email, scopes) in READERS.items():
            make_user(email, role, **scopes)
        rate(school, round_, leader(school), {"k1a": 7}, {"k1a": COMMENT})
        if request.param != "draft":
            submitted(school, round_, 6)
        if request.param == "released":
            assessments.set_comments_released(school, round_, leader(school), True)
            db.session.commit()
    return request.param


@pytest.mark.parametrize("role", READERS)
def test_the_results_page_shows_what_the_school_shares(client, school_state, role):
    sees_scores, sees_comment = SEES[(role, school_state)]
    login(client, READERS[role][0])
    page = soup_of(client.get(RESULTS))

    assert [text(p) for p in page.select("p.comment")] == ([COMMENT] if sees_comment else [])
    if not sees_scores:
        assert text(page.select_one("p.status-line")) == "Entwurf 1 von 23 Indikatoren bewertet"
        assert [text(p) for p in page.select("main p")][-1] == report_text.DRAFT_WITHHELD
        assert page.select("p.lead") == []
    else:
        assert text(page.select_one("p.lead")) == "Gesamtwert 6,0 von 10"
        withheld = [text(p) for p in page.select("p.texts-withheld")]
        assert withheld == ([] if sees_comment else [report_text.TEXTS_WITHHELD])


@pytest.mark.parametrize("role", READERS)
def test_the_api_shows_what_the_school_shares(app, client, school_state, role):
    sees_scores, sees_comment = SEES[(role, school_state)]
    with app.app_context():
        from selfeval.services.accounts import find_user

        token = make_token(find_user(READERS[role][0]))
    body = client.get(API, headers={"Authorization": f"Bearer {token}"}).get_json()

    expected_k1a = {"score": (6 if sees_scores else None), "comment": COMMENT if sees_comment else ""}
    assert body["ratings"]["k1a"] == expected_k1a
    assert body["scores"]["overall"] == (6.0 if sees_scores else None)
    assert body["completeness"] == (1.0 if school_state != "draft" else 1 / 23)
    assert body.get("scores_withheld", False) is (not sees_scores)
    assert body.get("comments_withheld", False) is (sees_scores and not sees_comment)


@pytest.mark.parametrize("role", READERS)
def test_the_report_shows_what_the_school_shares(client, school_state, role):
    sees_scores, sees_comment = SEES[(role, school_state)]
    login(client, READERS[role][0])
    html, pdf = client.get(REPORT), client.get(REPORT + ".pdf")

    if not sees_scores:
        assert [(r.status_code, r.headers["Location"]) for r in (html, pdf)] == [(302, RESULTS)] * 2
        return
    page = soup_of(html)
    assert [text(p) for p in page.select("p.comment")] == ([f"Kommentar des Teams: {COMMENT}"] if sees_comment else [])
    assert [text(p) for p in page.select("p.texts-withheld")] == ([] if sees_comment else [report_text.TEXTS_WITHHELD])
    assert pdf.mimetype == "application/pdf"
    from tests.support.reports import pdf_text

    printed = pdf_text(pdf.data)
    assert (COMMENT in printed, report_text.TEXTS_WITHHELD in printed) == (sees_comment, not sees_comment)


@pytest.mark.parametrize("role", READERS)
def test_the_export_has_scores_of_submitted_schools_only_and_never_a_comment(client, school_state, role):
    sees_scores, _ = SEES[(role, school_state)]
    login(client, READERS[role][0])
    csv = client.get(EXPORT).get_data(as_text=True)

    rows = [line for line in csv.splitlines() if line.startswith(f"{SCHULNUMMER};")]
    assert COMMENT not in csv
    assert len(rows) == 1
    status, *cells = rows[0].split(";")[9:]
    assert (status, set(cells)) == (("abgeschlossen", {"6"}) if sees_scores else ("Entwurf", {""}))


def test_the_schultraeger_sees_exactly_the_schools_of_its_traegernummer(app, client):
    with app.app_context():
        make_round("2025/26")
        make_school("100001", kreis="05978", traeger_nummer=TRAEGER)
        make_school("100002", kreis="05978", traeger_nummer=TRAEGER)
        make_school("100003", kreis="05978", traeger_nummer="5978004")  # another Gemeinde of the Kreis Unna
        make_school("100004", kreis="05913")
        token = make_token(make_user("schultraeger@unna.test", "traeger", traeger=[TRAEGER]))
    body = client.get("/api/v1/schools", headers={"Authorization": f"Bearer {token}"}).get_json()

    assert [school["schulnummer"] for school in body] == ["100001", "100002"]
    other = client.get("/api/v1/schools/100003/assessments/2025-26", headers={"Authorization": f"Bearer {token}"})
    assert other.status_code == 403


def test_only_the_schulleitung_changes_the_release_and_it_is_audited(app, client):
    with app.app_context():
        school = make_school(SCHULNUMMER, kreis="05978", traeger_nummer=TRAEGER)
        round_ = make_round("2025/26")
        submitted(school, round_, 6)
        make_user("kollegin@schule.test", school=school)
    colleague, leadership = app.test_client(), app.test_client()
    login(colleague, "kollegin@schule.test")
    login(leadership, f"leitung-{SCHULNUMMER}@schule.test")
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF token is tested elsewhere
    refused = colleague.post(RESULTS.replace("ergebnis", "freigabe"), data={"freigeben": "ja"})
    released = leadership.post(RESULTS.replace("ergebnis", "freigabe"), data={"freigeben": "ja"})

    assert (refused.status_code, released.status_code, released.headers["Location"]) == (403, 302, RESULTS)
    with app.app_context():
        state = assessments.load_state(get_school(SCHULNUMMER), get_round("2025-26"))
        from selfeval.services import audit

        events = [(e.action, e.changes) for e in audit.assessment_history(get_school(SCHULNUMMER), get_round("2025-26"))]
    assert state.comments_released is True
    assert events[0] == ("assessment.comments_released", {"comments_released": [False, True]})
