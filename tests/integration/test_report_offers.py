"""Reports list only the offers that fit the school (issue 18): a matrix of Kreis × Schulform, read from the PDF
text and from the HTML twin; every indicator tied at the cut-off is an Entwicklungsfeld."""

from __future__ import annotations

import pytest

from selfeval.reference import schulstufen_of
from selfeval.reports.pdf import render_pdf
from selfeval.services.reports import report_for
from tests.support.factories import all_scores, leader, login, make_round, make_school, submitted
from tests.support.html import soup_of, text
from tests.support.reports import pdf_text

#: Six indicators tied at 1 – all six are Entwicklungsfelder – whose offers include limited ones.
WEAK = ("k1b", "k1d", "k3b", "k4c", "k6a", "k6b")


def weak_scores() -> dict[str, int]:
    return all_scores(8) | dict.fromkeys(WEAK, 1)

#: Offers only Dortmund's schools get: from the catalogue (Masterplan, Anhang 2) and from criteria/offers/.
DORTMUND_ONLY = (
    "Entwicklung und Fortschreibung von Medienkonzepten",
    "Fortbildungen des Kompetenzteams Dortmund",
    "Arbeit mit digitalen Medien in spezifischen Projektzusammenhängen",
    "Mehrstufiges Beratungsmodul (Medienzentrum-Schule)",
    "KITZ.do – Kinder- und Jugendtechnologiezentrum Dortmund",
    "Dortmunder Systemhaus",
)
EVERYWHERE = (
    "Beratung durch die Medienberater:innen vor Ort",
    "Onlineangebotsverzeichnis des Landes",
    "Geschäftsstelle Gigabit.NRW",
    "Coding, Robotik und MINT",
)
KREISE = {"05913": "Dortmund", "05911": "Bochum", "05766": "Lippe"}
SCHULFORMEN = {"02": "Grundschule", "04": "Hauptschule", "20": "Gymnasium", "08": "Förderschule", "30": "Berufskolleg"}


def report_text(app, kreis: str, schulform: str) -> tuple[str, object]:
    with app.app_context():
        school = make_school("100001", schulform=schulform, kreis=kreis, name=f"Testschule {KREISE[kreis]}")
        round_ = make_round("2025/26")
        submitted(school, round_, weak_scores())
        data = report_for(school, round_)
        return pdf_text(render_pdf(data)), data


@pytest.mark.parametrize("schulform", sorted(SCHULFORMEN))
@pytest.mark.parametrize("kreis", sorted(KREISE))
def test_the_pdf_lists_only_the_offers_that_fit_the_kreis_and_schulform(app, kreis, schulform):
    content, data = report_text(app, kreis, schulform)
    in_dortmund = kreis == "05913"
    assert {title: title in content for title in DORTMUND_ONLY} == dict.fromkeys(DORTMUND_ONLY, in_dortmund)
    assert {title: title in content for title in EVERYWHERE} == dict.fromkeys(EVERYWHERE, True)
    # Medienscouts: Jahrgangsstufen 7 bis 9 (Sekundarstufe I, Förderschule); Internet-ABC: Primarstufe, Förderschule.
    expected = (schulform in ("04", "20", "08"), schulform in ("02", "08"))
    assert ("Medienscouts NRW" in content, "Internet-ABC" in content) == expected
    # The Leitfaden's closing note names the Dortmunder Systemhaus: Dortmund's schools only.
    assert ("Schulträger/Medienzentrum/Dortmunder Systemhaus" in content) is in_dortmund
    if not in_dortmund:
        assert ("Dortmunder" in content, "Kompetenzteam Dortmund" in content) == (False, False)
    intro = (
        "landesweite und solche für den Kreis bzw. die kreisfreie Stadt "
        f"({KREISE[kreis]}) und die Schulform ({SCHULFORMEN[schulform]})."
    )
    assert intro in content
    every_offer = {offer.id for step in data.next_steps for offer in step.offers}
    assert all(offer_fits(offer, kreis, schulform) for step in data.next_steps for offer in step.offers), every_offer


