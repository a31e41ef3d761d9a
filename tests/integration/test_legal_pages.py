"""Impressum, Datenschutz and Erklärung zur Barrierefreiheit: footer links on every page, built-in pages
filled from the operator's settings, or the operator's own pages (issue 16)."""

from __future__ import annotations

import pytest

from selfeval.app import create_app
from selfeval.config import ConfigurationError
from tests.conftest import empty_tables, make_test_app
from tests.support.factories import login, make_school, make_user
from tests.support.html import soup_of, text

BUILT_IN = [("Impressum", "/impressum"), ("Datenschutz", "/datenschutz"), ("Barrierefreiheit", "/barrierefreiheit")]
OPERATOR = {
    "SELFEVAL_OPERATOR_NAME": "Kreis Unna – Medienzentrum",
    "SELFEVAL_OPERATOR_ADDRESS": "Friedrich-Ebert-Straße 17, 59425 Unna",
    "SELFEVAL_OPERATOR_EMAIL": "medienzentrum@kreis-unna.de",
    "SELFEVAL_OPERATOR_PHONE": "02303 27-0",
    "SELFEVAL_OPERATOR_REPRESENTATIVE": "Landrat Max Muster",
    "SELFEVAL_OPERATOR_CONTENT_RESPONSIBLE": "Erika Beispiel, Leitung Medienzentrum",
    "SELFEVAL_DATA_PROTECTION_OFFICER": "Datenschutzbeauftragte des Kreises Unna, datenschutz@kreis-unna.de",
    "SELFEVAL_ACCESSIBILITY_CONTACT": "barrierefreiheit@kreis-unna.de",
}


def footer_links(response) -> list[tuple[str, str]]:
    nav = soup_of(response).select_one("footer nav")
    assert nav["aria-label"] == "Rechtliche Hinweise"
    return [(text(link), link["href"]) for link in nav.find_all("a")]


def facts(page) -> dict[str, str]:
    listing = page.select_one("dl.legal-facts")
    return dict(zip([text(dt) for dt in listing.find_all("dt")], [text(dd) for dd in listing.find_all("dd")], strict=True))


def headings(page) -> list[str]:
    return [text(heading) for heading in page.find_all(["h1", "h2"])]


@pytest.fixture
def configured_app(migrated_database, tmp_path):
    app = make_test_app(migrated_database, tmp_path / "instance", **OPERATOR)
    yield app
    empty_tables(app)


def test_every_page_has_the_three_links_in_a_labelled_footer_navigation(app, client):
    with app.app_context():
        make_user("lehrer@schule.de", school=make_school("100001"))
    for path in ("/", "/leitfaden", "/anmelden", "/gibt-es-nicht", "/impressum"):
        assert footer_links(client.get(path)) == BUILT_IN, path
    login(client, "lehrer@schule.de")
    assert footer_links(client.get("/schulen/100001/2025-26/", follow_redirects=True)) == BUILT_IN
    current = soup_of(client.get("/barrierefreiheit")).select_one('footer nav a[aria-current="page"]')
    assert text(current) == "Barrierefreiheit"


def test_unconfigured_the_imprint_says_that_the_operator_must_fill_it_in(client):
    page = soup_of(client.get("/impressum"))
    assert text(page.select_one("p.lead")) == "Für diese Installation hat die betreibende Stelle noch kein Impressum eingetragen."
    assert "SELFEVAL_OPERATOR_NAME" in text(page.find("main"))
    assert page.select_one("dl.legal-facts") is None


def test_the_imprint_shows_the_operators_details(configured_app):
    response = configured_app.test_client().get("/impressum")
    assert response.status_code == 200
    assert facts(soup_of(response)) == {
        "Betreibende Stelle": "Kreis Unna – Medienzentrum",
        "Anschrift": "Friedrich-Ebert-Straße 17, 59425 Unna",
        "Vertreten durch": "Landrat Max Muster",
        "E-Mail": "medienzentrum@kreis-unna.de",
        "Telefon": "02303 27-0",
        "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV": "Erika Beispiel, Leitung Medienzentrum",
    }


def test_the_demo_explains_its_imprint(migrated_database, tmp_path):
    app = make_test_app(migrated_database, tmp_path / "instance", SELFEVAL_DEMO=True)
    page = soup_of(app.test_client().get("/impressum"))
    assert text(page.select_one("p.lead")) == (
        "Dies ist eine Demo-Installation von selfeval. Alle Schulen, Personen und Bewertungen darin sind erfunden."
    )


def test_the_privacy_page_names_the_controller_what_is_stored_who_sees_it_and_the_rights(configured_app):
    page = soup_of(configured_app.test_client().get("/datenschutz"))
    assert headings(page) == [
        "Datenschutz", "Verantwortlich", "Was gespeichert wird", "Wer was sieht", "Wie lange", "Ihre Rechte",
    ]  # fmt: skip
    assert facts(page) == {
        "Betreibende Stelle": "Kreis Unna – Medienzentrum",
        "Anschrift": "Friedrich-Ebert-Straße 17, 59425 Unna",
        "E-Mail": "medienzentrum@kreis-unna.de",
        "Datenschutzbeauftragte Person": "Datenschutzbeauftragte des Kreises Unna, datenschutz@kreis-unna.de",
    }
    rights = text(page.find(id="rechte-heading").parent)
    assert "(Art. 15 DSGVO)" in rights and "medienzentrum@kreis-unna.de" in rights
    assert "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen" in rights


