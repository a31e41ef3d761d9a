"""A school with last school year's plan and this year's draft, for the plan's API and downloads (issue 18)."""

from __future__ import annotations

from dataclasses import dataclass

from selfeval.extensions import db
from selfeval.services.accounts import find_user
from selfeval.services.plan_agreements import record_agreement
from selfeval.services.plans import load_plan, replace_goals
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.factories import leader, make_round, make_school, make_token, make_user, rate, submitted

SCHULNUMMER = "100001"
CURRENT, LAST = "2025-26", "2024-25"
URL = f"/api/v1/schools/{SCHULNUMMER}/plans/{CURRENT}"
#: Last school year: k1a at 3 (every indicator at 3), a goal for k1a aiming at 6 with one measure still open.
LAST_GOAL = {"indicators": ["k1a"], "target": 6, "success": "Konzept beschlossen", "measures": [
    {"what": "Konzept entwerfen", "who": "Steuergruppe", "status": "begonnen"},
]}  # fmt: skip
AGREEMENT = {"date": "2025-11-20", "participants": "Schulleitung, Medienberatung", "text": "Fortbildung planen."}


@dataclass(frozen=True)
class PlanWorld:
    team: str  # tokens
    adviser: str
    adviser_elsewhere: str
    supervisor: str
    other_team: str
    offer_id: str  # an offer that fits the school
    offer_title: str
    offer_provider: str


def build_plan_world() -> PlanWorld:
    """School 100001 (Dortmund): last year submitted at 3 with a plan; this year a draft, k1a at 7 and k1b at 5."""
    school = make_school(SCHULNUMMER, name="Adler-Gesamtschule")
    other = make_school("100002")
    last, current = make_round("2024/25", is_open=False), make_round("2025/26")
    submitted(school, last, 3)
    replace_goals(school, last, leader(school), 0, [LAST_GOAL])
    db.session.commit()
    rate(school, current, leader(school), {"k1a": 7, "k1b": 5}, {"k1a": "=Steuergruppe tagt monatlich"})
    offer = next(iter(load_plan(school, current).offers.values()))
    return PlanWorld(
        team=make_token(leader(school)),
        adviser=make_token(make_user("berater@mz.test", "adviser", kreise=["05913"])),
        adviser_elsewhere=make_token(make_user("berater@mz-duesseldorf.test", "adviser", kreise=["05111"])),
        supervisor=make_token(make_user("aufsicht@bezreg.test", "supervisor", kreise=["05913"])),
        other_team=make_token(leader(other)),
        offer_id=offer.id,
        offer_title=offer.title,
        offer_provider=offer.provider,
    )


def add_agreement(schulnummer: str = SCHULNUMMER) -> int:
    """The adviser's agreement on this year's plan (through the service, not the API under test)."""
    row = record_agreement(get_school(schulnummer), get_round(CURRENT), find_user("berater@mz.test"), AGREEMENT)
    db.session.commit()
    return row.id