def offer_fits(offer, kreis: str, schulform: str) -> bool:
    """The rule, restated: a Kreis limit must hold, and a Schulform or Schulstufe limit must match one of them."""
    if offer.kreise and kreis not in offer.kreise:
        return False
    limited = offer.schulformen or offer.schulstufen
    return not limited or schulform in offer.schulformen or bool(set(offer.schulstufen) & set(schulstufen_of(schulform)))


def test_six_indicators_tied_at_one_are_all_development_areas_with_their_steps(app):
    content, data = report_text(app, "05911", "02")
    assert [step.area.indicator.label for step in data.next_steps] == ["1b", "1d", "3b", "4c", "6a", "6b"]
    assert data.tied_areas == ()
    assert "Entwicklungsfelder: die am niedrigsten bewerteten Indikatoren" in content
    for label in ("1b", "1d", "3b", "4c", "6a", "6b"):
        assert f"Entwicklungsfeld {label} (Wert 1)" in content
    assert "Damit der Bericht lesbar bleibt, führt er höchstens sechs aus" in content


def test_a_larger_tie_is_named_as_a_whole_in_pdf_and_html(app, client):
    with app.app_context():
        scores = all_scores(8) | {"k1a": 0} | dict.fromkeys(("k2a", "k2b", "k2c", "k2d", "k3a", "k3b", "k3c"), 2)
        school = make_school("100001", schulform="20", kreis="05911", name="Gymnasium Bochum")
        round_ = make_round("2025/26")
        submitted(school, round_, scores)
        data = report_for(school, round_)
        content = pdf_text(render_pdf(data))
        email = leader(school).email
    note = (
        "Ebenfalls mit dem Wert 2 bewertet sind 7 Indikatoren: 2a, 2b, 2c, 2d, 3a, 3b, 3c. Sie liegen gleichauf; damit "
        "der Bericht lesbar bleibt, führt er sie nicht einzeln aus. Wählen Sie im Team, womit Sie beginnen – die Texte "
        "stehen unter „Ergebnisse je Kriterium“."
    )
    assert [step.area.indicator.label for step in data.next_steps] == ["1a"]
    assert note in content
    login(client, email)
    page = soup_of(client.get("/schulen/100001/2025-26/bericht"))
    highlights = page.find("section", attrs={"aria-labelledby": "highlights-heading"})
    assert [text(p) for p in highlights.find_all("p")] == [note]


def test_the_html_twin_labels_the_suggestions_and_points_to_the_medienberatung(app, client):
    with app.app_context():
        school = make_school("100001", schulform="30", kreis="05911", name="Berufskolleg Bochum")
        round_ = make_round("2025/26")
        submitted(school, round_, weak_scores())
        email = leader(school).email
    login(client, email)
    page = soup_of(client.get("/schulen/100001/2025-26/bericht"))
    steps = page.find("section", attrs={"aria-labelledby": "steps-heading"})
    assert text(steps.find("h2")) == "Vorschläge für Entwicklungsschwerpunkte"
    assert text(steps.find("p")) == (
        "Dies sind Vorschläge, keine Festlegungen: Sie ergeben sich aus den am niedrigsten bewerteten Indikatoren "
        "(den Entwicklungsfeldern). Welche davon die Schule zu ihren Entwicklungsschwerpunkten macht, entscheidet das "
        "Team. Zu jedem Feld stehen Beispiele aus dem Leitfaden und Unterstützungsangebote, die zur Schule passen: "
        "landesweite und solche für den Kreis bzw. die kreisfreie Stadt (Bochum) und die Schulform (Berufskolleg)."
    )
    offers = [text(item) for item in steps.select("ul.offers li")]
    more = [text(p) for p in steps.select("p.muted")]
    assert all(note.startswith("Weitere Angebote: ") and note.endswith("Auskunft gibt die Medienberatung Bochum.")
               for note in more) and more  # fmt: skip
    assert [item for item in offers if "Dortmunder" in item or "Medienscouts" in item or "Internet-ABC" in item] == []
