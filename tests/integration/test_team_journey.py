"""The whole story of issue 3: a team of two fills in the Leitfaden over several sessions."""

from __future__ import annotations

from selfeval.extensions import catalogs, db
from selfeval.services import assessments
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.factories import login, make_round, make_school, make_user
from tests.support.html import csrf, soup_of, text
from tests.support.rating_form import form_data

BASE = "/schulen/100001/2025-26"


def session_of(app, email: str):
    client = app.test_client()
    login(client, email)
    return client


def fill(client, criterion_id: str, scores: dict[str, int], comments: dict[str, str] | None = None):
    url = f"{BASE}/kriterien/{criterion_id}"
    data = form_data(soup_of(client.get(url)))
    data |= {f"{key}-score": str(value) for key, value in scores.items()}
    data |= {f"{key}-comment": value for key, value in (comments or {}).items()}
    return client.post(url, data=data | {"goto": criterion_id})


def test_team_of_two_rates_all_indicators_resolves_a_conflict_submits_and_sees_the_chart(app):
    with app.app_context():
        school = make_school("100001", name="Gesamtschule Nord")
        make_round("2025/26")
        make_user("leitung@schule.de", school=school, leadership=True)
        make_user("lehrer@schule.de", school=school)
        criteria = [(c.id, [i.id for i in c.indicators]) for c in catalogs.active.criteria]

    # Day 1: the Schulleitung rates criteria 1–3, then logs out.
    leader = session_of(app, "leitung@schule.de")
    for criterion_id, ids in criteria[:3]:
        assert fill(leader, criterion_id, dict.fromkeys(ids, 6)).status_code == 302
    leader.post("/abmelden", data={"csrf_token": csrf(leader, f"{BASE}/")})

    # Day 2: the teacher rates criteria 4–6 and finds day 1's work in place.
    teacher = session_of(app, "lehrer@schule.de")
    assert text(soup_of(teacher.get(f"{BASE}/")).find(id="progress-label")) == "11 von 23 Indikatoren bewertet"
    for criterion_id, ids in criteria[3:]:
        assert fill(teacher, criterion_id, dict.fromkeys(ids, 4)).status_code == 302

    # Day 3: both open criterion 1; the leader saves first, the teacher's late save meets the conflict.
    leader = session_of(app, "leitung@schule.de")
    leader_page = soup_of(leader.get(f"{BASE}/kriterien/k1"))
    teacher_page = soup_of(teacher.get(f"{BASE}/kriterien/k1"))
    leader.post(f"{BASE}/kriterien/k1", data=form_data(leader_page) | {"k1a-score": "9", "goto": "k1"})
    late = form_data(teacher_page) | {"k1a-score": "7", "k1a-comment": "Team seit 2023", "goto": "k1"}
    conflict_page = soup_of(teacher.post(f"{BASE}/kriterien/k1", data=late))
    assert [fs["id"] for fs in conflict_page.select("fieldset.rating--conflict")] == ["k1a"]
    # The teacher keeps the leader's 9 and adds the comment: both contributions survive.
    resolved = form_data(conflict_page) | {"k1a-score": "9", "goto": "k1"}
    assert teacher.post(f"{BASE}/kriterien/k1", data=resolved).status_code == 302

    # The leader submits; the results page shows the radar chart and the exact scores.
    page = soup_of(leader.get(f"{BASE}/abschliessen"))
    version = page.find("input", attrs={"name": "base_version"})["value"]
    response = leader.post(f"{BASE}/abschliessen", data={"csrf_token": csrf(leader, f"{BASE}/"), "base_version": version})
    assert response.headers["Location"] == f"{BASE}/ergebnis"
    results = soup_of(teacher.get(f"{BASE}/ergebnis"))
    assert len(results.select("svg .radar-ring")) == 5
    values = [text(row.find_all("td")[0]) for row in results.select("table.data-table tbody tr")]
    assert values == ["6,8", "6,0", "6,0", "4,0", "4,0", "4,0"]  # k1: (9 + 6 + 6 + 6) / 4 = 6.75

    with app.app_context():
        state = assessments.load_state(get_school("100001"), get_round("2025-26"))
        assert (state.status, state.scores.rated, state.rating("k1a").score, state.rating("k1a").comment) == (
            "submitted",
            23,
            9,
            "Team seit 2023",
        )
        assert state.scores.criteria["k1"] == 6.75
        assert state.scores.overall == (6.75 + 6 + 6 + 4 + 4 + 4) / 6
        db.session.remove()
