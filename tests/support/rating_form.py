"""The rating pages of school 100001 in round 2025/26: their addresses, the form as a browser sends it, what is stored."""

from __future__ import annotations

from bs4 import BeautifulSoup

from selfeval.extensions import db
from selfeval.services import assessments

OVERVIEW = "/schulen/100001/2025-26/"
K1 = "/schulen/100001/2025-26/kriterien/k1"


def form_data(page: BeautifulSoup) -> dict[str, str]:
    """What the browser would send for the rating form as it is shown."""
    form = page.find("form", class_="rating-form")
    data = {}
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        if not name or (field.get("type") == "radio" and not field.has_attr("checked")):
            continue
        # A browser drops the one newline that starts a textarea's content.
        if field.name == "textarea":
            data[name] = field.get_text().removeprefix("\r\n").removeprefix("\n")
        else:
            data[name] = field.get("value", "")
    return data


def stored(app, school, indicator_id: str) -> tuple[int | None, str, int]:
    with app.app_context():
        from selfeval.services.rounds import get_round

        state = assessments.load_state(db.session.merge(school), get_round("2025-26"))
        rating = state.rating(indicator_id)
        return rating.score, rating.comment, state.version
