"""The analytics part of API v1: school lists, statistics, exports, and supervision's read-only access to assessments."""

from __future__ import annotations

import csv
import io
import math

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import School
from selfeval.services import assessments
from selfeval.services.rounds import get_round
from tests.support.catalogue import CRITERIA, INDICATORS, VARIED
from tests.support.factories import login, make_round, make_school, make_token, make_user, rated, submitted

STATS = ["n", "mean", "median", "q1", "q3", "min", "max", "std"]
OUT_OF_SCOPE = ["300001", "Zechen-Gesamtschule"]



ANONYMOUS = {"error": {"code": 401, "message": "Anmeldung erforderlich: Authorization: Bearer <Token>."}}
BAD_TOKEN = "Das Token ist ungültig oder abgelaufen."


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(app) -> dict[str, str]:
    """Dortmund: 100001 submitted (VARIED), 100002 submitted (all 8), 100003 draft; Bochum: 100004 not started;
    Gelsenkirchen: 300001 submitted (all 3). Tokens of a team member of 100001, a Dortmund supervisor,
    an Arnsberg supervisor for Grundschulen, a Bochum adviser, a Gelsenkirchen adviser and an admin."""
    with app.app_context():
        round_ = make_round("2025/26")
        for number, name, schulform, kreis, scores in [
            ("100001", "Adler-Gesamtschule", "15", "05913", VARIED),
            ("100002", "Birken-Gymnasium", "20", "05913", 8),
            ("100003", "Castell-Gesamtschule", "15", "05913", "draft"),
            ("100004", "Dorf-Grundschule", "02", "05911", None),
            ("300001", "Zechen-Gesamtschule", "15", "05513", 3),
        ]:
            school = make_school(number, name=name, schulform=schulform, kreis=kreis)
            if scores == "draft":
                rated(school, round_, {"k1a": 10})
            elif scores is not None:
                submitted(school, round_, scores)
        team = make_user("lehrer@schule.test", school=db.session.scalars(select(School).filter_by(schulnummer="100001")).one())
        return {
            "team": make_token(team),
            "supervisor": make_token(make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])),
            "grundschulen": make_token(make_user("gs@bezreg.test", "supervisor", bezirke=["Arnsberg"], schulformen=["02"])),
            "adviser": make_token(make_user("berater@kommune.test", "adviser", kreise=["05911"])),
            "gelsenkirchen": make_token(make_user("ge@kommune.test", "adviser", kreise=["05513"])),
            "admin": make_token(make_user("admin@land.test", "admin")),
        }


def school(number: str, name: str, schulform: str, kreis: str, bezirk: str, status: str, overall: float | None) -> dict:
    return {
        "schulnummer": number, "name": name, "schulform": schulform, "kreis": kreis, "bezirksregierung": bezirk,
        "ort": "Dortmund", "status": status, "overall": overall,
    }  # fmt: skip


ADLER = school("100001", "Adler-Gesamtschule", "15", "05913", "Arnsberg", "submitted", 5.0)
BIRKE = school("100002", "Birken-Gymnasium", "20", "05913", "Arnsberg", "submitted", 8.0)
CASTELL = school("100003", "Castell-Gesamtschule", "15", "05913", "Arnsberg", "draft", None)
DORF = school("100004", "Dorf-Grundschule", "02", "05911", "Arnsberg", "not_started", None)
ZECHE = school("300001", "Zechen-Gesamtschule", "15", "05513", "Münster", "submitted", 3.0)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("team", [ADLER]),
        ("supervisor", [ADLER, BIRKE, CASTELL]),
        ("adviser", [DORF]),
        ("admin", [ADLER, BIRKE, CASTELL, DORF, ZECHE]),
    ],
)
def test_schools_lists_exactly_what_the_user_may_see(client, tokens, who, expected):
    for query in ("", "?round=2025-26"):
        response = client.get("/api/v1/schools" + query, headers=auth(tokens[who]))
        assert (response.status_code, response.get_json()) == (200, expected)


