"""Which offers a report names, exactly: schools in different Kreise and Schulformen, the PDF downloaded through the
app (service, cache and view) and read with pypdf; the offers a Medienberatung keeps in the database for its Kreis
join those of the catalogue and the offer files, in its own Kreis only (issue 18)."""

from __future__ import annotations

import re

import pytest

from selfeval.extensions import db
from selfeval.models import Round, School, User
from selfeval.reports.cache import report_key
from selfeval.services.offers import OfferValues, create_offer, get_offer, update_offer
from selfeval.services.reports import report_for
from tests.support.factories import all_scores, leader, login, make_round, make_school, make_user, submitted
from tests.support.reports import pdf_text

#: Six indicators tied at 1, all of them Entwicklungsfelder; their offers include limited ones.
WEAK = ("k1b", "k1d", "k3b", "k4c", "k6a", "k6b")
#: The unrestricted offers (catalogue, state-wide) that fit one of the six: every school gets them.
EVERYWHERE = {
    "Beratung durch die Medienberater:innen vor Ort",
    "Beratung zu Förderkonzepten und Fördermöglichkeiten",
    "Beratung zu Medienkonzept und Medienentwicklungsplan",
    "Beratung zu Urheberrecht und Datenschutz",
    "Coding, Robotik und MINT",
    "Filmbildung",
    "Geschäftsstelle Gigabit.NRW",
    "MediaLabs, Digitale Klassenzimmer und Makerspaces",
    "Medienberatung NRW und Medienkompetenzrahmen NRW",
    "Onlineangebotsverzeichnis des Landes",
    "Podcast, Sound und kreative Audioarbeit",
    "Pädagogische und technische Beratung zu Lern-IT und Ausstattung",
    "Qualifizierung der Medienkoordinator:innen",
    "Schulträger und technischer Support",
    "Verleih von Medientechnik und technischer Support",
    "Zertifikatskurse, Medientage und Qualifizierungen",
}
#: Dortmund's own: the Masterplan's Anhang 2 modules in the catalogue, and criteria/offers/05913-dortmund.yaml.
DORTMUND = {
    "Arbeit mit digitalen Medien in spezifischen Projektzusammenhängen",
    "Beratung, Unterstützung und Qualifizierung der Schulleitungen",
    "Digital Coaching aus Sicht der Schulpsychologie",
    "Dortmunder Systemhaus",
    "Entwicklung und Fortschreibung von Medienkonzepten",
    "Fachunterricht mit digitalen Medien",
    "Fortbildungen des Kompetenzteams Dortmund",
    "KITZ.do – Kinder- und Jugendtechnologiezentrum Dortmund",
    "Mehrstufiges Beratungsmodul (Medienzentrum-Schule)",
    "Schulung der Kollegien zu den technischen Grundlagen",
}
#: Limited to Schulstufen: Medienscouts to Sekundarstufe I and Förderschulen, Internet-ABC to Primarstufe and Förderschulen.
MEDIENSCOUTS, INTERNET_ABC = "Medienscouts NRW", "Internet-ABC"
#: Kept by the Medienberatung Bochum in the database: one for every school of Bochum, one for its Grundschulen.
BOCHUM_ALL, BOCHUM_PRIMARY = "Sprechstunde Medienkonzept Bochum", "Grundschulnetzwerk Medienbildung Bochum"

#: (Schulnummer, Kreis, Schulform, name) -> exactly the offers its report names.
MATRIX = {
    ("100001", "05913", "15", "Gesamtschule Dortmund"): EVERYWHERE | DORTMUND | {MEDIENSCOUTS},
    ("100002", "05911", "02", "Grundschule Bochum"): EVERYWHERE | {INTERNET_ABC, BOCHUM_ALL, BOCHUM_PRIMARY},
    ("100003", "05978", "04", "Hauptschule Kreis Unna"): EVERYWHERE | {MEDIENSCOUTS},
    ("100004", "05911", "30", "Berufskolleg Bochum"): EVERYWHERE | {BOCHUM_ALL},
    ("100005", "05766", "08", "Förderschule Kreis Lippe"): EVERYWHERE | {MEDIENSCOUTS, INTERNET_ABC},
}


def bochum_offers(app) -> list[int]:
    catalog = app.extensions["selfeval.catalogs"]
    offers = [
        OfferValues("05911", BOCHUM_ALL, "Medienzentrum Bochum", "Monatliche Sprechstunde.", contact="Telefon 0234 000000",
                    fits=("k1b",)),
        OfferValues("05911", BOCHUM_PRIMARY, "Medienzentrum Bochum", "Treffen der Grundschulen.",
                    schulstufen=("primarstufe",), fits=("k6",)),
        OfferValues("05911", "Netzwerk Schulbibliotheken Bochum", "Stadtbücherei Bochum", "Passt zu keinem der sechs.",
                    fits=("k2a",)),
    ]  # fmt: skip
    return [create_offer(values, actor=None, catalog=catalog, allowed_kreise=None).id for values in offers]


