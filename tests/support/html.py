"""Reading pages in tests: parse a response, its text with whitespace collapsed, table rows, the CSRF token."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(element) -> str:
    return re.sub(r"\s+", " ", element.get_text()).strip()


def rows(table) -> list[list[str]]:
    """The body rows of a table, each as its cells' text."""
    return [[text(cell) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]


def csrf(client, url: str = "/") -> str:
    """The CSRF token a page carries in its <meta name="csrf-token">."""
    return soup_of(client.get(url)).find("meta", attrs={"name": "csrf-token"})["content"]


def page_rows(page, selector: str = "table.data-table") -> list[list[str]]:
    """The body rows of the first matching table, cell texts in order."""
    table = page.select_one(selector)
    return [[text(cell) for cell in row.find_all(["th", "td"])] for row in table.tbody.find_all("tr")]


def field_errors(page) -> dict[str, str]:
    return {p["id"].removesuffix("-error"): text(p) for p in page.select("p.field-error")}
