"""Properties of the catalogue loader: any bytes give a Catalog or a CatalogError with located problems, nothing else.

The examples come from arbitrary bytes and text, from arbitrary YAML data, from the real Dortmund Leitfaden with
keys dropped and values replaced, and from YAML text with hostile constructs (tags, aliases, huge numbers, deep
nesting) spliced into it.
"""

from __future__ import annotations

import copy
import datetime

import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from selfeval.catalog import Catalog, CatalogError, catalog_from_dict, catalog_to_dict, parse_catalog
from selfeval.catalog.validate import CRITERION_KEYS, INDICATOR_KEYS, OFFER_KEYS, SCALE_KEYS, SOURCE_KEYS, TOP_KEYS, format_path
from selfeval.paths import CRITERIA_DIR
from tests.support.properties import budget

DORTMUND_TEXT = (CRITERIA_DIR / "dortmund-leitfaden.yaml").read_text(encoding="utf-8")
DORTMUND = yaml.safe_load(DORTMUND_TEXT)
SOURCE = "fuzz.yaml"
#: The keys each kind of mapping must have, by the name of the list (or key) that holds it.
REQUIRED = {
    (): ("id", "version", "title", "scale", "criteria"),
    ("source",): ("title",),
    ("scale",): ("min", "max"),
    ("offers", 0): ("id", "title", "provider", "description", "source"),
    ("criteria", 0): ("id", "title", "indicators"),
    ("criteria", 0, "indicators", 0): ("id", "text"),
}
KEY_WORDS = sorted(TOP_KEYS | SOURCE_KEYS | SCALE_KEYS | CRITERION_KEYS | INDICATOR_KEYS | OFFER_KEYS)


def outcome(raw: bytes) -> Catalog | CatalogError:
    """What the loader makes of these bytes; any other exception fails the test."""
    try:
        return parse_catalog(raw, SOURCE)
    except CatalogError as error:
        return error


def assert_catalog_or_located_error(raw: bytes) -> Catalog | CatalogError:
    """A Catalog that survives its snapshot round trip, or an error whose problems are located inside the file."""
    result = outcome(raw)
    event("a catalogue" if isinstance(result, Catalog) else f"an error: {result.problems[0].message[:25]}")
    if isinstance(result, Catalog):
        assert catalog_from_dict(catalog_to_dict(result)) == result
        return result
    # YAML counts \r, NEL and the Unicode separators as line breaks too; splitlines() knows them all (and more).
    last_line = len(raw.decode("utf-8", errors="replace").splitlines()) + 1
    assert result.source == SOURCE
    assert len(result.problems) >= 1
    for problem in result.problems:
        assert problem.message.strip() != ""
        assert problem.is_warning is False
        assert problem.line is None or 1 <= problem.line <= last_line, (problem, last_line)
    assert str(result).startswith(f"{SOURCE}: ")
    return result


# --- strategies -----------------------------------------------------------------------------------------------

#: What YAML can hold and safe_dump can write (ints within Python's printable range; huge ones come as text below).
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**60), max_value=10**60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", " ", "k1a", "dortmund-leitfaden", "Ä-Ö", "0", "10", "-1", "yes", "~"])
    | st.dates(min_value=datetime.date(1, 1, 1))
    | st.binary(max_size=8)
)
keys = st.sampled_from(KEY_WORDS) | st.text(max_size=12) | st.integers(min_value=-3, max_value=12) | st.booleans() | st.none()
yaml_data = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)
#: Top-level keys of the format, so that the validator's deeper checks are reached too.
catalogue_shaped = st.dictionaries(st.sampled_from(sorted(TOP_KEYS)), yaml_data, min_size=1, max_size=9)


def dump(document) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def dortmund_location(draw, document) -> tuple[object, str | int]:
    """A container inside the document and one of its keys or indexes, reached by a random walk from the top."""
    container: dict | list = document
    while True:
        choices = list(container) if isinstance(container, dict) else list(range(len(container)))
        key = draw(st.sampled_from(choices))
        child = container[key]
        if not isinstance(child, dict | list) or not child or draw(st.booleans()):
            return container, key
        container = child


@st.composite
def mutated_dortmund(draw) -> dict:
    """The Leitfaden with one to three keys or list items dropped, duplicated or replaced by arbitrary data."""
    document = copy.deepcopy(DORTMUND)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        container, key = draw(dortmund_location(document))
        action = draw(st.sampled_from(["drop", "replace", "duplicate"]))
        if action == "drop":
            del container[key]
        elif action == "duplicate" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        else:
            container[key] = draw(yaml_data)
        if not container:
            break  # the walk needs something to walk on
    return document


