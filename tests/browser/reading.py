"""Reading what a page shows, as a person sees it: headings, messages, figures, table rows."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def heading(page: Page) -> str:
    return squeeze(page.locator("h1").text_content())


def flashes(page: Page) -> list[str]:
    return [squeeze(text) for text in page.locator(".flashes p").all_inner_texts()]


def figures(page: Page) -> dict[str, str]:
    """The <dl class="figures"> as label → number."""
    pairs = page.eval_on_selector_all(
        "dl.figures > div", "divs => divs.map(d => [d.querySelector('dt').innerText, d.querySelector('dd').innerText])"
    )
    return {squeeze(label): squeeze(value) for label, value in pairs}


def rows(table: Locator) -> list[list[str]]:
    """The body rows of a table, each as its cells' text."""
    cells = table.evaluate("t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText))")
    return [[squeeze(cell) for cell in row] for row in cells]


def path_of(page: Page) -> str:
    """The page's path and query, without the server's address."""
    return re.sub(r"^https?://[^/]+", "", page.url)
