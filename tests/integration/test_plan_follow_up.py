"""Last school year's goals in the next school year (issue 18): beside each indicator on the rating pages (the team's
and each member's own sheet), and on the results page with target against achieved, for every reader as the
sharing rules allow. The save paths do not read the plan."""

from __future__ import annotations

import re

import pytest

from selfeval.extensions import db
from selfeval.services import assessments
from selfeval.services.consensus.phase import set_phase
from selfeval.services.plans import replace_goals
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.catalogue import LEITFADEN
from tests.support.factories import all_scores, leader, login, make_round, make_school, make_token, make_user, rate, submitted
from tests.support.html import soup_of, text
from tests.support.queries import counted_statements
from tests.support.rating_form import form_data

NOW = "2025/26"
TEXTS = {indicator.id: indicator.text for indicator in LEITFADEN.indicators}
RESULTS = "/schulen/100001/2025-26/ergebnis"
K1, K2 = "/schulen/100001/2025-26/kriterien/k1", "/schulen/100001/2025-26/kriterien/k2"
LAST_YEAR = {"k2a": 2}  # and 3 everywhere else
THIS_YEAR = {"k1a": 7, "k2a": 4}  # and 5 everywhere else
GOALS = [
    {
        "indicators": ["k1a"],
        "target": 6,
        "success": "Das Medienkonzept ist beschlossen.",
        "measures": [
            {"what": "Medienkonzept fortschreiben", "who": "Medienkoordination", "status": "erledigt"},
            {"what": "Konzept in der Schulkonferenz vorstellen", "who": "Schulleitung", "status": "erledigt"},
            {"what": "Fachgruppen einbinden", "who": "Steuergruppe", "due": "2026-03-31", "status": "begonnen"},
        ],
    },
    {"indicators": ["k2a", "k2b"], "target": 5, "measures": [{"what": "Fortbildungsplan", "status": "geplant"}]},
]


@pytest.fixture
def school(app):
    """School 100001 with a plan in 2024/25 (submitted); 2025/26 is open, with nothing rated yet."""
    with app.app_context():
        school = make_school("100001")
        old = make_round("2024/25", is_open=False)
        make_round("2025/26")
        submitted(school, old, all_scores(3) | LAST_YEAR)
        replace_goals(school, old, leader(school), 0, GOALS)
        make_user("berater@mz.test", "adviser", kreise=["05913"])
        make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])
        db.session.commit()
        return school


def _this_year(app, *, submit: bool, scores=None, release: tuple[bool, bool] = (False, False)) -> None:
    """Rate 2025/26 (and submit it); `release`: the comments of (2024/25, 2025/26) released to supervision."""
    with app.app_context():
        school, old, new = get_school("100001"), get_round("2024-25"), get_round("2025-26")
        scores = scores or all_scores(5) | THIS_YEAR
        if submit:
            submitted(school, new, scores)
        else:
            rate(school, new, leader(school), scores)
        for round_, released in zip((old, new), release, strict=True):
            if released:
                assessments.set_comments_released(school, round_, leader(school), True)
        db.session.commit()


def _notes(page, indicator: str) -> list[str]:
    return [text(note) for note in page.select(f"fieldset#{indicator} .goal-note")]


def test_the_rating_page_shows_last_years_goal_beside_each_indicator_it_concerns(app, client, school):
    _this_year(app, submit=False, scores={"k3a": 4})
    assert login(client, "leitung-100001@schule.test").status_code == 302

    k1, k2 = soup_of(client.get(K1)), soup_of(client.get(K2))

    assert [text(p) for p in k1.select("fieldset#k1a .goal-note__head")] == ["Ziel aus 2024/25: 6 (damals 3)."]
    assert text(k1.select_one("fieldset#k1a .goal-note summary")) == "Maßnahmen: 2 erledigt, 1 begonnen"
    assert [text(li) for li in k1.select("fieldset#k1a .goal-note li")] == [
        "Medienkonzept fortschreiben (Medienkoordination): erledigt",
        "Konzept in der Schulkonferenz vorstellen (Schulleitung): erledigt",
        "Fachgruppen einbinden (Steuergruppe, bis 31.03.2026): begonnen",
    ]
    assert text(k1.select_one("fieldset#k1a .goal-note__success")) == (
        "Woran das Team es erkennen wollte: Das Medienkonzept ist beschlossen."
    )
    assert [_notes(k1, i) for i in ("k1b", "k1c", "k1d")] == [[], [], []]
    together = "Ziel aus 2024/25 für 2a) und 2b) zusammen: 5 (damals 2,5). Maßnahmen: 1 geplant Fortbildungsplan: geplant"
    assert [_notes(k2, i) for i in ("k2a", "k2b", "k2c")] == [[together], [together], []]


