"""The offers of the Kreise (page /angebote): a Medienberatung maintains the offers of its own Kreise, through the
real app, form and database; audited, validated in German without losing input, with a conflict when two edit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from selfeval.extensions import db
from selfeval.models import AuditEvent, KreisOffer
from selfeval.services.accounts import find_user
from selfeval.services.offers import OfferValues, create_offer
from tests.support.factories import login, make_school, make_user
from tests.support.html import csrf, rows, soup_of, text

ADVISER = "medienberatung@mz-bochum.test"
FORM = {
    "kreis": "05911",
    "title": "Sprechstunde Medienkonzept",
    "provider": "Medienzentrum Bochum",
    "description": "Jeden ersten Mittwoch im Monat berät das Medienzentrum Schulen zum Medienkonzept.",
    "contact": "Medienberatung Bochum, Telefon 0234 000000",
    "url": "https://medienzentrum.bochum.test/sprechstunde",
    "schulformen": ["02"],
    "target_groups": "Schulleitungen\nMedienkoordinator:innen\n",
    "fits": ["k1b", "k6"],
    "version": "0",
}


@pytest.fixture
def adviser(app, client):
    with app.app_context():
        make_user(ADVISER, "adviser", kreise=["05911", "05913"])
    login(client, ADVISER)
    return client


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf(client, "/angebote/"), **data})


def stored(app) -> list[dict]:
    with app.app_context():
        return [
            {"kreis": o.kreis, "title": o.title, "provider": o.provider, "contact": o.contact, "url": o.url,
             "schulformen": o.schulformen, "schulstufen": o.schulstufen, "target_groups": o.target_groups,
             "fits": o.fits, "version": o.version}
            for o in db.session.scalars(select(KreisOffer).order_by(KreisOffer.id))
        ]  # fmt: skip


def audit(app) -> list[tuple[str, str, str, dict]]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action.startswith("offer.")).order_by(AuditEvent.id)
        return [(e.action, e.actor_name, e.subject, e.changes) for e in db.session.scalars(query)]


def add_offer(app, kreis: str = "05911", title: str = "Sprechstunde Medienkonzept") -> int:
    with app.app_context():
        values = OfferValues(kreis, title, "Medienzentrum", "Beratung.", fits=("k1b",))
        offer = create_offer(values, actor=None, catalog=app.extensions["selfeval.catalogs"], allowed_kreise=None)
        db.session.commit()
        return offer.id


def test_an_adviser_adds_an_offer_of_its_kreis_and_the_trail_records_it(app, adviser):
    response = post(adviser, "/angebote/neu", FORM)

    assert (response.status_code, response.headers["Location"]) == (302, "/angebote/")
    assert stored(app) == [
        {"kreis": "05911", "title": "Sprechstunde Medienkonzept", "provider": "Medienzentrum Bochum",
         "contact": "Medienberatung Bochum, Telefon 0234 000000", "url": "https://medienzentrum.bochum.test/sprechstunde",
         "schulformen": ["02"], "schulstufen": [], "target_groups": ["Schulleitungen", "Medienkoordinator:innen"],
         "fits": ["k1b", "k6"], "version": 1}
    ]  # fmt: skip
    with app.app_context():
        name = find_user(ADVISER).display_name
    assert [(action, actor, subject) for action, actor, subject, _ in audit(app)] == [
        ("offer.created", name, "Sprechstunde Medienkonzept (Bochum)")
    ]
    assert audit(app)[0][3]["fits"] == [None, "k1b, k6"]
    page = soup_of(adviser.get("/angebote/"))
    assert rows(page.find("table")) == [
        ["Sprechstunde Medienkonzept Medienzentrum Bochum", "Bochum", "Grundschule", "1b, Kriterium 6 als Ganzes",
         "Bearbeiten: Sprechstunde Medienkonzept · Löschen: Sprechstunde Medienkonzept"]
    ]  # fmt: skip


def test_wrong_input_is_explained_in_german_and_nothing_typed_is_lost(app, adviser):
    data = FORM | {"kreis": "05111", "title": "", "url": "medienzentrum.bochum.test", "fits": [], "description": "x" * 2001}
    page = soup_of(post(adviser, "/angebote/neu", data))

    errors = {item["href"]: text(item) for item in page.select("#fehler li a")}
    assert errors == {"#kreis": "Kreis oder kreisfreie Stadt: Bitte wählen Sie einen Kreis aus der Liste."} | {}
    # Düsseldorf is not among the adviser's Kreise, so the form refuses it before the service: fix it, see the rest.
    page = soup_of(post(adviser, "/angebote/neu", data | {"kreis": "05911"}))
    errors = {item["href"]: text(item) for item in page.select("#fehler li a")}
    assert errors == {
        "#title": "Titel: Bitte geben Sie den Titel an.",
        "#description": "Beschreibung: Hier sind höchstens 2000 Zeichen möglich (jetzt 2001).",
        "#url": "Webadresse: Bitte geben Sie eine vollständige Webadresse an, die mit https:// oder http:// beginnt.",
        "#fits": "Passt zu diesen Indikatoren und Kriterien: Bitte wählen Sie mindestens einen Indikator oder ein "
        "Kriterium, zu dem das Angebot passt.",
    }  # fmt: skip
    assert page.find("input", id="provider")["value"] == "Medienzentrum Bochum"
    assert page.find("input", id="url")["value"] == "medienzentrum.bochum.test"
    # A browser drops the line break right after <textarea>; the text is what was sent.
    assert page.find("textarea", id="description").get_text().removeprefix("\r\n") == "x" * 2001
    assert (
        page.find("textarea", id="target_groups").get_text().removeprefix("\r\n") == "Schulleitungen\nMedienkoordinator:innen\n"
    )
    assert [box["value"] for box in page.select("input[name=schulformen][checked]")] == ["02"]
    assert stored(app) == [] and audit(app) == []


def test_an_adviser_sees_and_edits_only_offers_of_its_kreise(app, adviser):
    own, other = add_offer(app, "05911"), add_offer(app, "05111", "Angebot in Düsseldorf")

    assert [row[0] for row in rows(soup_of(adviser.get("/angebote/")).find("table"))] == [
        "Sprechstunde Medienkonzept Medienzentrum"
    ]
    assert adviser.get(f"/angebote/{own}").status_code == 200
    for url in (f"/angebote/{other}", f"/angebote/{other}/loeschen"):
        response = adviser.get(url)
        assert (response.status_code, text(soup_of(response).h1)) == (403, "Kein Zugriff")
        response = post(adviser, url, FORM | {"kreis": "05111", "version": "1"})
        assert (response.status_code, text(soup_of(response).h1)) == (403, "Kein Zugriff")
    assert [offer["kreis"] for offer in stored(app)] == ["05911", "05111"]
    assert [offer["version"] for offer in stored(app)] == [1, 1]


@pytest.mark.parametrize("role", ["team", "supervisor"])
def test_teams_and_supervision_have_no_access(app, client, role):
    with app.app_context():
        scope = {"kreise": ["05911"]} if role == "supervisor" else {"school": make_school("100001", kreis="05911")}
        make_user("jemand@test.de", role, **scope)
    login(client, "jemand@test.de")
    for url in ("/angebote/", "/angebote/neu"):
        response = client.get(url)
        assert (response.status_code, text(soup_of(response).h1)) == (403, "Kein Zugriff")


def test_of_two_advisers_editing_one_offer_the_later_is_told_and_keeps_its_input(app, adviser):
    offer_id = add_offer(app)
    first = FORM | {"title": "Sprechstunde (erste Fassung)", "version": "1"}
    second = FORM | {"title": "Sprechstunde (zweite Fassung)", "version": "1"}

    assert post(adviser, f"/angebote/{offer_id}", first).status_code == 302
    response = post(adviser, f"/angebote/{offer_id}", second)

    page = soup_of(response)
    assert response.status_code == 409
    assert text(page.find(id="konflikt").h2) == "Jemand anderes hat dieses Angebot inzwischen geändert."
    assert "Sprechstunde (erste Fassung)" in text(page.find("dl", class_="stored-offer"))
    assert page.find("input", id="title")["value"] == "Sprechstunde (zweite Fassung)"
    assert page.find("input", id="version")["value"] == "2"
    assert [o["title"] for o in stored(app)] == ["Sprechstunde (erste Fassung)"]
    # Saving again, having seen the stored version, replaces it.
    assert post(adviser, f"/angebote/{offer_id}", second | {"version": "2"}).status_code == 302
    assert [(o["title"], o["version"]) for o in stored(app)] == [("Sprechstunde (zweite Fassung)", 3)]
    assert [action for action, *_ in audit(app)] == ["offer.created", "offer.updated", "offer.updated"]


def test_an_offer_deleted_while_edited_keeps_the_input_and_can_be_made_anew(app, adviser):
    offer_id = add_offer(app)
    assert post(adviser, f"/angebote/{offer_id}/loeschen", {"version": "1"}).status_code == 302
    assert stored(app) == []

    response = post(adviser, f"/angebote/{offer_id}", FORM | {"version": "1"})
    page = soup_of(response)
    assert response.status_code == 409
    assert text(page.find(id="konflikt")).startswith("Dieses Angebot wurde inzwischen gelöscht.")
    assert page.find("input", id="title")["value"] == "Sprechstunde Medienkonzept"
    assert page.find("form", class_="narrow-form")["action"] == "/angebote/neu"
    assert page.find("input", id="version")["value"] == "0"
    assert [action for action, *_ in audit(app)] == ["offer.created", "offer.deleted"]


def test_deleting_an_offer_changed_meanwhile_asks_again(app, adviser):
    offer_id = add_offer(app)
    assert post(adviser, f"/angebote/{offer_id}", FORM | {"version": "1"}).status_code == 302

    page = soup_of(post(adviser, f"/angebote/{offer_id}/loeschen", {"version": "1"}))
    assert text(page.find(id="konflikt")).startswith("Das Angebot wurde inzwischen geändert.")
    assert page.find("input", attrs={"name": "version"})["value"] == "2"
    assert len(stored(app)) == 1
    assert post(adviser, f"/angebote/{offer_id}/loeschen", {"version": "2"}).status_code == 302
    assert stored(app) == []