def known_offers(app) -> list[tuple[str, str]]:
    """(title, provider) of every offer there is: the catalogue's, the offer files', the database's."""
    catalog = app.extensions["selfeval.catalogs"]
    lists = app.extensions["selfeval.offer_lists"]
    assert [offer_list.id for offer_list in lists] == ["dortmund"]
    found = [(offer.title, offer.provider) for offer in catalog.offers]
    found += [(regional.offer.title, regional.offer.provider) for offer_list in lists for regional in offer_list.offers]
    return (
        found
        + [(title, "Medienzentrum Bochum") for title in (BOCHUM_ALL, BOCHUM_PRIMARY)]
        + [("Netzwerk Schulbibliotheken Bochum", "Stadtbücherei Bochum")]
    )


def named_offers(content: str, known: list[tuple[str, str]]) -> set[str]:
    """The offers a report names: "• title – provider" for the most fitting, the others by title after
    "Weitere Angebote:" (separated by "; ")."""
    more = {title for line in re.findall(r"Weitere Angebote: (.*?) – Auskunft gibt", content) for title in line.split("; ")}
    return {title for title, provider in known if f"• {title} – {provider}" in content or title in more}


def test_each_school_s_report_names_exactly_the_offers_that_fit_it(app, client):
    with app.app_context():
        round_ = make_round("2025/26")
        bochum_offers(app)
        for number, kreis, schulform, name in MATRIX:
            submitted(
                make_school(number, kreis=kreis, schulform=schulform, name=name), round_, all_scores(8) | dict.fromkeys(WEAK, 1)
            )
        make_user("admin@land.test", "admin")
        db.session.commit()
        known = known_offers(app)
    login(client, "admin@land.test")

    found = {}
    for number, kreis, schulform, name in MATRIX:
        response = client.get(f"/schulen/{number}/2025-26/bericht.pdf")
        assert response.mimetype == "application/pdf"
        found[(number, kreis, schulform, name)] = named_offers(pdf_text(response.data), known)

    assert {school: sorted(titles) for school, titles in found.items()} == {
        school: sorted(titles) for school, titles in MATRIX.items()
    }


@pytest.fixture
def two_schools(app):
    with app.app_context():
        round_ = make_round("2025/26")
        dortmund = make_school("100001", kreis="05913", schulform="02", name="Grundschule Dortmund")
        bochum = make_school("100002", kreis="05911", schulform="02", name="Grundschule Bochum")
        for school in (dortmund, bochum):
            submitted(school, round_, all_scores(8) | dict.fromkeys(WEAK, 1))
        ids = bochum_offers(app)
        db.session.commit()
        return ids


def test_a_bochum_offer_kept_in_the_database_is_in_bochum_s_report_and_not_in_dortmund_s(app, client, two_schools):
    for number, expected in (("100002", True), ("100001", False)):
        with app.app_context():
            email = leader(db.session.query(School).filter_by(schulnummer=number).one()).email
            db.session.commit()
        client = app.test_client()
        login(client, email)
        content = pdf_text(client.get(f"/schulen/{number}/2025-26/bericht.pdf").data)
        assert (f"• {BOCHUM_ALL} – Medienzentrum Bochum" in content, "Kontakt: Telefon 0234 000000" in content) == (
            expected,
            expected,
        )


def test_the_report_and_its_cache_key_change_when_a_database_offer_changes(app, two_schools):
    with app.app_context():
        school = db.session.query(School).filter_by(schulnummer="100002").one()
        round_ = db.session.query(Round).one()
        before = report_for(school, round_)
        offer = get_offer(two_schools[0])
        changed = OfferValues("05911", BOCHUM_ALL, "Medienzentrum Bochum", "Jetzt wöchentlich.", fits=("k1b",))
        update_offer(offer, changed, expected_version=1, actor=db.session.query(User).first(),
                     catalog=app.extensions["selfeval.catalogs"], allowed_kreise=None)  # fmt: skip
        after = report_for(school, round_)
        dortmund = db.session.query(School).filter_by(schulnummer="100001").one()
        untouched = report_for(dortmund, round_)
        update_offer(get_offer(two_schools[0]), changed, expected_version=2, actor=None,
                     catalog=app.extensions["selfeval.catalogs"], allowed_kreise=None)  # fmt: skip

    descriptions = [[offer.description for offer in step.offers if offer.title == BOCHUM_ALL] for step in after.next_steps]
    assert descriptions[0] == ["Jetzt wöchentlich."]
    assert report_key(before) != report_key(after)
    # Dortmund's report does not show the Bochum offer: its key depends only on what it shows.
    with app.app_context():
        assert report_key(untouched) == report_key(report_for(dortmund, round_))