def test_each_members_own_sheet_shows_the_goals_too(app, client, school):
    with app.app_context():
        found = get_school("100001")
        set_phase(found, get_round("2025-26"), leader(found), 0, "individual")
        db.session.commit()
    assert login(client, "leitung-100001@schule.test").status_code == 302

    sheet = soup_of(client.get("/schulen/100001/2025-26/einzeln/kriterien/k1"))

    assert text(sheet.find("h1")).startswith("Mein Bogen · Kriterium 1 von 6")
    assert [text(p) for p in sheet.select("fieldset#k1a .goal-note__head")] == ["Ziel aus 2024/25: 6 (damals 3)."]
    assert text(sheet.select_one("fieldset#k1a .goal-note summary")) == "Maßnahmen: 2 erledigt, 1 begonnen"
    assert _notes(sheet, "k1b") == []


def test_without_a_plan_last_year_the_rating_page_has_no_note(app, client):
    with app.app_context():
        school = make_school("100001")
        submitted(school, make_round("2024/25", is_open=False), 3)
        make_round("2025/26")
    assert login(client, "leitung-100001@schule.test").status_code == 302
    assert soup_of(client.get(K1)).select(".goal-note") == []


def test_the_rating_page_reads_the_plan_in_two_statements_and_the_saves_not_at_all(app, client, school):
    _this_year(app, submit=False, scores={"k3a": 4})
    assert login(client, "leitung-100001@schule.test").status_code == 302
    client.get(K1)  # the catalogue snapshot, once per process
    with counted_statements(app) as page:
        data = form_data(soup_of(client.get(K1))) | {"k1a-score": "9", "goto": "k1"}
    with counted_statements(app) as saved:
        response = client.post(K1, data=data)
    with app.app_context():
        token = make_token(leader(get_school("100001")))
    api = "/api/v1/schools/100001/assessments/2025-26"
    with client.session_transaction() as session:
        session.clear()  # the API call with its token alone, as in test_save_statements
    with counted_statements(app) as api_saved:
        headers = {"Authorization": f"Bearer {token}", "If-Match": '"2"'}
        answer = client.put(api, json={"ratings": {"k1a": {"score": 8}}}, headers=headers)

    assert (response.status_code, answer.status_code) == (302, 200)
    # the plan with last year's assessment in one statement, last year's ratings in a second
    (at,) = [n for n, s in enumerate(page) if re.search(r"\bFROM plans JOIN assessments\b", s)]
    assert re.search(r"^SELECT ratings\.indicator_id, ratings\.score\s+FROM ratings\b", page[at + 1]), page[at + 1]
    # as without a plan (tests/integration/test_save_statements.py): none of them reads the plan
    assert (len(saved), len(api_saved)) == (6, 5), "\n".join(s[:120] for s in api_saved)
    assert [s for s in saved + api_saved if "plans" in s] == []


def _follow_up(client, email: str, url: str = RESULTS) -> list[str]:
    """The results page's section "Ziele aus …" as lines: heading, paragraphs, each goal's parts, the plan link."""
    with client.session_transaction() as session:
        session.clear()
    assert login(client, email).status_code == 302
    section = soup_of(client.get(url)).select_one("section.follow-up")
    if section is None:
        return []
    paragraphs = section.find_all("p", recursive=False)
    lines = [text(section.h2)] + [text(p) for p in paragraphs if "follow-up__plan" not in p.get("class", [])]
    for goal in section.select("li.goal-outcome"):
        lines += [text(goal.h3), *(text(li) for li in goal.select(".goal-outcome__indicators li"))]
        lines += [text(goal.select_one(".goal-outcome__values"))]
        lines += [text(p) for p in goal.find_all("p")] + [text(li) for li in goal.select(".goal-outcome__measures li")]
    plan = section.select_one("p.follow-up__plan")
    return [*lines, f"{text(plan)} -> {plan.a['href']}"]


