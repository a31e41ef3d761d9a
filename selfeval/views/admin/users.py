"""Accounts (/verwaltung/konten): find, invite, change, deactivate, export and erase.

Every change goes through services.accounts, which writes the audit trail. The request commits once
(unit_of_work); a refusal on the account's page is shown there (service_errors), one on the form goes onto its
fields.
"""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ...forms.admin_users import AccountForm, EraseForm, kreis_groups
from ...models import School, User
from ...reference import kreis_name, schulform_label
from ...roles import ADMIN, ROLE_LABELS, SCOPE_LABELS, TEAM
from ...services import audit
from ...services.accounts import (
    AccountStatus,
    IssuedLink,
    account_fields,
    account_statuses,
    create_user,
    deactivate_user,
    erase_user,
    export_user,
    get_user,
    issue_password_link,
    pending_link,
    reactivate_user,
    search_users,
    update_user,
)
from ...services.errors import InvalidInput
from ...services.mail import MailNotSent, MailSettings, password_link_message, send
from ...services.schools import find_school, traeger_name
from ...unit_of_work import attempt, commit_now
from ...vocabulary import ACCOUNT_INVITED, ACCOUNT_STATUSES
from ..audit_display import round_indicator_titles, withheld_changes
from ..formatting import format_datetime
from ..password_links import NO_BASE_URL, links_possible, password_link_url
from ..service_errors import refusals_go_to
from . import blueprint

PER_PAGE = 50
RECENT_ENTRIES = 20
SENT = {
    "invite": "Die Einladung wurde an {email} gesendet.",
    "reset": "Der Link zum Zurücksetzen des Passworts wurde an {email} gesendet.",
}


# --- list -------------------------------------------------------------------------------------


@blueprint.get("/konten", endpoint="users")
def users():
    text = request.args.get("suche", "")[:200]
    role = request.args.get("rolle", "") if request.args.get("rolle") in ROLE_LABELS else ""
    status = request.args.get("status", "") if request.args.get("status") in ACCOUNT_STATUSES else ""
    page = search_users(text, role, status, page=request.args.get("seite", 1, type=int), per_page=PER_PAGE)
    return render_template(
        "admin/users.html",
        page=page,
        per_page=PER_PAGE,
        search={"suche": text, "rolle": role, "status": status},
        roles=ROLE_LABELS,
        statuses=ACCOUNT_STATUSES,
        status_of={user_id: status_text(status) for user_id, status in account_statuses(page.items).items()},
        assignment_of={user.id: assignment_text(user) for user in page.items},
        page_url=_page_url,
    )


def status_text(status: AccountStatus) -> str:
    """aktiv / eingeladen (bis when the link can be used) / deaktiviert, in words."""
    if status.word != ACCOUNT_INVITED:
        return status.word
    if status.invitation_open_until is None:
        return f"{ACCOUNT_INVITED}, Einladung abgelaufen"
    return f"{ACCOUNT_INVITED}, Einladung offen bis {format_datetime(status.invitation_open_until)}"


def assignment_text(user: User) -> str:
    """The school of a team member, the area of a supervisor or adviser."""
    if user.role == ADMIN:
        return "alle Schulen"
    if user.role == TEAM:
        return (
            "; ".join(
                f"{m.school.name} ({m.school.schulnummer}){', Schulleitung' if m.is_leadership else ''}" for m in user.memberships
            )
            or "keine Schule"
        )
    shown = {"kreis": kreis_name, "schulform": schulform_label, "traeger": traeger_label}
    scopes = [f"{SCOPE_LABELS[s.kind]} {shown.get(s.kind, str)(s.value)}" for s in _sorted_scopes(user)]
    return ", ".join(scopes) or "kein Bereich"


def _sorted_scopes(user: User):
    order = {"bezirk": 0, "kreis": 1, "traeger": 2, "schulform": 3}
    return sorted(user.scopes, key=lambda s: (order.get(s.kind, 4), s.value))


def traeger_label(number: str) -> str:
    """A Trägernummer with the Schulträger's name where a school names it."""
    name = traeger_name(number)
    return f"{name} ({number})" if name else number


