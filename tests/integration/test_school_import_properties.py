"""Property of the directory import on a real database: a damaged file is imported all or nothing.

Either the file is refused as a whole and nothing is written, or exactly the rows the reader accepted are stored
(new ones added, changed ones updated, each with its audit entry) and nothing else changes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given

from selfeval.directory import DirectoryFileError, DirectoryParse, parse_directory
from selfeval.extensions import db
from selfeval.services.school_import import ImportResult, import_directory
from tests.support.directory_file import damaged, generate_directory
from tests.support.properties import budget
from tests.support.school_import import school_rows, schools, trail

FILENAME = "schuldaten.csv"


@pytest.fixture
def stored_directory(app_context) -> None:
    """Schools from a generated directory, committed: the import below adds to and updates them."""
    import_directory(generate_directory(60, seed=3).data, actor=None, filename=FILENAME)
    db.session.commit()


# app_context and stored_directory are set up once per test; every example rolls its import back, as a caller may.
@budget(1.0, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=damaged())
def test_a_damaged_directory_is_imported_all_or_nothing(stored_directory, data):
    before = (schools(), school_rows(), trail())
    try:
        result = import_directory(data, actor=None, filename=FILENAME)
    except DirectoryFileError:
        event("refused")
        assert (schools(), school_rows(), trail()) == before  # refused before anything was written
        return
    else:
        assert_exactly_the_accepted_rows_were_imported(parse_directory(data), result, before[0], before[2])
    finally:
        db.session.rollback()
        assert (schools(), school_rows(), trail()) == before


def assert_exactly_the_accepted_rows_were_imported(
    parsed: DirectoryParse, result: ImportResult, schools_before: list[tuple], trail_before: list[tuple]
) -> None:
    known = {school[0]: school for school in schools_before}
    accepted = {row.schulnummer: (row.schulnummer, row.name, row.schulform, row.kreis, row.ort) for row in parsed.rows}
    new = sorted(number for number in accepted if number not in known)
    changed = sorted(number for number in accepted if number in known and accepted[number] != known[number])
    event(f"imported: {'some' if new else 'no'} new, {'some' if changed else 'no'} changed")

    assert schools() == sorted((known | accepted).values())
    assert (result.created, result.updated, result.unchanged) == (len(new), len(changed), len(accepted) - len(new) - len(changed))
    assert (result.rejected, result.warnings) == (parsed.rejected, parsed.warnings)
    added = trail()[len(trail_before) :]
    assert sorted((action, subject) for action, subject, *_ in added) == sorted(
        [("school.created", number) for number in new]
        + [("school.updated", number) for number in changed]
        + [("schools.imported", FILENAME)]
    )
