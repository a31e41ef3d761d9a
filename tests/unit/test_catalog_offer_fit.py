"""Who an offer is for (issue 18): Kreise, Schulformen, Schulstufen, target groups; regional offer lists beside the
catalogue; every error located; snapshots with and without the new keys."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from selfeval.catalog import (
    CatalogError,
    SchoolProfile,
    catalog_digest,
    catalog_from_dict,
    catalog_to_dict,
    load_catalog,
    load_offer_list,
    load_offer_lists,
    parse_catalog,
    parse_offer_list,
)
from selfeval.cli import cli
from selfeval.paths import CRITERIA_DIR
from selfeval.reference import SCHULFORMEN, SCHULSTUFEN, schulstufen_of
from tests.support.catalog_files import WITH_OFFERS, line_of

LIMITED = WITH_OFFERS.replace(
    "    source: LWL/LVR, Kap. III\n",
    "    source: LWL/LVR, Kap. III\n"
    '    kreise: ["05913"]\n'
    "    schulstufen: [sekundarstufe-1]\n"
    "    target_groups: [Schulleitungen, Schulaufsicht]\n",
).replace(
    "  - id: o3\n    title: Angebot drei\n    provider: Kompetenzteam\n",
    '  - id: o3\n    title: Angebot drei\n    provider: Kompetenzteam\n    schulformen: ["30"]\n',
)
LIST = """\
id: musterstadt
title: Angebote in Musterstadt
publisher: Medienzentrum Musterstadt
catalog: mini
kreise: ["05911", "05913"]
offers:
  - id: r1
    title: Regional eins
    provider: Medienzentrum Bochum
    description: Nur für Bochum
    source: Flyer 2025
    kreise: ["05911"]
    schulstufen: [primarstufe]
    fits: [k1a]
  - id: r2
    title: Regional zwei
    provider: Medienzentrum
    description: Für beide Städte
    source: Flyer 2025
    fits: [k2]
