"""The plan's pure rules: checking goals as typed, the suggested focus with ties, last year's goals followed up."""

from __future__ import annotations

from datetime import date

import pytest

from selfeval.planning import Goal, Measure, PlanInvalid, check_agreement, follow_up, parse_goals, suggested_focus
from selfeval.planning.model import goals_as_json, goals_from_json
from tests.support.catalogue import INDICATORS, LEITFADEN

FIRST, SECOND, THIRD = INDICATORS[0], INDICATORS[1], INDICATORS[2]
OFFERS = ("medienberatung-nrw", "logineo")


def parse(raw, current=()):
    return parse_goals(raw, catalog=LEITFADEN, offer_ids=OFFERS, current=current)


def test_a_plan_as_typed_becomes_goals_with_fresh_ids_in_leitfaden_order():
    goals = parse(
        [
            {
                "indicators": [SECOND, FIRST, SECOND],
                "target": 6.25,
                "success": "  Alle Klassen nutzen die Lernplattform.\r\n ",
                "measures": [
                    {
                        "what": "Fortbildung",
                        "who": "Medienkoordination",
                        "due": "2027-03-31",
                        "status": "begonnen",
                        "offers": ["logineo"],
                    },
                    {"what": "Konzept schreiben"},
                ],
            }
        ]
    )
    assert goals == (
        Goal(
            id=1,
            indicators=(FIRST, SECOND),
            target=6.2,
            success="Alle Klassen nutzen die Lernplattform.",
            measures=(
                Measure(2, "Fortbildung", "Medienkoordination", date(2027, 3, 31), "begonnen", ("logineo",)),
                Measure(3, "Konzept schreiben", "", None, "geplant", ()),
            ),
        ),
    )
    assert goals_from_json(goals_as_json(goals)) == goals


def test_ids_sent_back_keep_their_goal_and_measure_and_what_was_carried_over():
    current = (Goal(4, (FIRST,), None, "", (Measure(7, "alt", carried_from=3),)),)
    goals = parse([{"id": 4, "indicators": [FIRST], "measures": [{"id": 7, "what": "neu"}, {"what": "dazu"}]}], current)
    assert goals == (Goal(4, (FIRST,), None, "", (Measure(7, "neu", carried_from=3), Measure(8, "dazu"))),)


def test_every_problem_is_named_where_it_is():
    with pytest.raises(PlanInvalid) as raised:
        parse(
            [
                {"id": 99, "indicators": [], "target": 11, "measures": [{"what": " ", "due": "31.03.2027", "status": "fertig"}]},
                {
                    "indicators": ["x9", FIRST],
                    "target": True,
                    "success": "a\x00b",
                    "measures": [{"what": "ok", "offers": ["dortmund-only"]}],
                },
                {"indicators": [FIRST, THIRD]},
            ]
        )
    assert raised.value.problems == {
        "goals[0].id": "Dieses Ziel gibt es in diesem Plan nicht (mehr); neue Ziele haben keine id.",
        "goals[0].indicators": "Bitte mindestens einen Indikator wählen, auf den sich das Ziel bezieht.",
        "goals[0].target": "Der Zielwert muss eine Zahl von 0 bis 10 sein (oder leer bleiben).",
        "goals[0].measures[0].what": "Bitte beschreiben, was getan wird.",
        "goals[0].measures[0].due": "Bitte ein Datum als JJJJ-MM-TT angeben, z. B. 2026-11-30.",
        "goals[0].measures[0].status": "Der Stand muss einer von geplant, begonnen, erledigt, verworfen sein.",
        "goals[1].indicators": "Unbekannte Indikatoren: x9.",
        "goals[1].target": "Der Zielwert muss eine Zahl von 0 bis 10 sein (oder leer bleiben).",
        "goals[1].success": "Der Text enthält Steuerzeichen; bitte entfernen.",
        "goals[1].measures[0].offers": "Diese Angebote passen nicht zur Schule oder gibt es nicht: dortmund-only.",
        "goals[2].indicators": f"Der Indikator {FIRST} gehört schon zu Ziel 2; ein Indikator gehört zu einem Ziel.",
    }


@pytest.mark.parametrize(
    ("raw", "problems"),
    [
        ({"goals": []}, {"goals": "Die Ziele müssen eine Liste sein."}),
        (
            [{"indicators": [i]} for i in INDICATORS[:6]],
            {"goals": "Höchstens 5 Entwicklungsziele; der Plan soll sich auf wenige Schwerpunkte beschränken."},
        ),
        (["Ziel"], {"goals[0]": "Ein Ziel muss ein Objekt sein."}),
    ],
)
def test_a_plan_of_the_wrong_shape_is_refused_plainly(raw, problems):
    with pytest.raises(PlanInvalid) as raised:
        parse(raw)
    assert raised.value.problems == problems


def test_the_suggested_focus_names_every_indicator_that_ties():
    scores = dict.fromkeys(INDICATORS, 7) | {INDICATORS[n]: 1 for n in (3, 8, 12, 15, 19, 22)} | {FIRST: None}
    assert suggested_focus(LEITFADEN, scores) == tuple(INDICATORS[n] for n in (3, 8, 12, 15, 19, 22))
    assert suggested_focus(LEITFADEN, dict.fromkeys(INDICATORS, 5) | {SECOND: 2, THIRD: 3}) == (
        SECOND,
        THIRD,
        *INDICATORS[:1],
        *INDICATORS[3:],
    )
    assert suggested_focus(LEITFADEN, {}) == ()


def test_last_years_goals_are_followed_up_with_target_against_achieved():
    goal = Goal(1, (FIRST, SECOND), 6.0, "", (Measure(2, "a", status="erledigt"), Measure(3, "b", status="begonnen")))
    (outcome,) = follow_up((goal,), {FIRST: 6, SECOND: 7}, {FIRST: 3, SECOND: 4})
    assert (outcome.achieved, outcome.before, outcome.reached, outcome.open_measures) == (6.5, 3.5, True, 1)
    (half,) = follow_up((goal,), {FIRST: 6, SECOND: None}, {FIRST: 3, SECOND: None})
    assert (half.achieved, half.before, half.reached) == (None, None, None)  # not reached on one indicator of two
    (unrated,) = follow_up((goal,), {}, {})
    assert (unrated.achieved, unrated.reached) == (None, None)


def test_an_agreement_needs_date_participants_and_text():
    typed = {"date": "2026-11-30", "participants": " Schulleitung ", "text": "Fortbildung planen", "next_contact": ""}
    assert check_agreement(typed) == {
        "held_on": date(2026, 11, 30), "participants": "Schulleitung", "text": "Fortbildung planen", "next_contact": None,
    }  # fmt: skip
    with pytest.raises(PlanInvalid) as raised:
        check_agreement({"date": "2026-11-30", "next_contact": "2026-11-01"})
    assert raised.value.problems == {
        "participants": "Bitte angeben, wer teilgenommen hat (Funktionen, z. B. Schulleitung, Medienkoordination).",
        "text": "Bitte festhalten, was vereinbart wurde.",
        "next_contact": "Der nächste Kontakt kann nicht vor dem Gespräch liegen.",
    }
