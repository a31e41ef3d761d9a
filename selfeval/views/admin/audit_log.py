"""The audit trail for administrators (/verwaltung/protokoll); how its entries read is in views/audit_display.py."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from ...forms.admin_users import AuditFilterForm
from ...services import audit
from ...services.accounts import get_user
from ..audit_display import round_indicator_titles, withheld_changes
from . import blueprint

PER_PAGE = 50


@blueprint.get("/protokoll", endpoint="audit")
def audit_trail():
    form = AuditFilterForm(request.args)
    account = _account_filter()
    page = None
    if form.validate():
        filters = audit.AuditFilter(
            action=form.art.data or "",
            actor=(form.wer.data or "").strip(),
            schulnummer=form.schulnummer.data or "",
            subject=(form.betrifft.data or "").strip(),
            since=form.von.data,
            until=form.bis.data,
            user_id=account.id if account else None,
        )
        page = audit.browse(filters, page=request.args.get("seite", 1, type=int), per_page=PER_PAGE)
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        account=account,
        titles=round_indicator_titles(page.items) if page else {},
        withheld=withheld_changes(current_user, page.items) if page else {},
        per_page=PER_PAGE,
        page_url=_page_url,
        all_accounts_url=url_for("admin.audit", **_args_without("seite", "konto")),
        actions=audit.ACTIONS,
        groups=audit.ACTION_GROUPS,
    )


def _account_filter():
    """?konto=ID narrows the trail to entries by or about one account (linked from its page)."""
    account_id = request.args.get("konto", type=int)  # None unless int() takes it
    return get_user(account_id) if account_id is not None and 0 < account_id < 2**31 else None


def _page_url(number: int) -> str:
    return url_for("admin.audit", **_args_without("seite"), seite=number)


def _args_without(*names: str) -> dict[str, str]:
    return {key: value for key, value in request.args.items() if key not in names and value}
