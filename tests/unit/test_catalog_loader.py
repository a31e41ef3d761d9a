"""The catalogue loader: every class of bad input gets an exact, located message."""

from __future__ import annotations

import textwrap

import pytest

from selfeval.catalog import (
    Catalog,
    CatalogError,
    Criterion,
    Indicator,
    Scale,
    ScaleLabel,
    catalog_from_dict,
    catalog_to_dict,
    load_catalog,
    parse_catalog,
)
from selfeval.paths import CRITERIA_DIR
from tests.support.catalog_files import VALID, problems_of


def yaml_text(body: str) -> bytes:
    return textwrap.dedent(body).encode("utf-8")


def test_valid_minimal_catalog_builds_frozen_dataclasses():
    catalog = parse_catalog(VALID.encode(), "mini.yaml")

    assert catalog == Catalog(
        id="mini",
        version="1",
        title="Mini-Katalog",
        scale=Scale(0, 10),
        criteria=(
            Criterion(
                id="k1",
                title="Erstes Kriterium",
                indicators=(
                    Indicator("k1a", "k1", "Erster Indikator", ("Beispiel eins", "Beispiel zwei")),
                    Indicator("k1b", "k1", "Zweiter Indikator", ()),
                ),
            ),
        ),
    )
    assert catalog.warnings == ()
    with pytest.raises(AttributeError):
        catalog.title = "changed"  # frozen


def test_yaml_syntax_error_names_line_and_column():
    assert problems_of("id: x\ntitle: [not closed\nscale: 1\n") == [
        "YAML syntax error: while parsing a flow sequence, expected ',' or ']', but got ':' (line 3, column 6)"
    ]


def test_non_utf8_file_is_rejected_with_offset():
    assert problems_of(b"id: mini\ntitle: Caf\xe9\n") == [
        "the file is not UTF-8 text (byte 0xe9 at offset 19); save it as UTF-8 (line 2)"
    ]


def test_utf8_byte_order_mark_is_accepted():
    assert parse_catalog(b"\xef\xbb\xbf" + VALID.encode()).id == "mini"


@pytest.mark.parametrize("raw", [b"", b"  \n\n\t\n"])
def test_empty_file_is_rejected(raw):
    assert problems_of(raw) == ["the file is empty"]


def test_file_with_only_comments_is_rejected():
    assert problems_of("# just a comment\n") == ["the file contains no YAML data (only comments or blank lines)"]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "text"), ("42\n", "a number (42)")],
)
def test_top_level_must_be_a_mapping(raw, kind):
    assert problems_of(raw) == [
        f"the top level must be a mapping with id, version, title, scale and criteria, not {kind} (line 1)"
    ]


def test_missing_criteria_and_empty_indicators_are_reported_together():
    raw = yaml_text(
        """\
        id: mini
        version: "1"
        title: Mini
        scale: {min: 0, max: 10}
        """
    )
    assert problems_of(raw) == ["criteria: is missing; at least one criterion is required (line 1)"]

    raw = VALID.replace("criteria:\n  - id: k1", "criteria: []\nunused:\n  - id: k1")
    assert problems_of(raw) == ["criteria: is empty; at least one criterion is required (line 5)"]


def test_criterion_without_indicators_and_with_empty_indicator_list():
    raw = yaml_text(
        """\
        id: mini
        version: 1
        title: Mini
        scale: {min: 0, max: 10}
        criteria:
          - id: k1
            title: Eins
          - id: k2
            title: Zwei
            indicators: []
        """
    )
    assert problems_of(raw) == [
        "criteria[0].indicators: is missing; at least one indicator is required (line 6)",
        "criteria[1].indicators: is empty; at least one indicator is required (line 10)",
    ]


def test_missing_and_empty_texts():
    raw = yaml_text(
        """\
        id: mini
        version: 1
        title: "  "
        scale: {min: 0, max: 10}
        criteria:
          - id: k1
            indicators:
              - id: k1a
              - id: k1b
                text: ""
                examples: ["", Gut]
        """
    )
    assert problems_of(raw) == [
        "title: must not be empty (line 3)",
        "criteria[0].title: is missing; text is required here (line 6)",
        "criteria[0].indicators[0].text: is missing; text is required here (line 8)",
        "criteria[0].indicators[1].text: must not be empty (line 10)",
        "criteria[0].indicators[1].examples[0]: must not be empty (line 11)",
    ]


