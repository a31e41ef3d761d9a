"""Realistic schuldaten.csv files for tests and benchmarks, with the report each one must give.

The file has the real layout (a `sep=;` line, the 24-column header, a trailing empty column, CRLF
line ends) and what the real file has that a naive reader gets wrong: names with `;` and doubled
quotes, umlauts, quoted fields that span lines. Every 50th row (from the eighth on) is broken in
one of the ways below. The expected rows and problems are worked out here, while writing, from
the physical lines written, independently of the parser.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

from hypothesis import strategies as st

from selfeval.directory import (
    COLUMNS,
)
from selfeval.reference import SCHULFORMEN, kreise

PREFIXES = ["Städtische", "Katholische", "Evangelische", "Private", "Bischöfliche", ""]
SECOND_PARTS = ["", "", "", "Am Ölbach; Sekundarstufe I", 'Haus "Zur Linde"', "Zweig\nNord", "Primarstufe – Ganztag"]
THIRD_PARTS = ["", "", "", "", "Teilstandort Süd"]
TOWNS = ["Dortmund", "Köln", "Münster", "Düsseldorf", "Gütersloh", "Lüdenscheid", "Mönchengladbach", "Bad Oeynhausen"]
STREETS = ["Hauptstraße 12", "Schulweg 3", "Am Bürgerpark 7", "Lindenallee 1\nEingang B"]
BROKEN = [
    "schulnummer", "no_name", "truncated", "unquoted_semicolon", "foreign_kreis", "lost_zero", "duplicate",
    "control", "long_name", "long_ort", "unknown_schulform", "blank_before", "multi_line_rejected",
]  # fmt: skip
LONG_NAME = "Schule " + "x" * 300
LONG_ORT = "Ort" * 41
LEADING_ZERO_LOST = "; vermutlich ging eine führende Null verloren (in Excel gespeichert?)"
HEADER = ";".join(COLUMNS) + ";"
#: The values of a valid row for record(); other columns are empty.
GOOD = {"Schulnummer": "100001", "Schulform": "15", "Schulbezeichnung_1": "Gesamtschule Nord", "Ort": "Dortmund",
        "Gemeindeschluessel": "05913000", "Strasse": "Hauptstraße 1", "PLZ": "44135", "EPSG": "25832"}  # fmt: skip


def record(**values: str) -> str:
    """One data line (quoted by the csv module as needed) with the trailing empty column, without its line end."""
    fields = {**dict.fromkeys(COLUMNS, ""), **GOOD, **values}
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow([fields[column] for column in COLUMNS] + [""])
    return buffer.getvalue().removesuffix("\r\n")


def csv_file(*lines: str, preamble: tuple[str, ...] = ("sep=;", HEADER)) -> bytes:
    """A schuldaten.csv: the preamble (the `sep=;` line and the header), then these lines, with CRLF."""
    return "\r\n".join([*preamble, *lines, ""]).encode("utf-8")


@dataclass
class GeneratedDirectory:
    data: bytes = b""
    #: (schulnummer, name, schulform, kreis, ort, line, gemeindeschluessel, traeger_nummer, rechtsform) of every row
    #: that must be imported, in file order.
    rows: list[tuple[str, str, str, str, str, int, str, str, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def make_directory_file(n_rows: int, seed: int = 0, revision: int = 0) -> bytes:
    """The bytes of a schuldaten.csv with `n_rows` rows (some broken, see generate_directory)."""
    return generate_directory(n_rows, seed, revision).data


def generate_directory(n_rows: int, seed: int = 0, revision: int = 0) -> GeneratedDirectory:
    """A schuldaten.csv with `n_rows` rows and the exact report the importer must give for it.

    A later `revision` of the same seed draws every third school afresh (some values stay the same by chance).
    """
    writer = _Writer()
    writer.raw("sep=;")
    writer.raw(HEADER)
    keys = sorted(kreise())
    last_good: tuple[str, int] = ("", 0)
    for i in range(n_rows):
        salt = f"-{revision}" if revision and i % 3 == 0 else ""
        rng = random.Random(f"{seed}-{i}{salt}")  # noqa: S311 - test data, not secrets
        fields = _school_fields(rng, keys, f"{100000 + i}")
        kind = BROKEN[(i // 50) % len(BROKEN)] if i % 50 == 7 else ""
        if kind == "blank_before":
            writer.raw("")
        if kind == "duplicate":
            fields["Schulnummer"] = last_good[0]
        reason = _break(kind, fields, last_good)
        line = writer.line
        if kind == "unquoted_semicolon":
            writer.raw(";".join(fields[column] for column in COLUMNS) + ";")
        elif kind == "truncated":
            writer.record([fields[column] for column in COLUMNS[:20]])
        else:
            writer.record([fields[column] for column in COLUMNS] + [""])
        if reason:
            span = f" Der Datensatz reicht bis Zeile {writer.line - 1}." if writer.line - 1 > line else ""
            writer.result.rejected.append((line, reason + span))
            continue
        writer.result.rows.append(_expected_row(fields, line))
        if kind == "unknown_schulform":
            reason = "Schulform „12“ steht nicht im Schlüsselverzeichnis; die Schule wird trotzdem importiert."
            writer.result.warnings.append((line, reason))
        last_good = (fields["Schulnummer"], line)
    writer.result.data = writer.buffer.getvalue().encode("utf-8")
    return writer.result


class _Writer:
    """Writes records with the csv module and counts physical lines."""

    def __init__(self) -> None:
        self.buffer = io.StringIO(newline="")
        self.csv = csv.writer(self.buffer, delimiter=";", lineterminator="\r\n")
        self.line = 1  # the line the next record starts on
        self.result = GeneratedDirectory()

    def raw(self, text: str) -> None:
        self.buffer.write(text + "\r\n")
        self.line += 1

    def record(self, values: list[str]) -> None:
        self.csv.writerow(values)
        self.line += 1 + sum(value.count("\n") for value in values)


def _school_fields(rng: random.Random, keys: list[str], schulnummer: str) -> dict[str, str]:
    schulform = rng.choice(sorted(SCHULFORMEN))
    kreis_key = rng.choice(keys)
    first = f"{rng.choice(PREFIXES)} {SCHULFORMEN[schulform]}".strip()
    fields = dict.fromkeys(COLUMNS, "")
    fields |= {
        "Schulnummer": schulnummer,
        "Schulform": schulform,
        "Schulbezeichnung_1": first,
        "Schulbezeichnung_2": rng.choice(SECOND_PARTS),
        "Schulbezeichnung_3": rng.choice(THIRD_PARTS),
        "Kurzbezeichnung": first[:20],
        "Bezirksregierung": kreise()[kreis_key].bezirksregierung,
        "PLZ": f"{rng.randrange(32000, 59999)}",
        "Ort": rng.choice(TOWNS),
        "Strasse": rng.choice(STREETS),
        "Telefonvorwahl": "0231",
        "Telefon": f"{rng.randrange(100000, 999999)}",
        "E-Mail": f"{schulnummer}@schule.nrw.de",
        "Rechtsform": rng.choice("12"),
        "Traegernummer": f"{rng.randrange(1000000, 9999999)}",
        "Gemeindeschluessel": f"{kreis_key}{rng.randrange(1000):03d}",
        "Schulbetriebsschluessel": "1",
        "Schulbetriebsdatum": "01.08.1975",
        "EPSG": "25832",
        "UTMRechtswert": f"{rng.randrange(280000, 530000)}",
        "UTMHochwert": f"{rng.randrange(5560000, 5800000)}",
    }
    return fields


def _break(kind: str, fields: dict[str, str], last_good: tuple[str, int]) -> str:
    """Break the row as `kind` says; the reason it must be rejected with ("" if it is imported)."""
    if kind in ("schulnummer", "multi_line_rejected"):
        fields["Schulnummer"] = fields["Schulnummer"][1:]
        if kind == "multi_line_rejected":
            fields["Strasse"] = "Hof\nHaus 2\nEingang C"
        return f"Schulnummer „{fields['Schulnummer']}“ hat nicht 6 Ziffern."
    if kind == "no_name":
        fields.update(dict.fromkeys(["Schulbezeichnung_1", "Schulbezeichnung_2", "Schulbezeichnung_3"], " "))
        return "Die Schulbezeichnung fehlt (Schulbezeichnung_1 bis _3 sind leer)."
    if kind == "truncated":
        return "Die Zeile ist unvollständig: 20 statt 24 Spalten."
    if kind == "unquoted_semicolon":
        fields.update({"Schulbezeichnung_1": "Schule am Markt; Zweig", "Schulbezeichnung_2": "", "Strasse": "Markt 1"})
        return "Die Zeile hat 25 Spalten statt 24; steht ein Semikolon ohne Anführungszeichen in einem Feld?"
    if kind == "foreign_kreis":
        fields["Gemeindeschluessel"] = "09162000"
        return "Gemeindeschluessel „09162000“ liegt in keinem Kreis von NRW (Kreisschlüssel „09162“)."
    if kind == "lost_zero":
        fields["Gemeindeschluessel"] = fields["Gemeindeschluessel"].lstrip("0")
        value = fields["Gemeindeschluessel"]
        return f"Gemeindeschluessel „{value}“ hat nicht 8 Ziffern{LEADING_ZERO_LOST}."
    if kind == "duplicate":
        return f"Schulnummer „{last_good[0]}“ steht schon in Zeile {last_good[1]}; jede Schule darf nur einmal vorkommen."
    if kind == "control":
        fields["Schulbezeichnung_2"] = "Zweig\x07"
        return "Spalte „Schulbezeichnung_2“ enthält ein unzulässiges Steuerzeichen (U+0007)."
    if kind == "long_name":
        fields.update({"Schulbezeichnung_1": LONG_NAME, "Schulbezeichnung_2": "", "Schulbezeichnung_3": ""})
        return f"Die Schulbezeichnung ist {len(LONG_NAME)} Zeichen lang; erlaubt sind höchstens 300."
    if kind == "long_ort":
        fields["Ort"] = LONG_ORT
        return f"Der Ort ist {len(LONG_ORT)} Zeichen lang; erlaubt sind höchstens 120."
    if kind == "unknown_schulform":
        fields["Schulform"] = "12"
    return ""


def _expected_row(fields: dict[str, str], line: int) -> tuple[str, str, str, str, str, int, str, str, str]:
    """Schulnummer, name, Schulform, Kreis, Ort, line, then the Gemeindeschlüssel, Trägernummer and Rechtsform."""
    parts = [" ".join(fields[f"Schulbezeichnung_{n}"].split()) for n in (1, 2, 3)]
    name = " ".join(part for part in parts if part)
    gemeinde = fields["Gemeindeschluessel"]
    return (
        fields["Schulnummer"], name, fields["Schulform"], gemeinde[:5], fields["Ort"], line,
        gemeinde, fields["Traegernummer"], fields["Rechtsform"],
    )  # fmt: skip


BOM = b"\xef\xbb\xbf"
PIECES = st.sampled_from([b"\x00", b";", b'"', b'""', b"\r", b"\n", b"\r\n", BOM, b",", b"\t", b"\xff", b"\xc3", b"sep=;"])


@st.composite
def damaged(draw) -> bytes:
    """A generated directory (every 50th row from the eighth broken in a documented way) changed in one to five places."""
    data = bytearray(generate_directory(draw(st.integers(min_value=5, max_value=120)), seed=draw(st.integers(0, 10**6))).data)
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        # Mostly among the rows: damage to the header is a file error, and soon found.
        start = 0 if draw(st.integers(min_value=0, max_value=4)) == 0 else len(PREAMBLE)
        position = draw(st.integers(min_value=start, max_value=max(len(data) - 1, start)))
        action = draw(st.sampled_from(["overwrite", "insert", "delete", "cut_line", "swap_separators", "line_ends"]))
        if action == "overwrite":
            piece = draw(st.binary(min_size=1, max_size=3) | PIECES)
            data[position : position + len(piece)] = piece
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=3) | PIECES)
        elif action == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=40))]
        elif action == "cut_line":  # the rest of a line is lost, its line end kept
            end = data.find(b"\n", position)
            del data[position : end if end >= 0 else len(data)]
        elif action == "swap_separators":
            old, new = draw(st.sampled_from([(b";", b","), (b";", b"\t"), (b'"', b"'"), (b";", b"")]))
            data = bytearray(data.replace(old, new, draw(st.integers(min_value=1, max_value=50))))
        else:
            data = bytearray(data.replace(b"\r\n", draw(st.sampled_from([b"\n", b"\r", b"\n\r", b"\r\r\n"]))))
    return bytes(data)


PREAMBLE = f"sep=;\r\n{HEADER}\r\n".encode()
