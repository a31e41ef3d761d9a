"""Two advisers save the same offer at the same moment, both having seen version 1: exactly one change is stored
and audited, the other is told of the conflict (the ORM updates only the row version it read)."""

from __future__ import annotations

from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent, KreisOffer
from selfeval.services.offers import OfferConflict, OfferValues, create_offer, get_offer, update_offer
from tests.support.rendezvous import meet_after, run_together


def save(app, offer_id: int, title: str):
    with app.app_context():
        catalog = app.extensions["selfeval.catalogs"]
        offer = get_offer(offer_id)
        values = OfferValues("05911", title, "Medienzentrum Bochum", "Beratung.", fits=("k1b",))
        try:
            update_offer(offer, values, expected_version=1, actor=None, catalog=catalog, allowed_kreise=None)
            db.session.commit()
        except OfferConflict as conflict:
            db.session.rollback()
            return "conflict", conflict.current is not None
        return "saved", title


def test_two_parallel_saves_of_one_version_store_one_and_tell_the_other(app):
    with app.app_context():
        catalog = app.extensions["selfeval.catalogs"]
        offer_id = create_offer(
            OfferValues("05911", "Sprechstunde", "Medienzentrum Bochum", "Beratung.", fits=("k1b",)),
            actor=None, catalog=catalog, allowed_kreise=None,
        ).id  # fmt: skip
        db.session.commit()
        engine = db.engine

    # Both read the offer (version 1) before either writes.
    with meet_after(engine, r"^SELECT .*\bkreis_offers\b"):
        results = run_together(lambda: save(app, offer_id, "Fassung A"), lambda: save(app, offer_id, "Fassung B"))

    assert sorted(outcome for outcome, _ in results) == ["conflict", "saved"], results
    winner = next(detail for outcome, detail in results if outcome == "saved")
    assert winner in ("Fassung A", "Fassung B")
    # The one told of the conflict is shown what is stored now.
    assert next(detail for outcome, detail in results if outcome == "conflict") is True
    with app.app_context():
        stored = db.session.scalars(select(KreisOffer)).one()
        assert (stored.title, stored.version) == (winner, 2)
        trail = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "offer.updated")).all()
        assert [event.changes["title"] for event in trail] == [["Sprechstunde", winner]]
