"""What an account's values must be: e-mail, name, role, scopes and password (pure: no Flask, no database).

The one place for these rules: creating and changing an account, the set-password form and `users create` ask here.
Whether an address is already taken needs the database; create.py and update.py add that check.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ...limits import CONTROL_CHARACTERS, MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from ...reference import BEZIRKSREGIERUNGEN, SCHULFORMEN, kreis, unknown_kreis_message
from ...roles import (
    ADVISER,
    BEZIRK,
    KREIS,
    ROLE_LABELS,
    ROLES,
    SCHULFORM,
    SCHULTRAEGER,
    SCOPE_KINDS_OF_ROLE,
    SCOPE_LABELS,
    SCOPED_ROLES,
    SUPERVISOR,
    TEAM,
    TRAEGER,
)  # fmt: skip

#: A Trägernummer as the school directory writes it (directory.TRAEGERNUMMER).
TRAEGERNUMMER = re.compile(r"[0-9]{1,10}")
#: What an account of a scoped role without any area is told: it would see no school at all.
NO_SCOPE = {
    SUPERVISOR: "Eine Schulaufsicht braucht mindestens einen Bereich: eine Bezirksregierung, einen Kreis oder einen Schulträger.",
    ADVISER: "Eine Medienberatung braucht mindestens einen Kreis, für den sie zuständig ist.",
    TRAEGER: "Ein Schulträger-Konto braucht mindestens eine Trägernummer.",
}
#: A plausible address: one @, a dot in the domain, no blanks or control characters.
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
#: Long passwords that are common all the same (the file names its source).
COMMON_PASSWORDS_FILE = Path(__file__).parent.parent.parent / "reference" / "common_passwords.txt"


def normalized_identity(email: str, display_name: str) -> tuple[str, str]:
    """E-mail addresses are stored lower-case; names with single spaces."""
    return email.strip().lower(), " ".join(display_name.split())


def scope_pairs(
    kreise: Iterable[str], bezirke: Iterable[str], schulformen: Iterable[str], traeger: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(kind, value) for every scope given, in the order kind by kind."""
    return (
        [(KREIS, k) for k in kreise] + [(BEZIRK, b) for b in bezirke] + [(SCHULTRAEGER, t) for t in traeger]
        + [(SCHULFORM, s) for s in schulformen]
    )  # fmt: skip


def identity_problems(email: str, display_name: str) -> dict[str, str]:
    """What is wrong with a (normalised) e-mail address and name, by field."""
    problems = {}
    if not EMAIL.fullmatch(email) or len(email) > MAX_EMAIL_LENGTH:
        problems["email"] = f"„{email}“ ist keine E-Mail-Adresse."
    if not display_name or len(display_name) > MAX_DISPLAY_NAME_LENGTH:
        problems["name"] = f"Bitte geben Sie einen Namen mit 1 bis {MAX_DISPLAY_NAME_LENGTH} Zeichen an."
    elif CONTROL_CHARACTERS.search(display_name):
        problems["name"] = "Der Name enthält unzulässige Steuerzeichen."
    return problems


def role_problems(role: str) -> dict[str, str]:
    if role not in ROLES:
        return {"role": f"Unbekannte Rolle „{role}“; möglich sind: {', '.join(ROLES)}."}
    return {}


def assignment_problems(role: str, has_school: bool, is_leadership: bool, scopes: list[tuple[str, str]]) -> dict[str, str]:
    """A team member belongs to a school; supervisors and advisers have areas of the kinds their role allows."""
    problems = {}
    if role == TEAM and not has_school:
        problems["school"] = "Ein Teammitglied braucht eine Schule (Schulnummer)."
    if role != TEAM and (has_school or is_leadership):
        problems["school"] = "Nur Teammitglieder gehören zu einer Schule."
    allowed_kinds = SCOPE_KINDS_OF_ROLE.get(role, frozenset())
    for kind, value in scopes:
        problem = _scope_problem(role, kind, value, allowed_kinds)
        if problem:
            problems[kind] = problem
    if role == SUPERVISOR and scopes and all(kind == SCHULFORM for kind, _ in scopes):
        problems["scope"] = (
            "Schulformen grenzen den Bereich einer Schulaufsicht nur ein; nennen Sie auch einen Kreis oder eine Bezirksregierung."
        )
    if role in SCOPED_ROLES and not scopes:
        problems["scope"] = NO_SCOPE[role]
    return problems


def _scope_problem(role: str, kind: str, value: str, allowed_kinds: frozenset[str]) -> str:
    if kind not in allowed_kinds:
        hints = {ADVISER: " (Medienberatungen sind für Kreise zuständig)", TRAEGER: " (Schulträger: Trägernummern)"}
        hint = hints.get(role, "")
        return f"Ein Konto der Rolle {ROLE_LABELS.get(role, role)} hat keinen Bereich nach {SCOPE_LABELS[kind]}{hint}."
    if kind == KREIS and kreis(value) is None:
        return unknown_kreis_message(value)
    if kind == BEZIRK and value not in BEZIRKSREGIERUNGEN:
        return f"„{value}“ ist keine Bezirksregierung; möglich sind: {', '.join(BEZIRKSREGIERUNGEN)}."
    if kind == SCHULTRAEGER and not TRAEGERNUMMER.fullmatch(value):
        return f"„{value[:20]}“ ist keine Trägernummer (höchstens 10 Ziffern, wie im Schulverzeichnis)."
    if kind == SCHULFORM and value not in SCHULFORMEN:
        return f"„{value}“ ist kein Schlüssel einer Schulform."
    return ""


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password cannot be used (a German sentence for the person choosing it), or None.

    The one place for the rule: the set-password form, the link service and `users create` ask here.
    `email` and `name` are the account's own, which the password must not be.
    """
    visible = "".join(char for char in password if not _invisible(char))
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein."
    if len(visible) < MIN_PASSWORD_LENGTH:
        if len(password) >= MIN_PASSWORD_LENGTH:
            return (
                f"Das Passwort braucht mindestens {MIN_PASSWORD_LENGTH} sichtbare Zeichen; "
                "Leerzeichen und unsichtbare Zeichen zählen nicht mit."
            )
        return f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein."
    if len(set(visible.casefold())) == 1:
        return "Das Passwort besteht nur aus einem wiederholten Zeichen. Bitte wählen Sie ein anderes."
    core = _core(password)
    if core in _identity_cores(email, name) or core.rstrip("0123456789") in _identity_cores(email, name):
        return "Das Passwort darf nicht Ihre E-Mail-Adresse oder Ihr Name sein, auch nicht mit Zahlen dahinter."
    if core in _common_password_cores():
        return "Dieses Passwort ist sehr verbreitet und wird bei Angriffen zuerst ausprobiert. Bitte wählen Sie ein anderes."
    return None


def _invisible(char: str) -> bool:
    # Whitespace, control and format characters (zero-width space, soft hyphen …), unassigned and private use.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp")


def _core(text: str) -> str:
    """Letters and digits only, without case: "Carla.Cramer" and "carla cramer" have the same core."""
    return "".join(char for char in text.casefold() if char.isalnum())


def _identity_cores(email: str, name: str) -> set[str]:
    local_part = email.partition("@")[0]
    words = name.split()
    candidates = {email, local_part, name, " ".join(reversed(words))}
    return {core for core in map(_core, candidates) if core}


@cache
def _common_password_cores() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(_core(line) for line in lines if line.strip() and not line.startswith("#"))
