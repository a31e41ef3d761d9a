"""What typed text may hold: one rule for names, places and comments (no Flask, no database).

Round names have a stricter rule of their own: they must be a school year (services.rounds.parse_school_year).
"""

from __future__ import annotations

import re

#: Characters nobody types: C0 controls but tab, line feed and carriage return, and DEL. The request guard refuses a
#: NUL in every form but the rating form (views.request_guard); the rating form, the API and the CLI check it here,
#: since PostgreSQL cannot store it.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