def test_wrong_types_are_named():
    raw = yaml_text(
        """\
        id: 7
        version: true
        title: [a, b]
        description: {x: 1}
        scale: {min: 0, max: 10}
        criteria:
          - just a string
          - id: k2
            title: 2024-01-01
            indicators:
              - id: k2a
                text: 3.5
                examples: Ein Beispiel
        """
    )
    assert problems_of(raw) == [
        "id: must be text, not a number (7) (line 1)",
        "version: must be text or a number, not true/false (line 2)",
        "title: must be text, not a list (line 3)",
        "description: must be text, not a mapping (line 4)",
        "criteria[0]: a criterion must be a mapping (key: value lines), not text (line 7)",
        "criteria[1].title: must be text, not a date (line 9)",
        "criteria[1].indicators[0].text: must be text, not a number (3.5) (line 12)",
        "criteria[1].indicators[0].examples: must be a list of texts, not text (line 13)",
    ]


@pytest.mark.parametrize("bad_id", ["K1", "k 1", "-k1", "k1!", "ä1", "x" * 65])
def test_ids_must_be_slugs(bad_id):
    raw = VALID.replace("  - id: k1\n", f'  - id: "{bad_id}"\n')
    assert problems_of(raw) == [
        f'criteria[0].id: "{bad_id}" is not a valid id: use at most 64 lowercase letters, digits, "-" and "_", '
        "starting with a letter or digit (line 6)"
    ]


def test_duplicate_ids_name_both_places():
    raw = yaml_text(
        """\
        id: mini
        version: 1
        title: Mini
        scale: {min: 0, max: 10}
        criteria:
          - id: k1
            title: Eins
            indicators:
              - {id: k1a, text: A}
          - id: k1
            title: Noch einmal eins
            indicators:
              - {id: k3a, text: A}
              - {id: k3a, text: B}
        """
    )
    assert problems_of(raw) == [
        'criteria[1].id: duplicate id "k1" (already used at criteria[0].id, line 6); '
        "ids must be unique in the catalogue (line 10)",
        'criteria[1].indicators[1].id: duplicate id "k3a" (already used at criteria[1].indicators[0].id, line 13); '
        "ids must be unique in the catalogue (line 14)",
    ]


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ("{min: 10, max: 0}", "scale: min (10) must be less than max (0) (line 4)"),
        ("{min: 5, max: 5}", "scale: min (5) must be less than max (5) (line 4)"),
        ("{min: null, max: 10}", "scale.min: is missing; a whole number is required (line 4)"),
        ("{min: 0, max: zehn}", "scale.max: must be a whole number, not text (line 4)"),
        ("{min: 0.5, max: 10}", "scale.min: must be a whole number, not a number (0.5) (line 4)"),
        ("{min: 0, max: 1000}", "scale: a scale may have at most 100 steps, this one has 1000 (line 4)"),
        ("0-10", "scale: scale must be a mapping (key: value lines), not text (line 4)"),
        (
            "{min: 0, max: 4, labels: {5: zu hoch}}",
            "scale.labels.5: label keys must be whole numbers from 0 to 4, not 5 (line 4)",
        ),
    ],
)
def test_bad_scales(scale, message):
    raw = VALID.replace("scale: {min: 0, max: 10}", f"scale: {scale}")
    assert problems_of(raw) == [message]


def test_python_object_tags_are_rejected_without_running_anything(tmp_path):
    marker = tmp_path / "pwned"
    raw = VALID + f'extra: !!python/object/apply:os.system ["touch {marker}"]\n'
    assert problems_of(raw) == [
        "YAML syntax error: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' (line 14, column 8)"
    ]
    assert not marker.exists()


@pytest.mark.timeout(5)
def test_alias_bomb_is_rejected_without_expanding_it():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        levels.append(f"a{level}: &a{level} [{refs}]")
    raw = "\n".join(levels) + "\n" + VALID
    assert problems_of(raw) == [
        "the document would expand to more than 100,000 values (aliases referring to aliases: an alias bomb?) (line 6)"
    ]


def test_recursive_alias_is_rejected():
    assert problems_of("a: &loop [1, *loop]\n") == ["an alias refers to itself (recursive structure) (line 1)"]


def test_deep_nesting_is_rejected():
    raw = "a: " + "[" * 60 + "]" * 60 + "\n"
    assert problems_of(raw) == ["the document is nested more than 40 levels deep (line 1)"]


def test_duplicate_keys_are_errors_because_one_value_would_be_lost():
    raw = VALID.replace("title: Mini-Katalog\n", "title: Mini-Katalog\ntitle: Zweiter Titel\n")
    assert problems_of(raw) == ['duplicate key "title" (first at line 3); one of them would be lost (line 4)']


def test_several_documents_in_one_file_are_rejected():
    assert problems_of(VALID + "---\n" + VALID) == [
        "YAML syntax error: expected a single document in the stream, "
        "but found another document (line 14, column 1)"
    ]


