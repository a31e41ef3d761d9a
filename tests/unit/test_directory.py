"""Reading schuldaten.csv: every row rule with its exact line and reason, and every file error."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from selfeval.directory import COLUMNS, USED_COLUMNS, DirectoryFileError, DirectoryRow, RowProblem, parse_directory
from tests.support.directory_file import GOOD, HEADER, LEADING_ZERO_LOST, csv_file, generate_directory, record

UTF8_ADVICE = "Bitte speichern Sie sie als UTF-8 (in Excel: „CSV UTF-8“) und importieren Sie sie erneut."


def school(
    schulnummer: str, name: str, line: int, schulform: str = "15", kreis: str = "05913", ort: str = "Dortmund",
    gemeinde: str = "000",
):  # fmt: skip
    """A row as parsed; its Gemeindeschlüssel is the Kreisschlüssel and `gemeinde` (the tests' kreisfreie Städte: 000)."""
    return DirectoryRow(schulnummer, name, schulform, kreis, ort, line, kreis + gemeinde)


def rejected_only(line: str) -> list[tuple[int, str]]:
    """Parse a file with this one data line (line 3); it must be rejected: its problems."""
    parsed = parse_directory(csv_file(line))
    assert (parsed.rows, parsed.warnings) == ([], [])
    return [(problem.line, problem.reason) for problem in parsed.rejected]


def file_error(data: bytes) -> str:
    with pytest.raises(DirectoryFileError) as caught:
        parse_directory(data)
    return str(caught.value)


# --- reading well-formed files ---------------------------------------------------------------------


def test_parse_reads_schools_with_physical_line_numbers():
    data = csv_file(record(), record(Schulnummer="100002", Schulform="02", Schulbezeichnung_1="Grundschule Süd", Ort="Köln",
                                     Gemeindeschluessel="05315000"))  # fmt: skip

    parsed = parse_directory(data)

    assert parsed.rows == [
        school("100001", "Gesamtschule Nord", 3),
        school("100002", "Grundschule Süd", 4, "02", "05315", "Köln"),
    ]
    assert (parsed.rejected, parsed.warnings) == ([], [])


def test_parse_accepts_a_utf8_bom_before_the_sep_line_or_before_the_header():
    with_sep = b"\xef\xbb\xbf" + csv_file(record())
    without_sep = b"\xef\xbb\xbf" + csv_file(record(), preamble=(HEADER,))

    assert parse_directory(with_sep).rows == [school("100001", "Gesamtschule Nord", 3)]
    assert parse_directory(without_sep).rows == [school("100001", "Gesamtschule Nord", 2)]


def test_parse_finds_the_header_after_other_metadata_lines():
    data = csv_file(record(), preamble=("Schulgrunddaten NRW;Stand: 15.10.2025;;", "", "Quelle: IT.NRW", HEADER))

    assert parse_directory(data).rows == [school("100001", "Gesamtschule Nord", 5)]


def test_parse_reads_quoted_names_with_semicolons_doubled_quotes_and_umlauts():
    line = record(Schulbezeichnung_1="Städtische Gesamtschule Am Ölbach; Sek. I", Schulbezeichnung_2='Haus "Zur Linde"',
                  Schulbezeichnung_3="Teilstandort Süd", Ort="Mönchengladbach")  # fmt: skip
    assert '"Städtische Gesamtschule Am Ölbach; Sek. I";"Haus ""Zur Linde""";Teilstandort Süd' in line

    assert parse_directory(csv_file(line)).rows == [
        school("100001", 'Städtische Gesamtschule Am Ölbach; Sek. I Haus "Zur Linde" Teilstandort Süd', 3, ort="Mönchengladbach")
    ]


def test_parse_joins_the_name_parts_with_single_spaces_and_skips_empty_parts():
    line = record(Schulbezeichnung_1="  Grundschule   am\tPark ", Schulbezeichnung_2=" ", Schulbezeichnung_3="Zweig  Ost")

    assert parse_directory(csv_file(line)).rows == [school("100001", "Grundschule am Park Zweig Ost", 3)]


def test_parse_reads_rows_with_and_without_the_trailing_empty_column():
    without = record().removesuffix(";")
    data = csv_file(without, record(Schulnummer="100002"), preamble=("sep=;", ";".join(COLUMNS)))

    assert parse_directory(data).rows == [school("100001", "Gesamtschule Nord", 3), school("100002", "Gesamtschule Nord", 4)]


def test_a_quoted_line_break_makes_a_record_span_lines_and_problems_name_its_first_line():
    data = csv_file(
        record(Strasse="Hauptstraße 1\nEingang B\nHof"),  # lines 3-5
        record(Schulnummer="100002", Schulbezeichnung_2="Zweig\r\nNord"),  # lines 6-7
        record(Schulnummer="10003", Strasse="Am Markt\n2"),  # lines 8-9
        record(Schulnummer="100004"),  # line 10
    )

    parsed = parse_directory(data)

    assert parsed.rows == [
        school("100001", "Gesamtschule Nord", 3),
        school("100002", "Gesamtschule Nord Zweig Nord", 6),
        school("100004", "Gesamtschule Nord", 10),
    ]
    assert parsed.rejected == [RowProblem(8, "Schulnummer „10003“ hat nicht 6 Ziffern. Der Datensatz reicht bis Zeile 9.")]


def test_blank_lines_are_skipped_silently_and_still_counted():
    data = csv_file("", record(), "   ", ";;;;", record(Schulnummer="100002"), "")

    parsed = parse_directory(data)

    assert parsed.rows == [school("100001", "Gesamtschule Nord", 4), school("100002", "Gesamtschule Nord", 7)]
    assert (parsed.rejected, parsed.warnings) == ([], [])


def test_a_file_with_only_the_header_has_no_rows():
    assert astuple(parse_directory(csv_file())) == ([], [], [])


def test_columns_after_schulnummer_and_schulform_are_found_by_name_in_any_order():
    columns = [*COLUMNS[:2], *reversed(COLUMNS[2:])]
    values = {**dict.fromkeys(COLUMNS, ""), **GOOD}
    data = csv_file(";".join(values[column] for column in columns), preamble=(";".join(columns),))

    assert parse_directory(data).rows == [school("100001", "Gesamtschule Nord", 2)]


# --- row rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"Schulnummer": "12345"}, "Schulnummer „12345“ hat nicht 6 Ziffern."),
        ({"Schulnummer": "1234567"}, "Schulnummer „1234567“ hat nicht 6 Ziffern."),
        ({"Schulnummer": "10000a"}, "Schulnummer „10000a“ hat nicht 6 Ziffern."),
        ({"Schulnummer": "١٠٠٠٠١"}, "Schulnummer „١٠٠٠٠١“ hat nicht 6 Ziffern."),
        ({"Schulnummer": " "}, "Die Schulnummer fehlt."),
        ({"Schulbezeichnung_1": ""}, "Die Schulbezeichnung fehlt (Schulbezeichnung_1 bis _3 sind leer)."),
        ({"Schulbezeichnung_1": "x" * 301}, "Die Schulbezeichnung ist 301 Zeichen lang; erlaubt sind höchstens 300."),
        ({"Schulbezeichnung_1": "x" * 150, "Schulbezeichnung_2": "y" * 150},
         "Die Schulbezeichnung ist 301 Zeichen lang; erlaubt sind höchstens 300."),
        ({"Ort": "o" * 121}, "Der Ort ist 121 Zeichen lang; erlaubt sind höchstens 120."),
        ({"Schulform": "2"}, f"Schulform „2“ ist kein zweistelliger Schlüssel{LEADING_ZERO_LOST}."),
        ({"Schulform": "GY"}, "Schulform „GY“ ist kein zweistelliger Schlüssel."),
        ({"Schulform": "020"}, "Schulform „020“ ist kein zweistelliger Schlüssel."),
        ({"Schulform": ""}, "Die Schulform fehlt."),
        ({"Gemeindeschluessel": "5913000"}, f"Gemeindeschluessel „5913000“ hat nicht 8 Ziffern{LEADING_ZERO_LOST}."),
        ({"Gemeindeschluessel": "059130001"}, "Gemeindeschluessel „059130001“ hat nicht 8 Ziffern."),
        ({"Gemeindeschluessel": "0591300X"}, "Gemeindeschluessel „0591300X“ hat nicht 8 Ziffern."),
        ({"Gemeindeschluessel": "09162000"},
         "Gemeindeschluessel „09162000“ liegt in keinem Kreis von NRW (Kreisschlüssel „09162“)."),
        ({"Gemeindeschluessel": "05999000"},
         "Gemeindeschluessel „05999000“ liegt in keinem Kreis von NRW (Kreisschlüssel „05999“)."),
        ({"Gemeindeschluessel": ""}, "Der Gemeindeschluessel fehlt; ohne ihn ist der Kreis der Schule unbekannt."),
    ],
)  # fmt: skip
def test_a_row_with_a_wrong_value_is_rejected_with_its_reason(values, reason):
    assert rejected_only(record(**values)) == [(3, reason)]


