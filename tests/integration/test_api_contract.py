"""The API keeps its OpenAPI contract (/api/v1/openapi.json), checked by schemathesis against the app in-process.

Every operation is fuzzed (explicit examples, coverage of boundaries and invalid values, random generation) with the
credentials of the roles that reach its happy path; schemathesis's own probes add calls without a token and with a
wrong one. Every check that speaks about the contract runs: no 5xx; status codes, content types, headers and bodies as
documented; schema-valid requests accepted, invalid ones refused; a missing If-Match refused; no undocumented method
answered; authentication enforced. A stateful run follows the document's links (ETag → If-Match) from GET to PUT and
submit. Deterministic (fixed seed, derandomized) and bounded; the database is seeded once for the module, and writes
change the team's draft between examples, which is fine as long as every answer stays within the contract.
"""

from __future__ import annotations

import json

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from sqlalchemy import select

from selfeval.catalog.loader import load_catalog
from selfeval.config import resolve_catalog_path
from selfeval.extensions import db
from selfeval.models import Round, School
from selfeval.paths import DEFAULT_CATALOG
from selfeval.services import assessments
from selfeval.services.plan_agreements import record_agreement
from selfeval.services.plans import load_plan, replace_goals
from selfeval.views.api_models import openapi_document
from tests.conftest import empty_tables, make_test_app
from tests.support.factories import all_scores, leader, make_round, make_school, make_token, make_user, rate, rated, submitted

OWN, OTHER, ELSEWHERE = "199001", "199002", "199003"  # ELSEWHERE lies outside the supervisor's Kreis
CURRENT, PREVIOUS = "2025-26", "2024-25"  # PREVIOUS is closed
DOCUMENT = openapi_document(load_catalog(resolve_catalog_path(DEFAULT_CATALOG)))
#: Beyond 2xx: refusals that depend on the data, not on the request's shape (unknown school, a stale version, …).
STATE_REFUSALS = ["401", "403", "404", "409", "412"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20250826,
        "generation": {"max-examples": 30, "deterministic": True, "database": "none"},
        # Most generated requests name a school and a round that exist, so that the happy paths are reached.
        "dictionaries": {"schools": {"values": [OWN, OTHER, ELSEWHERE]}, "rounds": {"values": [CURRENT, PREVIOUS]}},
        "parameters": {
            "path.schulnummer": {"dictionary": "schools", "probability": 0.8},
            "path.round": {"dictionary": "rounds", "probability": 0.8},
            "query.round": {"dictionary": "rounds", "probability": 0.8},
        },
        "checks": {
            "enabled": True,
            "positive_data_acceptance": {"expected-statuses": ["2xx", *STATE_REFUSALS]},
            # A malformed If-Match never matches the current version: 412, as RFC 9110 has it.
            "negative_data_rejection": {"expected-statuses": ["400", "422", "428", *STATE_REFUSALS]},
            # 428 Precondition Required (RFC 6585) is the status made for a missing If-Match.
            "missing_required_header": {"expected-statuses": ["401", "403", "404", "428"]},
        },
        "operations": [
            {
                # "Not ready to submit" (an unrated indicator, no Schulleitung member) depends on the data alone.
                "include-operation-id": "submitAssessment",
                "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "422", *STATE_REFUSALS]}},
            },
            {
                # Issue 18: what only the plan knows (an offer that does not fit, an id not of this plan, an indicator in
                # two goals, 30 February, a next contact before the consultation) is refused with 422 however well formed.
                "include-operation-id": ["putPlan", "recordAgreement"],
                "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "422", *STATE_REFUSALS]}},
            },
            {
                # Each of these computes statistics or renders a file: fewer random examples keep the run short.
                "include-operation-id": ["getReportPdf", "getPlanDocx"],
                "generation": {"max-examples": 20},
            },
            {
                # Besides, valid coverage cases would send each of the 53 Kreise and 15 Schulformen on its own.
                "include-operation-id": ["getAnalytics", "exportScores"],
                "generation": {"max-examples": 20},
                "phases": {"coverage": {"generation": {"mode": "negative"}}},
            },
        ],
        # Only the document's own links, none that schemathesis would guess.
        "phases": {"stateful": {"max-steps": 12, "inference": {"algorithms": []}}},
    }
)


