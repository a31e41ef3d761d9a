"""The authorization matrix as data: for every route and method, what each actor gets.

One row per (endpoint, method) of app.url_map (except `static`), one column per actor of ACTORS.
The data set behind it is built by tests/support/authorization_world.py; the test that walks
the URL map and compares is tests/integration/test_authorization_matrix.py.

An outcome is the status and what identifies the answer: the content type of a page or file, the
heading of an error page or the code in an API error's JSON, or the target of a redirect, in
which "{user_id}" stands for the account the admin routes act on and "<new job>" for a job id just made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: School A (in scope of the "_in" actors), school B (another Kreis), the rounds; the world uses the same values.
SCHULNUMMER_A = "100001"
SCHULNUMMER_B = "100002"
LAST_ROUND = "2024-25"
CURRENT_ROUND = "2025-26"

ACTORS = (
    "anonymous", "deactivated", "team_a", "team_b", "supervisor_in", "supervisor_out", "adviser_in", "adviser_out",
    "traeger_in", "admin",
)  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    status: int
    detail: str

    def __str__(self) -> str:
        return f"{self.status} {self.detail}"


def to(target: str, status: int = 302) -> Outcome:
    return Outcome(status, f"-> {target}")


def error_page(status: int, heading: str) -> Outcome:
    return Outcome(status, f"text/html „{heading}“")


def api_error(status: int) -> Outcome:
    return Outcome(status, f"application/json error {status}")


PAGE = Outcome(200, "text/html")
JSON = Outcome(200, "application/json")
PDF = Outcome(200, "application/pdf")
ZIP = Outcome(200, "application/zip")
CSV = Outcome(200, "text/csv")
DOCX = Outcome(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Outcome(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
CREATED = Outcome(201, "application/json")
LOGIN = to("/anmelden?next=<this page>")
DENY = error_page(403, "Kein Zugriff")
HIDDEN = error_page(404, "Seite nicht gefunden")
A401 = api_error(401)
A403 = api_error(403)
A404 = api_error(404)
STARTED = Outcome(202, "application/json")
#: The plan page's buttons without a session lead to the log-in and from there to the plan page (a GET of the
#: button's own address would be a 405), with a message that nothing was done (views/unsaved.py).
PLAN_LOGIN = to(f"/anmelden?next=%2Fschulen%2F{SCHULNUMMER_A}%2F{CURRENT_ROUND}%2Fplan", 303)
#: Answers that refuse: a request answered so must change nothing in the database.
REFUSALS = frozenset({LOGIN, DENY, HIDDEN, A401, A403, PLAN_LOGIN})

OVERVIEW_A = f"/schulen/{SCHULNUMMER_A}/{CURRENT_ROUND}/"
RESULTS_A = to(OVERVIEW_A + "ergebnis")
#: School A's Schulträger (the Trägernummer of the "traeger_in" actor); school B has another.
TRAEGER_A = "5913000"
ACCOUNT = "/verwaltung/konten/{user_id}"
SHEET_NOT_SAVED = error_page(409, "Mein Bogen · Kriterium 1 von 6 Dauerhafte Implementierung von Konzepten zur digitalen Bildung")
ROUNDS = "/verwaltung/runden"
SCHULE = to("/schule")
JOB = to("/auswertung/berichte/<new job>", 303)
NOTHING_TO_REPORT = to(f"/auswertung/?runde={LAST_ROUND}")


@dataclass(frozen=True)
class Check:
    """What each actor gets (in the order of ACTORS), and what the request sends besides the URL."""

    outcomes: tuple[Outcome, ...]
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    json: dict | None = None
    #: Send If-Match with the current version of school A's assessment in the current round.
    if_match: bool = False
    #: Further request headers, e.g. If-Match with the version of school A's plan (0: its goals were never saved).
    headers: dict[str, str] = field(default_factory=dict)


# The admin routes act on the account of team B's member ({user_id}), on school A and the current round.
# Forms are sent empty (CSRF is off in the matrix app): an allowed actor sees the form again with its messages.
TABLE: dict[tuple[str, str], Check] = {
    #                                    anonymous deactiv.  team_a   team_b  sup_in  sup_out adv_in  adv_out trae_in admin
    ("main.index", "GET"): Check((PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    ("main.catalog", "GET"): Check((PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    ("main.imprint", "GET"): Check((PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    ("main.privacy", "GET"): Check((PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    ("main.accessibility", "GET"): Check((PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    ("auth.login", "GET"): Check((PAGE, PAGE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE)),
    ("auth.login", "POST"): Check((PAGE, PAGE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE)),
    ("auth.logout", "POST"): Check((LOGIN, LOGIN, to("/"), to("/"), to("/"), to("/"), to("/"), to("/"), to("/"), to("/"))),
    ("auth.keep_alive", "POST"): Check((A401, A401, JSON, JSON, JSON, JSON, JSON, JSON, JSON, JSON)),
    ("auth.forgot_password", "GET"): Check((PAGE, PAGE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE)),
    ("auth.forgot_password", "POST"): Check((PAGE, PAGE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE, SCHULE)),
    ("auth.set_password", "GET"): Check((PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    ("auth.set_password", "POST"): Check((PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    # Team A took part in the last round: its start page lists both rounds; team B has only the current one.
    ("assessment.home", "GET"): Check(
        (LOGIN, LOGIN, PAGE, to(f"/schulen/{SCHULNUMMER_B}/{CURRENT_ROUND}/"),
         to("/auswertung/"), to("/auswertung/"), to("/auswertung/"), to("/auswertung/"), to("/auswertung/"), to("/auswertung/"))
    ),
    ("assessment.overview", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, PAGE, DENY, PAGE, DENY, PAGE, PAGE)),
    ("assessment.edit_criterion", "GET"): Check(
        (LOGIN, LOGIN, PAGE, DENY, to(OVERVIEW_A), DENY, to(OVERVIEW_A), DENY, to(OVERVIEW_A), to(OVERVIEW_A))
    ),
    ("assessment.edit_criterion", "POST"): Check((LOGIN, LOGIN, PAGE, DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("assessment.submit", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("assessment.submit", "POST"): Check(
        (LOGIN, LOGIN, to(OVERVIEW_A + "abschliessen"), DENY, DENY, DENY, DENY, DENY, DENY, DENY)
    ),
    # School A's assessment is a draft: nothing to reopen, back to the overview with the reason.
    ("assessment.reopen", "GET"): Check((LOGIN, LOGIN, to(OVERVIEW_A), DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("assessment.reopen", "POST"): Check((LOGIN, LOGIN, to(OVERVIEW_A), DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("results.results", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, PAGE, DENY, PAGE, DENY, PAGE, PAGE)),
    ("results.history", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    # School A's assessment is a draft: the team's alone; everyone else is sent to its status (issue 19).
    ("results.report", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, RESULTS_A, DENY, RESULTS_A, DENY, RESULTS_A, RESULTS_A)),
    ("results.report_pdf", "GET"): Check((LOGIN, LOGIN, PDF, DENY, RESULTS_A, DENY, RESULTS_A, DENY, RESULTS_A, RESULTS_A)),
    # Releasing the comments is the Schulleitung's (team_a); an empty form takes back a release there is not.
    ("results.release", "POST"): Check((LOGIN, LOGIN, RESULTS_A, DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    # Issue 18: the plan of A's draft is the team's to write; the Medienberatung in scope reads it (and records
    # agreements); supervision, the Schulträger and the admins only once submitted and released. Empty forms: the plan
    # page and the agreement form come back with their messages; carrying over without the version seen is a message.
    ("plans.edit", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, DENY, DENY, PAGE, DENY, DENY, DENY)),
    ("plans.edit", "POST"): Check((LOGIN, LOGIN, PAGE, DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("plans.record_agreement", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, DENY, DENY, DENY)),
    ("plans.confirm_agreement", "POST"): Check(
        (PLAN_LOGIN, PLAN_LOGIN, to(f"{OVERVIEW_A}plan#vereinbarungen"), DENY, DENY, DENY, DENY, DENY, DENY, DENY)
    ),
    ("plans.carry_over", "POST"): Check(
        (PLAN_LOGIN, PLAN_LOGIN, to(f"{OVERVIEW_A}plan"), DENY, DENY, DENY, DENY, DENY, DENY, DENY)
    ),
    # Issue 18: the downloads for the Medienkonzept follow the plan's rule (permissions.can_view_plan): the team and
    # the Medienberatung in scope (a draft's without scores); everyone else only once submitted and released.
    ("plan_downloads.docx", "GET"): Check((LOGIN, LOGIN, DOCX, DENY, DENY, DENY, DOCX, DENY, DENY, DENY)),
    ("plan_downloads.xlsx", "GET"): Check((LOGIN, LOGIN, XLSX, DENY, DENY, DENY, XLSX, DENY, DENY, DENY)),
    ("supervision.overview", "GET"): Check((LOGIN, LOGIN, DENY, DENY, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    # Issue 21: the way of rating, the own sheet and the spread are the school's own team's alone. School A rates
    # in one shared form: the own sheet's pages lead back, there is no spread yet, the phase change needs a form.
    ("consensus.way_of_rating", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    # Sent without the version the page names: the change is refused as a conflict, back to the page with the reason.
    ("consensus.change_way_of_rating", "POST"): Check(
        (LOGIN, LOGIN, to(f"{OVERVIEW_A}arbeitsweise"), DENY, DENY, DENY, DENY, DENY, DENY, DENY), form={"phase": "individual"}
    ),
    ("consensus.my_sheet", "GET"): Check((LOGIN, LOGIN, PAGE, DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("consensus.finish", "POST"): Check((LOGIN, LOGIN, to(f"{OVERVIEW_A}einzeln/"), DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("consensus.edit_sheet", "GET"): Check((LOGIN, LOGIN, to(f"{OVERVIEW_A}einzeln/"), DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    # Posted while the individual phase is not open: the input comes back on the page, "Nicht gespeichert".
    ("consensus.edit_sheet", "POST"): Check((LOGIN, LOGIN, SHEET_NOT_SAVED, DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    ("consensus.spread", "GET"): Check((LOGIN, LOGIN, to(OVERVIEW_A), DENY, DENY, DENY, DENY, DENY, DENY, DENY)),
    # The area report of whatever each reader may see (out of scope: an area without schools, under the same rule).
    ("supervision.area_report", "GET"): Check((LOGIN, LOGIN, DENY, DENY, PAGE, PAGE, PAGE, PAGE, PAGE, PAGE)),
    ("supervision.area_report_pdf", "GET"): Check((LOGIN, LOGIN, DENY, DENY, PDF, PDF, PDF, PDF, PDF, PDF)),
    ("report_jobs.start", "POST"): Check(
        (LOGIN, LOGIN, DENY, DENY, JOB, NOTHING_TO_REPORT, JOB, NOTHING_TO_REPORT, JOB, JOB), form={"runde": LAST_ROUND}
    ),
    # The job is the supervisor's in scope: to everyone else it does not exist.
    ("report_jobs.show", "GET"): Check((LOGIN, LOGIN, DENY, DENY, PAGE, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    ("report_jobs.status", "GET"): Check((LOGIN, LOGIN, DENY, DENY, JSON, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    ("report_jobs.download", "GET"): Check((LOGIN, LOGIN, DENY, DENY, ZIP, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    # The offers of the Kreise: advisers (their Kreise) and admins. The offer {offer_id} is one of Dortmund (school A's
    # Kreis). An empty form is shown again with its messages; deleting without the version seen asks again.
    ("offers.index", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, PAGE, DENY, PAGE)),
    ("offers.new", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, PAGE, DENY, PAGE)),
    ("offers.new", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, PAGE, DENY, PAGE)),
    ("offers.edit", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, DENY, DENY, PAGE)),
    ("offers.edit", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, DENY, DENY, PAGE)),
    ("offers.delete", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, DENY, DENY, PAGE)),
    ("offers.delete", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, PAGE, DENY, DENY, PAGE)),
    ("admin.home", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.schools", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.school", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.add_school", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.add_school", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.edit_school", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    # An empty form changes nothing: the school's values stand, "Es gab nichts zu ändern."
    ("admin.edit_school", "POST"): Check(
        (LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, to(f"/verwaltung/schulen/{SCHULNUMMER_A}"))
    ),
    ("admin.import_directory", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.import_directory", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.rounds", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.rounds", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.close_round", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.close_round", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, to(ROUNDS))),
    # The current round holds assessments: the admin is sent back to the list with the reason.
    ("admin.delete_round", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, to(ROUNDS))),
    ("admin.delete_round", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, to(ROUNDS))),
    ("admin.open_round", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, to(ROUNDS))),
    ("admin.users", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.invite_team", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.invite_team", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.user", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.new_user", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.new_user", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.edit_user", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.edit_user", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.user_link", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.deactivate_user", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, to(ACCOUNT))),
    ("admin.reactivate_user", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, to(ACCOUNT))),
    ("admin.export_user", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, JSON)),
    ("admin.erase_user", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.erase_user", "POST"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    ("admin.audit", "GET"): Check((LOGIN, LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, DENY, PAGE)),
    # The API: Bearer tokens; the deactivated account's token was revoked with it.
    ("api.openapi", "GET"): Check((JSON, A401, JSON, JSON, JSON, JSON, JSON, JSON, JSON, JSON)),
    ("api.catalog", "GET"): Check((JSON, A401, JSON, JSON, JSON, JSON, JSON, JSON, JSON, JSON)),
    ("api.list_schools", "GET"): Check((A401, A401, JSON, JSON, JSON, JSON, JSON, JSON, JSON, JSON)),
    ("api.get_assessment", "GET"): Check((A401, A401, JSON, A403, JSON, A403, JSON, A403, JSON, JSON)),
    ("api.put_assessment", "PUT"): Check(
        (A401, A401, JSON, A403, A403, A403, A403, A403, A403, A403), json={"ratings": {"k1c": {"score": 3}}}, if_match=True
    ),
    ("api.submit_assessment", "POST"): Check(
        (A401, A401, api_error(422), A403, A403, A403, A403, A403, A403, A403), if_match=True
    ),
    ("api.get_history", "GET"): Check((A401, A401, JSON, A403, JSON, A403, JSON, A403, JSON, JSON)),
    # A draft's report is the team's alone (issue 19).
    ("api.report_pdf", "GET"): Check((A401, A401, PDF, A403, A403, A403, A403, A403, A403, A403)),
    # Issue 21: only the school's own team; school A rates in one shared form, so its member's sheet cannot be
    # written (409) and there is no spread (409); a Schulleitung member of A starts the individual phase.
    ("api.put_phase", "PUT"): Check(
        (A401, A401, JSON, A403, A403, A403, A403, A403, A403, A403), json={"phase": "individual"}, if_match=True
    ),
    ("api.get_my_sheet", "GET"): Check((A401, A401, JSON, A403, A403, A403, A403, A403, A403, A403)),
    ("api.put_my_sheet", "PUT"): Check(
        (A401, A401, api_error(409), A403, A403, A403, A403, A403, A403, A403), json={"ratings": {"k1c": {"score": 3}}},
        if_match=True,
    ),
    ("api.get_spread", "GET"): Check((A401, A401, api_error(409), A403, A403, A403, A403, A403, A403, A403)),
    # Issue 18: school A's plan (its assessment is a draft) is read by the team and the Medienberatung in scope, written
    # by the team; the adviser in scope records agreements (the world has one, not yet confirmed), the team confirms.
    ("api.get_plan", "GET"): Check((A401, A401, JSON, A403, A403, A403, JSON, A403, A403, A403)),
    ("api.put_plan", "PUT"): Check(
        (A401, A401, JSON, A403, A403, A403, A403, A403, A403, A403), json={"goals": []}, headers={"If-Match": '"0"'}
    ),
    ("api.plan_docx", "GET"): Check((A401, A401, DOCX, A403, A403, A403, DOCX, A403, A403, A403)),
    ("api.record_agreement", "POST"): Check(
        (A401, A401, A403, A403, A403, A403, CREATED, A403, A403, A403),
        json={"date": "2025-11-20", "participants": "Schulleitung, Medienberatung", "text": "Vereinbart."},
    ),
    ("api.confirm_agreement", "POST"): Check((A401, A401, JSON, A403, A403, A403, A403, A403, A403, A403)),
    ("api.round_analytics", "GET"): Check(
        (A401, A401, A403, A403, JSON, JSON, JSON, JSON, JSON, JSON), query={"round": CURRENT_ROUND}
    ),
    ("api.export", "GET"): Check(
        (A401, A401, A403, A403, CSV, CSV, CSV, CSV, CSV, CSV), query={"round": CURRENT_ROUND, "format": "csv"}
    ),
    # Report batches: the job of the world is the supervisor's in scope; others' jobs do not exist for a caller.
    ("api.start_report_job", "POST"): Check(
        (A401, A401, A403, A403, STARTED, A404, STARTED, A404, STARTED, STARTED), json={"round": LAST_ROUND}
    ),
    ("api.get_report_job", "GET"): Check((A401, A401, A403, A403, JSON, A404, A404, A404, A404, A404)),
    ("api.download_report_job", "GET"): Check((A401, A401, A403, A403, ZIP, A404, A404, A404, A404, A404)),
    # For load balancers: no log-in, the same answer for everyone.
    ("health.healthz", "GET"): Check((JSON, JSON, JSON, JSON, JSON, JSON, JSON, JSON, JSON, JSON)),
}  # fmt: skip
