"""Properties of the schuldaten.csv reader: any bytes give a report whose rows can be stored, or a DirectoryFileError.

Examples: arbitrary bytes (alone and after a valid header), generated directories with bytes overwritten, lines cut,
separators swapped, a BOM, line ends changed, NUL and quotes inserted; and, exactly, a generated directory whose line
ends are changed must give the same report.
"""

from __future__ import annotations

import re

from hypothesis import event, given
from hypothesis import strategies as st

from selfeval.directory import USED_COLUMNS, DirectoryFileError, DirectoryParse, RowProblem, parse_directory
from selfeval.limits import MAX_ORT_LENGTH as MAX_ORT
from selfeval.limits import MAX_SCHOOL_NAME_LENGTH as MAX_NAME
from selfeval.reference import kreis
from tests.support.directory_file import BOM, PREAMBLE, damaged, generate_directory, record
from tests.support.properties import budget

SCHULNUMMER, SCHULFORM = re.compile(r"[0-9]{6}"), re.compile(r"[0-9]{2}")
#: What the database and the XLSX export cannot take (PostgreSQL refuses NUL; XML most C0 controls).
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def outcome(data: bytes) -> DirectoryParse | DirectoryFileError:
    """What the reader makes of these bytes; any other exception fails the test."""
    try:
        return parse_directory(data)
    except DirectoryFileError as error:
        return error


def assert_report_or_file_error(data: bytes) -> DirectoryParse | DirectoryFileError:
    """Rows fit the database and the form's rules, each problem has its line in the file; or a German file error."""
    result = outcome(data)
    if isinstance(result, DirectoryFileError):
        event(f"file error: {str(result)[:30]}")
        message = str(result)
        assert message.strip() == message != ""
        assert message[-1] in ".?"
        return result
    event(f"{min(len(result.rows), 3)}+ rows, {min(len(result.rejected), 3)}+ rejected")
    # StringIO and csv count \r, \n and \r\n as line ends; splitlines() knows those and more.
    last_line = len(data.decode("utf-8-sig").splitlines()) + 1
    for row in result.rows:
        assert SCHULNUMMER.fullmatch(row.schulnummer) and SCHULFORM.fullmatch(row.schulform), row
        assert kreis(row.kreis) is not None
        assert row.name == " ".join(row.name.split()) != "" and len(row.name) <= MAX_NAME
        assert row.ort == " ".join(row.ort.split()) and len(row.ort) <= MAX_ORT
        assert not UNSTORABLE.search(row.name + row.ort)
    assert len({row.schulnummer for row in result.rows}) == len(result.rows)
    record_lines = sorted([row.line for row in result.rows] + [problem.line for problem in result.rejected])
    assert len(set(record_lines)) == len(record_lines)  # one verdict per record
    assert all(2 <= line <= last_line for line in record_lines)  # never the header (line 1 at the earliest)
    assert {warning.line for warning in result.warnings} <= {row.line for row in result.rows}
    for problem in result.rejected + result.warnings:
        assert isinstance(problem, RowProblem) and problem.reason.strip() != ""
    return result


# --- strategies -----------------------------------------------------------------------------------------------


#: Values for the columns the import reads: what a hostile or broken export might hold.
cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["100001", "100002", "05913000", "05315000", "15", "02", "12", " 100003 ", "1e5", "١٢٣٤٥٦", "²¹"]),
    st.sampled_from(["\x00", "\x07", "\x7f", '"', ";", "\r\n", "\u2028", "=HYPERLINK(1)", "x" * 301, "Ort" * 41]),
    st.text(alphabet="0123456789", min_size=1, max_size=9),
)


@st.composite
def rows_of_arbitrary_values(draw) -> bytes:
    """The valid header, then valid rows with arbitrary values in some columns, some rows cut or lengthened."""
    lines = []
    for number in range(draw(st.integers(min_value=1, max_value=8))):
        values = draw(st.dictionaries(st.sampled_from(USED_COLUMNS + ("Strasse", "EPSG")), cell, max_size=4))
        line = record(**{"Schulnummer": f"{100001 + number}", **values})
        cells = line.split(";")
        cut = draw(st.integers(min_value=-3, max_value=2))
        lines.append(";".join(cells[:cut] if cut < 0 else cells + ["x"] * cut))
    return PREAMBLE + "\r\n".join(lines).encode("utf-8")


# --- properties -----------------------------------------------------------------------------------------------


@budget(2)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_report_or_a_file_error(data):
    assert_report_or_file_error(data)


@budget(2)
@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_after_the_header_give_a_report_or_a_file_error(data):
    assert_report_or_file_error(PREAMBLE + data)


@budget(2)
@given(rows_of_arbitrary_values())
def test_rows_with_arbitrary_values_give_a_report_or_a_file_error(data):
    assert_report_or_file_error(data)


@budget(2)
@given(damaged())
def test_a_damaged_directory_gives_a_report_or_a_file_error(data):
    assert_report_or_file_error(data)


@budget(0.3)
@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=10**6), st.sampled_from([b"\n", b"\r"]))
def test_other_line_ends_and_a_bom_give_exactly_the_report_of_the_original(n_rows, seed, line_end):
    expected = generate_directory(n_rows, seed=seed)
    converted = BOM + expected.data.replace(b"\r\n", line_end)

    parsed = parse_directory(converted)

    found = [(r.schulnummer, r.name, r.schulform, r.kreis, r.ort, r.line) for r in parsed.rows]
    assert found == [row[:6] for row in expected.rows]
    assert [(p.line, p.reason) for p in parsed.rejected] == expected.rejected
    assert [(p.line, p.reason) for p in parsed.warnings] == expected.warnings
