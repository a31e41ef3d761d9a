"""How long typed text may be and which characters it may not hold (pure: no Flask, no database).

The one place for these numbers: the models size their columns from here, forms and services check
against it, the API's schemas publish it, and templates read it as `limits` (views.formatting).
"""

from __future__ import annotations

import re

#: An e-mail address (RFC 5321's limit for a path).
MAX_EMAIL_LENGTH = 254
MAX_DISPLAY_NAME_LENGTH = 120
MIN_PASSWORD_LENGTH = 12
#: Long enough for any passphrase, short enough that hashing it costs nothing unusual.
MAX_PASSWORD_LENGTH = 1024
MAX_SCHOOL_NAME_LENGTH = 300
MAX_ORT_LENGTH = 120
SCHULNUMMER_DIGITS = 6
#: "Belege/Anmerkungen" of one rating.
MAX_COMMENT_LENGTH = 2000
#: Each line costs the reports a line of their own (a wall of short lines made 384 PDF pages).
MAX_COMMENT_LINES = 40
#: Who did something and what it was about, in the audit trail (a name, an address, a file name).
MAX_AUDIT_TEXT_LENGTH = 300
#: A round's name as typed, e.g. "2025/26".
MAX_ROUND_NAME_LENGTH = 40

#: Characters nobody types: C0 controls but tab, line feed and carriage return, and DEL. PostgreSQL cannot store
#: NUL, XML 1.0 (the XLSX export) forbids the others, and none belongs in a name or comment. The request guard
#: refuses a NUL in every form but the rating form (views.request_guard); services, the directory import, the
#: API's schema and the CLI check this class.
CONTROL_CHARACTER_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
CONTROL_CHARACTERS = re.compile(f"[{CONTROL_CHARACTER_CLASS}]")
