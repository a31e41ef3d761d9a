"""The report built around the school's plan (issue 18): after "Auf einen Blick" the Entwicklungsschwerpunkte with
goals, measures, chosen offers, last year's goals followed up and the agreements; then the details per criterion.
Without a plan the suggestions stay; where the reader may not see the plan, the report says so."""

from __future__ import annotations

from datetime import date

from selfeval.planning import Agreement, Goal, Measure
from selfeval.reports import plan_section
from selfeval.reports import text as report_text
from selfeval.reports.pdf import render_pdf
from selfeval.reports.plan_section import PlanIndicator, PlanInput, PreviousPlanInput
from tests.support.report_pdf import make_report, pages_text

# SCORES (tests.support.report_pdf): k3a 2, k3b 3, k3c 3 are the weakest; k1 all 6, k6 4/5/4/5.
GOALS = (
    Goal(
        1, ("k3a", "k3b"), 5.0, "Jede Lehrkraft hat eine Fortbildung besucht.",
        (
            Measure(2, "Fortbildungsbedarf im Kollegium erheben", "Medienkoordination", date(2026, 1, 31), "erledigt",
                    ("land-onlineangebotsverzeichnis",)),
            Measure(3, "Pädagogischen Tag zur Medienbildung planen", "Schulleitung", date(2026, 4, 30), "begonnen",
                    ("medienberater-region", "land-onlineangebotsverzeichnis")),
            Measure(4, "Tandems für den Fachunterricht bilden", "", None, "geplant", (), carried_from=9),
        ),
    ),
    Goal(5, ("k6a",), 6.0, "", (
        Measure(6, "Ausleuchtung des WLAN messen", "Schulträger", None, "verworfen", ("medienberater-region",)),
    )),
)  # fmt: skip
PREVIOUS = PreviousPlanInput(
    "2024/25",
    (
        Goal(1, ("k1a",), 5.0, "Medienkonzept beschlossen", (Measure(2, "Konzept schreiben", "Steuergruppe", None, "erledigt"),)),
        Goal(3, ("k3c",), 5.0, "", (Measure(4, "Netzwerk besuchen", "Medienkoordination", None, "begonnen"),)),
    ),
    {"k1a": 3, "k3c": 2},
)
AGREEMENTS = (
    Agreement(7, date(2025, 11, 20), "Schulleitung, Medienkoordination, Medienberatung",
              "Pädagogischer Tag im Frühjahr.\nBeratung zum Medienkonzept im März.", date(2026, 3, 10),
              recorded_by="Berater Name", confirmed=True, confirmed_on=date(2025, 11, 21)),
    Agreement(8, date(2026, 1, 15), "Medienkoordination, Medienberatung", "WLAN-Ausleuchtung mit dem Schulträger."),
)  # fmt: skip
PLAN = PlanInput(GOALS, AGREEMENTS, PREVIOUS)


def in_order(text: str, parts: list[str]) -> list[str]:
    """The parts found in the text, in the order they appear there (each part's first occurrence)."""
    return sorted((part for part in parts if part in text), key=text.index)


def test_the_section_holds_goals_measures_offers_follow_up_and_agreements():
    section = make_report(submitted=True, plan=PLAN).plan
    first, second = section.focus
    assert first.indicators == (
        PlanIndicator("3a", first.indicators[0].text, 2), PlanIndicator("3b", first.indicators[1].text, 3)
    )
    assert (first.current, first.target, second.current, second.target) == (2.5, 5.0, 4.0, 6.0)
    assert [(m.what, m.who, m.due, m.status, m.carried) for m in first.measures] == [
        ("Fortbildungsbedarf im Kollegium erheben", "Medienkoordination", date(2026, 1, 31), "erledigt", False),
        ("Pädagogischen Tag zur Medienbildung planen", "Schulleitung", date(2026, 4, 30), "begonnen", False),
        ("Tandems für den Fachunterricht bilden", "", None, "geplant", True),
    ]
    assert [o.id for o in first.offers] == ["land-onlineangebotsverzeichnis", "medienberater-region"]
    assert (second.offers, second.offers_above) == ((), ("Beratung durch die Medienberater:innen vor Ort",))
    assert [(i.label, i.score) for i in section.not_covered] == [("3c", 3)]
    assert [(g.target, g.before, g.achieved, g.reached, plan_section.outcome_text(g)) for g in section.previous] == [
        (5.0, 3.0, 6.0, True, "erreicht"),
        (5.0, 2.0, 3.0, False, "noch nicht erreicht"),
    ]
    assert section.agreements == AGREEMENTS


