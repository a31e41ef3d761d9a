"""School-year names that are refused, with the German message each gets (pages and CLI alike)."""

from __future__ import annotations

EXAMPLE = "Bitte geben Sie das Schuljahr in der Form JJJJ/JJ an, z. B. 2026/27."
#: Names an admin may type and the message each gets; nothing is stored for any of them.
WRONG_NAMES = [
    ("2026/28", "„2026/28“ ist kein Schuljahr: Auf 2026 folgt 2027. Meinen Sie 2026/27?"),
    ("2026/2027", f"„2026/2027“ ist nicht in der Form JJJJ/JJ. Meinen Sie 2026/27? {EXAMPLE}"),
    ("Schuljahr 2026/27", f"„Schuljahr 2026/27“ ist nicht in der Form JJJJ/JJ. Meinen Sie 2026/27? {EXAMPLE}"),
    ("2026-27", f"„2026-27“ ist nicht in der Form JJJJ/JJ. Meinen Sie 2026/27? {EXAMPLE}"),
    (
        "Schuljahr 2026/2027 <b>x</b>",
        f"„Schuljahr 2026/2027 <b>x</b>“ ist nicht in der Form JJJJ/JJ. Meinen Sie 2026/27? {EXAMPLE}",
    ),
    ("Testrunde", f"„Testrunde“ ist kein Schuljahr. {EXAMPLE}"),
    ("//", f"„//“ ist kein Schuljahr. {EXAMPLE}"),
    ("2026/\x0027", f"Der Name enthält Steuerzeichen (etwa aus einer Kopie). {EXAMPLE}"),
    ("2026/27\x1b[31m", f"Der Name enthält Steuerzeichen (etwa aus einer Kopie). {EXAMPLE}"),
    ("2026\u0085/27", f"Der Name enthält Steuerzeichen (etwa aus einer Kopie). {EXAMPLE}"),
    ("1999/00", "Bitte ein Schuljahr von 2000/01 bis 2098/99 angeben."),
    ("2099/00", "Bitte ein Schuljahr von 2000/01 bis 2098/99 angeben."),
]