def test_schools_in_an_earlier_round_and_error_cases(app, client, tokens):
    with app.app_context():
        make_round("2026/27")  # newest open round: the default; nobody has started
    response = client.get("/api/v1/schools", headers=auth(tokens["supervisor"]))
    assert response.get_json() == [s | {"status": "not_started", "overall": None} for s in (ADLER, BIRKE, CASTELL)]
    response = client.get("/api/v1/schools?round=2025-26", headers=auth(tokens["supervisor"]))
    assert response.get_json() == [ADLER, BIRKE, CASTELL]
    response = client.get("/api/v1/schools?round=1999-00", headers=auth(tokens["supervisor"]))
    assert (response.status_code, response.get_json()) == (
        404, {"error": {"code": 404, "message": "Erhebungsrunde 1999-00 nicht gefunden"}},
    )  # fmt: skip
    response = client.get("/api/v1/schools")
    assert (response.status_code, response.get_json()) == (401, ANONYMOUS)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="selfeval"'


def two(a: float, b: float) -> dict:
    """Statistics of two values by hand: quartiles interpolate linearly, std has n - 1 = 1 in the denominator."""
    low, high = min(a, b), max(a, b)
    span = high - low
    return {
        "n": 2, "mean": (a + b) / 2, "median": (a + b) / 2, "q1": low + span / 4, "q3": low + 3 * span / 4,
        "min": float(low), "max": float(high), "std": math.sqrt(2 * (span / 2) ** 2),
    }  # fmt: skip


def one(value: float) -> dict:
    return {"n": 1} | {key: float(value) for key in STATS[1:-1]} | {"std": None}


NONE = {"n": 0} | dict.fromkeys(STATS[1:])


def test_analytics_equals_a_hand_computation(client, tokens):
    response = client.get("/api/v1/analytics?round=2025-26", headers=auth(tokens["supervisor"]))
    assert response.status_code == 200
    assert response.get_json() == {
        "round": "2025-26",
        "round_name": "2025/26",
        "n_schools_in_scope": 3,
        "n_submitted": 2,
        "n_draft": 1,
        "criteria": {"k1": two(2.5, 8), "k2": two(3.5, 8)} | {k: two(6, 8) for k in ("k3", "k4", "k5", "k6")},
        "overall": two(5, 8),
        "indicators": {indicator: two(VARIED[indicator], 8) for indicator in INDICATORS},
    }
    assert two(2.5, 8) == {"n": 2, "mean": 5.25, "median": 5.25, "q1": 3.875, "q3": 6.625, "min": 2.5, "max": 8.0,
                           "std": math.sqrt(15.125)}  # fmt: skip


def test_analytics_of_one_school_has_no_spread_and_of_none_only_nulls(client, tokens):
    body = client.get("/api/v1/analytics?round=2025-26&kreis=05513", headers=auth(tokens["admin"])).get_json()
    assert (body["n_schools_in_scope"], body["n_submitted"], body["n_draft"]) == (1, 1, 0)
    assert body["criteria"] == dict.fromkeys(CRITERIA, one(3))
    assert (body["overall"], body["indicators"]) == (one(3), dict.fromkeys(INDICATORS, one(3)))

    body = client.get("/api/v1/analytics?round=2025-26", headers=auth(tokens["adviser"])).get_json()
    assert body == {
        "round": "2025-26", "round_name": "2025/26", "n_schools_in_scope": 1, "n_submitted": 0, "n_draft": 0,
        "criteria": dict.fromkeys(CRITERIA, NONE), "overall": NONE, "indicators": dict.fromkeys(INDICATORS, NONE),
    }  # fmt: skip


def test_analytics_filters_stay_inside_the_scope(client, tokens):
    body = client.get("/api/v1/analytics?round=2025-26&schulform=15", headers=auth(tokens["supervisor"])).get_json()
    assert (body["n_schools_in_scope"], body["n_submitted"], body["n_draft"], body["overall"]) == (2, 1, 1, one(5))
    body = client.get("/api/v1/analytics?round=2025-26&bezirk=Münster", headers=auth(tokens["supervisor"])).get_json()
    assert (body["n_schools_in_scope"], body["n_submitted"], body["overall"]) == (0, 0, NONE)
    body = client.get("/api/v1/analytics?round=2025-26&kreis=05513&kreis=05913", headers=auth(tokens["supervisor"])).get_json()
    assert (body["n_schools_in_scope"], body["n_submitted"], body["overall"]) == (3, 2, two(5, 8))