# --- create and change --------------------------------------------------------------------------


@blueprint.route("/konten/neu", methods=["GET", "POST"], endpoint="new_user")
def new_user():
    form = AccountForm()
    if request.method == "GET":
        _preselect(form)
    elif _validated(form):
        created = _create(form)
        if created is not None:
            user, link = created
            flash(f"Das Konto für {user.email} ist angelegt.", "success")
            if link is None:
                flash(NO_BASE_URL, "error")
                return redirect(url_for("admin.user", user_id=user.id))
            return _hand_over(user, "invite", link)
    return _form_page(form, None)


def _form_page(form: AccountForm, account: User | None):
    return render_template(
        "admin/user_form.html",
        form=form,
        account=account,
        # "Neues Teammitglied" on a school's page: only what a team member needs.
        team_only=account is None and request.args.get("role") == TEAM and bool(request.args.get("school")),
        kreis_groups=kreis_groups(),
        mail_configured=MailSettings.from_config(current_app.config) is not None,
    )


def _preselect(form: AccountForm) -> None:
    """?school=SCHULNUMMER&role=team, as the schools pages link here."""
    if request.args.get("role") in ROLE_LABELS:
        form.role.data = request.args["role"]
    form.school.data = request.args.get("school", "")[:6]


def _create(form: AccountForm) -> tuple[User, IssuedLink | None] | None:
    """The new account and its invitation (None when links cannot be made: the account is kept)."""
    school = _school(form)
    with attempt(InvalidInput) as failed:
        user = create_user(
            form.email.data, form.display_name.data, form.role.data, None,
            actor=current_user, school=school, **form.assignments(),
        )  # fmt: skip
        link = issue_password_link(user, "invite", actor=current_user) if links_possible() else None
    if isinstance(failed.error, InvalidInput):
        _show_problems(form, failed.error)
        return None
    return user, link


@blueprint.route("/konten/<int:user_id>/bearbeiten", methods=["GET", "POST"], endpoint="edit_user")
def edit_user(user_id: int):
    account = _account_or_404(user_id)
    form = AccountForm()
    if request.method == "GET":
        form.fill_from(account)
    elif _validated(form) and _update(account, form):
        return redirect(url_for("admin.user", user_id=user_id))
    return _form_page(form, account)


def _update(account: User, form: AccountForm) -> bool:
    school = _school(form)
    before = account_fields(account)
    with attempt(InvalidInput) as failed:
        update_user(
            account, actor=current_user, email=form.email.data, display_name=form.display_name.data,
            role=form.role.data, school=school, **form.assignments(),
        )  # fmt: skip
    if isinstance(failed.error, InvalidInput):
        _show_problems(form, failed.error)
        return False
    changed = account_fields(account) != before
    flash("Die Änderungen sind gespeichert." if changed else "Es gab nichts zu ändern.", "success" if changed else "info")
    return True


def _validated(form: AccountForm) -> bool:
    """The form's checks, and that the school exists; all messages at once."""
    valid = form.validate_on_submit()
    if form.wants_school() and not form.school.errors and _school(form) is None:
        form.school.errors = [*form.school.errors, f"Es gibt keine Schule mit der Schulnummer {form.school.data}."]
        return False
    return valid


def _school(form: AccountForm) -> School | None:
    return find_school(form.school.data) if form.wants_school() else None


def _show_problems(form: AccountForm, error: InvalidInput) -> None:
    for message in form.attach_problems(error.problems):
        flash(message, "error")


# --- one account ----------------------------------------------------------------------------------


@blueprint.get("/konten/<int:user_id>", endpoint="user")
def user(user_id: int):
    account = _account_or_404(user_id)
    entries = audit.browse(audit.AuditFilter(user_id=account.id), per_page=RECENT_ENTRIES)
    return render_template(
        "admin/user.html",
        account=account,
        role_label=ROLE_LABELS.get(account.role, account.role),
        status=status_text(account_statuses([account])[account.id]),
        assignment=assignment_text(account),
        link=pending_link(account) if account.active else None,
        entries=entries,
        titles=round_indicator_titles(entries.items),
        withheld=withheld_changes(current_user, entries.items),
        mail_configured=MailSettings.from_config(current_app.config) is not None,
    )