def huge_numbers() -> st.SearchStrategy[str]:
    digits = st.integers(min_value=4000, max_value=20000)
    return st.one_of(
        digits.map(lambda n: "1" * n),
        digits.map(lambda n: "0x" + "f" * n),
        digits.map(lambda n: "0b" + "1" * n),
        digits.map(lambda n: "0" + "7" * n),
        digits.map(lambda n: "1" + ":59" * (n // 2)),  # YAML 1.1 sexagesimal
        digits.map(lambda n: "1" * n + ".5"),
        digits.map(lambda n: "!!int '" + "9" * n + "'"),
    )


def nested(depth: int, opening: str, closing: str) -> str:
    return opening * depth + "1" + closing * depth


HOSTILE_VALUES = st.one_of(
    st.sampled_from(
        [
            "!!python/object/apply:os.system ['echo pwned']",
            "!!python/name:os.system",
            "!!python/object:selfeval.catalog.Catalog {}",
            "!!binary AAAA",
            "!!binary '***'",
            "!!set {a, b}",
            "!!omap [a: 1, b: 2]",
            "!!timestamp 2020-13-45",
            "!!int abc",
            "!!float x",
            "!!str",
            "!!map [1, 2]",
            "!custom value",
            "*undefined",
            "&anchor [1, *anchor]",
            "{? [a, b] : c}",
            "{[1]: 2}",
            "{a: 1, a: 2}",
            "[&x a, *x, *x]",
            ".nan",
            "-.inf",
            "2025-02-30",
            "'unclosed",
            '"\\ud800"',
            "\t",
            "\x00",
            "\ufeff",
            "\u2028",
            "@reserved",
            "`reserved",
            "%",
            "|\n  block\n text",
        ]
    ),
    huge_numbers(),
    st.integers(min_value=20, max_value=300).map(lambda n: nested(n, "[", "]")),
    st.integers(min_value=20, max_value=300).map(lambda n: nested(n, "{a: ", "}")),
    st.text(max_size=40),
)
HOSTILE_LINES = st.sampled_from(
    [
        "<<: *undefined",
        "<<: [1, 2]",
        "? [a, b]\n: c",
        "%YAML 1.1\n---",
        "---",
        "...",
        "--- !!python/object:object {}",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]",
        "\tindented: with a tab",
        "key: value: another",
        "- a list item among keys",
    ]
)


@st.composite
def dortmund_with_hostile_yaml(draw) -> bytes:
    """The Leitfaden's text with a hostile value put after one of its keys, or a hostile line inserted somewhere."""
    lines = DORTMUND_TEXT.splitlines()
    index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    line = lines[index]
    key, colon, _ = line.partition(": ")
    if colon and draw(st.booleans()):
        lines[index] = f"{key}: {draw(HOSTILE_VALUES)}"
    else:
        indent = line[: len(line) - len(line.lstrip(" -"))].replace("-", " ")
        lines.insert(index, indent + draw(HOSTILE_LINES | HOSTILE_VALUES.map(lambda value: f"extra: {value}")))
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


@st.composite
def damaged_bytes(draw) -> bytes:
    """The Leitfaden's bytes cut short, or with a few bytes overwritten, inserted or deleted."""
    data = bytearray(DORTMUND_TEXT.encode("utf-8"))
    if draw(st.booleans()):
        return bytes(data[: draw(st.integers(min_value=0, max_value=len(data)))])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data) - 1))
        piece = draw(st.binary(min_size=1, max_size=4))
        action = draw(st.sampled_from(["overwrite", "insert", "delete"]))
        if action == "overwrite":
            data[position : position + len(piece)] = piece
        elif action == "insert":
            data[position:position] = piece
        else:
            del data[position : position + len(piece)]
    return bytes(data)


# --- properties -----------------------------------------------------------------------------------------------


@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_catalogue_or_a_located_error(raw):
    assert_catalog_or_located_error(raw)


@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_catalogue_or_a_located_error(text):
    assert_catalog_or_located_error(text.encode("utf-8", errors="surrogatepass"))


@given(yaml_data | catalogue_shaped)
def test_arbitrary_yaml_data_gives_a_catalogue_or_a_located_error(document):
    assert_catalog_or_located_error(dump(document))


@given(mutated_dortmund())
def test_the_leitfaden_with_dropped_or_replaced_values_gives_a_catalogue_or_a_located_error(document):
    assert_catalog_or_located_error(dump(document))


@given(dortmund_with_hostile_yaml())
def test_the_leitfaden_with_hostile_yaml_gives_a_catalogue_or_a_located_error(raw):
    assert_catalog_or_located_error(raw)


@budget(0.5)
@given(damaged_bytes())
def test_the_leitfaden_with_damaged_bytes_gives_a_catalogue_or_a_located_error(raw):
    assert_catalog_or_located_error(raw)


@st.composite
def required_key_dropped(draw) -> tuple[dict, tuple]:
    """The Leitfaden without one required key of one of its mappings, and the path of that key."""
    document = copy.deepcopy(DORTMUND)
    pattern = draw(st.sampled_from(sorted(REQUIRED, key=len)))
    path: tuple = ()
    mapping = document
    for part in pattern:
        if isinstance(part, int):
            part = draw(st.integers(min_value=0, max_value=len(mapping) - 1))
        path += (part,)
        mapping = mapping[part]
    key = draw(st.sampled_from(REQUIRED[pattern]))
    del mapping[key]
    return document, (*path, key)


@budget(0.3)
@given(required_key_dropped())
def test_a_dropped_required_key_is_named_as_missing_at_its_place(case):
    document, path = case
    error = assert_catalog_or_located_error(dump(document))
    assert isinstance(error, CatalogError)
    at_place = [problem.message.split(";")[0] for problem in error.problems if problem.location == format_path(path)]
    assert at_place == ["is missing"]


# --- what the properties found, as examples -------------------------------------------------------------------


def test_a_control_character_is_named_with_its_line():
    error = outcome(b"id: a\nversion: 1\ntitle: Ka\x00talog\n")
    assert [str(problem) for problem in error.problems] == [
        "the file contains the character U+0000, which YAML does not allow; remove it (line 3)"
    ]


def test_a_number_too_long_to_print_is_refused_with_its_line():
    for number in ("0x" + "f" * 4000, "0b" + "1" * 15000, "9" * 5000, "1" + ":59" * 3000):
        error = outcome(f"id: a\nscale:\n  min: 0\n  max: {number}\n".encode())
        assert [str(problem) for problem in error.problems] == [
            f"a number of {len(number):,} characters; a number may have at most 100 (line 4)"
        ]
