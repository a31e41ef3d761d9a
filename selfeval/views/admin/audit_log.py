"""The audit trail for administrators (/verwaltung/protokoll), and how its entries read in German.

The display helpers (field labels, values, indicator titles) also serve the team's history page.
"""

from __future__ import annotations

from flask import render_template, request, url_for

from ...catalog import Catalog, indicator_letter
from ...forms.admin_users import AuditFilterForm
from ...models import AuditEvent, Round
from ...reference import kreis_name, schulform_label
from ...roles import ROLE_LABELS, SCOPE_LABELS
from ...services import audit
from ...services.accounts import get_user
from ...services.catalog_snapshots import snapshot_catalog
from ...vocabulary import STATE_COLUMN
from . import blueprint

PER_PAGE = 50
SHORT_TITLE = 70
FIELD_LABELS = {
    "email": "E-Mail",
    "display_name": "Name",
    "role": "Rolle",
    "school": "Schule",
    "scopes": "Zuständigkeit",
    "active": "Status",
    "score": "Bewertung",
    "comment": "Anmerkung",
    "name": "Name",
    "schulform": "Schulform",
    "kreis": "Kreis",
    "ort": "Ort",
    "created": "neu angelegt",
    "updated": "geändert",
    "unchanged": "unverändert",
    "rejected": "abgelehnt",
    "warnings": "Warnungen",
    "catalog": "Leitfaden",
    "is_open": STATE_COLUMN,
}
#: Fields whose value is a long free text (shown folded away on the pages).
TEXT_FIELDS = ("comment",)


@blueprint.app_template_global()
def audit_field(field: str) -> str:
    return FIELD_LABELS.get(field, field)


@blueprint.app_template_global()
def audit_action(action: str) -> str:
    return audit.ACTIONS.get(action, action)


@blueprint.app_template_global()
def audit_value(field: str, value) -> str:
    """One old or new value of an entry as readable German text."""
    if field == "score":
        return "nicht bewertet" if value is None else str(value)
    if value is None:
        return "–"
    if field == "comment":
        return value or "(leer)"
    formats = {
        "role": lambda v: ROLE_LABELS.get(v, v),
        "active": lambda v: "aktiv" if v else "deaktiviert",
        "is_open": lambda v: "offen" if v else "geschlossen",
        "schulform": schulform_label,
        "kreis": lambda v: f"{kreis_name(v)} ({v})",
        "scopes": _scopes_text,
    }
    text = formats.get(field, str)(value)
    return text if text != "" else "(leer)"


def _scopes_text(value: str) -> str:
    """ "kreis 05913, schulform 20" → "Kreis Dortmund (05913), Schulform Gymnasium"."""
    parts = []
    for item in filter(None, value.split(", ")):
        kind, _, key = item.partition(" ")
        shown = {"kreis": lambda k: f"{kreis_name(k)} ({k})", "schulform": schulform_label}.get(kind, str)(key)
        parts.append(f"{SCOPE_LABELS.get(kind, kind)} {shown}")
    return ", ".join(parts)


def short_title(text: str, limit: int = SHORT_TITLE) -> str:
    """An indicator's text cut at a word before `limit` characters."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def indicator_titles(catalog: Catalog) -> dict[str, str]:
    """{indicator id: "Indikator 2c) Die Schule nutzt …"} as the rating pages number them."""
    titles = {}
    for number, criterion in enumerate(catalog.criteria, start=1):
        for position, indicator in enumerate(criterion.indicators):
            titles[indicator.id] = f"Indikator {number}{indicator_letter(position)}) {short_title(indicator.text)}"
    return titles


def round_indicator_titles(events: list[AuditEvent]) -> dict[int, dict[str, str]]:
    """The indicator titles of every round that rating entries on this page belong to."""
    rounds: dict[int, Round] = {e.round.id: e.round for e in events if e.action == "rating.changed" and e.round}
    return {round_id: indicator_titles(snapshot_catalog(r.catalog_snapshot)) for round_id, r in rounds.items()}


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
