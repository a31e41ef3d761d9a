"""`selfeval backup FILE` and `selfeval restore FILE`: all data as one JSON document (services.backup)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from ..unit_of_work import in_one_transaction
from .common import fail

#: FILE given as "-" means standard output (backup) or standard input (restore).
STANDARD_STREAM = "-"


def _database_problem(exc: OperationalError) -> str:
    return f"cannot use the database: {str(exc.orig or exc).splitlines()[0]}"


@click.command("backup")
@click.argument("file")
@with_appcontext
def backup_command(file: str) -> None:
    """Write all data to FILE as one JSON document ("-" for standard output).

    The file is written with mode 600: it holds password hashes and the teams' comments. Not in it:
    session keys and one-time password links.
    """
    from ..services.backup import BackupError, counts, describe, dump, json_chunks

    start = time.perf_counter()
    try:
        document = dump()
    except BackupError as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(_database_problem(exc))
    if file == STANDARD_STREAM:
        for chunk in json_chunks(document):
            sys.stdout.buffer.write(chunk.encode("utf-8"))
        sys.stdout.flush()
    else:
        try:
            write_atomically(Path(file), json_chunks(document))
        except OSError as exc:
            fail(f"cannot write {file}: {exc.strerror or exc}")
    elapsed = time.perf_counter() - start
    summary = f"wrote backup {file}: {describe(counts(document))} in {elapsed:.1f} s"
    click.echo(summary, err=file == STANDARD_STREAM)


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write next to `path` with mode 600, then rename: readers see the old file or the whole new one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("restore")
@click.argument("file")
@with_appcontext
def restore_command(file: str) -> None:
    """Load a backup FILE ("-" for standard input) into an empty, migrated database.

    All or nothing; a database that holds any data is refused. Everyone logs in again afterwards
    (new session keys); one-time password links are not in a backup.
    """
    from ..services.backup import BackupError, describe, from_json, restore

    start = time.perf_counter()
    try:
        # The transaction around the restore alone: a commit the database refuses also ends with a plain message.
        table_counts = in_one_transaction(restore)(from_json(_read(file)))
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text")
    except BackupError as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(_database_problem(exc))
    elapsed = time.perf_counter() - start
    click.echo(f"restored {file}: {describe(table_counts)} in {elapsed:.1f} s")


def _read(file: str) -> str:
    raw = sys.stdin.buffer.read() if file == STANDARD_STREAM else Path(file).read_bytes()
    return raw.decode("utf-8")
