"""The plan page of school 100001 in round 2025/26 (issue 18): its address, its form as a browser sends it, what is
stored, and what the page shows of a goal."""

from __future__ import annotations

from bs4 import BeautifulSoup

from selfeval.services.plans import load_plan
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school

from .html import text

PLAN = "/schulen/100001/2025-26/plan"


def plan_form_data(page: BeautifulSoup, **changes: str | list[str]) -> dict[str, str | list[str]]:
    """What the browser would send for the plan form as shown (the default button, "Plan speichern"), changed."""
    form = page.find("form", class_="plan-form")
    data: dict[str, str | list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or (field.get("type") == "checkbox" and not field.has_attr("checked")):
            continue
        if field.name == "textarea":
            value = field.get_text().removeprefix("\r\n").removeprefix("\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen.get("value", "")
        else:
            value = field.get("value", "")
        if field.get("type") == "checkbox":
            previous = data.get(name, [])
            data[name] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            data[name] = value
    return data | {"aktion": "speichern"} | changes


def stored_goals(app, schulnummer: str = "100001", round_slug: str = "2025-26") -> tuple[int, list[tuple]]:
    """The stored plan's version and, per goal: indicators, target, success, measures (what, who, due, status, offers)."""
    with app.app_context():
        state = load_plan(get_school(schulnummer), get_round(round_slug))
        return state.version, [
            (goal.indicators, goal.target, goal.success,
             [(m.what, m.who, m.due.isoformat() if m.due else None, m.status, m.offers) for m in goal.measures])
            for goal in state.goals
        ]  # fmt: skip


def goal_headings(page: BeautifulSoup) -> list[str]:
    return [text(h) for h in page.select(".goal h3")]


def summary(page: BeautifulSoup) -> list[str]:
    return [text(li) for li in page.select("#fehler li")]


def shown_fields(page: BeautifulSoup, *names: str) -> dict[str, str | list[str]]:
    data = plan_form_data(page)
    return {name: data.get(name, "") for name in names}


def agreement_form_data(page: BeautifulSoup, **changes: str) -> dict[str, str]:
    """What the browser would send for the agreement form (the Medienberatung's) as shown, changed."""
    form = page.find("form", class_="agreement-form")
    data = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    data["text"] = form.find("textarea", attrs={"name": "text"}).get_text().removeprefix("\r\n").removeprefix("\n")
    return data | changes


def shown_agreement(page: BeautifulSoup) -> dict[str, str]:
    """The four fields of the agreement form as shown."""
    data = agreement_form_data(page)
    return {name: data[name] for name in ("date", "participants", "text", "next_contact")}
