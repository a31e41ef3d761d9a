"""Team accounts for many schools at once (/verwaltung/konten/einladen): a CSV in, every account created and invited.

All or nothing (services.accounts.bulk): a file with a wrong row creates no account and names each wrong row by its
line. The links are mailed where a mail server is configured, else shown once, as for a single invitation.
"""

from __future__ import annotations

from flask import current_app, make_response, render_template
from flask_login import current_user

from ...forms.admin_users import InvitationFileForm
from ...services.accounts.bulk import HEADER, InvitationFileError, InvitationRowsRefused, invite_team_members, read_invitations
from ...services.mail import MailNotSent, MailSettings, password_link_message, send
from ...unit_of_work import attempt, commit_now
from ..password_links import NO_BASE_URL, links_possible, password_link_url
from . import blueprint


@blueprint.route("/konten/einladen", methods=["GET", "POST"], endpoint="invite_team")
def invite_team():
    form = InvitationFileForm()
    problems = []
    if form.validate_on_submit():
        if not links_possible():
            form.file.errors.append(NO_BASE_URL)
        else:
            with attempt(InvitationFileError, InvitationRowsRefused) as failed:
                invited = invite_team_members(read_invitations(form.file.data.read()), actor=current_user)
            if isinstance(failed.error, InvitationRowsRefused):
                problems = failed.error.problems
                form.file.errors.append(str(failed.error))
            elif failed.error is not None:
                form.file.errors.append(str(failed.error))
            else:
                return _handed_over(invited)
    return render_template("admin/invitations.html", form=form, problems=problems, header=";".join(HEADER))


def _handed_over(invited):
    """Mail every link if a server is configured; the links that could not be mailed (or all, without one) show once."""
    settings = MailSettings.from_config(current_app.config)
    rows = [(item.user, password_link_url(item.link.token), item.link.expires_at) for item in invited if item.link]
    shown, sent, failures = rows, [], []
    if settings is not None:
        commit_now()  # the accounts and links are stored before any mail that carries a link leaves
        shown = []
        for user, url, expires_at in rows:
            try:
                send(settings, password_link_message(settings.sender, user, url, "invite", expires_at))
                sent.append(user)
            except MailNotSent as exc:
                failures.append(str(exc))
                shown.append((user, url, expires_at))
    page = render_template("admin/invitations_done.html", count=len(invited), sent=sent, shown=shown, failures=failures)
    response = make_response(page)
    response.headers["Referrer-Policy"] = "no-referrer"  # the links are passwords in waiting
    return response
