"""Checks a plan as typed (a page's form or the API's JSON, both as lists of dicts) and says, per field, what is
wrong in plain German; nothing is kept unless all of it is right.

Problems are keyed by where they are, e.g. "goals[0].measures[1].due", so that a page puts each message beside
its field and the API answers with the same places.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from ..catalog import Catalog
from ..limits import CONTROL_CHARACTERS
from .model import (
    MAX_AGREEMENT_LENGTH,
    MAX_GOAL_INDICATORS,
    MAX_GOALS,
    MAX_MEASURE_OFFERS,
    MAX_MEASURES,
    MAX_PARTICIPANTS_LENGTH,
    MAX_SUCCESS_LENGTH,
    MAX_WHAT_LENGTH,
    MAX_WHO_LENGTH,
    MEASURE_STATUSES,
    Goal,
    Measure,
    highest_id,
)


class PlanInvalid(ValueError):
    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{where}: {what}" for where, what in problems.items()))
        self.problems = problems


class _Ids:
    """Keeps the ids a client sent back where they name this plan's goal or measure; gives new ones otherwise."""

    def __init__(self, current: tuple[Goal, ...]):
        self.goals = {goal.id for goal in current}
        self.measures = {m.id: m for goal in current for m in goal.measures}
        self.next = highest_id(current) + 1

    def fresh(self) -> int:
        self.next += 1
        return self.next - 1


def parse_goals(raw: Any, *, catalog: Catalog, offer_ids: Collection[str], current: tuple[Goal, ...] = ()) -> tuple[Goal, ...]:
    """The goals as they will be kept, or PlanInvalid naming every problem."""
    problems: dict[str, str] = {}
    if not isinstance(raw, list):
        raise PlanInvalid({"goals": "Die Ziele müssen eine Liste sein."})
    if len(raw) > MAX_GOALS:
        problems["goals"] = f"Höchstens {MAX_GOALS} Entwicklungsziele; der Plan soll sich auf wenige Schwerpunkte beschränken."
    ids = _Ids(current)
    for position, item in enumerate(raw[:MAX_GOALS]):
        _check_goal_id(item, f"goals[{position}]", ids, problems)
    goals = [
        _goal(item, f"goals[{position}]", catalog, offer_ids, ids, problems) for position, item in enumerate(raw[:MAX_GOALS])
    ]
    _no_indicator_twice(goals, problems)
    if problems:
        raise PlanInvalid(problems)
    return tuple(goal for goal in goals if goal is not None)


def _check_goal_id(item: Any, where: str, ids: _Ids, problems: dict[str, str]) -> None:
    if isinstance(item, dict) and item.get("id") is not None and item.get("id") not in ids.goals:
        problems[f"{where}.id"] = "Dieses Ziel gibt es in diesem Plan nicht (mehr); neue Ziele haben keine id."


def _goal(item: Any, where: str, catalog: Catalog, offers: Collection[str], ids: _Ids, problems: dict[str, str]) -> Goal | None:
    if not isinstance(item, dict):
        problems[where] = "Ein Ziel muss ein Objekt sein."
        return None
    given = item.get("id")
    goal_id = given if isinstance(given, int) and given in ids.goals else ids.fresh()
    indicators = _indicators(item.get("indicators"), f"{where}.indicators", catalog, problems)
    target = _target(item.get("target"), f"{where}.target", catalog, problems)
    success = _text(item.get("success", ""), f"{where}.success", MAX_SUCCESS_LENGTH, problems)
    raw_measures = item.get("measures", [])
    if not isinstance(raw_measures, list):
        problems[f"{where}.measures"] = "Die Maßnahmen müssen eine Liste sein."
        raw_measures = []
    if len(raw_measures) > MAX_MEASURES:
        problems[f"{where}.measures"] = f"Höchstens {MAX_MEASURES} Maßnahmen je Ziel."
    measures = [
        _measure(raw, f"{where}.measures[{index}]", offers, ids, problems)
        for index, raw in enumerate(raw_measures[:MAX_MEASURES])
    ]
    return Goal(goal_id, indicators, target, success, tuple(m for m in measures if m is not None))


def _indicators(value: Any, where: str, catalog: Catalog, problems: dict[str, str]) -> tuple[str, ...]:
    known = {indicator.id for indicator in catalog.indicators}
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        problems[where] = "Bitte mindestens einen Indikator wählen."
        return ()
    chosen = tuple(dict.fromkeys(value))
    if not chosen:
        problems[where] = "Bitte mindestens einen Indikator wählen, auf den sich das Ziel bezieht."
    elif unknown := [i for i in chosen if i not in known]:
        problems[where] = f"Unbekannte Indikatoren: {', '.join(unknown)}."
    elif len(chosen) > MAX_GOAL_INDICATORS:
        problems[where] = f"Höchstens {MAX_GOAL_INDICATORS} Indikatoren je Ziel."
    order = {indicator.id: n for n, indicator in enumerate(catalog.indicators)}
    return tuple(sorted(chosen, key=lambda i: order.get(i, len(order))))


