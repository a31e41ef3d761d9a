"""Hostile text that people can type (comments, school names and places, account names), for the escaping tests.

Each channel must show every payload as the very text typed: HTML as a text node, the PDF as printed characters,
CSV and XLSX as a cell that never turns into a formula.
"""

from __future__ import annotations

import re

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "</textarea><script>alert(1)</script>",
    '<font size="80">gross</font>',
    "<para>",
    "&amp; & <",
    '=HYPERLINK("http://evil.example","klick")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTabulator vorn",
    "\rWagenrücklauf vorn",
)
#: A comment quoted in an audit entry: „…“.
QUOTED = re.compile(r"„(.*)“", re.DOTALL)
#: What a spreadsheet would read as a formula (OWASP: CSV injection); such cells must stay text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def as_name(payload: str) -> str:
    """How a school name or an account name is stored: runs of blanks (tab, CR) become one space, none at the ends."""
    return " ".join(payload.split())


def as_place(payload: str) -> str:
    """How a school's Ort is stored from the admin form: blanks at the ends removed."""
    return payload.strip()


def as_comment(payload: str) -> str:
    """How a rating comment is stored: every line break becomes a line feed; a tab stays."""
    return payload.replace("\r\n", "\n").replace("\r", "\n")


def hostile_markup_in(soup) -> list[str]:
    """Elements and attributes that only a payload could have brought into a page (empty when everything was escaped)."""
    found = [tag.name for tag in soup.find_all(["img", "font", "para"])]
    found += ["script: " + script.get_text() for script in soup.find_all("script") if "alert" in script.get_text()]
    found += [f"{tag.name}[{name}]" for tag in soup.find_all(True) for name in tag.attrs if name.startswith("on")]
    return found


def new_comment_in(cell) -> str:
    """The new comment an audit entry's cell shows: inline as „…“ when short and on one line, else in a <details>."""
    folded = cell.select("dd.comment")
    if folded:
        return folded[1].get_text()
    (line,) = [string for string in cell.find_all(string=True) if "→" in string]
    return QUOTED.findall(line.split("→", 1)[1])[0]
