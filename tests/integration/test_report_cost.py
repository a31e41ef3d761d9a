"""What a comment may cost a report (issue 15, item 2): bounded lines, and a report rendered once per content.

Comments stored before the line limit are written straight into the table, as an older version left them.
"""

from __future__ import annotations

import io
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from selfeval.extensions import db
from selfeval.models import Assessment, Rating, School
from selfeval.reports.cache import shared_cache
from selfeval.services.rounds import get_round
from selfeval.services.schools import get_school
from tests.support.factories import leader, login, rate
from tests.support.html import soup_of, text
from tests.support.reports import PDF, USERS, assert_pdf_download, pdf_text, populate

HTML = PDF.removesuffix(".pdf")
#: The attack of issue 15: 2,000 characters, 1,000 lines, in every one of the 23 comments.
WALL = "x\n" * 999 + "x"
CUT_NOTE = "… (960 weitere Zeilen des Kommentars sind hier nicht abgedruckt.)"


@pytest.fixture
def area(app):
    populate(app)
    shared_cache().clear()


def store_old_comments(app, schulnummer: str, comments: dict[str, str]) -> None:
    """As a version without the line limit stored them (the rows exist: populate rated every indicator)."""
    with app.app_context():
        school = db.session.scalars(select(School).filter_by(schulnummer=schulnummer)).one()
        assessment = db.session.scalars(select(Assessment).filter_by(school_id=school.id)).one()
        for indicator_id, comment in comments.items():
            db.session.execute(
                update(Rating)
                .where(Rating.assessment_id == assessment.id, Rating.indicator_id == indicator_id)
                .values(comment=comment)
            )
        db.session.commit()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def all_indicators(app) -> list[str]:
    with app.app_context():
        return [
            rating.indicator_id
            for rating in db.session.scalars(select(Rating).join(Assessment).join(School).where(School.schulnummer == "100001"))
        ]


def test_old_comments_of_a_thousand_lines_print_forty_lines_each_with_a_note(app, client, area):
    login(client, USERS["team"])
    plain = client.get(PDF).data
    indicators = all_indicators(app)
    assert len(indicators) == 23
    store_old_comments(app, "100001", dict.fromkeys(indicators, WALL))

    response = client.get(PDF)
    assert_pdf_download(response)
    # Before: 384 pages. Now 23 comments of 40 short lines add 16 pages to the 6 of the report without comments.
    assert (page_count(plain), page_count(response.data)) == (6, 22)
    assert pdf_text(response.data).count(CUT_NOTE) == 23

    page = soup_of(client.get(HTML))
    comments = page.select("p.comment")
    assert len(comments) == 46
    assert [text(p) for p in comments[1::2]] == [CUT_NOTE] * 23
    assert comments[0].get_text().removeprefix("Kommentar des Teams: ").split("\n") == ["x"] * 40


def test_runs_of_empty_lines_print_as_one(app, client, area):
    store_old_comments(app, "100001", {"k2a": "Erstens\n\n\n\n\n   \n\nZweitens\n\n\n", "k2b": "\n" * 1999})
    login(client, USERS["team"])
    page = soup_of(client.get(HTML))
    assert [p.get_text() for p in page.select("p.comment")] == [
        'Kommentar des Teams: <script>alert("x")</script> & Co',
        "Kommentar des Teams: Erstens\n\nZweitens",
        "Kommentar des Teams: Ayşe Yılmaz kümmert sich.",
    ]
    assert "Erstens Zweitens" in pdf_text(client.get(PDF).data)


def test_the_longest_valid_comment_never_breaks_the_pdf(app, client, area):
    """39 line breaks and the rest one long line: the tallest cell a valid comment makes runs over a page break."""
    comment = "\n".join(f"- Gerät {n:02}" for n in range(39)) + "\n" + "lang " * 320
    comment = comment[:2000]
    with app.app_context():
        school, round_ = get_school("100003"), get_round("2025-26")
        rate(school, round_, leader(school), {}, {"k1b": comment})
        team_member = leader(school).email
    login(client, team_member)  # a draft's report is the team's (issue 19)
    response = client.get("/schulen/100003/2025-26/bericht.pdf")
    assert_pdf_download(response, "bericht-2025-26-100003-castell-gesamtschule.pdf")
    assert "- Gerät 38" in pdf_text(response.data)


def test_a_report_downloaded_again_is_not_rendered_again_and_never_stale(app, client, area):
    cache = shared_cache()
    login(client, USERS["team"])
    first = client.get(PDF)
    renders = cache.renders
    again = client.get(PDF)
    assert_pdf_download(again)
    assert (again.data, cache.renders) == (first.data, renders)

    store_old_comments(app, "100001", {"k3a": "Neu: Fortbildung im März."})
    changed = client.get(PDF)
    assert cache.renders == renders + 1
    assert "Neu: Fortbildung im März." in pdf_text(changed.data)
    assert "Ayşe Yılmaz kümmert sich." not in pdf_text(changed.data)

    with app.app_context():  # the school is renamed: the report's head changes, so does the key
        db.session.execute(update(School).where(School.schulnummer == "100001").values(name="Adler-Gesamtschule Nord"))
        db.session.commit()
    renamed = client.get(PDF)
    assert cache.renders == renders + 2
    assert "Adler-Gesamtschule Nord" in pdf_text(renamed.data)


def test_parallel_downloads_of_one_report_render_it_once(app, area):
    cache = shared_cache()
    clients = [app.test_client() for _ in range(4)]
    for each in clients:
        login(each, USERS["adviser"])
    barrier = threading.Barrier(len(clients))
    bodies: list[bytes] = []

    def download(each) -> None:
        barrier.wait()
        response = each.get(PDF)
        assert response.status_code == 200
        bodies.append(response.data)

    before = cache.renders
    threads = [threading.Thread(target=download, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert (len(bodies), len(set(bodies)), cache.renders) == (4, 1, before + 1)
