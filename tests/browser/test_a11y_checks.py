"""The checks the journeys rely on find what they are meant to find (and nothing on a clean page)."""

from __future__ import annotations

import pytest

from .a11y import axe_violations, error_announcement, focus_indicator_problem, reflow_problems

pytestmark = pytest.mark.browser

CLEAN = """<!doctype html><html lang="de"><head><title>Sauber</title></head>
<body><main><h1>Sauber</h1><p>Ein Absatz mit <a href="#ziel">einem Link</a>.</p><p id="ziel">Ziel</p></main></body></html>"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def rule_ids(violations: list[str]) -> list[str]:
    return sorted(violation.split()[1] for violation in violations)


def test_axe_finds_nothing_on_a_clean_page(page):
    page.set_content(CLEAN)
    assert (axe_violations(page), reflow_problems(page)) == ([], [])


def test_axe_names_rule_impact_and_element_of_each_violation(page):
    page.set_content(
        """<!doctype html><html lang="de"><head><title>Fehler</title></head><body><main>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="bild">
        <p id="blass" style="color:#bbb;background:#fff">kaum lesbar</p></main></body></html>"""
    )
    violations = axe_violations(page)
    assert rule_ids(violations) == ["color-contrast", "image-alt"]
    assert [v.splitlines()[1].strip() for v in sorted(violations)] == ["at: #blass", "at: #bild"]
    assert sorted(v.split(":")[0] for v in violations) == ["axe color-contrast (serious)", "axe image-alt (critical)"]


def test_reflow_names_what_sticks_out_or_is_cut_off_but_allows_scrolling_regions(page):
    page.set_content(
        """<!doctype html><html lang="de"><head><title>Breit</title></head><body style="margin:8px"><main>
        <div id="breit" style="width:900px">breit</div>
        <div style="overflow-x:auto"><table style="width:2000px"><tr><td>Tabelle darf scrollen</td></tr></table></div>
        <div id="eng" style="width:100px;height:20px;overflow:hidden"><div style="width:300px;height:20px"></div></div>
        <div id="kasten" style="width:200px"><select id="auswahl" style="width:250px"><option>Wahl</option></select></div>
        </main></body></html>"""
    )
    assert reflow_problems(page) == [
        "at 640 px: the page scrolls sideways: 908 px of content in a 640 px window",
        'at 640 px: <div#breit> "breit" reaches from 8 to 908 px',
        'at 640 px: <div#eng> "" cuts off its content (300×20 px in 100×20 px)',
        'at 640 px: <select#auswahl> "Wahl" sticks out of <div#kasten> "Wahl" by 50 px',
    ]
    assert page.viewport_size == {"width": 1280, "height": 800}


def test_focus_check_tells_a_visible_focus_from_none_and_from_a_hidden_one(page):
    page.set_content(
        """<!doctype html><html lang="de"><head><title>Fokus</title>
        <style>#ohne:focus { outline: none; }
        footer { position: fixed; bottom: 0; left: 0; right: 0; height: 120px; background: #eee; }</style>
        </head><body><main><button id="mit">Mit Fokus</button> <button id="ohne">Ohne Fokus</button>
        <div style="height:2000px"></div><a href="#" id="verdeckt">Verdeckt</a></main>
        <footer class="leiste">Leiste</footer></body></html>"""
    )
    page.keyboard.press("Tab")
    assert focus_indicator_problem(page) == ""
    page.keyboard.press("Tab")
    assert focus_indicator_problem(page) == "the focused button[submit] „Ohne Fokus“ shows no visible focus"
    page.evaluate("window.scrollTo(0, document.getElementById('verdeckt').offsetTop - 700)")
    page.focus("#verdeckt")
    assert focus_indicator_problem(page) == "the focused a „Verdeckt“ is hidden under <footer.leiste>"


def test_error_announcement_reads_summary_focus_and_field_descriptions(page):
    page.set_content(
        """<!doctype html><html lang="de"><head><title>Fehler</title></head><body><main>
        <div role="alert" id="fehler" tabindex="-1" autofocus><ul><li><a href="#name">Name: fehlt</a></li></ul></div>
        <label for="name">Name</label><input id="name" aria-invalid="true" aria-describedby="name-hint name-error">
        <p id="name-hint">Wie Sie heißen</p><p id="name-error">fehlt</p></main></body></html>"""
    )
    page.focus("#fehler")
    assert error_announcement(page) == {
        "focused": True,
        "fields": [{"link": "Name: fehlt", "invalid": "true", "description": ["Wie Sie heißen", "fehlt"]}],
    }
    page.set_content(CLEAN)
    assert error_announcement(page) is None