def _target(value: Any, where: str, catalog: Catalog, problems: dict[str, str]) -> float | None:
    low, high = catalog.scale.min, catalog.scale.max
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        problems[where] = f"Der Zielwert muss eine Zahl von {low} bis {high} sein (oder leer bleiben)."
        return None
    return round(float(value), 1)


def _text(value: Any, where: str, limit: int, problems: dict[str, str], required: str = "") -> str:
    if not isinstance(value, str):
        problems[where] = "Bitte einen Text eingeben."
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        problems[where] = required
    elif len(text) > limit:
        problems[where] = f"Höchstens {limit} Zeichen (jetzt {len(text)})."
    elif CONTROL_CHARACTERS.search(text):
        problems[where] = "Der Text enthält Steuerzeichen; bitte entfernen."
    return text


def _measure(item: Any, where: str, offers: Collection[str], ids: _Ids, problems: dict[str, str]) -> Measure | None:
    if not isinstance(item, dict):
        problems[where] = "Eine Maßnahme muss ein Objekt sein."
        return None
    what = _text(item.get("what", ""), f"{where}.what", MAX_WHAT_LENGTH, problems, "Bitte beschreiben, was getan wird.")
    who = _text(item.get("who", ""), f"{where}.who", MAX_WHO_LENGTH, problems)
    due = _date(item.get("due"), f"{where}.due", problems)
    status = item.get("status", "geplant")
    if status not in MEASURE_STATUSES:
        problems[f"{where}.status"] = f"Der Stand muss einer von {', '.join(MEASURE_STATUSES)} sein."
    chosen = _offers(item.get("offers", []), f"{where}.offers", offers, problems)
    known = ids.measures.get(item["id"]) if isinstance(item.get("id"), int) else None
    if item.get("id") is not None and known is None:
        problems[f"{where}.id"] = "Diese Maßnahme gibt es in diesem Plan nicht (mehr); neue Maßnahmen haben keine id."
    measure_id = known.id if known else ids.fresh()
    return Measure(measure_id, what, who, due, str(status), chosen, known.carried_from if known else None)


def _offers(value: Any, where: str, fitting: Collection[str], problems: dict[str, str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        problems[where] = "Die Angebote müssen eine Liste von Angebots-ids sein."
        return ()
    chosen = tuple(dict.fromkeys(value))
    if unknown := [i for i in chosen if i not in fitting]:
        problems[where] = f"Diese Angebote passen nicht zur Schule oder gibt es nicht: {', '.join(unknown)}."
    elif len(chosen) > MAX_MEASURE_OFFERS:
        problems[where] = f"Höchstens {MAX_MEASURE_OFFERS} Angebote je Maßnahme."
    return chosen


def _date(value: Any, where: str, problems: dict[str, str], required: str = "") -> date | None:
    if value is None or value == "":
        if required:
            problems[where] = required
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        problems[where] = "Bitte ein Datum als JJJJ-MM-TT angeben, z. B. 2026-11-30."
        return None


def _no_indicator_twice(goals: list[Goal | None], problems: dict[str, str]) -> None:
    seen: dict[str, int] = {}
    for position, goal in enumerate(goals):
        for indicator in goal.indicators if goal else ():
            if indicator in seen:
                problems.setdefault(
                    f"goals[{position}].indicators",
                    f"Der Indikator {indicator} gehört schon zu Ziel {seen[indicator] + 1}; ein Indikator gehört zu einem Ziel.",
                )
            seen.setdefault(indicator, position)


def check_agreement(raw: Mapping[str, Any]) -> dict[str, Any]:
    """An agreement as the adviser typed it: {held_on, participants, text, next_contact}, or PlanInvalid."""
    problems: dict[str, str] = {}
    held_on = _date(raw.get("date"), "date", problems, "Bitte das Datum des Gesprächs angeben.")
    participants = _text(
        raw.get("participants", ""), "participants", MAX_PARTICIPANTS_LENGTH, problems,
        "Bitte angeben, wer teilgenommen hat (Funktionen, z. B. Schulleitung, Medienkoordination).",
    )  # fmt: skip
    text = _text(raw.get("text", ""), "text", MAX_AGREEMENT_LENGTH, problems, "Bitte festhalten, was vereinbart wurde.")
    next_contact = _date(raw.get("next_contact"), "next_contact", problems)
    if held_on and next_contact and next_contact < held_on:
        problems["next_contact"] = "Der nächste Kontakt kann nicht vor dem Gespräch liegen."
    if problems:
        raise PlanInvalid(problems)
    return {"held_on": held_on, "participants": participants, "text": text, "next_contact": next_contact}