def test_names_and_orte_at_the_limits_are_accepted():
    line = record(Schulbezeichnung_1="x" * 149, Schulbezeichnung_2="y" * 150, Ort="o" * 120)

    assert parse_directory(csv_file(line)).rows == [school("100001", "x" * 149 + " " + "y" * 150, 3, ort="o" * 120)]


@pytest.mark.parametrize("column", [*USED_COLUMNS[:3], "Schulbezeichnung_3", "Ort", "Gemeindeschluessel"])
@pytest.mark.parametrize("character", ["\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f"])
def test_a_control_character_that_xml_forbids_rejects_the_row(column, character):
    line = record(**{column: GOOD.get(column, "Zweig") + character})

    assert rejected_only(line) == [(3, f"Spalte „{column}“ enthält ein unzulässiges Steuerzeichen (U+{ord(character):04X}).")]


def test_control_characters_in_columns_the_import_does_not_read_are_ignored():
    parsed = parse_directory(csv_file(record(Strasse="Hof\x07", Homepage="\x00")))

    assert (parsed.rows, parsed.rejected, parsed.warnings) == ([school("100001", "Gesamtschule Nord", 3)], [], [])


def test_a_row_with_several_problems_names_them_all():
    line = record(Schulnummer="1234", Schulform="X", Schulbezeichnung_1="", Gemeindeschluessel="09162000", Ort="o\x01")

    assert rejected_only(line) == [
        (
            3,
            "Spalte „Ort“ enthält ein unzulässiges Steuerzeichen (U+0001). Schulnummer „1234“ hat nicht 6 Ziffern. "
            "Schulform „X“ ist kein zweistelliger Schlüssel. "
            "Die Schulbezeichnung fehlt (Schulbezeichnung_1 bis _3 sind leer). "
            "Gemeindeschluessel „09162000“ liegt in keinem Kreis von NRW (Kreisschlüssel „09162“).",
        )
    ]


