"""The plan page's form: goals and measures as rows, read from the posted fields and written back unchanged.

A plan is a short nested list (goals, each with measures), so the form is plain HTML fields named by position
("g0-target", "g1-m2-due") rather than a WTForms class. Without JavaScript, "Weitere Maßnahme" and "Weiteres
Ziel" post the form and get it back with one more empty row and everything typed kept. Blank rows are left out
before the plan is checked (services.plans.replace_goals → planning.parse_goals); the problems it names
("goals[0].measures[1].due") are put back beside the row's field, whose position may differ from the list sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from werkzeug.datastructures import MultiDict

from ..catalog import Catalog, indicator_letter
from ..planning.model import MAX_GOAL_INDICATORS, MAX_GOALS, MAX_MEASURES, Goal

ADD_GOAL = "weiteres-ziel"
ADD_MEASURE = "weitere-massnahme-"
SAVE = "speichern"
#: Indicator choices a goal shows at least (a goal is usually one indicator, sometimes two or three).
MIN_INDICATOR_SLOTS = 3
#: Any one posted value longer than this came from no page of ours (the longest field holds 1,000 characters).
MAX_VALUE = 4000
#: More values under one name than any field has (a measure offers at most every fitting offer as a checkbox).
MAX_VALUES = 200
_VERSION = re.compile(r"^[0-9]{1,9}$")
_NAME = re.compile(
    r"^(version|g[0-9]-(id|indicator-[1-6]|target|success|remove)|g[0-9]-m[0-9]{1,2}-(id|what|who|due|status|offers|remove))$"
)
_PROBLEM = re.compile(r"^goals\[(\d+)\](?:\.measures\[(\d+)\])?(?:\.(\w+))?$")
GOAL_LABELS = {"indicators": "Indikatoren", "target": "Zielwert", "success": "Woran wir merken, dass es erreicht ist",
               "measures": "Maßnahmen", "id": "Indikatoren"}  # fmt: skip
MEASURE_LABELS = {"what": "Was", "who": "Wer (Funktion)", "due": "Bis wann", "status": "Stand", "offers": "Angebote",
                  "id": "Was"}  # fmt: skip


@dataclass
class MeasureRow:
    id: str = ""
    what: str = ""
    who: str = ""
    due: str = ""
    status: str = "geplant"
    offers: tuple[str, ...] = ()
    remove: bool = False

    @property
    def is_blank(self) -> bool:
        return not (self.id or self.what.strip() or self.who.strip() or self.due or self.offers)


@dataclass
class GoalRow:
    id: str = ""
    indicators: list[str] = field(default_factory=list)
    target: str = ""
    success: str = ""
    remove: bool = False
    measures: list[MeasureRow] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        typed = self.id or any(self.indicators) or self.target.strip() or self.success.strip()
        return not typed and all(m.is_blank for m in self.measures)

    @property
    def chosen(self) -> list[str]:
        return list(dict.fromkeys(i for i in self.indicators if i))

    @property
    def slots(self) -> list[str]:
        """The indicator choices to show: those chosen, then empty ones up to at least MIN_INDICATOR_SLOTS."""
        chosen = self.chosen
        count = min(MAX_GOAL_INDICATORS, max(MIN_INDICATOR_SLOTS, len(chosen) + 1))
        return (chosen + [""] * count)[:count]


@dataclass
class PlanForm:
    version: str
    goals: list[GoalRow]
    #: field id -> message, and the same as (field id, label, message) in page order for the summary.
    errors: dict[str, str] = field(default_factory=dict)
    summary: list[tuple[str, str, str]] = field(default_factory=list)
    #: Where the page should open after "Weitere Maßnahme" / "Weiteres Ziel" (the new row's first field).
    focus: str = ""

    @property
    def version_ok(self) -> bool:
        return bool(_VERSION.match(self.version))

    def raw_goals(self) -> tuple[list[dict[str, Any]], list[tuple[int, list[int]]]]:
        """The goals to check and keep (blank and removed rows left out), and where each came from: for each
        goal sent, (goal row, [measure rows])."""
        raw, places = [], []
        for g_index, goal in enumerate(self.goals):
            if goal.remove or goal.is_blank:
                continue
            measures, rows = [], []
            for m_index, measure in enumerate(goal.measures):
                if measure.remove or measure.is_blank:
                    continue
                measures.append(_raw_measure(measure))
                rows.append(m_index)
            item: dict[str, Any] = {"indicators": goal.chosen, "target": _number(goal.target), "success": goal.success}
            if goal.id.isdigit():
                item["id"] = int(goal.id)
            raw.append({**item, "measures": measures})
            places.append((g_index, rows))
        return raw, places

    def attach(self, problems: Mapping[str, str]) -> None:
        """The checker's messages beside their fields (and in the summary, in the order of the page)."""
        _, places = self.raw_goals()
        found = []
        for key, message in problems.items():
            field_id, label = _place(key, places)
            found.append((field_id, label, message))
        self.summary = sorted(found, key=lambda item: _order(item[0]))
        self.errors = {}
        for field_id, _, message in self.summary:
            self.errors[field_id] = f"{self.errors[field_id]} {message}" if field_id in self.errors else message

    def with_more(self, action: str) -> PlanForm:
        """The same input with one more empty goal or measure row (nothing is saved)."""
        goals = list(self.goals)
        if action == ADD_GOAL and len(goals) < MAX_GOALS:
            goals.append(GoalRow(measures=[MeasureRow()]))
            return replace(self, goals=goals, focus=f"g{len(goals) - 1}-indicator-1")
        if action.startswith(ADD_MEASURE) and action.removeprefix(ADD_MEASURE).isdigit():
            index = int(action.removeprefix(ADD_MEASURE))
            if index < len(goals) and len(goals[index].measures) < MAX_MEASURES:
                goals[index] = replace(goals[index], measures=[*goals[index].measures, MeasureRow()])
                return replace(self, goals=goals, focus=f"g{index}-m{len(goals[index].measures) - 1}-what")
        return self


