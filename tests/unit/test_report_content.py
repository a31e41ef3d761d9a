"""What a report says (build_report): scores, Stärken, Entwicklungsfelder, next steps, previous round, comparison."""

from __future__ import annotations

from datetime import date

import pytest

from selfeval.catalog import SupportOffer, parse_catalog
from selfeval.reports.content import HIGHLIGHT_COUNT, PreviousResult, ReportInput, build_report
from selfeval.reports.model import Comparison, CriterionLine, IndicatorLine, ReportSchool

CATALOG = parse_catalog(
    """\
id: klein
version: 1
title: Kleiner Leitfaden
source: {title: Anhang 1, publisher: Stadt Musterstadt}
scale: {min: 0, max: 10}
offers_note: Unterstützung gibt es reichlich.
offers:
  - {id: o1, title: Eins, provider: Medienzentrum, description: Erstes Angebot, source: Masterplan}
  - {id: o2, title: Zwei, provider: Land, description: Zweites Angebot, source: Masterplan}
  - {id: o3, title: Drei, provider: Kommune, description: Drittes Angebot, source: LWL/LVR}
criteria:
  - id: a
    title: Alpha
    offers: [o1]
    indicators:
      - {id: a1, text: Alpha eins, examples: [Beispiel a1]}
      - {id: a2, text: Alpha zwei, examples: [Schritt a2], offers: [o3, o1]}
      - {id: a3, text: Alpha drei}
  - id: b
    title: Beta
    indicators:
      - {id: b1, text: Beta eins, offers: [o2]}
      - {id: b2, text: Beta zwei, examples: [Schritt b2 eins, Schritt b2 zwei]}
      - {id: b3, text: Beta drei}
  - id: c
    title: Gamma
    offers: [o2]
    indicators:
      - {id: c1, text: Gamma eins}
      - {id: c2, text: Gamma zwei}
""".encode()
)
O1, O2, O3 = CATALOG.offers
SCHOOL = ReportSchool("199001", "Testschule", "Gesamtschule", "Dortmund", "Dortmund")
#: a = (7 + 3 + 7) / 3, b = (9 + 3) / 2 = 6, c = (2 + 10) / 2 = 6; b3 not rated.
SCORES = {"a1": 7, "a2": 3, "a3": 7, "b1": 9, "b2": 3, "b3": None, "c1": 2, "c2": 10}
NO_GROUP = Comparison("Gesamtschule", 4, 5)


def report(scores=SCORES, *, comments=None, comparison=NO_GROUP, means=None, previous=None):
    return build_report(
        ReportInput(
            catalog=CATALOG,
            school=SCHOOL,
            round_name="2025/26",
            is_submitted=True,
            submitted_on=date(2025, 11, 3),
            created_on=date(2025, 11, 4),
            scores=scores,
            comments=comments or {},
            comparison=comparison,
            comparison_means=means or {},
            previous=previous,
        )
    )


def ids(highlights) -> list[str]:
    return [item.indicator.id for item in highlights]


def test_criterion_lines_carry_scores_labels_and_stripped_comments():
    data = report(comments={"a2": "  Daran arbeiten wir.\n", "zz": "unbekannter Indikator"})

    def line(ind_id, label, text, comment=""):
        return IndicatorLine(ind_id, label, text, SCORES[ind_id], comment)

    assert data.criteria == (
        CriterionLine("a", 1, "Alpha", 17 / 3, None, None, (
            line("a1", "1a", "Alpha eins"), line("a2", "1b", "Alpha zwei", "Daran arbeiten wir."), line("a3", "1c", "Alpha drei"),
        )),
        CriterionLine("b", 2, "Beta", 6.0, None, None, (
            line("b1", "2a", "Beta eins"), line("b2", "2b", "Beta zwei"), line("b3", "2c", "Beta drei"),
        )),
        CriterionLine("c", 3, "Gamma", 6.0, None, None, (line("c1", "3a", "Gamma eins"), line("c2", "3b", "Gamma zwei"))),
    )  # fmt: skip
    assert (data.overall, data.rated, data.total) == ((17 / 3 + 6 + 6) / 3, 7, 8)
    assert (data.scale_min, data.scale_max, data.catalog_title) == (0, 10, "Kleiner Leitfaden")
    assert data.catalog_source == "Stadt Musterstadt, Anhang 1"
    assert data.offers_note == "Unterstützung gibt es reichlich."
    assert (data.school, data.round_name, data.is_submitted) == (SCHOOL, "2025/26", True)
    assert (data.submitted_on, data.created_on) == (date(2025, 11, 3), date(2025, 11, 4))


def test_strengths_are_the_three_highest_and_ties_go_to_catalogue_order():
    data = report()
    # 10 (c2), 9 (b1), then a1 and a3 both 7: a1 comes first in the Leitfaden.
    assert HIGHLIGHT_COUNT == 3
    assert ids(data.strengths) == ["c2", "b1", "a1"]
    assert [(h.criterion_number, h.criterion_title, h.indicator.score) for h in data.strengths] == [
        (3, "Gamma", 10),
        (2, "Beta", 9),
        (1, "Alpha", 7),
    ]