def test_a_truncated_row_is_rejected():
    line = ";".join(["100001", "15", "Gesamtschule Nord", "", "", "", "Arnsberg", "44135", "Dortmund"])

    assert rejected_only(line) == [(3, "Die Zeile ist unvollständig: 9 statt 24 Spalten.")]


def test_a_row_with_too_many_filled_columns_is_rejected_but_empty_extra_columns_are_not():
    unquoted = record(Schulbezeichnung_1="Gesamtschule Nord, Sek. I", UTMHochwert="5710000").replace(", ", "; ")
    trailing = record(Schulnummer="100002") + ";;  ;"

    parsed = parse_directory(csv_file(unquoted, trailing))

    assert parsed.rows == [school("100002", "Gesamtschule Nord", 4)]
    assert parsed.rejected == [
        RowProblem(3, "Die Zeile hat 25 Spalten statt 24; steht ein Semikolon ohne Anführungszeichen in einem Feld?")
    ]


def test_an_unknown_schulform_code_is_imported_with_a_warning():
    parsed = parse_directory(csv_file(record(Schulform="12"), record(Schulnummer="100002", Schulform="99")))

    assert parsed.rows == [school("100001", "Gesamtschule Nord", 3, "12"), school("100002", "Gesamtschule Nord", 4, "99")]
    assert parsed.warnings == [
        RowProblem(3, "Schulform „12“ steht nicht im Schlüsselverzeichnis; die Schule wird trotzdem importiert."),
        RowProblem(4, "Schulform „99“ steht nicht im Schlüsselverzeichnis; die Schule wird trotzdem importiert."),
    ]
    assert parsed.rejected == []


def test_a_rejected_row_with_an_unknown_schulform_gets_no_warning():
    parsed = parse_directory(csv_file(record(Schulform="12", Gemeindeschluessel="")))

    assert (len(parsed.rejected), parsed.warnings) == (1, [])


def test_a_schulnummer_that_occurs_again_keeps_its_first_row():
    data = csv_file(
        record(Schulbezeichnung_1="Erste"),
        record(Schulnummer="100002"),
        record(Schulbezeichnung_1="Zweite"),
        record(Schulbezeichnung_1="Dritte", Schulform="X"),
    )

    parsed = parse_directory(data)

    assert parsed.rows == [school("100001", "Erste", 3), school("100002", "Gesamtschule Nord", 4)]
    duplicate = "Schulnummer „100001“ steht schon in Zeile 3; jede Schule darf nur einmal vorkommen."
    assert parsed.rejected == [
        RowProblem(5, duplicate),
        RowProblem(6, duplicate + " Schulform „X“ ist kein zweistelliger Schlüssel."),
    ]