INTRO = (
    "Was sich das Team im Schuljahr 2024/25 vorgenommen hat und was die Bewertung 2025/26 davon zeigt. Ein Ziel ist "
    "erreicht, wenn seine Indikatoren den Zielwert erreichen (bei mehreren zählt ihr Mittelwert)."
)


def _expected(*, now: bool, link: str, k2_now: str = "4,5", k2_verdict: str = "noch nicht erreicht"):
    texts = TEXTS
    intro = INTRO if now else "Was sich das Team im Schuljahr 2024/25 vorgenommen hat."
    withheld = [] if now else [f"Ob die Ziele erreicht sind, zeigt sich, wenn die Schule ihre Bewertung {NOW} abgeschlossen hat."]
    return [
        "Ziele aus 2024/25", intro, *withheld,
        "Ziel 1 erreicht" if now else "Ziel 1", f"1a) {texts['k1a']}",
        "Zielwert: 6 2025/26: 7 vorher (2024/25): 3" if now else "Zielwert: 6 vorher (2024/25): 3",
        "Woran das Team es erkennen wollte: Das Medienkonzept ist beschlossen.",
        "Maßnahmen: 2 erledigt, 1 begonnen",
        "Medienkonzept fortschreiben (Medienkoordination): erledigt",
        "Konzept in der Schulkonferenz vorstellen (Schulleitung): erledigt",
        "Fachgruppen einbinden (Steuergruppe, bis 31.03.2026): begonnen",
        f"Ziel 2 {k2_verdict}" if now else "Ziel 2", f"2a) {texts['k2a']}", f"2b) {texts['k2b']}",
        f"Zielwert: 5 2025/26: {k2_now} vorher (2024/25): 2,5" if now else "Zielwert: 5 vorher (2024/25): 2,5",
        "Maßnahmen: 1 geplant",
        "Fortbildungsplan: geplant",
        link,
    ]  # fmt: skip


EDIT = (
    "Entwicklungsplan für 2025/26 bearbeiten Offene Maßnahmen lassen sich dort in dieses Schuljahr übernehmen."
    " -> /schulen/100001/2025-26/plan"
)
VIEW = "Entwicklungsplan für 2025/26 ansehen -> /schulen/100001/2025-26/plan"


def test_the_team_and_the_medienberatung_see_target_against_achieved(app, client, school):
    _this_year(app, submit=True)
    assert _follow_up(client, "leitung-100001@schule.test") == _expected(now=True, link=EDIT)
    assert _follow_up(client, "berater@mz.test") == _expected(now=True, link=VIEW)


def test_the_team_sees_its_draft_against_the_goals_and_what_is_not_rated_yet(app, client, school):
    _this_year(app, submit=False, scores={"k1a": 7})
    expected = _expected(now=True, link=EDIT, k2_now="–", k2_verdict="noch nicht bewertet")
    assert _follow_up(client, "leitung-100001@schule.test") == expected


def test_the_medienberatung_sees_the_goals_of_a_draft_school_year_without_its_values(app, client, school):
    _this_year(app, submit=False)
    page = soup_of((login(client, "berater@mz.test"), client.get(RESULTS))[1])
    assert text(page.select_one("p.status-line")) == "Entwurf 23 von 23 Indikatoren bewertet"
    assert _follow_up(client, "berater@mz.test") == _expected(now=False, link=VIEW)


@pytest.mark.parametrize(
    ("release", "shown"),
    [((False, False), False), ((True, False), False), ((False, True), False), ((True, True), True)],
)
def test_supervision_sees_the_goals_only_where_both_school_years_shared_their_texts(app, client, school, release, shown):
    _this_year(app, submit=True, release=release)
    assert _follow_up(client, "aufsicht@bezreg.test") == (_expected(now=True, link=VIEW) if shown else [])


def test_supervision_sees_nothing_of_a_draft(app, client, school):
    _this_year(app, submit=False, release=(True, False))
    assert _follow_up(client, "aufsicht@bezreg.test") == []