def test_unknown_keys_are_warnings_and_the_catalogue_loads():
    raw = VALID.replace("title: Mini-Katalog\n", "title: Mini-Katalog\nautor: Jemand\n").replace(
        "        text: Zweiter Indikator\n", "        text: Zweiter Indikator\n        hint: x\n"
    )
    catalog = parse_catalog(raw.encode(), "mini.yaml")
    assert [str(w) for w in catalog.warnings] == [
        'autor: warning: unknown key "autor" is ignored '
        "(known keys: criteria, description, id, offers, offers_note, offers_note_kreise, scale, source, title, version) "
        "(line 4)",
        'criteria[0].indicators[1].hint: warning: unknown key "hint" is ignored '
        "(known keys: examples, id, offers, text) (line 15)",
    ]


def test_all_problems_are_collected_before_failing():
    raw = yaml_text(
        """\
        id: Mini
        title: Mini
        scale: {min: 3, max: 1}
        criteria:
          - id: k1
            title: Eins
            indicators:
              - {id: k1a}
        """
    )
    assert problems_of(raw) == [
        'id: "Mini" is not a valid id: use at most 64 lowercase letters, digits, "-" and "_", '
        "starting with a letter or digit (line 1)",
        'version: is missing; give the catalogue a version such as "1" or "2024.1" (line 1)',
        "scale: min (3) must be less than max (1) (line 3)",
        "criteria[0].indicators[0].text: is missing; text is required here (line 8)",
    ]


def test_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: cannot read the file: No such file or directory"


def test_unseen_catalogue_in_the_documented_format_is_accepted():
    raw = yaml_text(
        """\
        # Ein anderer Träger, eine andere Skala – nie zuvor gesehen.
        id: medienkonzept_2027
        version: 2027.1
        title: Checkliste Medienkonzept
        description: Kurzfassung für Grundschulen.
        source: {title: Eigene Fassung, publisher: Kreis Musterland, year: 2027, url: "https://example.org/liste"}
        scale:
          min: 1
          max: 5
          labels: {1: "trifft nicht zu", 5: "trifft voll zu"}
        common: &common Gilt für alle Jahrgänge.
        criteria:
          - id: ausstattung
            title: Ausstattung & WLAN
            description: |
              Erster Absatz.

              Zweiter Absatz mit „Anführungszeichen“ und Ümläuten.
            indicators:
              - id: wlan-2
                text: "Alle Räume haben WLAN: auch die Turnhalle."
                examples: [*common, "Ein Beispiel mit <b>Markup</b> & Zeichen"]
          - id: fortbildung
            title: Fortbildung
            indicators:
              - id: f_1
                text: Das Kollegium bildet sich fort.
        """
    )
    catalog = parse_catalog(raw, "unseen.yaml")
    assert catalog.version == "2027.1"
    assert catalog.scale == Scale(1, 5, (ScaleLabel(1, "trifft nicht zu"), ScaleLabel(5, "trifft voll zu")))
    assert [ind.id for ind in catalog.indicators] == ["wlan-2", "f_1"]
    assert catalog.indicator("wlan-2").examples == (
        "Gilt für alle Jahrgänge.",
        "Ein Beispiel mit <b>Markup</b> & Zeichen",
    )
    assert catalog.criterion("ausstattung").paragraphs == [
        "Erster Absatz.",
        "Zweiter Absatz mit „Anführungszeichen“ und Ümläuten.",
    ]
    assert catalog.source.year == 2027
    assert [str(w) for w in catalog.warnings] == [
        'common: warning: unknown key "common" is ignored '
        "(known keys: criteria, description, id, offers, offers_note, offers_note_kreise, scale, source, title, version) "
        "(line 11)"
    ]


def test_normalized_dict_round_trips_to_an_equal_catalogue():
    catalog = parse_catalog(VALID.replace("{min: 0, max: 10}", "{min: 0, max: 4, labels: {0: nie, 4: immer}}").encode())
    data = catalog_to_dict(catalog)

    assert data["scale"] == {"min": 0, "max": 4, "labels": {"0": "nie", "4": "immer"}}
    assert catalog_from_dict(data) == catalog


def test_readme_example_is_a_valid_catalogue_without_warnings():
    readme = (CRITERIA_DIR / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    catalog = parse_catalog(example.encode(), "criteria/README.md")
    assert catalog.warnings == ()
    assert len(catalog.indicators) >= 2
    assert [offer.id for offer in catalog.offers_for("k1a")] == ["mz-medienkonzept", "fortbildung-sl"]
    assert [offer.id for offer in catalog.offers_for("k1b")] == ["fortbildung-sl"]