class _ForwardToModuleApp:
    """The WSGI app schemathesis calls: the schema exists at import, the app only once the fixture made it."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


FORWARD = _ForwardToModuleApp()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
schema.app = FORWARD
OPERATION_IDS = [
    operation["operationId"] for item in DOCUMENT["paths"].values() for operation in item.values() if "operationId" in operation
]


def only(*operation_ids: str, source=schema):
    """The schema with these operations alone (its include() would widen the configured selection, not narrow it)."""
    return source.exclude(operation_id=[known for known in OPERATION_IDS if known not in operation_ids])


#: Put into If-Match while cases are made (coverage cases are made before the database exists), replaced by the draft's
#: version just before the request is sent; no assessment ever reaches this version.
CURRENT_VERSION = '"999999999"'


def _aim_at_the_draft(case):
    """The write goes to the team's draft at its current version: there the body decides the answer, not If-Match."""
    case.path_parameters = {**(case.path_parameters or {}), "schulnummer": OWN, "round": CURRENT}
    case.headers = {**(case.headers or {}), "If-Match": CURRENT_VERSION}
    return case


def _with_the_current_version(case):
    """The case with the placeholder in If-Match replaced by the version the team's draft (or its plan) has now."""
    if (case.headers or {}).get("If-Match") == CURRENT_VERSION:
        version = _own_plan_version() if "/plans/" in case.operation.path else _own_draft().version
        case.headers["If-Match"] = f'"{version}"'
    return case


def _is_write(case) -> bool:
    return case.operation.method in ("put", "post")


@schema.hook("map_case")
def _body_variations_reach_the_body_check(context, case):
    """Coverage cases that vary a write's body go to the draft; elsewhere a stale If-Match (412) would stop them unread."""
    data = case.meta.phase.data if case.meta else None
    if _is_write(case) and getattr(data, "parameter_location", None) == ParameterLocation.BODY:
        return _aim_at_the_draft(case)
    return case


@schema.hook("flatmap_case")
def _half_the_random_writes_on_the_draft(context, case):
    """The other half keeps its generated school, round and If-Match: unknown, foreign, closed or stale."""
    if not _is_write(case):
        return st.just(case)
    return st.booleans().map(lambda at_draft: _aim_at_the_draft(case) if at_draft else case)


@pytest.fixture(scope="module")
def tokens(migrated_database, tmp_path_factory):
    """One seeded world for the module; the Bearer tokens of a team's Schulleitung, a supervisor and an admin."""
    app = make_test_app(migrated_database, tmp_path_factory.mktemp("contract"))
    with app.app_context():
        own = make_school(OWN, schulform="15", kreis="05913", name="Gesamtschule Ayşe-Yılmaz; =1+1")
        other = make_school(OTHER, schulform="02", kreis="05913")
        elsewhere = make_school(ELSEWHERE, schulform="20", kreis="05315")
        previous, current = make_round("2024/25", is_open=False), make_round("2025/26")
        submitted(own, previous, 6)
        rate(own, current, leader(own), all_scores(7), {"k1a": "Team seit 2023\n„Medienkonzept“ 📎", "k6d": '=HYPERLINK("x")'})
        submitted(other, current, 4)
        rated(elsewhere, current, {"k1a": 2, "k2b": None, "k3c": 10})
        adviser = make_user("beratung@mz.test", "adviser", kreise=["05913"])
        # Issue 18: a goal in last year's plan and an agreement on this year's, for the team to confirm.
        replace_goals(own, previous, leader(own), 0, [{"indicators": ["k1a"], "target": 8, "measures": [{"what": "Konzept"}]}])
        record_agreement(own, current, adviser, {"date": "2025-10-01", "participants": "Schulleitung", "text": "WLAN"})
        db.session.commit()
        callers = {
            "team": leader(own),
            "supervisor": make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"]),
            "admin": make_user("admin@selfeval.test", "admin"),
            "adviser": adviser,
        }
        tokens = {role: make_token(user) for role, user in callers.items()}
    FORWARD.app = app
    yield tokens
    FORWARD.app = None
    empty_tables(app)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_document_under_test_is_the_one_the_app_serves(tokens):
    served = FORWARD.app.test_client().get("/api/v1/openapi.json")

    assert (served.status_code, served.get_json()) == (200, json.loads(json.dumps(DOCUMENT)))


