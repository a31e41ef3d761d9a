"""Steps several journeys share: setting a password with the admin's link, logging in and out."""

from __future__ import annotations

from .reading import flashes, path_of
from .scan import Scan, Tab

PASSWORD_SAVED = "Ihr Passwort ist gespeichert. Sie können sich jetzt anmelden."


def set_password(tab: Tab, scan: Scan, link: str, password: str) -> None:
    """Open the one-time link as its owner and choose a password; ends on the log-in page."""
    page = tab.page
    page.goto(link)
    scan.page(tab, "Passwort festlegen")
    page.get_by_label("Neues Passwort").fill(password)
    page.get_by_label("Passwort wiederholen").fill(password)
    page.get_by_role("button", name="Passwort speichern").click()
    page.wait_for_url("**/anmelden")
    assert flashes(page) == [PASSWORD_SAVED]


def log_in(tab: Tab, scan: Scan, email: str, password: str, lands_on: str) -> None:
    """Log in on /anmelden (filled by mouse and keys) and arrive on the start page `lands_on` (a path)."""
    page = tab.page
    if not page.url.endswith("/anmelden"):
        page.goto("/anmelden")
        scan.page(tab, "Anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**{lands_on}")
    assert path_of(page) == lands_on


def log_out(tab: Tab, scan: Scan) -> None:
    page = tab.page
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()
    scan.page(tab, "nach dem Abmelden")
