"""The administration's start page: what there is, and the steps to set up a Kreis."""

from __future__ import annotations

from flask import render_template

from ...reference import BEZIRKSREGIERUNGEN
from ...roles import ROLE_LABELS
from ...services.accounts import accounts_by_role, open_invitations
from ...services.round_stats import round_summaries, schools_by_kreis
from . import blueprint


@blueprint.get("/")
def home():
    by_kreis = schools_by_kreis()
    accounts = accounts_by_role()
    usable, expired = open_invitations()
    rounds = round_summaries()
    return render_template(
        "admin/home.html",
        by_kreis=by_kreis,
        by_bezirk=_by_bezirk(by_kreis),
        school_total=sum(k.schools for k in by_kreis),
        accounts=[(label, accounts.get(role)) for role, label in ROLE_LABELS.items()],
        active_accounts=sum(a.active for a in accounts.values()),
        open_invitations=usable,
        expired_invitations=expired,
        rounds=rounds,
        open_round=next((r for r in rounds if r.is_open), None),
        has_team=bool(accounts.get("team")),
        has_scope_accounts=bool(accounts.get("supervisor") or accounts.get("adviser") or accounts.get("traeger")),
    )


def _by_bezirk(by_kreis) -> list[tuple[str, int, int]]:
    """(Bezirksregierung, Kreise with schools, schools) for all five, and a line for unknown Kreise if any."""
    rows = []
    for bezirk in (*BEZIRKSREGIERUNGEN, ""):
        within = [k for k in by_kreis if k.bezirksregierung == bezirk]
        if bezirk or within:
            rows.append((bezirk or "unbekannter Kreis", len(within), sum(k.schools for k in within)))
    return rows
