"""Test data made through the real services (no mocks): schools, rounds, users, ratings."""

from __future__ import annotations

import itertools

from selfeval.extensions import catalogs, db
from selfeval.models import Round, School, User
from selfeval.services import assessments
from selfeval.services.accounts import create_user, find_user, issue_token
from selfeval.services.rating_input import parse_rating_changes
from selfeval.services.rounds import create_round
from selfeval.services.schools import add_school

PASSWORD = "correct horse battery"
_numbers = itertools.count(100001)


def make_school(
    schulnummer: str | None = None, *, schulform: str = "15", kreis: str = "05913", name: str = "", **traeger: str
) -> School:
    """A school as an admin adds it; `traeger`: gemeindeschluessel, traeger_nummer, traeger_name, rechtsform."""
    number = schulnummer or str(next(_numbers))
    school = add_school(number, name or f"Testschule {number}", schulform, kreis, "Dortmund", **traeger)
    db.session.commit()
    return school


def make_round(name: str = "2025/26", *, is_open: bool = True) -> Round:
    new_round = create_round(name, catalogs.active)
    new_round.is_open = is_open
    db.session.commit()
    return new_round


def make_user(email: str, role: str = "team", *, school: School | None = None, leadership: bool = False, **scopes) -> User:
    user = create_user(email, email.split("@")[0].title(), role, PASSWORD, school=school, is_leadership=leadership, **scopes)
    db.session.commit()
    return user


def make_token(user: User) -> str:
    token = issue_token(user)
    db.session.commit()
    return token


def rate(school: School, round_: Round, user: User, scores: dict[str, int | None], comments: dict[str, str] | None = None):
    """Save these scores (and comments) as `user`, based on the current version; commits."""
    state = assessments.load_state(school, round_)
    raw = {key: {"score": value} for key, value in scores.items()}
    for key, comment in (comments or {}).items():
        raw.setdefault(key, {})["comment"] = comment
    new_state = assessments.save_ratings(school, round_, user, state.version, parse_rating_changes(state.catalog, raw))
    db.session.commit()
    return new_state


def all_scores(value: int = 5) -> dict[str, int]:
    return {indicator.id: value for indicator in catalogs.active.indicators}


def login(client, email: str, password: str = PASSWORD):
    """Log in through the real form (CSRF token included)."""
    page = client.get("/anmelden").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post("/anmelden", data={"csrf_token": token, "email": email, "password": password})


def leader(school: School) -> User:
    """The school's Schulleitung member (created on first use): submitting needs one."""
    email = f"leitung-{school.schulnummer}@schule.test"
    return find_user(email) or make_user(email, school=school, leadership=True)


def rated(school: School, round_: Round, scores: int | dict[str, int | None]):
    """A draft with these scores (an int means: every indicator) by the Schulleitung, even in a closed round."""
    was_open, round_.is_open = round_.is_open, True
    db.session.commit()
    state = rate(school, round_, leader(school), all_scores(scores) if isinstance(scores, int) else scores)
    round_.is_open = was_open
    db.session.commit()
    return state


def submitted(school: School, round_: Round, scores: int | dict[str, int | None]) -> None:
    """Rated and submitted by the school's Schulleitung (the round is opened for it if closed)."""
    state = rated(school, round_, scores)
    was_open, round_.is_open = round_.is_open, True
    assessments.submit(school, round_, leader(school), state.version)
    round_.is_open = was_open
    db.session.commit()
