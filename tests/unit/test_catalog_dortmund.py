"""The shipped Dortmund Leitfaden: complete and verbatim (Masterplan Digitale Bildung, Anhang 1)."""

import re

import pytest

from selfeval.catalog import catalog_to_dict, load_catalog
from selfeval.paths import CRITERIA_DIR


@pytest.fixture(scope="module")
def leitfaden():
    return load_catalog(CRITERIA_DIR / "dortmund-leitfaden.yaml")


def test_structure_is_6_criteria_23_indicators_65_examples(leitfaden):
    assert leitfaden.id == "dortmund-leitfaden"
    assert [criterion.id for criterion in leitfaden.criteria] == ["k1", "k2", "k3", "k4", "k5", "k6"]
    assert [len(criterion.indicators) for criterion in leitfaden.criteria] == [4, 4, 3, 4, 4, 4]
    assert [ind.id for ind in leitfaden.indicators] == [
        "k1a", "k1b", "k1c", "k1d", "k2a", "k2b", "k2c", "k2d", "k3a", "k3b", "k3c",
        "k4a", "k4b", "k4c", "k4d", "k5a", "k5b", "k5c", "k5d", "k6a", "k6b", "k6c", "k6d",
    ]  # fmt: skip
    assert [len(ind.examples) for ind in leitfaden.indicators] == [
        2, 3, 2, 2, 3, 2, 5, 3, 2, 4, 3, 2, 2, 3, 2, 2, 2, 4, 4, 5, 3, 3, 2,
    ]  # fmt: skip
    assert leitfaden.example_count == 65
    assert leitfaden.warnings == ()


def test_scale_is_0_to_10_as_in_the_instrument(leitfaden):
    assert (leitfaden.scale.min, leitfaden.scale.max, leitfaden.scale.labels) == (0, 10, ())


def test_criterion_titles_are_verbatim(leitfaden):
    assert [criterion.title for criterion in leitfaden.criteria] == [
        "Dauerhafte Implementierung von Konzepten zur digitalen Bildung",
        "Pädagogik und Lernkulturen (Unterrichtsentwicklung)",
        "Qualifizierung der Lehrkräfte",
        "Digitale Schulorganisation",
        "Vernetzung mit Eltern, Kommune, Wirtschaft und zivilgesellschaftlichen Akteure*innen",
        "Zugang zur Technik und Ausstattung der Schule",
    ]


def test_sample_texts_are_verbatim_with_extraction_repaired(leitfaden):
    assert leitfaden.indicator("k1a").text == (
        "Die Schule hat verantwortliche Ansprechpartner für die einzelnen Kriterien des Leitfadens: "
        "Daraus bildet sich das „Team Digitalisierung“ der Schule, dem immer mindestens ein Mitglied "
        "der Schulleitung angehören muss."
    )
    assert leitfaden.indicator("k1a").examples[0] == (
        "Die Schule hat ein Konzept für ein frühzeitiges und effizientes Nachfolgemanagement der "
        "Ansprechpartner (z.\u2009B. wenn ein zuständiger Ansprechpartner in Ruhestand geht oder die "
        "Schule verlässt) erarbeitet und etabliert."
    )
    assert leitfaden.indicator("k3c").text == (
        "Die Schule bietet dem Kollegium die Möglichkeit zum Austausch entsprechender Unterrichtsmaterialien "
        "(z.\u2009B. gegenseitige Hospitationen, regelmäßige Besprechungszeiten)."
    )
    assert leitfaden.indicator("k6d").examples[-1] == (
        "Schüler*innen können weiterführende Lerninhalte über eine Plattform nutzen."
    )
    assert leitfaden.criterion("k1").paragraphs == [
        "Das Thema Digitalisierung sollte in der Schule so implementiert sein, dass für die einzelnen "
        "Kriterien des Leitfadens möglichst verschiedene Ansprechpartner bzw. Zuständigkeiten benannt werden "
        "können, damit das Thema nicht nur auf eine Perspektive orientiert ist.",
        "Bestehende Prozesse und Strukturen sollten regelmäßig auf den Prüfstand gestellt werden, um Lücken "
        "im System aufzuzeigen und das Thema Digitalisierung langfristig in der Schulstruktur zu implementieren.",
    ]


def test_no_pdf_extraction_artefacts_remain(leitfaden):
    texts = [leitfaden.title] + [c.title for c in leitfaden.criteria] + [c.description for c in leitfaden.criteria]
    texts += [ind.text for ind in leitfaden.indicators] + [ex for ind in leitfaden.indicators for ex in ind.examples]
    # A hyphen before a space is only right before a conjunction ("Datenschutz- und", "IT- bzw.").
    broken_word = re.compile(r"\w- (?!und |bis |oder |bzw\. )")
    artefacts = [t for t in texts if "  " in t or "\t" in t or "LEITFADEN" in t or "•" in t or broken_word.search(t)]
    assert artefacts == []


def test_source_is_cited(leitfaden):
    assert catalog_to_dict(leitfaden)["source"] == {
        "title": "Masterplan Digitale Bildung – Bausteine der Zukunft, Anhang 1",
        "publisher": "Stadt Dortmund, Fachbereich Schule",
        "year": None,
        "url": "",
        "note": "Entwickelt auf Basis des Kriterienkatalogs zur „Digitalen Schule“ und mit freundlicher "
        "Genehmigung der Initiative „MINT Zukunft schaffen e.\u2009V.“.",
    }