def from_goals(version: int, goals: tuple[Goal, ...]) -> PlanForm:
    """The form showing the stored plan, with an empty measure row per goal (and an empty goal if there is none)."""
    rows = [
        GoalRow(
            str(goal.id), list(goal.indicators), format_target(goal.target), goal.success,
            measures=[
                MeasureRow(str(m.id), m.what, m.who, m.due.isoformat() if m.due else "", m.status, m.offers)
                for m in goal.measures
            ],
        )
        for goal in goals
    ]  # fmt: skip
    return with_blank_rows(PlanForm(str(version), rows))


def from_formdata(formdata: Mapping[str, Any]) -> PlanForm:
    """The form exactly as posted (a MultiDict: the page's request.form, or kept input made into one)."""
    goals = []
    for g_index in range(MAX_GOALS):
        prefix = f"g{g_index}-"
        if not any(name.startswith(prefix) for name in formdata):
            break
        measures = []
        for m_index in range(MAX_MEASURES):
            m_prefix = f"{prefix}m{m_index}-"
            if not any(name.startswith(m_prefix) for name in formdata):
                break
            measures.append(
                MeasureRow(
                    _one(formdata, m_prefix + "id"), _one(formdata, m_prefix + "what"), _one(formdata, m_prefix + "who"),
                    _one(formdata, m_prefix + "due"), _one(formdata, m_prefix + "status") or "geplant",
                    tuple(_many(formdata, m_prefix + "offers")), _one(formdata, m_prefix + "remove") == "ja",
                )
            )  # fmt: skip
        indicators = [_one(formdata, f"{prefix}indicator-{n}") for n in range(1, MAX_GOAL_INDICATORS + 1)]
        goals.append(
            GoalRow(
                _one(formdata, prefix + "id"), indicators, _one(formdata, prefix + "target"),
                _one(formdata, prefix + "success"), _one(formdata, prefix + "remove") == "ja", measures,
            )
        )  # fmt: skip
    return PlanForm(_one(formdata, "version"), goals)


def with_blank_rows(form: PlanForm) -> PlanForm:
    """One empty measure row per goal to type into, and one empty goal when the plan has none."""
    goals = [
        replace(goal, measures=[*goal.measures, MeasureRow()])
        if len(goal.measures) < MAX_MEASURES and not any(m.is_blank for m in goal.measures)
        else goal
        for goal in form.goals
    ]
    if not goals:
        goals = [GoalRow(measures=[MeasureRow()])]
    return replace(form, goals=goals)


