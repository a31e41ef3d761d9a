"""Support offers in the catalogue: loading, offers_for, every error and warning, digest and round trip."""

from __future__ import annotations

import hashlib
import json

import pytest

from selfeval.catalog import (
    SchoolProfile,
    SupportOffer,
    catalog_digest,
    catalog_from_dict,
    catalog_to_dict,
    load_catalog,
    load_offer_lists,
    parse_catalog,
)
from selfeval.paths import CRITERIA_DIR
from selfeval.reference import SCHULFORMEN
from tests.support.catalog_files import VALID, WITH_OFFERS, line_of, problems_of

O1 = SupportOffer("o1", "Angebot eins", "Medienzentrum", "Beschreibung eins", "Masterplan, Anhang 2", "https://example.org/eins")
O2 = SupportOffer("o2", "Angebot zwei", "Land NRW", "Beschreibung zwei", "LWL/LVR, Kap. III")
O3 = SupportOffer("o3", "Angebot drei", "Kompetenzteam", "Beschreibung drei", "Masterplan, Anhang 2")


def replaced(old: str, new: str) -> str:
    assert WITH_OFFERS.count(old) == 1, old
    return WITH_OFFERS.replace(old, new)


def test_offers_load_and_offers_for_lists_the_indicators_own_first_then_the_criterions_each_once():
    catalog = parse_catalog(WITH_OFFERS.encode(), "mini.yaml")

    assert catalog.warnings == ()
    assert catalog.offers == (O1, O2, O3)
    assert catalog.offers_note == "Es gibt viele Unterstützungsangebote."
    assert (catalog.criteria[0].offers, catalog.criteria[1].offers) == (("o1", "o3"), ())
    assert [ind.offers for ind in catalog.indicators] == [("o2", "o1"), (), ("o3",), ()]
    assert {ind.id: catalog.offers_for(ind.id) for ind in catalog.indicators} == {
        "k1a": (O2, O1, O3),  # own o2, o1; then the criterion's o1 (already there) and o3
        "k1b": (O1, O3),
        "k2a": (O3,),
        "k2b": (),
    }
    assert catalog.offer("o2") == O2
    with pytest.raises(KeyError):
        catalog.offer("o4")
    with pytest.raises(KeyError):
        catalog.offers_for("k9z")


def test_unknown_offer_id_is_an_error_with_its_location_and_line():
    source = replaced("offers: [o2, o1]", "offers: [o2, nope]")
    line = line_of(source, "offers: [o2, nope]")
    assert problems_of(source) == [
        f'criteria[0].indicators[0].offers[1]: unknown support offer "nope"; define it under offers (line {line})'
    ]


def test_offer_ids_in_a_catalogue_without_offers_say_so():
    source = VALID.replace("      - id: k1b\n", "        offers: [o1]\n      - id: k1b\n")
    line = line_of(source, "offers: [o1]")
    assert problems_of(source) == [
        f'criteria[0].indicators[0].offers[0]: unknown support offer "o1"; the catalogue has no offers (line {line})'
    ]


def test_an_offer_listed_twice_in_one_list_is_an_error():
    source = replaced("offers: [o1, o3]", "offers: [o1, o3, o1]")
    line = line_of(source, "offers: [o1, o3, o1]")
    assert problems_of(source) == [f'criteria[0].offers[2]: offer "o1" is listed twice (line {line})']


def test_offer_lists_that_are_not_lists_or_hold_no_ids_are_errors():
    source = replaced("offers: [o2, o1]", "offers: o2").replace("offers: [o3]", "offers: [o3, 5]")
    assert problems_of(source) == [
        f"criteria[0].indicators[0].offers: must be a list of offer ids, not text (line {line_of(source, 'offers: o2')})",
        "criteria[1].indicators[0].offers[1]: must be the id of a support offer, not a number (5) "
        f"(line {line_of(source, 'offers: [o3, 5]')})",
    ]