def test_a_schulnummer_is_claimed_by_its_first_row_even_when_that_row_is_rejected():
    parsed = parse_directory(csv_file(record(Gemeindeschluessel="09162000"), record(Schulbezeichnung_1="Zweite")))

    assert parsed.rows == []
    assert parsed.rejected == [
        RowProblem(3, "Gemeindeschluessel „09162000“ liegt in keinem Kreis von NRW (Kreisschlüssel „09162“)."),
        RowProblem(4, "Schulnummer „100001“ steht schon in Zeile 3; jede Schule darf nur einmal vorkommen."),
    ]


def test_an_unclosed_quote_swallows_lines_into_one_rejected_record():
    broken = record(Schulbezeichnung_1="Gesamtschule Nord").replace("Gesamtschule Nord", '"Gesamtschule Nord', 1)

    parsed = parse_directory(csv_file(broken, record(Schulnummer="100002"), record(Schulnummer="100003")))

    assert parsed.rows == []
    assert parsed.rejected == [
        RowProblem(3, "Die Zeile ist unvollständig: 3 statt 24 Spalten. Der Datensatz reicht bis Zeile 5.")
    ]


def test_a_generated_directory_gives_exactly_the_expected_report():
    generated = generate_directory(3000, seed=1)

    parsed = parse_directory(generated.data)

    assert [astuple(row) for row in parsed.rows] == generated.rows
    assert [astuple(problem) for problem in parsed.rejected] == generated.rejected
    assert [astuple(problem) for problem in parsed.warnings] == generated.warnings
    assert (len(parsed.rows), len(parsed.rejected), len(parsed.warnings)) == (2948, 52, 4)


# --- file errors -----------------------------------------------------------------------------------


def test_a_latin1_file_is_refused_with_the_line_of_the_first_wrong_byte():
    data = "\r\n".join(["sep=;", HEADER, record(Schulbezeichnung_1="Grundschule Lüdenscheid"), ""]).encode("latin-1")

    assert file_error(data) == f"Die Datei ist nicht UTF-8-kodiert (Zeile 3 enthält das Byte 0xFC). {UTF8_ADVICE}"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\r\n"])
def test_an_empty_file_is_refused(data):
    assert file_error(data) == "Die Datei ist leer."


@pytest.mark.parametrize(
    "data",
    [
        b"sep=;\r\nname;ort\r\nSchule;Dortmund\r\n",
        csv_file(record(), preamble=("sep=,", HEADER.replace(";", ","))),
        csv_file(record(), preamble=(" " + HEADER,)),
    ],
)
def test_a_file_without_the_header_line_is_refused(data):
    assert file_error(data) == "Das ist nicht das Format der schuldaten.csv: keine Zeile beginnt mit „Schulnummer;Schulform“."


def test_a_header_with_missing_columns_names_them():
    header = ";".join(column for column in COLUMNS if column not in ("Ort", "Gemeindeschluessel"))

    assert file_error(csv_file(preamble=("sep=;", header))) == (
        "Die Kopfzeile (Zeile 2) passt nicht zur schuldaten.csv: es fehlen die Spalten „Ort“, „Gemeindeschluessel“."
    )


def test_a_header_with_renamed_or_repeated_columns_names_them():
    renamed = HEADER.replace(";Ort;", ";Stadt;")
    repeated = HEADER + "PLZ;;Extra"

    assert file_error(csv_file(preamble=(renamed,))) == (
        "Die Kopfzeile (Zeile 1) passt nicht zur schuldaten.csv: es fehlt die Spalte „Ort“; unbekannte Spalte „Stadt“."
    )
    assert file_error(csv_file(preamble=("sep=;", repeated))) == (
        "Die Kopfzeile (Zeile 2) passt nicht zur schuldaten.csv: unbekannte Spalten „(leer, Position 26)“, „Extra“; "
        "doppelte Spalte „PLZ“."
    )


def test_an_unclosed_quote_over_a_huge_remainder_is_a_file_error():
    broken = record().replace("Gesamtschule Nord", '"Gesamtschule Nord', 1)
    rest = [record(Schulnummer=f"{200000 + i}") for i in range(1500)]

    message = file_error(csv_file(record(Schulnummer="100000"), broken, *rest))

    assert message == (
        "Ab Zeile 4 lässt sich die Datei nicht als CSV lesen (field larger than field limit (131072)); "
        "fehlt ein schließendes Anführungszeichen?"
    )