def test_the_pdf_puts_the_plan_between_the_glance_and_the_details():
    text = " ".join(pages_text(render_pdf(make_report(submitted=True, plan=PLAN))))
    markers = [
        "Auf einen Blick",
        "Entwicklungsschwerpunkte",
        "Schwerpunkt 1: 3a, 3b",
        "Zielwert für das nächste Schuljahr: 5,0 (heute 2,5)",
        "Woran wir es merken: Jede Lehrkraft hat eine Fortbildung besucht.",
        "Fortbildungsbedarf im Kollegium erheben Medienkoordination 31.01.2026 erledigt",
        "Pädagogischen Tag zur Medienbildung planen Schulleitung 30.04.2026 begonnen",
        "Tandems für den Fachunterricht bilden – – geplant (aus dem Vorjahr)",
        "Gewählte Unterstützungsangebote",
        "Onlineangebotsverzeichnis des Landes – Land NRW (staatliche Lehrer*innenfortbildung)",
        "Beratung durch die Medienberater:innen vor Ort – Medienberater:innen",
        "Schwerpunkt 2: 6a",
        "Zielwert für das nächste Schuljahr: 6,0 (heute 4,0)",
        "Ausleuchtung des WLAN messen Schulträger – verworfen",
        "Außerdem gewählt (oben beschrieben): Beratung durch die Medienberater:innen vor Ort.",
        "Ebenfalls unter den am niedrigsten bewerteten Indikatoren, aber in keinem Schwerpunkt: 3c (Wert 3).",
        "Ziele aus dem Schuljahr 2024/25: Ziel und Ergebnis",
        "5,0 3,0 6,0 erreicht",
        "1 Maßnahme: 1 begonnen 5,0 2,0 3,0 noch nicht erreicht",
        "Vereinbarungen mit der Medienberatung",
        "Gespräch am 20.11.2025 · Teilnehmende: Schulleitung, Medienkoordination, Medienberatung · nächster Kontakt: "
        "10.03.2026 Pädagogischer Tag im Frühjahr. Beratung zum Medienkonzept im März. Vom Team bestätigt am 21.11.2025.",
        "Gespräch am 15.01.2026 · Teilnehmende: Medienkoordination, Medienberatung "
        "WLAN-Ausleuchtung mit dem Schulträger. Vom Team noch nicht bestätigt.",
        "Ergebnisse je Kriterium",
    ]
    assert in_order(text, markers) == markers
    assert (report_text.SUGGESTIONS_HEADING in text, "Berater Name" in text) == (False, False)


def test_a_school_without_a_plan_keeps_the_suggestions():
    text = " ".join(pages_text(render_pdf(make_report(submitted=True))))
    suggestions = report_text.SUGGESTIONS_HEADING
    assert in_order(text, ["Auf einen Blick", suggestions, "Entwicklungsfeld 3a (Wert 2)"]) == [
        "Auf einen Blick", suggestions, "Entwicklungsfeld 3a (Wert 2)",
    ]  # fmt: skip
    assert (plan_section.intro("2025/26") in text, "Schwerpunkt 1" in text) == (False, False)


def test_without_goals_last_years_goals_and_the_agreements_follow_the_suggestions():
    data = make_report(submitted=True, plan=PlanInput((), AGREEMENTS[1:], PREVIOUS))
    text = " ".join(pages_text(render_pdf(data)))
    assert data.has_plan_goals is False
    markers = [
        "Entwicklungsfeld 3a (Wert 2)", plan_section.NO_GOALS, "Ziele aus dem Schuljahr 2024/25",
        "Vereinbarungen mit der Medienberatung", "Vom Team noch nicht bestätigt.",
    ]  # fmt: skip
    assert in_order(text, markers) == markers


def test_a_reader_who_may_not_see_the_plan_reads_that_it_is_not_shared():
    data = make_report(submitted=True, plan_withheld=True)
    text = " ".join(pages_text(render_pdf(data)))
    assert (data.plan, text.count(plan_section.PLAN_WITHHELD), "Schwerpunkt 1" in text) == (None, 1, False)
    assert in_order(text, ["Auf einen Blick", plan_section.PLAN_WITHHELD, "Entwicklungsfeld 3a (Wert 2)"]) == [
        "Auf einen Blick", plan_section.PLAN_WITHHELD, "Entwicklungsfeld 3a (Wert 2)",
    ]  # fmt: skip


def test_an_offer_no_longer_in_the_catalogue_is_left_out_and_no_plan_is_none():
    goal = Goal(1, ("k3a",), None, "", (Measure(2, "Etwas", offers=("gibt-es-nicht", "medienberater-region")),))
    section = make_report(plan=PlanInput((goal,))).plan
    assert ([o.id for o in section.focus[0].offers], plan_section.target_line(section.focus[0])) == (
        ["medienberater-region"], "Zielwert: keiner festgelegt (heute 2,0)",
    )  # fmt: skip
    assert (make_report(plan=PlanInput()).plan, make_report().plan) == (None, None)


def test_last_years_measures_are_counted_by_status_and_texts_shortened():
    measure = plan_section.PlanMeasure("Fortbildung " * 12, "", None, "erledigt", False)
    four = (measure, *[plan_section.PlanMeasure("Netzwerk besuchen", "", None, "begonnen", False)] * 3)
    assert [plan_section.measures_line(m) for m in ((), four[:1], four)] == [
        "Keine Maßnahmen festgehalten.", "1 Maßnahme: 1 erledigt", "4 Maßnahmen: 3 begonnen, 1 erledigt",
    ]  # fmt: skip
    assert (plan_section.shortened(measure.what), plan_section.shortened("kurz")) == (
        "Fortbildung Fortbildung Fortbildung Fortbildung Fortbildung Fortbildung Fortbildung …", "kurz",
    )  # fmt: skip