def test_analytics_treats_an_empty_filter_value_as_all(client, tokens):
    """The page's form sends "schulform=" for "alle"; the API reads it the same way."""
    everything = client.get("/api/v1/analytics?round=2025-26", headers=auth(tokens["supervisor"])).get_json()
    response = client.get("/api/v1/analytics?round=2025-26&schulform=&kreis=", headers=auth(tokens["supervisor"]))
    assert (response.status_code, response.get_json()) == (200, everything)


@pytest.mark.parametrize(
    ("query", "status", "error"),
    [
        ("", 422, {"code": 422, "message": "Die Abfrage ist ungültig.",
                   "errors": [{"location": "round", "message": "Der Parameter „round“ fehlt."}]}),
        ("?round=1999-00", 404, {"code": 404, "message": "Erhebungsrunde 1999-00 nicht gefunden"}),
        ("?round=2025-26&schulform=99", 422, {"code": 422, "message": "Die Abfrage ist ungültig.",
                                              "errors": [{"location": "schulform", "message": "unbekannter Wert „99“"}]}),
        ("?round=2025-26&kreis=05913&bezirk=Ruhr", 422, {
            "code": 422, "message": "Die Abfrage ist ungültig.",
            "errors": [{"location": "bezirk", "message": "unbekannter Wert „Ruhr“"}]}),
    ],
)  # fmt: skip
def test_analytics_rejects_a_bad_query(client, tokens, query, status, error):
    response = client.get("/api/v1/analytics" + query, headers=auth(tokens["supervisor"]))
    assert (response.status_code, response.get_json()) == (status, {"error": error})


def test_analytics_and_export_are_closed_to_teams_and_anonymous_callers(client, tokens):
    message = "Auswertungen stehen der Schulaufsicht, den Medienberatungen und der Verwaltung offen."
    refused = {"error": {"code": 403, "message": message}}
    for url in ("/api/v1/analytics?round=2025-26", "/api/v1/export?round=2025-26&format=csv"):
        response = client.get(url, headers=auth(tokens["team"]))
        assert (response.status_code, response.get_json()) == (403, refused)
        response = client.get(url)
        assert (response.status_code, response.get_json()) == (401, ANONYMOUS)
        response = client.get(url, headers=auth("sev_not-a-real-token"))
        assert (response.status_code, response.get_json()) == (401, {"error": {"code": 401, "message": BAD_TOKEN}})


def test_a_session_and_a_bearer_token_get_the_same_analytics(client, tokens):
    by_token = client.get("/api/v1/analytics?round=2025-26", headers=auth(tokens["supervisor"]))
    login(client, "aufsicht@bezreg.test")
    by_session = client.get("/api/v1/analytics?round=2025-26")
    assert (by_session.status_code, by_session.get_json()) == (200, by_token.get_json())
    assert by_token.get_json()["n_schools_in_scope"] == 3


def header_row() -> list[str]:
    metadata = ["Schulnummer", "Schule", "Schulform", "Schulform-Schlüssel", "Ort", "Kreis", "Kreisschlüssel",
                "Bezirksregierung", "Erhebungsrunde", "Stand"]  # fmt: skip
    criteria = [
        "Gesamtwert",
        "1. Dauerhafte Implementierung von Konzepten zur digitalen Bildung",
        "2. Pädagogik und Lernkulturen (Unterrichtsentwicklung)",
        "3. Qualifizierung der Lehrkräfte",
        "4. Digitale Schulorganisation",
        "5. Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen",
        "6. Zugang zur Technik und Ausstattung der Schule",
    ]
    return metadata + criteria


