"""The development plan (issue 18) in the DSGVO export (Art. 15) and erasure (Art. 17), on the real database: the
adviser's export lists the agreements it recorded, a team member's the plans it changed last and the agreements it
confirmed (the changes themselves are in its audit trail); erasure keeps plan and agreements (school data) and
replaces the adviser's name beside an agreement by the neutral marker."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import MetaData, select

from selfeval.extensions import db
from selfeval.models import Plan, PlanAgreement
from selfeval.services.accounts import create_user, privacy
from selfeval.services.audit import ERASED_ACCOUNT
from selfeval.services.plan_agreements import confirm_agreement, record_agreement
from selfeval.services.plans import load_plan, replace_goals
from selfeval.views.admin.users import erased_message
from tests.support.factories import PASSWORD, make_round, make_school, make_user, rated

TEXT = "Zwei Lehrkräfte zur Fortbildung anmelden."


@pytest.fixture
def plan(app_context):
    """Berta (Medienberatung) recorded two agreements with school 100001, Zeynep (team) wrote the plan and confirmed
    the first. Returns (berta, zeynep, admin, school, round)."""
    school = make_school("100001", name="Gesamtschule am Hafen")
    round_ = make_round("2025/26")
    admin = make_user("admin@land.de", "admin")
    rated(school, round_, {"k1a": 3})
    berta = create_user("bertrude.quaschning@mz.de", "Bertrude Quaschning", "adviser", PASSWORD, actor=admin, kreise=["05913"])
    zeynep = create_user("zeynep.oezdemir@schule.de", "Zeynep Özdemir", "team", PASSWORD, actor=admin, school=school)
    db.session.commit()
    first = record_agreement(school, round_, berta, {"date": "2025-12-01", "participants": "Schulleitung", "text": TEXT,
                                                     "next_contact": "2026-02-01"})  # fmt: skip
    record_agreement(school, round_, berta, {"date": "2026-02-01", "participants": "Medienkoordination", "text": "Sprechstunde."})
    db.session.commit()
    replace_goals(school, round_, zeynep, 0, [{"indicators": ["k1a"], "target": 4}])
    confirm_agreement(school, round_, zeynep, first.id)
    db.session.commit()
    return berta, zeynep, admin, school, round_


def rows() -> list[tuple]:
    db.session.expire_all()
    query = select(PlanAgreement).order_by(PlanAgreement.id)
    return [(r.held_on.isoformat(), r.recorded_by_id, r.recorded_by_name, r.confirmed_by_id, r.confirmed_at is not None)
            for r in db.session.scalars(query)]  # fmt: skip


def database_text() -> str:
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    values = [
        json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
        for table in metadata.sorted_tables
        for row in db.session.execute(select(table))
        for value in row
    ]
    return "\n".join(values).lower()


def test_the_advisers_export_lists_the_agreements_it_recorded(plan):
    berta, _, admin, *_ = plan
    recorded = db.session.scalars(select(PlanAgreement).order_by(PlanAgreement.id)).all()

    document = privacy.export_user(berta, actor=admin)

    assert document["plan_agreements_recorded"] == [
        {"schulnummer": "100001", "school": "Gesamtschule am Hafen", "round": "2025/26", "held_on": "2025-12-01",
         "participants": "Schulleitung", "text": TEXT, "next_contact": "2026-02-01",
         "recorded_at": recorded[0].recorded_at.isoformat(), "confirmed_at": recorded[0].confirmed_at.isoformat()},
        {"schulnummer": "100001", "school": "Gesamtschule am Hafen", "round": "2025/26", "held_on": "2026-02-01",
         "participants": "Medienkoordination", "text": "Sprechstunde.", "next_contact": None,
         "recorded_at": recorded[1].recorded_at.isoformat(), "confirmed_at": None},
    ]  # fmt: skip
    assert ("plans_last_changed" in document, "plan_agreements_confirmed" in document) == (False, False)
    assert [(e["action"], e["subject"], e["changes"]) for e in document["audit_trail"] if e["action"].startswith("plan.")] == [
        ("plan.agreement_recorded", "2025-12-01", {"vereinbarung": [None, TEXT]}),
        ("plan.agreement_recorded", "2026-02-01", {"vereinbarung": [None, "Sprechstunde."]}),
    ]
    json.dumps(document)


def test_a_team_members_export_lists_the_plan_it_changed_and_the_agreement_it_confirmed(plan):
    _, zeynep, admin, *_ = plan
    stored = db.session.scalars(select(Plan)).one()
    confirmed = db.session.scalars(select(PlanAgreement).order_by(PlanAgreement.id)).first()

    document = privacy.export_user(zeynep, actor=admin)

    assert document["plans_last_changed"] == [
        {"schulnummer": "100001", "round": "2025/26", "version": 1, "updated_at": stored.updated_at.isoformat()}
    ]
    assert document["plan_agreements_confirmed"] == [
        {"schulnummer": "100001", "round": "2025/26", "held_on": "2025-12-01", "confirmed_at": confirmed.confirmed_at.isoformat()}
    ]
    assert "plan_agreements_recorded" not in document
    assert [(e["action"], e["actor"], e["subject"]) for e in document["audit_trail"] if e["action"].startswith("plan.")] == [
        ("plan.changed", "Zeynep Özdemir", ""),
        ("plan.agreement_confirmed", "Zeynep Özdemir", "2025-12-01"),
    ]


def test_erasing_the_adviser_keeps_the_agreements_with_the_marker_instead_of_the_name(plan):
    berta, zeynep, admin, school, round_ = plan
    assert "quaschning" in database_text()

    counts = privacy.erase_user(berta, actor=admin)
    db.session.commit()

    assert counts == {"ratings": 0, "submissions": 0, "audit_entries": 3, "agreements": 2}
    assert rows() == [("2025-12-01", None, ERASED_ACCOUNT, zeynep.id, True), ("2026-02-01", None, ERASED_ACCOUNT, None, False)]
    assert [(a.recorded_by, a.text, a.confirmed) for a in load_plan(school, round_).agreements] == [
        (ERASED_ACCOUNT, TEXT, True),
        (ERASED_ACCOUNT, "Sprechstunde.", False),
    ]
    assert [name for name in ("bertrude", "quaschning") if name in database_text()] == []
    assert erased_message("Bertrude Quaschning", counts) == (
        "Das Konto von Bertrude Quaschning ist gelöscht. 0 Bewertungen, 0 Abgaben, 2 Vereinbarungen und 3 Protokolleinträge "
        "tragen jetzt den Vermerk „Gelöschtes Konto“."
    )


def test_erasing_the_team_member_keeps_plan_and_confirmation_without_a_link_to_the_account(plan):
    berta, zeynep, admin, school, round_ = plan

    counts = privacy.erase_user(zeynep, actor=admin)
    db.session.commit()

    assert counts == {"ratings": 0, "submissions": 0, "audit_entries": 3, "agreements": 0}
    assert rows() == [
        ("2025-12-01", berta.id, "Bertrude Quaschning", None, True),
        ("2026-02-01", berta.id, "Bertrude Quaschning", None, False),
    ]
    assert db.session.scalars(select(Plan.updated_by_id)).all() == [None]
    state = load_plan(school, round_)
    assert (state.version, state.updated_by, [g.indicators for g in state.goals]) == (1, ERASED_ACCOUNT, [("k1a",)])
    assert [name for name in ("zeynep", "özdemir", "oezdemir") if name in database_text()] == []