def test_the_accessibility_statement_names_the_pdf_limitation_the_alternative_the_contact_and_the_ombudsstelle(configured_app):
    page = soup_of(configured_app.test_client().get("/barrierefreiheit"))
    assert headings(page) == [
        "Erklärung zur Barrierefreiheit", "Stand der Vereinbarkeit mit den Anforderungen", "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung", "Barrieren melden: Kontakt", "Durchsetzungsverfahren",
    ]  # fmt: skip
    assert "teilweise vereinbar" in text(page.find(id="stand-heading").parent)
    limits = text(page.find(id="nicht-heading").parent)
    assert "Die PDF-Berichte sind nicht getaggt." in limits and "„Bericht als barrierefreie Webseite“" in limits
    assert "axe-core" in text(page.find(id="erstellung-heading").parent)
    contact = page.find(id="kontakt-heading").parent
    assert [link["href"] for link in contact.find_all("a")] == ["mailto:barrierefreiheit@kreis-unna.de"]
    enforcement = page.find(id="ombud-heading").parent
    assert "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen" in text(enforcement)
    assert [link["href"] for link in enforcement.find_all("a")] == [
        "https://www.lbbp.nrw.de/ombudsstelle", "mailto:ombudsstelle-barrierefreie-it@mags.nrw.de",
    ]  # fmt: skip


def test_without_a_feedback_contact_the_operators_address_is_used(migrated_database, tmp_path):
    app = make_test_app(migrated_database, tmp_path / "instance", SELFEVAL_OPERATOR_NAME="Stadt Bochum",
                        SELFEVAL_OPERATOR_EMAIL="schulen@bochum.de")  # fmt: skip
    contact = soup_of(app.test_client().get("/barrierefreiheit")).find(id="kontakt-heading").parent
    assert [link["href"] for link in contact.find_all("a")] == ["mailto:schulen@bochum.de"]


def test_the_operators_own_pages_replace_the_built_in_ones(migrated_database, tmp_path):
    own = {
        "SELFEVAL_IMPRINT_URL": "https://www.kreis-unna.de/impressum",
        "SELFEVAL_PRIVACY_URL": "https://www.kreis-unna.de/datenschutz",
        "SELFEVAL_ACCESSIBILITY_URL": "https://www.kreis-unna.de/barrierefreiheit",
    }
    client = make_test_app(migrated_database, tmp_path / "instance", **own).test_client()
    assert footer_links(client.get("/")) == [
        ("Impressum", own["SELFEVAL_IMPRINT_URL"]), ("Datenschutz", own["SELFEVAL_PRIVACY_URL"]),
        ("Barrierefreiheit", own["SELFEVAL_ACCESSIBILITY_URL"]),
    ]  # fmt: skip
    for path, setting in (("/impressum", "SELFEVAL_IMPRINT_URL"), ("/datenschutz", "SELFEVAL_PRIVACY_URL"),
                          ("/barrierefreiheit", "SELFEVAL_ACCESSIBILITY_URL")):  # fmt: skip
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (302, own[setting])


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SELFEVAL_IMPRINT_URL", "javascript:alert(1)",
         "SELFEVAL_IMPRINT_URL must be an address starting with https://, not 'javascript:alert(1)'"),
        ("SELFEVAL_ACCESSIBILITY_URL", "www.kreis-unna.de",
         "SELFEVAL_ACCESSIBILITY_URL must be an address starting with https://, not 'www.kreis-unna.de'"),
        ("SELFEVAL_OPERATOR_EMAIL", "kreis unna",
         "SELFEVAL_OPERATOR_EMAIL must be an e-mail address such as barrierefreiheit@kreis-unna.de, not 'kreis unna'"),
        ("SELFEVAL_ACCESSIBILITY_CONTACT", "a@b@c",
         "SELFEVAL_ACCESSIBILITY_CONTACT must be an e-mail address such as barrierefreiheit@kreis-unna.de, not 'a@b@c'"),
    ],
)  # fmt: skip
def test_a_setting_that_cannot_work_is_refused_plainly(tmp_path, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as refused:
        create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert str(refused.value) == message


def test_the_settings_come_from_the_environment(tmp_path, monkeypatch):
    for name, value in OPERATOR.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SELFEVAL_PRIVACY_URL", "https://www.kreis-unna.de/datenschutz")
    config = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config
    assert {name: config[name] for name in OPERATOR} == OPERATOR
    assert (config["SELFEVAL_PRIVACY_URL"], config["SELFEVAL_IMPRINT_URL"]) == ("https://www.kreis-unna.de/datenschutz", "")