def test_top_level_offers_must_be_a_list_and_then_every_reference_is_unknown():
    start, end = WITH_OFFERS.index("offers:\n"), WITH_OFFERS.index("criteria:")
    source = WITH_OFFERS[:start] + "offers: {id: o1}\n" + WITH_OFFERS[end:]
    top = line_of(source, "offers: {id: o1}")
    k1, k1a, k2a = line_of(source, "offers: [o1, o3]"), line_of(source, "offers: [o2, o1]"), line_of(source, "offers: [o3]")
    none = "the catalogue has no offers"
    assert problems_of(source) == [
        f"offers: must be a list of support offers, not a mapping (line {top})",
        f'criteria[0].indicators[0].offers[0]: unknown support offer "o2"; {none} (line {k1a})',
        f'criteria[0].indicators[0].offers[1]: unknown support offer "o1"; {none} (line {k1a})',
        f'criteria[0].offers[0]: unknown support offer "o1"; {none} (line {k1})',
        f'criteria[0].offers[1]: unknown support offer "o3"; {none} (line {k1})',
        f'criteria[1].indicators[0].offers[0]: unknown support offer "o3"; {none} (line {k2a})',
    ]


@pytest.mark.parametrize(
    "url", ["ftp://example.org/eins", "example.org/eins", "https://example.org/mit leerzeichen", "javascript:alert(1)"]
)
def test_an_offer_url_must_be_a_web_address(url):
    source = replaced("url: https://example.org/eins", f'url: "{url}"')
    line = line_of(source, "url: ")
    assert problems_of(source) == [
        f'offers[0].url: "{url}" is not a web address; it must start with https:// or http:// (line {line})'
    ]


def test_missing_offer_texts_and_duplicate_offer_ids_are_errors():
    source = replaced("    provider: Land NRW\n", "").replace("  - id: o3\n", "  - id: o1\n", 1)
    o2 = line_of(source, "  - id: o2")
    first, second = [number for number, line in enumerate(source.splitlines(), 1) if line == "  - id: o1"]
    k1 = line_of(source, "offers: [o1, o3]")
    k2a = line_of(source, "offers: [o3]")
    assert problems_of(source) == [
        f"offers[1].provider: is missing; text is required here (line {o2})",
        f'offers[2].id: duplicate id "o1" (already used at offers[0].id, line {first}); ids must be unique in the catalogue '
        f"(line {second})",
        f'criteria[0].offers[1]: unknown support offer "o3"; define it under offers (line {k1})',
        f'criteria[1].indicators[0].offers[0]: unknown support offer "o3"; define it under offers (line {k2a})',
    ]


def test_an_unused_offer_is_a_warning_and_the_catalogue_loads():
    extra = "  - id: o4\n    title: Ungenutzt\n    provider: Niemand\n    description: Nie erwähnt\n    source: Masterplan\n"
    source = WITH_OFFERS.replace("criteria:\n", extra + "criteria:\n")
    catalog = parse_catalog(source.encode(), "mini.yaml")
    assert [str(warning) for warning in catalog.warnings] == [
        f'offers[3].id: warning: support offer "o4" is not listed under any criterion or indicator '
        f"(line {line_of(source, '- id: o4')})"
    ]
    assert [offer.id for offer in catalog.offers] == ["o1", "o2", "o3", "o4"]