INDICATOR_HEADERS = ["1a)", "1b)", "1c)", "1d)", "2a)", "2b)", "2c)", "2d)", "3a)", "3b)", "3c)",
                     "4a)", "4b)", "4c)", "4d)", "5a)", "5b)", "5c)", "5d)", "6a)", "6b)", "6c)", "6d)"]  # fmt: skip
ADLER_META = ["100001", "Adler-Gesamtschule", "Gesamtschule", "15", "Dortmund", "Dortmund", "05913", "Arnsberg", "2025/26"]
BIRKE_META = ["100002", "Birken-Gymnasium", "Gymnasium", "20", "Dortmund", "Dortmund", "05913", "Arnsberg", "2025/26"]
CASTELL_META = ["100003", "Castell-Gesamtschule", "Gesamtschule", "15", "Dortmund", "Dortmund", "05913", "Arnsberg", "2025/26"]


def test_csv_export_has_the_schools_in_scope_only(client, tokens):
    response = client.get("/api/v1/export?round=2025-26&format=csv", headers=auth(tokens["supervisor"]))
    assert response.status_code == 200
    assert (response.mimetype, response.headers["Content-Disposition"]) == (
        "text/csv", 'attachment; filename="auswertung-2025-26.csv"',
    )  # fmt: skip
    assert response.headers["Cache-Control"] == "no-store"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    content = raw.decode("utf-8-sig")
    assert [name for name in OUT_OF_SCOPE if name in content] == []
    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    varied = [VARIED[key] for key in INDICATORS]
    assert rows == [
        header_row() + INDICATOR_HEADERS,
        ADLER_META + ["abgeschlossen", "5", "2,5", "3,5", "6", "6", "6", "6"] + [str(v) for v in varied],
        BIRKE_META + ["abgeschlossen"] + ["8"] * 7 + ["8"] * 23,
        CASTELL_META + ["Entwurf"] + [""] * 30,
    ]
    assert content.count("\r\n") == 4


def test_csv_export_follows_the_filters(client, tokens):
    response = client.get("/api/v1/export?round=2025-26&format=csv&schulform=15", headers=auth(tokens["supervisor"]))
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row[0] for row in rows] == ["Schulnummer", "100001", "100003"]
    response = client.get("/api/v1/export?round=2025-26&format=csv&kreis=05513", headers=auth(tokens["supervisor"]))
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [header_row() + INDICATOR_HEADERS]
    assert response.headers["Content-Disposition"] == 'attachment; filename="auswertung-2025-26-kreis-05513.csv"'
    query = "round=2025-26&format=xlsx&kreis=05913&schulform=15&schulform=20"
    response = client.get(f"/api/v1/export?{query}", headers=auth(tokens["supervisor"]))
    filename = "auswertung-2025-26-kreis-05913-schulform-15-20.xlsx"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_xlsx_export_has_four_sheets_and_one_row_per_school_in_scope(client, tokens):
    response = client.get("/api/v1/export?round=2025-26&format=xlsx", headers=auth(tokens["supervisor"]))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="auswertung-2025-26.xlsx"'
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Kriterien", "Indikatoren", "Statistik", "Legende"]
    criteria = [list(row) for row in workbook["Kriterien"].iter_rows(values_only=True)]
    assert criteria == [
        header_row(),
        ADLER_META + ["abgeschlossen", 5, 2.5, 3.5, 6, 6, 6, 6],
        BIRKE_META + ["abgeschlossen"] + [8] * 7,
        CASTELL_META + ["Entwurf"] + [None] * 7,
    ]
    indicators = [list(row) for row in workbook["Indikatoren"].iter_rows(values_only=True)]
    assert indicators == [
        header_row()[:10] + INDICATOR_HEADERS,
        ADLER_META + ["abgeschlossen"] + [VARIED[key] for key in INDICATORS],
        BIRKE_META + ["abgeschlossen"] + [8] * 23,
        CASTELL_META + ["Entwurf"] + [None] * 23,
    ]
    legend = [row[0] for row in workbook["Legende"].iter_rows(values_only=True)]
    assert legend[:4] == ["Spalte", "Gesamtwert", header_row()[11], "1a)"]
    everything = repr([list(sheet.iter_rows(values_only=True)) for sheet in workbook])
    assert [name for name in OUT_OF_SCOPE if name in everything] == []


