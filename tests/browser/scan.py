"""Every page a journey visits is checked the same way: axe, console errors, server errors, 200 % zoom.

`Scan.page()` is called once a page has loaded; it fails the journey with every problem found on
that page. Main pages are also photographed at desktop and phone width.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page

from .a11y import axe_violations, reflow_problems
from .screenshots import PAGES_FILE

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Waiting for an element or a page gives up after this long: the ZIP of reports takes the longest.
CONTEXT_TIMEOUT_MS = 30_000
#: The copies kept in docs/screenshots/ show the top of each page with 64 colours (the pages are flat):
#: about 650 KB for all fourteen instead of 6 MB.
DOCS_COLOURS = 64
DOCS_HEIGHT = {"desktop": 1600, "phone": 2000}


@dataclass
class Tab:
    """A browser tab in its own context (own cookies), with the console errors and failed pages it met."""

    page: Page
    problems: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, context: BrowserContext) -> Tab:
        tab = cls(context.new_page())
        tab.page.on("console", tab._on_console)
        tab.page.on("pageerror", lambda error: tab.problems.append(f"script error: {error}"))
        tab.page.on("response", tab._on_response)
        return tab

    def _on_console(self, message) -> None:
        # Chrome reports CSP violations, failed resources and script errors as console errors.
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def _on_response(self, response) -> None:
        if response.request.resource_type == "document" and response.status >= 500:
            self.problems.append(f"server error {response.status} for {response.url}")

    def take_problems(self, allowed: tuple[str, ...] = ()) -> list[str]:
        """The problems since the last call, except those matching one of the `allowed` patterns."""
        found, self.problems = self.problems, []
        return [problem for problem in found if not any(re.search(pattern, problem) for pattern in allowed)]


class Tabs:
    """Opens tabs for one journey, each in a fresh context (its own log-in), at desktop size; close() ends them all."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser, self.base_url, self.contexts = browser, base_url, []

    def open(self) -> Tab:
        context = self.browser.new_context(
            base_url=self.base_url, viewport=DESKTOP, locale="de-DE", timezone_id="Europe/Berlin", accept_downloads=True
        )
        context.set_default_timeout(CONTEXT_TIMEOUT_MS)
        self.contexts.append(context)
        return Tab.open(context)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts = []


@dataclass
class Scan:
    """Checks pages and keeps count; screenshots go to `screenshot_dir` (and, if set, copies to `docs_dir`)."""

    screenshot_dir: Path
    docs_dir: Path | None = None
    scanned: list[str] = field(default_factory=list)

    def page(self, tab: Tab, name: str, *, shot: str = "", allowed_console: tuple[str, ...] = ()) -> None:
        """Check the loaded page; with `shot`, also photograph it (and check reflow at phone width)."""
        page = tab.page
        page.wait_for_load_state("load")
        problems = axe_violations(page)
        problems += reflow_problems(page)
        if shot:
            problems += reflow_problems(page, PHONE["width"])
            self.photograph(tab, shot)
        problems += tab.take_problems(allowed_console)
        self.scanned.append(f"{name}: {page.url}")
        with (self.screenshot_dir / PAGES_FILE).open("a", encoding="utf-8") as pages:
            pages.write(f"{name}: {page.url}\n")
        if problems:
            pytest.fail(f"{len(problems)} problem(s) on the page {name} ({page.url}):\n  - " + "\n  - ".join(problems))

    def photograph(self, tab: Tab, shot: str) -> None:
        """Full-page screenshots at desktop and phone width, named `shot`-desktop.png and `shot`-phone.png."""
        page = tab.page
        original = page.viewport_size
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            png = page.screenshot(full_page=True, animations="disabled")
            (self.screenshot_dir / f"{shot}-{label}.png").write_bytes(png)
            if self.docs_dir is not None:
                (self.docs_dir / f"{shot}-{label}.png").write_bytes(_compact(png, DOCS_HEIGHT[label]))
        page.set_viewport_size(original)


def _compact(png: bytes, height: int) -> bytes:
    """The picture's top `height` pixels with a small palette: a tenth of the size for pages of flat colours."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.crop((0, 0, image.width, min(height, image.height)))
    image = image.quantize(colors=DOCS_COLOURS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
