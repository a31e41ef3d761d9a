"""Who an account is: its role and the kinds of area a role is responsible for (pure: no Flask, no database).

The one place for these words: the model stores them, forms offer them, services check them,
permissions decide by them and templates read them as `roles` (views.formatting).
"""

from __future__ import annotations

ADMIN = "admin"
TEAM = "team"
SUPERVISOR = "supervisor"
ADVISER = "adviser"
TRAEGER = "traeger"
ROLES = (ADMIN, TEAM, SUPERVISOR, ADVISER, TRAEGER)
#: The roles as the pages name them.
ROLE_LABELS = {
    TEAM: "Team Digitalisierung", SUPERVISOR: "Schulaufsicht", ADVISER: "Medienberatung", TRAEGER: "Schulträger",
    ADMIN: "Verwaltung",
}  # fmt: skip
#: Roles that look at schools within an area (their scopes) rather than belonging to one.
SCOPED_ROLES = (SUPERVISOR, ADVISER, TRAEGER)

KREIS = "kreis"
BEZIRK = "bezirk"
SCHULFORM = "schulform"
SCHULTRAEGER = "traeger"  # a Trägernummer of the school directory: the schools whose Schulträger it is
SCOPE_KINDS = (KREIS, BEZIRK, SCHULTRAEGER, SCHULFORM)
SCOPE_LABELS = {KREIS: "Kreis", BEZIRK: "Bezirksregierung", SCHULTRAEGER: "Schulträger", SCHULFORM: "Schulform"}
#: The kinds of scope each role may have; other roles have none.
SCOPE_KINDS_OF_ROLE = {
    SUPERVISOR: frozenset(SCOPE_KINDS), ADVISER: frozenset({KREIS}), TRAEGER: frozenset({SCHULTRAEGER}),
}  # fmt: skip