@pytest.mark.parametrize("query", ["?round=2025-26&format=pdf", "?round=2025-26", "?round=2025-26&format=CSV"])
def test_export_rejects_an_unknown_format(client, tokens, query):
    response = client.get("/api/v1/export" + query, headers=auth(tokens["admin"]))
    assert (response.status_code, response.get_json()) == (
        422,
        {"error": {"code": 422, "message": "Die Abfrage ist ungültig.",
                   "errors": [{"location": "format", "message": "Erlaubt sind „csv“, „xlsx“ und „monitoring“."}]}},
    )  # fmt: skip


def test_export_needs_a_known_round(client, tokens):
    response = client.get("/api/v1/export?format=csv", headers=auth(tokens["admin"]))
    assert (response.status_code, response.get_json()["error"]["errors"]) == (
        422, [{"location": "round", "message": "Der Parameter „round“ fehlt."}],
    )  # fmt: skip
    response = client.get("/api/v1/export?round=1999-00&format=csv", headers=auth(tokens["admin"]))
    not_found = {"error": {"code": 404, "message": "Erhebungsrunde 1999-00 nicht gefunden"}}
    assert (response.status_code, response.get_json()) == (404, not_found)


ASSESSMENT = "/api/v1/schools/{}/assessments/2025-26"
NO_ACCESS = {"error": {"code": 403, "message": "Kein Zugriff auf die Bewertung dieser Schule."}}


@pytest.mark.parametrize(
    ("who", "readable", "refused"),
    [
        ("supervisor", ["100001", "100002", "100003"], ["100004", "300001"]),
        ("grundschulen", ["100004"], ["100001", "100002", "100003", "300001"]),
        ("adviser", ["100004"], ["100001", "100003", "300001"]),
        ("gelsenkirchen", ["300001"], ["100001", "100004"]),
        ("team", ["100001"], ["100002", "100003"]),
    ],
)
def test_supervision_reads_assessments_in_scope_only(client, tokens, who, readable, refused):
    for number in readable:
        response = client.get(ASSESSMENT.format(number), headers=auth(tokens[who]))
        body = response.get_json()
        assert (response.status_code, body["school"], body["round"]) == (200, number, "2025-26")
    statuses = {"100001": "submitted", "100002": "submitted", "100003": "draft", "100004": "draft", "300001": "submitted"}
    assert [client.get(ASSESSMENT.format(n), headers=auth(tokens[who])).get_json()["status"] for n in readable] == [
        statuses[n] for n in readable
    ]
    for number in refused:
        response = client.get(ASSESSMENT.format(number), headers=auth(tokens[who]))
        assert (response.status_code, response.get_json()) == (403, NO_ACCESS)


def test_supervision_cannot_write_an_assessment(app, client, tokens):
    def stored():
        with app.app_context():
            school = db.session.scalars(select(School).filter_by(schulnummer="100003")).one()
            state = assessments.load_state(school, get_round("2025-26"))
            return state.version, state.status, {key: (r.score, r.comment) for key, r in state.ratings.items()}

    before = stored()
    assert before == (1, "draft", {"k1a": (10, "")})
    body = {"ratings": {"k1a": {"score": 0}, "k1b": {"score": 3, "comment": "von der Aufsicht"}}}
    for who in ("supervisor", "admin"):
        response = client.put(ASSESSMENT.format("100003"), json=body, headers=auth(tokens[who]) | {"If-Match": '"1"'})
        assert (response.status_code, response.get_json()) == (403, NO_ACCESS)
        response = client.post(ASSESSMENT.format("100003") + "/submit", headers=auth(tokens[who]) | {"If-Match": '"1"'})
        assert (response.status_code, response.get_json()) == (403, NO_ACCESS)
    assert stored() == before