"""
BOCHUM_GRUNDSCHULE = SchoolProfile("05911", "02")
DORTMUND_GYMNASIUM = SchoolProfile("05913", "20")
DORTMUND_HAUPTSCHULE = SchoolProfile("05913", "04")
BOCHUM_BERUFSKOLLEG = SchoolProfile("05911", "30")


@pytest.fixture
def catalog():
    return parse_catalog(LIMITED.encode(), "mini.yaml")


def ids(offers) -> list[str]:
    return [offer.id for offer in offers]


def list_problems(source: str, catalog) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_offer_list(source.encode(), catalog, "list.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_every_schulform_code_has_its_schulstufen_from_one_place():
    assert {code: schulstufen_of(code) for code in ("02", "04", "08", "10", "14", "15", "20", "30")} == {
        "02": ("primarstufe",),
        "04": ("sekundarstufe-1",),
        "08": ("foerderschule",),
        "10": ("sekundarstufe-1",),
        "14": ("sekundarstufe-1",),
        "15": ("sekundarstufe-1", "sekundarstufe-2"),
        "20": ("sekundarstufe-1", "sekundarstufe-2"),
        "30": ("berufskolleg",),
    }
    assert all(schulstufen_of(code) for code in SCHULFORMEN)
    assert {stufe for code in SCHULFORMEN for stufe in schulstufen_of(code)} == set(SCHULSTUFEN)
    assert schulstufen_of("99") == ()


def test_limits_load_and_offers_fit_by_kreis_and_schulstufe_or_schulform(catalog):
    o1, o2, o3 = catalog.offers
    assert (o2.kreise, o2.schulstufen) == (("05913",), ("sekundarstufe-1",))
    assert o2.target_groups == ("Schulleitungen", "Schulaufsicht")
    assert (o3.schulformen, o1.kreise, o1.schulformen, o1.schulstufen) == (("30",), (), (), ())
    assert {
        name: ids(catalog.offers_for("k1a", school))
        for name, school in {
            "unknown school": None,
            "Bochum Grundschule": BOCHUM_GRUNDSCHULE,
            "Dortmund Gymnasium": DORTMUND_GYMNASIUM,
            "Bochum Berufskolleg": BOCHUM_BERUFSKOLLEG,
        }.items()
    } == {
        "unknown school": ["o2", "o1", "o3"],
        "Bochum Grundschule": ["o1"],
        "Dortmund Gymnasium": ["o2", "o1"],
        "Bochum Berufskolleg": ["o1", "o3"],
    }


def test_the_offers_note_can_be_limited_to_kreise():
    source = WITH_OFFERS.replace("offers_note:", 'offers_note_kreise: ["05913"]\noffers_note:')
    catalog = parse_catalog(source.encode())
    assert (catalog.offers_note_for(DORTMUND_GYMNASIUM), catalog.offers_note_for(BOCHUM_GRUNDSCHULE)) == (
        "Es gibt viele Unterstützungsangebote.",
        "",
    )
    assert catalog.offers_note_for(None) == "Es gibt viele Unterstützungsangebote."


def test_every_wrong_limit_is_an_error_with_its_location_and_line():
    source = LIMITED.replace('kreise: ["05913"]', "kreise: [05111, \"99999\", \"05913\", \"05913\"]").replace(
        "schulstufen: [sekundarstufe-1]", "schulstufen: [sek1]"
    ).replace('schulformen: ["30"]', "schulformen: 30").replace(
        "target_groups: [Schulleitungen, Schulaufsicht]", "target_groups: [Schulleitungen, 7]"
    )
    kreise_line = line_of(source, "kreise: [05111")
    with pytest.raises(CatalogError) as caught:
        parse_catalog(source.encode(), "mini.yaml")
    assert [str(problem) for problem in caught.value.problems] == [
        "offers[1].kreise[0]: must be a Kreisschlüssel of NRW, e.g. \"05913\" in quotes; unquoted, YAML reads it as "
        f"the number 2633 (line {kreise_line})",
        f'offers[1].kreise[1]: "99999" is not a Kreisschlüssel of NRW, e.g. "05913" (line {kreise_line})',
        f'offers[1].kreise[3]: "05913" is listed twice (line {kreise_line})',
        'offers[1].schulstufen[0]: "sek1" is not a Schulstufe (one of: primarstufe, sekundarstufe-1, sekundarstufe-2, '
        f"berufskolleg, foerderschule) (line {kreise_line + 1})",
        f"offers[1].target_groups[1]: must be non-empty text, not a number (7) (line {kreise_line + 2})",
        f"offers[2].schulformen: must be a list (e.g. [a, b]), not a number (30) (line {line_of(source, 'schulformen: 30')})",
    ]


def test_a_snapshot_without_the_new_keys_still_loads_and_keeps_its_digest():
    """Rounds store their catalogue as it was: a version-2 snapshot has no kreise, schulstufen or target groups."""
    plain = parse_catalog(WITH_OFFERS.encode())
    stored = catalog_to_dict(plain)
    assert [set(offer) for offer in stored["offers"]] == [{"id", "title", "provider", "description", "source", "url"}] * 3
    assert "offers_note_kreise" not in stored
    rebuilt = catalog_from_dict(json.loads(json.dumps(stored)))
    assert (rebuilt, catalog_digest(rebuilt)) == (plain, catalog_digest(plain))
    assert ids(rebuilt.offers_for("k1a", BOCHUM_GRUNDSCHULE)) == ["o2", "o1", "o3"]  # old offers apply everywhere


def test_the_new_keys_round_trip_through_a_snapshot(catalog):
    stored = json.loads(json.dumps(catalog_to_dict(catalog)))
    assert stored["offers"][1]["kreise"] == ["05913"]
    assert stored["offers"][1]["target_groups"] == ["Schulleitungen", "Schulaufsicht"]
    rebuilt = catalog_from_dict(stored)
    assert (rebuilt, catalog_digest(rebuilt)) == (catalog, catalog_digest(catalog))
    assert catalog_digest(catalog) != catalog_digest(parse_catalog(WITH_OFFERS.encode()))


def test_a_regional_list_adds_its_offers_to_the_indicators_and_criteria_it_fits(catalog):
    offer_list = parse_offer_list(LIST.encode(), catalog, "list.yaml")
    r1, r2 = (regional.offer for regional in offer_list.offers)
    assert (offer_list.id, offer_list.catalog_id, offer_list.kreise, offer_list.warnings) == (
        "musterstadt", "mini", ("05911", "05913"), (),
    )  # fmt: skip
    assert (r1.kreise, r2.kreise) == (("05911",), ("05911", "05913"))  # an offer without kreise gets the list's
    lists = (offer_list,)
    assert ids(catalog.offers_for("k1a", BOCHUM_GRUNDSCHULE, lists)) == ["o1", "r1"]
    assert ids(catalog.offers_for("k1a", BOCHUM_BERUFSKOLLEG, lists)) == ["o1", "o3"]
    assert ids(catalog.offers_for("k2a", DORTMUND_HAUPTSCHULE, lists)) == ["r2"]
    assert ids(catalog.offers_for("k2a", BOCHUM_BERUFSKOLLEG, lists)) == ["o3", "r2"]
    assert ids(catalog.offers_for("k2b", SchoolProfile("05513", "02"), lists)) == []  # Gelsenkirchen: not its list
    other = parse_catalog(LIMITED.replace("id: mini", "id: andere").encode())
    assert ids(other.offers_for("k1a", BOCHUM_GRUNDSCHULE, lists)) == ["o1"]  # a list of another catalogue


def test_every_problem_of_a_regional_list_is_located(catalog):
    source = (
        LIST.replace("catalog: mini", "catalog: andere")
        .replace('kreise: ["05911", "05913"]', 'kreise: ["05911"]')
        .replace("  - id: r1\n", "  - id: o1\n")
        .replace('    kreise: ["05911"]\n    schulstufen', '    kreise: ["05913"]\n    schulstufen')
        .replace("fits: [k1a]", "fits: [k1a, k9, k1a]")
        .replace("    fits: [k2]\n", "    note: x\n")
    )
    line = lambda needle: line_of(source, needle)  # noqa: E731
    kreise_line = line('kreise: ["05913"]')
    assert list_problems(source, catalog) == [
        f'catalog: names the catalogue "andere" but is checked against "mini" (line {line("catalog: andere")})',
        f'offers[0].id: "o1" is already an offer of the catalogue mini; choose another id (line {line("- id: o1")})',
        f'offers[0].kreise: "05913" is not one of the list\'s Kreise (05911) (line {kreise_line})',
        f'offers[0].fits[1]: "k9" is no indicator or criterion of the catalogue mini (line {line("fits: [k1a, k9")})',
        f'offers[0].fits[2]: "k1a" is listed twice (line {line("fits: [k1a, k9")})',
        "offers[1].fits: is missing; list the ids of the indicators or criteria the offer fits, e.g. [k1b, k6] "
        f'(line {line("- id: r2")})',
    ]


def test_a_list_without_kreise_or_offers_says_what_is_missing(catalog):
    assert list_problems("id: x\ntitle: X\npublisher: P\ncatalog: mini\n", catalog) == [
        'kreise: is missing; name the Kreise whose schools the offers are for, e.g. ["05913"] (line 1)',
        "offers: is missing; at least one offer is required (line 1)",
    ]


def test_lists_of_other_catalogues_are_skipped_and_an_id_in_two_lists_is_refused(catalog, tmp_path):
    (tmp_path / "a.yaml").write_text(LIST, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(LIST.replace("catalog: mini", "catalog: andere"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kein YAML", encoding="utf-8")
    assert [offer_list.id for offer_list in load_offer_lists(tmp_path, catalog)] == ["musterstadt"]
    assert load_offer_lists(tmp_path / "missing", catalog) == ()
    (tmp_path / "c.yaml").write_text(LIST.replace("id: musterstadt", "id: zweite"), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_offer_lists(tmp_path, catalog)
    assert str(caught.value) == (
        f'{tmp_path / "c.yaml"}: offers[0].id: duplicate offer id "r1" (already used in a.yaml); ids must be unique'
    )


def test_the_shipped_dortmund_list_fits_dortmund_only():
    leitfaden = load_catalog(CRITERIA_DIR / "dortmund-leitfaden.yaml")
    dortmund = load_offer_list(CRITERIA_DIR / "offers" / "05913-dortmund.yaml")
    assert (dortmund.kreise, dortmund.warnings) == (("05913",), ())
    assert [regional.offer.id for regional in dortmund.offers] == ["do-mz-beratungsmodul", "do-kitz", "do-systemhaus"]
    assert load_offer_lists(CRITERIA_DIR / "offers", leitfaden) == (dortmund,)
    assert "do-mz-beratungsmodul" in ids(leitfaden.offers_for("k1b", DORTMUND_GYMNASIUM, (dortmund,)))
    assert [o.id for o in leitfaden.offers_for("k1b", BOCHUM_GRUNDSCHULE, (dortmund,)) if o.id.startswith("do-")] == []


def test_catalog_check_checks_an_offer_list_against_the_catalogue_it_names(tmp_path):
    (tmp_path / "mini.yaml").write_text(LIMITED, encoding="utf-8")
    (tmp_path / "offers").mkdir()
    good, bad = tmp_path / "offers" / "good.yaml", tmp_path / "offers" / "bad.yaml"
    good.write_text(LIST, encoding="utf-8")
    bad.write_text(LIST.replace("catalog: mini", "catalog: fehlt"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["catalog", "check", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{good}: ok: offer list musterstadt for mini, Kreise 05911, 05913, 2 offers, 0 warnings",
        f'{bad}: catalog: no catalogue "fehlt" at {tmp_path.resolve() / "fehlt.yaml"}; an offer list lives in the folder '
        "offers/ beside its catalogue (line 4)",
    ]
