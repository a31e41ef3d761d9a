"""What typed text may hold: one rule for names, places, round names and comments (no Flask, no database)."""

from __future__ import annotations

import re

#: Characters nobody types: C0 controls but tab, line feed and carriage return, and DEL. A NUL never gets this far
#: from a form (views.request_guard refuses it); from the API and the CLI it does, and PostgreSQL cannot store it.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
