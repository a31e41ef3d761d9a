"""Accounts, in one place: everything about who may log in, as whom, and what is kept about them.

- rules: what e-mail, name, role, scopes and password must be (pure)
- create, update: new accounts and changes to them
- authentication: log-in by password, session login id, API tokens
- links: one-time invitation and reset links
- lifecycle: deactivate, reactivate, and the one "last active admin" rule
- privacy: DSGVO export (Art. 15) and erasure (Art. 17)
- queries: finding accounts, their status, a school's team, counts by role

Callers import the use cases from here; every change is recorded in the audit trail, and the caller's
unit of work commits.
"""

from __future__ import annotations

from .authentication import authenticate, end_all_sessions, issue_token, load_by_login_id, user_for_token
from .create import account_fields, create_user
from .lifecycle import LAST_ADMIN, deactivate_user, is_last_active_admin, reactivate_user
from .links import (
    PASSWORD_LINK_LIFETIME,
    IssuedLink,
    LinkInvalid,
    find_password_link,
    issue_password_link,
    pending_link,
    set_password_by_link,
)
from .principal import Principal, principal_for_token
from .privacy import erase_user, export_user
from .queries import (
    AccountCounts,
    AccountStatus,
    TeamAccount,
    TeamMember,
    TeamSize,
    account_statuses,
    accounts_by_role,
    find_user,
    get_user,
    open_invitations,
    search_users,
    team_accounts,
    team_members,
    team_size,
)
from .rules import password_problem
from .update import update_user

__all__ = [
    "LAST_ADMIN",
    "PASSWORD_LINK_LIFETIME",
    "AccountCounts",
    "AccountStatus",
    "Principal",
    "IssuedLink",
    "LinkInvalid",
    "TeamAccount",
    "TeamMember",
    "TeamSize",
    "account_fields",
    "account_statuses",
    "accounts_by_role",
    "authenticate",
    "create_user",
    "deactivate_user",
    "end_all_sessions",
    "erase_user",
    "export_user",
    "find_password_link",
    "find_user",
    "get_user",
    "is_last_active_admin",
    "issue_password_link",
    "issue_token",
    "load_by_login_id",
    "open_invitations",
    "password_problem",
    "pending_link",
    "reactivate_user",
    "search_users",
    "set_password_by_link",
    "team_accounts",
    "team_members",
    "team_size",
    "update_user",
    "principal_for_token",
    "user_for_token",
]