def test_digest_of_a_catalogue_without_offers_is_the_digest_it_always_had():
    catalog = parse_catalog(VALID.encode())
    # The normalized shape from before offers existed, written out by hand: no offer keys anywhere.
    before_offers = {
        "id": "mini",
        "version": "1",
        "title": "Mini-Katalog",
        "description": "",
        "source": None,
        "scale": {"min": 0, "max": 10, "labels": {}},
        "criteria": [
            {
                "id": "k1",
                "title": "Erstes Kriterium",
                "description": "",
                "indicators": [
                    {"id": "k1a", "text": "Erster Indikator", "examples": ["Beispiel eins", "Beispiel zwei"]},
                    {"id": "k1b", "text": "Zweiter Indikator", "examples": []},
                ],
            }
        ],
    }
    text = json.dumps(before_offers, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    assert catalog_to_dict(catalog) == before_offers
    assert catalog_digest(catalog) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_offers_and_the_offers_note_change_the_digest():
    with_offers = parse_catalog(WITH_OFFERS.encode())
    data = catalog_to_dict(with_offers)
    without_note = {key: value for key, value in data.items() if key != "offers_note"}
    plain = json.loads(json.dumps(without_note))
    del plain["offers"]
    for criterion in plain["criteria"]:
        criterion.pop("offers", None)
        for indicator in criterion["indicators"]:
            indicator.pop("offers", None)

    digests = {catalog_digest(catalog_from_dict(d)) for d in (data, without_note, plain)}
    assert len(digests) == 3
    assert catalog_digest(with_offers) == catalog_digest(catalog_from_dict(data))


def test_the_normalized_dict_with_offers_round_trips_to_an_equal_catalogue():
    catalog = parse_catalog(WITH_OFFERS.encode())
    data = catalog_to_dict(catalog)

    assert data["offers"] == [
        {"id": "o1", "title": "Angebot eins", "provider": "Medienzentrum", "description": "Beschreibung eins",
         "source": "Masterplan, Anhang 2", "url": "https://example.org/eins"},
        {"id": "o2", "title": "Angebot zwei", "provider": "Land NRW", "description": "Beschreibung zwei",
         "source": "LWL/LVR, Kap. III", "url": ""},
        {"id": "o3", "title": "Angebot drei", "provider": "Kompetenzteam", "description": "Beschreibung drei",
         "source": "Masterplan, Anhang 2", "url": ""},
    ]  # fmt: skip
    assert data["offers_note"] == "Es gibt viele Unterstützungsangebote."
    assert [c.get("offers") for c in data["criteria"]] == [["o1", "o3"], None]
    assert [i.get("offers") for c in data["criteria"] for i in c["indicators"]] == [["o2", "o1"], None, ["o3"], None]
    rebuilt = catalog_from_dict(json.loads(json.dumps(data)))
    assert rebuilt == catalog
    assert rebuilt.offers_for("k1a") == (O2, O1, O3)
    assert rebuilt.warnings == ()


# -- the shipped Dortmund catalogue ---------------------------------------------------------------


@pytest.fixture(scope="module")
def leitfaden():
    return load_catalog(CRITERIA_DIR / "dortmund-leitfaden.yaml")


def test_dortmund_has_version_3_with_41_offers_and_no_warnings(leitfaden):
    assert (leitfaden.version, len(leitfaden.criteria), len(leitfaden.indicators)) == ("3", 6, 23)
    assert len(leitfaden.offers) == 41
    assert len({offer.id for offer in leitfaden.offers}) == 41
    assert leitfaden.warnings == ()
    assert leitfaden.offers_note.startswith("In der Weiterentwicklung der benannten Kriterien erhalten die Schulen")
    assert leitfaden.offers_note_kreise == ("05913",)  # it names the Dortmunder Systemhaus


@pytest.mark.parametrize("kreis", ["05913", "05911", "05766"])
@pytest.mark.parametrize("schulform", sorted(SCHULFORMEN))
def test_every_dortmund_indicator_has_two_to_eight_offers_for_every_school(leitfaden, kreis, schulform):
    """Wherever a school is and whatever its Schulform, each indicator has some offers, and never a wall of them."""
    lists = load_offer_lists(CRITERIA_DIR / "offers", leitfaden)
    school = SchoolProfile(kreis, schulform)
    counts = {ind.id: len(leitfaden.offers_for(ind.id, school, lists)) for ind in leitfaden.indicators}
    assert {ind: count for ind, count in counts.items() if not 2 <= count <= 8} == {}
    assert len(counts) == 23


def test_every_dortmund_offer_is_used(leitfaden):
    used = {offer_id for c in leitfaden.criteria for offer_id in c.offers}
    used |= {offer_id for ind in leitfaden.indicators for offer_id in ind.offers}
    assert used == {offer.id for offer in leitfaden.offers}


def test_every_dortmund_offer_names_its_source_and_is_complete(leitfaden):
    assert [o.id for o in leitfaden.offers if "Masterplan" not in o.source and "LWL/LVR" not in o.source] == []
    assert [o.id for o in leitfaden.offers if not (o.title and o.provider and o.description)] == []
    assert [o.url for o in leitfaden.offers if o.url and not o.url.startswith("https://")] == []
