"""The NRW school directory file (schuldaten.csv, Schulgrunddaten NRW): bytes in, checked rows out.

Pure: no Flask, no database; services.school_import writes the rows. The format is described in
shared/data/schuldaten-format.md: UTF-8 (a BOM is accepted), `;` as separator, `"` quoting with
doubled quotes inside, one or more metadata lines (`sep=;`) before the header line, which starts
with `Schulnummer;Schulform`; 24 named columns, maybe followed by an empty one.

Every problem names the physical line (1-based) where its record starts in the file; a quoted
field with a line break makes a record span several lines. Problems with the file as a whole
raise DirectoryFileError; problems with a row reject that row (or warn) and reading goes on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .limits import CONTROL_CHARACTERS, MAX_ORT_LENGTH, MAX_SCHOOL_NAME_LENGTH
from .reference import RECHTSFORMEN, SCHULFORMEN, kreis

COLUMNS = (
    "Schulnummer", "Schulform", "Schulbezeichnung_1", "Schulbezeichnung_2", "Schulbezeichnung_3", "Kurzbezeichnung",
    "Bezirksregierung", "PLZ", "Ort", "Strasse", "Telefonvorwahl", "Telefon", "Faxvorwahl", "Fax", "E-Mail", "Homepage",
    "Rechtsform", "Traegernummer", "Gemeindeschluessel", "Schulbetriebsschluessel", "Schulbetriebsdatum", "EPSG",
    "UTMRechtswert", "UTMHochwert",
)  # fmt: skip
HEADER_START = "Schulnummer;Schulform"
NAME_COLUMNS = ("Schulbezeichnung_1", "Schulbezeichnung_2", "Schulbezeichnung_3")
#: The columns the import reads; the others are not checked.
USED_COLUMNS = ("Schulnummer", "Schulform", *NAME_COLUMNS, "Ort", "Gemeindeschluessel", "Rechtsform", "Traegernummer")
_SCHULNUMMER = re.compile(r"[0-9]{6}")
#: The directory's Trägernummer: digits (the length of School.traeger_nummer at most).
TRAEGERNUMMER = re.compile(r"[0-9]{1,10}")
_LEADING_ZERO_LOST = "; vermutlich ging eine führende Null verloren (in Excel gespeichert?)"


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str

    def as_dict(self) -> dict[str, int | str]:
        return {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class DirectoryRow:
    """One school as the directory describes it, checked and normalized."""

    schulnummer: str
    name: str
    schulform: str
    kreis: str  # 5-digit Kreisschlüssel, the first five digits of the Gemeindeschluessel
    ort: str
    line: int
    gemeindeschluessel: str | None = None  # the 8-digit AGS
    traeger_nummer: str | None = None  # None when the file leaves it empty or it is not a number (a warning says so)
    rechtsform: str | None = None  # "1" öffentlich, "2" privat; None when empty or unknown (a warning says so)


@dataclass
class DirectoryParse:
    rows: list[DirectoryRow] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)


class DirectoryFileError(Exception):
    """The file as a whole cannot be read as schuldaten.csv (the message is German, for administrators)."""


def parse_directory(data: bytes) -> DirectoryParse:
    """Read schuldaten.csv: the schools to import, the rejected rows and the warnings, each with its line."""
    lines = io.StringIO(_decode(data), newline="")
    header_line, positions = _find_header(lines)
    result = DirectoryParse()
    first_lines: dict[str, int] = {}  # Schulnummer -> the line where it first occurs
    for start, end, record in _records(lines, header_line):
        if not any(value.strip() for value in record):
            continue  # blank lines (also `;;;` lines) carry nothing
        row, problems, warning = _read_record(record, positions, start, first_lines)
        if row is None:
            span = f" Der Datensatz reicht bis Zeile {end}." if end > start else ""
            result.rejected.append(RowProblem(start, " ".join(problems) + span))
            continue
        result.rows.append(row)
        if warning:
            result.warnings.append(RowProblem(start, warning))
    return result


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DirectoryFileError(
            f"Die Datei ist nicht UTF-8-kodiert (Zeile {line} enthält das Byte 0x{data[exc.start]:02X}). "
            "Bitte speichern Sie sie als UTF-8 (in Excel: „CSV UTF-8“) und importieren Sie sie erneut."
        ) from None
    if not text.strip():
        raise DirectoryFileError("Die Datei ist leer.")
    return text


def _find_header(lines: io.StringIO) -> tuple[int, dict[str, int]]:
    """The header's line number and the position of each column; consumes the lines up to the header."""
    for number, line in enumerate(lines, start=1):
        line = line.lstrip("\ufeff")
        if line.startswith(HEADER_START):
            return number, _column_positions(next(csv.reader([line], delimiter=";")), number)
    raise DirectoryFileError(f"Das ist nicht das Format der schuldaten.csv: keine Zeile beginnt mit „{HEADER_START}“.")