@blueprint.post("/konten/<int:user_id>/passwort-link", endpoint="user_link")
@refusals_go_to("admin.user")
def user_link(user_id: int):
    """A new invitation (no password yet) or reset link; mailed if possible, else shown once."""
    account = _account_or_404(user_id)
    purpose = "invite" if account.password_hash is None else "reset"
    if not links_possible():
        flash(NO_BASE_URL, "error")  # no link made, so the account's current link stays valid
        return redirect(url_for("admin.user", user_id=account.id))
    return _hand_over(account, purpose, issue_password_link(account, purpose, actor=current_user))


def _hand_over(account: User, purpose: str, link: IssuedLink):
    """Mail the link if a server is configured; otherwise (or if that fails) show it this once."""
    url = password_link_url(link.token)
    settings = MailSettings.from_config(current_app.config)
    if settings is not None:
        commit_now()  # the link is stored before the mail that carries it leaves: no mail with a link that never was
        try:
            send(settings, password_link_message(settings.sender, account, url, purpose, link.expires_at))
        except MailNotSent as exc:
            flash(str(exc), "error")
        else:
            flash(SENT[purpose].format(email=account.email), "success")
            return redirect(url_for("admin.user", user_id=account.id))
    page = render_template("admin/user_link.html", account=account, purpose=purpose, url=url, expires_at=link.expires_at)
    response = make_response(page)
    # The link is a password in waiting: no referrer carries anything on (no cache keeps it: security.headers).
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blueprint.post("/konten/<int:user_id>/deaktivieren", endpoint="deactivate_user")
@refusals_go_to("admin.user")
def deactivate(user_id: int):
    account = _account_or_404(user_id)
    deactivate_user(account, actor=current_user)
    flash(f"Das Konto von {account.display_name} ist deaktiviert; alle Sitzungen und API-Tokens sind beendet.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@blueprint.post("/konten/<int:user_id>/aktivieren", endpoint="reactivate_user")
def reactivate(user_id: int):
    account = _account_or_404(user_id)
    reactivate_user(account, actor=current_user)
    flash(f"Das Konto von {account.display_name} ist wieder aktiv.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@blueprint.post("/konten/<int:user_id>/auskunft", endpoint="export_user")
def export(user_id: int):
    """Everything stored about the account as JSON (DSGVO Art. 15); the export itself is audited."""
    account = _account_or_404(user_id)
    document = export_user(account, actor=current_user)
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="selfeval-auskunft-{user_id}.json"'
    return response


@blueprint.route("/konten/<int:user_id>/loeschen", methods=["GET", "POST"], endpoint="erase_user")
@refusals_go_to("admin.user")
def erase(user_id: int):
    """Erasure (DSGVO Art. 17) after an explicit confirmation."""
    account = _account_or_404(user_id)
    form = EraseForm()
    if form.validate_on_submit():
        name = account.display_name
        counts = erase_user(account, actor=current_user)
        flash(erased_message(name, counts), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_erase.html", account=account, form=form)


def erased_message(name: str, counts: dict[str, int]) -> str:
    parts = [
        _count(counts["ratings"], "Bewertung", "Bewertungen"),
        _count(counts["submissions"], "Abgabe", "Abgaben"),
    ]
    if counts.get("agreements"):
        parts.append(_count(counts["agreements"], "Vereinbarung", "Vereinbarungen"))
    last = _count(counts["audit_entries"], "Protokolleintrag", "Protokolleinträge")
    marked = f"{', '.join(parts)} und {last} tragen jetzt den Vermerk „{audit.ERASED_ACCOUNT}“."
    return f"Das Konto von {name} ist gelöscht. {marked}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# --- helpers --------------------------------------------------------------------------------------


def _account_or_404(user_id: int) -> User:
    account = get_user(user_id)
    if account is None:
        abort(404)
    return account


def _page_url(number: int) -> str:
    args = {key: value for key, value in request.args.items() if key != "seite" and value}
    return url_for("admin.users", **args, seite=number)
