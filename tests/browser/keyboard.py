"""Using a page with the keyboard alone: Tab to an element, arrows in a radio group, checking the focus on the way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Page

from .a11y import focus_indicator_problem

#: No page of the app has more tab stops before its main action than this.
TAB_LIMIT = 150

_ACTIVE = """
() => {
  const el = document.activeElement || document.body;
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id,
    text: (el.innerText || '').trim().replace(/\\s+/g, ' '), value: el.value || '', checked: !!el.checked,
    kind: `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''}.${el.className}`,
  };
}
"""


@dataclass
class FocusAudit:
    """Checks that the focus is visible, once for every kind of element (tag, type, class) on every page."""

    seen: set[tuple[str, str]] = field(default_factory=set)
    checked: int = 0

    def check(self, page: Page, active: dict) -> None:
        key = (urlsplit(page.url).path, active.get("kind", "body"))
        if key in self.seen:
            return
        self.seen.add(key)
        self.checked += 1
        problem = focus_indicator_problem(page)
        assert problem == "", f"on {page.url}: {problem}"


def active_element(page: Page) -> dict:
    """What has the keyboard focus: tag, type, name, id, text, value, checked, kind."""
    return page.evaluate(_ACTIVE)


def tab_to(page: Page, wanted: Callable[[dict], bool], what: str, audit: FocusAudit | None = None) -> dict:
    """Press Tab until the focused element is `wanted`; checks every tab stop on the way with `audit`."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        active = active_element(page)
        if audit is not None and active["tag"] not in ("body", "html"):
            audit.check(page, active)
        if wanted(active):
            return active
    raise AssertionError(f"{what} is not reachable with the Tab key on {page.url}")


def link(text: str) -> Callable[[dict], bool]:
    return lambda active: active["tag"] == "a" and active["text"] == text


def link_starting(text: str) -> Callable[[dict], bool]:
    return lambda active: active["tag"] == "a" and active["text"].startswith(text)


def button(text: str) -> Callable[[dict], bool]:
    return lambda active: active["tag"] == "button" and active["text"] == text


def field_named(name: str) -> Callable[[dict], bool]:
    return lambda active: active["name"] == name


def choose_with_arrows(page: Page, value: str) -> None:
    """In the focused radio group, move to the option `value` with the arrow keys (which also selects it)."""
    active = active_element(page)
    assert active["type"] == "radio", f"a radio button should have the focus, not {active}"
    values = page.evaluate(
        "name => [...document.querySelectorAll(`input[type=radio][name='${name}']`)].map(r => r.value)", active["name"]
    )
    current, target = values.index(active["value"]), values.index(value)
    forward = (target - current) % len(values)
    backward = (current - target) % len(values)
    key, presses = ("ArrowRight", forward) if forward <= backward else ("ArrowLeft", backward)
    for _ in range(presses):
        page.keyboard.press(key)
    chosen = active_element(page)
    assert (chosen["name"], chosen["value"], chosen["checked"]) == (active["name"], value, True)
