"""One vocabulary for the states of an assessment (issue 16): defined once, used everywhere, no drift."""

from __future__ import annotations

import re

import pytest

from selfeval.paths import PACKAGE_DIR, STATIC_DIR, TEMPLATES_DIR
from selfeval.vocabulary import STATE_COLUMN, STATE_LABELS, state_label, state_text


def test_the_three_states_and_the_column_that_names_them():
    assert STATE_LABELS == {"not_started": "nicht begonnen", "draft": "Entwurf", "submitted": "abgeschlossen"}
    assert STATE_COLUMN == "Stand"
    assert [state_label(status) for status in ("not_started", "draft", "submitted", None, "archived")] == [
        "nicht begonnen", "Entwurf", "abgeschlossen", "nicht begonnen", "archived",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("status", "rated", "when", "expected"),
    [
        ("submitted", 23, "03.11.2025", "abgeschlossen am 03.11.2025"),
        ("submitted", 23, "", "abgeschlossen"),
        ("draft", 14, "", "Entwurf (14 von 23 Indikatoren bewertet)"),
        ("draft", 1, "", "Entwurf (1 von 23 Indikatoren bewertet)"),
        ("draft", 0, "", "nicht begonnen"),
        ("not_started", 0, "", "nicht begonnen"),
    ],
)
def test_a_state_in_words(status, rated, when, expected):
    assert state_text(status, rated, 23, when) == expected


#: Words that drifted from the vocabulary: the verb is "abschließen", the state "abgeschlossen".
DRIFT = re.compile(r"\babgegeben\b|\bAbgeschlossen\b|\bim Entwurf\b|\bEntwurf, noch nicht abgegeben\b")


def test_pages_reports_exports_and_messages_use_no_drifting_word():
    sources = [*sorted(TEMPLATES_DIR.rglob("*.html")), *sorted(PACKAGE_DIR.rglob("*.py")),
               *sorted((STATIC_DIR / "js").rglob("*.js"))]  # fmt: skip
    found = [
        f"{path.relative_to(PACKAGE_DIR.parent)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DRIFT.search(line)
    ]
    assert found == []