@only("getCatalog", "getAssessment", "putRatings", "submitAssessment", "listSchools", "getReportPdf").parametrize()
def test_the_team_gets_what_the_contract_says(case, tokens):
    _with_the_current_version(case).call_and_validate(headers=bearer(tokens["team"]))


@only("getPlan", "putPlan", "getPlanDocx", "confirmAgreement").parametrize()
def test_the_team_gets_what_the_contract_says_of_its_plan(case, tokens):
    _with_the_current_version(case).call_and_validate(headers=bearer(tokens["team"]))


@only("getPlan", "getPlanDocx", "recordAgreement").parametrize()
def test_the_adviser_gets_what_the_contract_says_of_a_plan(case, tokens):
    case.call_and_validate(headers=bearer(tokens["adviser"]))


@only("getAssessment", "listSchools", "getAnalytics", "exportScores", "getReportPdf", "getPlan").parametrize()
def test_a_supervisor_gets_what_the_contract_says(case, tokens):
    case.call_and_validate(headers=bearer(tokens["supervisor"]))


@only("getAssessment", "listSchools").parametrize()
def test_an_admin_gets_what_the_contract_says(case, tokens):
    case.call_and_validate(headers=bearer(tokens["admin"]))


def test_writes_that_follow_the_etag_links_keep_the_contract(tokens):
    """GET → PUT → PUT → submit along the links; each scenario starts from a complete draft of the team."""
    seen: set[tuple[str, int]] = set()

    linked = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)  # without the hooks above: versions come from links
    linked.app = FORWARD

    class Workflow(only("getAssessment", "putRatings", "submitAssessment", source=linked).as_state_machine()):
        def setup(self):
            _restore_complete_draft()

        def get_call_kwargs(self, case):
            return {"headers": bearer(tokens["team"])}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # Named as the request's headers, the token counts as given on purpose, not as generated.
            case.validate_response(response, headers=kwargs["headers"], transport_kwargs=kwargs, recorder=self.recorder)

        def after_call(self, response, case):
            super().after_call(response, case)
            seen.add((case.operation.label, response.status_code))

    Workflow.run(settings=hypothesis.settings(CONFIG.projects.get_default().get_hypothesis_settings(), max_examples=15))

    happy_paths = {
        ("GET /schools/{schulnummer}/assessments/{round}", 200),
        ("PUT /schools/{schulnummer}/assessments/{round}", 200),
        ("POST /schools/{schulnummer}/assessments/{round}/submit", 200),
    }
    assert happy_paths - seen == set()


def _own_draft() -> assessments.AssessmentState:
    with FORWARD.app.app_context():
        school = db.session.scalars(select(School).filter_by(schulnummer=OWN)).one()
        return assessments.load_state(school, db.session.scalars(select(Round).filter_by(slug=CURRENT)).one())


def _own_plan_version() -> int:
    with FORWARD.app.app_context():
        school = db.session.scalars(select(School).filter_by(schulnummer=OWN)).one()
        return load_plan(school, db.session.scalars(select(Round).filter_by(slug=CURRENT)).one()).version


def _restore_complete_draft() -> None:
    """The team's assessment as a draft with every indicator rated, whatever earlier scenarios left."""
    with FORWARD.app.app_context():
        school = db.session.scalars(select(School).filter_by(schulnummer=OWN)).one()
        round_ = db.session.scalars(select(Round).filter_by(slug=CURRENT)).one()
        if assessments.load_state(school, round_).status == "submitted":
            assessments.reopen(school, round_, leader(school))
            db.session.commit()
        if assessments.load_state(school, round_).missing:
            rate(school, round_, leader(school), all_scores(7))