def test_development_areas_are_the_three_lowest_not_already_strengths():
    data = report()
    # 2 (c1), then a2 and b2 both 3; the unrated b3 is never an area.
    assert ids(data.development_areas) == ["c1", "a2", "b2"]
    lowest_first = report(dict.fromkeys(SCORES, 5) | {"b3": 0})
    assert ids(lowest_first.strengths) == ["a1", "a2", "a3"]
    # b3 alone is lowest; the four others at 5 tie for the next places, so all four are areas (no arbitrary cut).
    assert ids(lowest_first.development_areas) == ["b3", "b1", "b2", "c1", "c2"]
    assert lowest_first.tied_areas == ()


@pytest.mark.parametrize(
    ("scores", "strengths", "areas"),
    [
        ({"a1": 5, "a2": 5, "b1": 1, "c1": 8, "c2": 4}, ["c1", "a1", "a2"], ["b1", "c2"]),
        ({"a1": 5, "a2": 5, "b1": 1, "c1": 8}, ["c1", "a1", "a2"], ["b1"]),
        ({"b2": 0, "c2": 0, "a3": 0}, ["a3", "b2", "c2"], []),
        ({"b2": 4}, ["b2"], []),
        ({}, [], []),
    ],
)
def test_with_fewer_than_six_ratings_an_indicator_is_never_both(scores, strengths, areas):
    data = report(scores)
    assert (ids(data.strengths), ids(data.development_areas)) == (strengths, areas)
    assert [step.area.indicator.id for step in data.next_steps] == areas


def test_next_steps_carry_the_examples_and_the_offers_of_each_development_area():
    steps = report().next_steps
    assert [(step.area.indicator.id, step.examples, step.offers) for step in steps] == [
        ("c1", (), (O2,)),  # only the criterion's offer
        ("a2", ("Schritt a2",), (O3, O1)),  # own o3, o1; the criterion's o1 only once
        ("b2", ("Schritt b2 eins", "Schritt b2 zwei"), ()),
    ]
    assert steps[1].offers == CATALOG.offers_for("a2")
    assert [step.area for step in steps] == list(report().development_areas)
    assert SupportOffer("o1", "Eins", "Medienzentrum", "Erstes Angebot", "Masterplan") == O1


def test_previous_round_with_the_same_criteria_is_shown():
    previous = PreviousResult("2024/25", CATALOG, {"a1": 4, "b1": 6, "b2": 2})
    data = report(previous=previous)
    assert (data.previous_round_name, data.has_previous) == ("2024/25", True)
    assert [c.previous_score for c in data.criteria] == [4.0, 4.0, None]
    assert [c.change for c in data.criteria] == [17 / 3 - 4, 2.0, None]
    assert data.previous_overall == 4.0
    assert data.overall_change == data.overall - 4.0


def test_previous_round_with_other_criteria_ids_is_ignored():
    other = parse_catalog(
        b"id: alt\nversion: 1\ntitle: Alt\nscale: {min: 0, max: 10}\ncriteria:\n"
        b"  - {id: x, title: X, indicators: [{id: a1, text: A}]}\n"
        b"  - {id: b, title: Beta, indicators: [{id: b1, text: B}]}\n"
        b"  - {id: c, title: Gamma, indicators: [{id: c1, text: C}]}\n"
    )
    data = report(previous=PreviousResult("2024/25", other, {"a1": 4, "b1": 6, "c1": 1}))
    assert (data.previous_round_name, data.previous_overall, data.has_previous) == (None, None, False)
    assert [(c.previous_score, c.change) for c in data.criteria] == [(None, None)] * 3
    assert data.overall_change is None


def test_previous_round_without_any_rating_is_ignored():
    data = report(previous=PreviousResult("2024/25", CATALOG, {"a1": None}))
    assert (data.previous_round_name, data.previous_overall) == (None, None)
    assert [c.previous_score for c in data.criteria] == [None, None, None]


def test_comparison_below_the_minimum_shows_no_means():
    data = report(comparison=Comparison("Gesamtschule", 4, 5), means={"a": 5.5, "b": 4.0, "c": 7.25})
    assert data.comparison == Comparison("Gesamtschule", 4, 5)
    assert data.comparison.is_shown is False
    assert [c.comparison_mean for c in data.criteria] == [None, None, None]


def test_comparison_at_the_minimum_shows_its_means():
    group = Comparison("Gesamtschule", 5, 5, overall_mean=5.5)
    data = report(comparison=group, means={"a": 5.5, "b": 4.0})
    assert data.comparison.is_shown is True
    assert [c.comparison_mean for c in data.criteria] == [5.5, 4.0, None]
    assert data.comparison.overall_mean == 5.5


def test_nothing_rated_gives_an_empty_report():
    data = report({})
    assert (data.overall, data.rated, data.total) == (None, 0, 8)
    assert [c.score for c in data.criteria] == [None, None, None]
    assert (data.strengths, data.development_areas, data.next_steps) == ((), (), ())
