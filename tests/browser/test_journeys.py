"""Five journeys through the app in Chromium, in this order, against one server on a fresh database.

Each builds on the one before: the admin's invitations are used by the team, the team's submitted
assessment by supervision and advice. They run as one test so that no test distribution (pytest -n)
can separate them; a failure names its journey. Every page they reach is checked by scan.Scan.page
(axe-core WCAG 2.0/2.1 A and AA, browser console, server errors, 200 % zoom).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .journey_1_admin_setup import admin_imports_directory_and_creates_round_and_accounts
from .journey_2_keyboard_rating import team_member_rates_everything_with_the_keyboard_and_submits
from .journey_3_edit_conflict import second_team_member_meets_and_resolves_an_edit_conflict
from .journey_4_supervision import supervisor_filters_the_overview_and_opens_the_heatmap_and_a_school
from .journey_5_reports import adviser_downloads_the_school_report_and_the_zip_of_the_kreis
from .keyboard import FocusAudit
from .scan import Tabs
from .server import FIRST_ADMIN

pytestmark = pytest.mark.browser

JOURNEYS = [
    admin_imports_directory_and_creates_round_and_accounts,
    team_member_rates_everything_with_the_keyboard_and_submits,
    second_team_member_meets_and_resolves_an_edit_conflict,
    supervisor_filters_the_overview_and_opens_the_heatmap_and_a_school,
    adviser_downloads_the_school_report_and_the_zip_of_the_kreis,
]


#: Pages the journeys reach (each checked as it loads), and kinds of focusable elements whose focus was looked at.
PAGES_CHECKED = 73
FOCUS_CHECKS = 79  # the submit page's release checkbox (issue 19)


@dataclass
class Story:
    """What the journeys hand on to each other."""

    base_url: str
    admin: tuple[str, str] = (FIRST_ADMIN[0], FIRST_ADMIN[2])
    #: The school the team rates: (Schulnummer, name, Kreisschlüssel).
    school: tuple[str, str, str] = ("", "", "")
    #: How many schools of the directory file share the school's Kreis and Schulform (the supervisor's filter).
    same_kreis_and_schulform: int = 0
    #: E-mail → one-time link to set the password, as the admin received them.
    links: dict[str, str] = field(default_factory=dict)
    #: E-mail → the password its owner chose.
    passwords: dict[str, str] = field(default_factory=dict)
    #: Indicator id → (score, comment) as submitted.
    ratings: dict[str, tuple[int, str]] = field(default_factory=dict)


@pytest.mark.timeout(900)  # about a minute and a half on an idle machine; much longer beside the rest of the suite
def test_five_journeys_in_chromium_with_accessibility_checks_on_every_page(browser, server_url, scan):
    story, audit = Story(server_url), FocusAudit()
    scanned_before = len(scan.scanned)  # the scan is the session's: other browser tests in this process count too
    for number, journey in enumerate(JOURNEYS, start=1):
        tabs = Tabs(browser, server_url)
        try:
            journey(tabs.open, scan, story, audit)
        except BaseException as problem:
            problem.add_note(f"in journey {number}: {journey.__name__.replace('_', ' ')}")
            raise
        finally:
            tabs.close()
    assert (len(scan.scanned) - scanned_before, audit.checked) == (PAGES_CHECKED, FOCUS_CHECKS)
