"""The report's Nächste Schritte show only offers that fit the school, and say where to turn when none does."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from selfeval.catalog import parse_catalog, parse_offer_list
from selfeval.reports import text
from selfeval.reports.content import ReportInput, build_report
from selfeval.reports.model import Comparison, ReportSchool
from selfeval.reports.pdf import render_pdf

CATALOG = parse_catalog(
    """\
id: klein
version: 1
title: Kleiner Leitfaden
scale: {min: 0, max: 10}
offers_note_kreise: ["05913"]
offers_note: Schulträger/Medienzentrum/Dortmunder Systemhaus helfen.
offers:
  - {id: do, title: Dortmunder Modul, provider: Stadt Dortmund, description: Nur Dortmund, source: Anhang 2,
     kreise: ["05913"], target_groups: [Schulleitungen, Schulaufsicht]}
  - {id: scouts, title: Medienscouts NRW, provider: Medienzentrum, description: Klassen 7 bis 9, source: Kap. III.3,
     schulstufen: [sekundarstufe-1]}
criteria:
  - id: a
    title: Alpha
    indicators:
      - {id: a1, text: Alpha eins, offers: [do, scouts]}
      - {id: a2, text: Alpha zwei}
      - {id: a3, text: Alpha drei}
      - {id: a4, text: Alpha vier}
  - {id: b, title: Beta, indicators: [{id: b1, text: Beta eins}]}
  - {id: c, title: Gamma, indicators: [{id: c1, text: Gamma eins}]}
""".encode()
)
LIST = parse_offer_list(
    b"""\
id: bochum
title: Angebote in Bochum
publisher: Medienzentrum Bochum
catalog: klein
kreise: ["05911"]
offers:
  - {id: bo, title: Bochumer Werkstatt, provider: Medienzentrum Bochum, description: Vor Ort, source: Flyer, fits: [a]}
""",
    CATALOG,
)
#: Entwicklungsfelder a1 (1), then b1 and c1 (8); only a1 has offers.
SCORES = {"a1": 1, "a2": 9, "a3": 9, "a4": 9, "b1": 8, "c1": 8}


def report(kreis_key: str, kreis: str, schulform_code: str, schulform: str, offer_lists=(LIST,)):
    school = ReportSchool("199001", "Testschule", schulform, kreis, kreis, kreis_key, schulform_code)
    return build_report(
        ReportInput(
            CATALOG, school, "2025/26", True, date(2025, 11, 3), date(2025, 11, 4), SCORES, {},
            Comparison(schulform, 0, 5), {}, None, offer_lists,
        )  # fmt: skip
    )


def pdf_text(data) -> str:
    return " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(render_pdf(data))).pages)


def offer_ids(data) -> list[list[str]]:
    """The offers of the first Entwicklungsfeld (a1); the others (b1, c1) have none anywhere."""
    assert [step.area.indicator.id for step in data.next_steps] == ["a1", "b1", "c1"]
    assert [step.offers for step in data.next_steps[1:]] == [(), ()]
    return [[offer.id for offer in data.next_steps[0].offers]]


def test_each_school_gets_the_offers_of_its_kreis_and_schulstufe():
    assert offer_ids(report("05913", "Dortmund", "04", "Hauptschule")) == [["do", "scouts"]]
    assert offer_ids(report("05913", "Dortmund", "02", "Grundschule")) == [["do"]]
    assert offer_ids(report("05911", "Bochum", "20", "Gymnasium")) == [["bo", "scouts"]]  # the Kreis's own first
    assert offer_ids(report("05911", "Bochum", "02", "Grundschule")) == [["bo"]]


def test_the_dortmund_note_is_for_dortmund_only_and_offers_are_one_line_with_their_provider():
    dortmund = report("05913", "Dortmund", "04", "Hauptschule")
    assert (dortmund.offers_note, report("05911", "Bochum", "02", "Grundschule").offers_note) == (
        "Schulträger/Medienzentrum/Dortmunder Systemhaus helfen.",
        "",
    )
    content = pdf_text(dortmund)
    assert "• Dortmunder Modul – Stadt Dortmund Passende" not in content  # b1 comes after a1's offers
    assert "• Dortmunder Modul – Stadt Dortmund Weitere" not in content
    assert "Passende Unterstützungsangebote • Dortmunder Modul – Stadt Dortmund • Medienscouts NRW – Medienzentrum" in content
    assert "Zu den Unterstützungsangeboten: Schulträger/Medienzentrum/Dortmunder Systemhaus helfen." in content


def test_where_nothing_fits_the_report_says_so_and_points_to_the_medienberatung_of_the_kreis():
    data = report("05962", "Märkischer Kreis", "02", "Grundschule")
    assert offer_ids(data) == [[]]
    note = (
        "Zu diesem Indikator ist im Katalog kein Unterstützungsangebot hinterlegt, das zu Ihrer Schule passt. "
        "Ansprechpartner ist die Medienberatung Ihres Kreises bzw. Ihrer kreisfreien Stadt (Märkischer Kreis): die "
        "Medienberater:innen und das Kommunale Medienzentrum."
    )
    assert text.no_offers_note(data) == note
    content = pdf_text(data)
    assert content.count(note) == 3
    assert ("Dortmund" in content, "Bochum" in content, "Medienscouts" in content) == (False, False, False)


def test_a_school_without_kreis_and_schulform_sees_every_offer():
    data = report("", "", "", "Gesamtschule", offer_lists=())
    assert offer_ids(data) == [["do", "scouts"]]
    assert text.no_offers_note(replace(data, school=replace(data.school, kreis=""))).endswith(
        "Ansprechpartner ist die Medienberatung Ihres Kreises bzw. Ihrer kreisfreien Stadt: die Medienberater:innen "
        "und das Kommunale Medienzentrum."
    )