def _column_positions(header: list[str], number: int) -> dict[str, int]:
    names = [name.strip() for name in header]
    while names and not names[-1]:
        names.pop()  # the trailing empty column
    problems = []
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        problems.append(("es fehlt die Spalte " if len(missing) == 1 else "es fehlen die Spalten ") + _quoted(missing))
    unknown = [name or f"(leer, Position {i + 1})" for i, name in enumerate(names) if name not in COLUMNS]
    if unknown:
        problems.append(("unbekannte Spalte " if len(unknown) == 1 else "unbekannte Spalten ") + _quoted(unknown))
    twice = [name for name in COLUMNS if names.count(name) > 1]
    if twice:
        problems.append(("doppelte Spalte " if len(twice) == 1 else "doppelte Spalten ") + _quoted(twice))
    if problems:
        raise DirectoryFileError(f"Die Kopfzeile (Zeile {number}) passt nicht zur schuldaten.csv: {'; '.join(problems)}.")
    return {name: names.index(name) for name in USED_COLUMNS}


def _quoted(names: list[str]) -> str:
    return ", ".join(f"„{name}“" for name in names)


def _records(lines: io.StringIO, header_line: int) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each record after the header."""
    reader = csv.reader(lines, delimiter=";", quotechar='"', doublequote=True)
    end = header_line
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DirectoryFileError(
                f"Ab Zeile {end + 1} lässt sich die Datei nicht als CSV lesen ({exc}); fehlt ein schließendes Anführungszeichen?"
            ) from None
        start, end = end + 1, header_line + reader.line_num
        yield start, end, record


def _read_record(
    record: list[str], positions: dict[str, int], line: int, first_lines: dict[str, int]
) -> tuple[DirectoryRow | None, list[str], str]:
    """The row (None if rejected), the reasons for rejecting it, and a warning ("" for none)."""
    shape = _shape_problem(record)
    if shape:
        return None, [shape], ""
    problems: list[str] = []
    fields = {name: _without_controls(name, record[position], problems) for name, position in positions.items()}
    schulnummer = _schulnummer(fields["Schulnummer"], line, first_lines, problems)
    schulform = _schulform(fields["Schulform"], problems)
    name = _name(fields, problems)
    kreis_key = _kreis(fields["Gemeindeschluessel"], problems)
    ort = _ort(fields["Ort"], problems)
    if problems:
        return None, problems, ""
    warnings = [] if schulform in SCHULFORMEN else [
        f"Schulform „{schulform}“ steht nicht im Schlüsselverzeichnis; die Schule wird trotzdem importiert."
    ]  # fmt: skip
    traeger_nummer = _optional_key(record[positions["Traegernummer"]], TRAEGERNUMMER, "Traegernummer", warnings)
    rechtsform = _optional_key(record[positions["Rechtsform"]], re.compile("|".join(RECHTSFORMEN)), "Rechtsform", warnings)
    gemeinde = fields["Gemeindeschluessel"]
    row = DirectoryRow(schulnummer, name, schulform, kreis_key, ort, line, gemeinde, traeger_nummer, rechtsform)
    return row, [], " ".join(warnings)


def _optional_key(value: str, pattern: re.Pattern, column: str, warnings: list[str]) -> str | None:
    """A key the import keeps when it can (Trägernummer, Rechtsform): a wrong one is left out with a warning."""
    value = value.strip()
    if not value:
        return None
    if pattern.fullmatch(value):
        return value
    warnings.append(f"{column} „{CONTROL_CHARACTERS.sub('', value)[:20]}“ ist ungültig und wird nicht übernommen.")
    return None


def _shape_problem(record: list[str]) -> str:
    expected = len(COLUMNS)
    if len(record) < expected:
        return f"Die Zeile ist unvollständig: {len(record)} statt {expected} Spalten."
    if any(value.strip() for value in record[expected:]):
        filled = max(i + 1 for i, value in enumerate(record) if value.strip())
        return f"Die Zeile hat {filled} Spalten statt {expected}; steht ein Semikolon ohne Anführungszeichen in einem Feld?"
    return ""


def _without_controls(column: str, value: str, problems: list[str]) -> str | None:
    """The value with outer blanks removed, or None (and a problem) if it holds a control character."""
    found = CONTROL_CHARACTERS.search(value)
    if found:
        problems.append(f"Spalte „{column}“ enthält ein unzulässiges Steuerzeichen (U+{ord(found.group()):04X}).")
        return None
    return value.strip()


def _schulnummer(value: str | None, line: int, first_lines: dict[str, int], problems: list[str]) -> str:
    if value is None:
        return ""
    if not value:
        problems.append("Die Schulnummer fehlt.")
    elif not _SCHULNUMMER.fullmatch(value):
        problems.append(f"Schulnummer „{value}“ hat nicht 6 Ziffern.")
    elif value in first_lines:
        problems.append(
            f"Schulnummer „{value}“ steht schon in Zeile {first_lines[value]}; jede Schule darf nur einmal vorkommen."
        )
    else:
        first_lines[value] = line
    return value


def _schulform(value: str | None, problems: list[str]) -> str:
    if value is not None:
        _check_key(value, 2, "Die Schulform fehlt.", f"Schulform „{value}“ ist kein zweistelliger Schlüssel", problems)
    return value or ""


def _name(fields: dict[str, str | None], problems: list[str]) -> str:
    parts = [fields[column] for column in NAME_COLUMNS]
    if None in parts:
        return ""
    name = " ".join(" ".join(part.split()) for part in parts if part)
    if not name:
        problems.append("Die Schulbezeichnung fehlt (Schulbezeichnung_1 bis _3 sind leer).")
    elif len(name) > MAX_SCHOOL_NAME_LENGTH:
        problems.append(f"Die Schulbezeichnung ist {len(name)} Zeichen lang; erlaubt sind höchstens {MAX_SCHOOL_NAME_LENGTH}.")
    return name


def _kreis(value: str | None, problems: list[str]) -> str:
    if value is None:
        return ""
    missing = "Der Gemeindeschluessel fehlt; ohne ihn ist der Kreis der Schule unbekannt."
    if _check_key(value, 8, missing, f"Gemeindeschluessel „{value}“ hat nicht 8 Ziffern", problems) and kreis(value[:5]) is None:
        problems.append(f"Gemeindeschluessel „{value}“ liegt in keinem Kreis von NRW (Kreisschlüssel „{value[:5]}“).")
    return value[:5]


def _check_key(value: str, digits: int, missing: str, wrong: str, problems: list[str]) -> bool:
    """Whether a key column holds exactly `digits` digits; if not, a problem (`missing` or `wrong`).

    One digit short is what Excel makes of a key with a leading zero: the problem says so.
    """
    if not value:
        problems.append(missing)
        return False
    if re.fullmatch(f"[0-9]{{{digits}}}", value):
        return True
    hint = _LEADING_ZERO_LOST if re.fullmatch(f"[0-9]{{{digits - 1}}}", value) else ""
    problems.append(f"{wrong}{hint}.")
    return False


def _ort(value: str | None, problems: list[str]) -> str:
    if value is None:
        return ""
    ort = " ".join(value.split())
    if len(ort) > MAX_ORT_LENGTH:
        problems.append(f"Der Ort ist {len(ort)} Zeichen lang; erlaubt sind höchstens {MAX_ORT_LENGTH}.")
    return ort