def posted_plan_input(formdata: Mapping[str, Any]) -> dict[str, Any] | None:
    """The plan fields of a posted form, to keep across a new log-in; None when it came from no page of ours."""
    version = _one(formdata, "version")
    if not _VERSION.match(version):
        return None
    fields: dict[str, list[str]] = {}
    for name in formdata:
        if not _NAME.match(name):
            continue
        values = _many(formdata, name)
        if len(values) > MAX_VALUES or any(len(value) > MAX_VALUE for value in values):
            return None
        fields[name] = values
    return {"version": version, "fields": fields}


def formdata_of(payload: Mapping[str, Any]) -> MultiDict:
    """Kept input (posted_plan_input) as the MultiDict the form reads."""
    data: MultiDict = MultiDict()
    for name, values in payload.get("fields", {}).items():
        for value in values:
            data.add(name, value)
    data["version"] = payload.get("version", "")
    return data


def indicator_labels(catalog: Catalog) -> dict[str, str]:
    """{indicator id: "3b"}, as the Leitfaden numbers its indicators."""
    return {
        indicator.id: f"{number}{indicator_letter(position)}"
        for number, criterion in enumerate(catalog.criteria, start=1)
        for position, indicator in enumerate(criterion.indicators)
    }


def format_target(value: float | None) -> str:
    """2.5 → "2,5", 3.0 → "3"."""
    if value is None:
        return ""
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",")


def _raw_measure(measure: MeasureRow) -> dict[str, Any]:
    item: dict[str, Any] = {
        "what": measure.what, "who": measure.who, "due": measure.due.strip() or None, "status": measure.status,
        "offers": list(measure.offers),
    }  # fmt: skip
    if measure.id.isdigit():
        item["id"] = int(measure.id)
    return item


def _number(text: str) -> Any:
    """The target as typed: a number (comma or point), None when empty, else the text (the checker names it)."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return text


def _place(key: str, places: list[tuple[int, list[int]]]) -> tuple[str, str]:
    """A problem's key → (the field's id on the page, its label for the summary)."""
    match = _PROBLEM.match(key)
    if match is None or int(match.group(1)) >= len(places):
        return "ziele", "Ziele"
    g_row, m_rows = places[int(match.group(1))]
    goal = f"Ziel {g_row + 1}"
    part = match.group(3) or ""
    if match.group(2) is None:
        targets = {"target": "target", "success": "success", "measures": "massnahmen"}
        return f"g{g_row}-{targets.get(part, 'indicator-1')}", f"{goal}, {GOAL_LABELS.get(part, 'Indikatoren')}"
    m_index = int(match.group(2))
    m_row = m_rows[m_index] if m_index < len(m_rows) else 0
    suffix = part if part in ("what", "who", "due", "status", "offers") else "what"
    return f"g{g_row}-m{m_row}-{suffix}", f"{goal}, Maßnahme {m_row + 1}, {MEASURE_LABELS.get(part, 'Was')}"


def _order(field_id: str) -> tuple[int, int, int, int]:
    """Page order of a field id: by goal, the goal's own fields first, then its measures in order."""
    match = re.match(r"^g(\d+)-(?:m(\d+)-)?(.+)$", field_id)
    if match is None:
        return (-1, 0, 0, 0)
    fields = ("indicator-1", "target", "success", "massnahmen", "what", "who", "due", "status", "offers")
    position = fields.index(match.group(3)) if match.group(3) in fields else 0
    measure = match.group(2)
    return (int(match.group(1)), 0 if measure is None else 1, int(measure or 0), position)


def _one(formdata: Mapping[str, Any], name: str) -> str:
    values = _many(formdata, name)
    return values[0] if values else ""


def _many(formdata: Mapping[str, Any], name: str) -> list[str]:
    if isinstance(formdata, MultiDict):
        return [str(value) for value in formdata.getlist(name)]
    value = formdata.get(name)
    return [] if value is None else [str(value)]
