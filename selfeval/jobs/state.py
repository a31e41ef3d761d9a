"""Where a job's state and result live: one folder per job with job.json and the result file, shared by all workers.

The rules a store keeps, whatever it is made of (a database-backed store would keep the same):

- `locked()` is exclusive across threads and worker processes (flock), so "check, then claim" holds under load;
- a job's record is written atomically (a poll never reads half of it), and its last write or `beat` is its
  last sign of life (`last_beat`);
- deleting a job takes it away in one step: work still running finds it gone (`exists`) and stops;
- files are created 0600 and folders 0700: only the server's own account reads them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Generic, Protocol, TypeVar

FILE_MODE = 0o600
FOLDER_MODE = 0o700
JOB_ID = re.compile(r"[A-Za-z0-9_-]{22}")
RECORD = "job.json"
log = logging.getLogger(__name__)


class Job(Protocol):
    """What a store needs of a job's record: an id (the record is a dataclass, stored field by field)."""

    id: str


J = TypeVar("J", bound=Job)


class JobStore(Protocol[J]):
    """The state of jobs as the runner and the pages see it; `FileJobStore` is the one there is."""

    def locked(self) -> contextlib.AbstractContextManager[None]: ...
    def all(self) -> list[J]: ...
    def get(self, job_id: str) -> J | None: ...
    def create(self, job: J) -> None: ...
    def save(self, job: J) -> None: ...
    def beat(self, job_id: str) -> bool: ...
    def last_beat(self, job_id: str) -> float | None: ...
    def exists(self, job_id: str) -> bool: ...
    def delete(self, job_id: str) -> None: ...
    def sweep(self, expired: Callable[[J, float | None], bool], orphans_after: float) -> None: ...
    def result(self, job_id: str) -> Path | None: ...
    def writing_result(self, job_id: str) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def new_job_id() -> str:
    return secrets.token_urlsafe(16)


class FileJobStore(Generic[J]):
    """Jobs as folders under `root` (<root>/<id>/job.json and <root>/<id>/<result_name>), locked by <root>.lock."""

    def __init__(self, root: Path, record: Callable[..., J], result_name: str):
        self.root, self.record, self.result_name = root, record, result_name

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """An exclusive lock across threads and processes (flock on a file beside the job folders)."""
        self.root.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        descriptor = os.open(self.root.with_name(f"{self.root.name}.lock"), os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # releases the lock

    def all(self) -> list[J]:
        return [job for job_id in self._ids() if (job := self.get(job_id)) is not None]

    def get(self, job_id: str) -> J | None:
        """The job's record; None for an unknown id, a record that cannot be read, or an id that is no job's."""
        if not JOB_ID.fullmatch(job_id):
            return None
        try:
            return self.record(**json.loads((self._folder(job_id) / RECORD).read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def create(self, job: J) -> None:
        self._folder(job.id).mkdir(mode=FOLDER_MODE)
        self.save(job)

    def save(self, job: J) -> None:
        """Write the record atomically, so that a poll never reads half a file; a deleted job stays deleted."""
        path = self._folder(job.id) / RECORD
        temporary = path.with_name(f".job.{threading.get_ident()}.tmp")
        try:
            with open(temporary, "w", encoding="utf-8", opener=_private) as file:
                json.dump(asdict(job), file)  # type: ignore[call-overload]  # records are dataclasses
            os.replace(temporary, path)
        except FileNotFoundError:
            log.info("job %s was deleted while it ran", job.id)

    def beat(self, job_id: str) -> bool:
        """A sign of life of the work; False once the job is gone."""
        try:
            os.utime(self._folder(job_id) / RECORD)
        except OSError:
            return False
        return True

    def last_beat(self, job_id: str) -> float | None:
        """When the job's record was last written or beaten; None if it is gone."""
        try:
            return (self._folder(job_id) / RECORD).stat().st_mtime
        except OSError:
            return None

    def exists(self, job_id: str) -> bool:
        return self._folder(job_id).is_dir()

    def delete(self, job_id: str) -> None:
        _delete(self._folder(job_id))

    def sweep(self, expired: Callable[[J, float | None], bool], orphans_after: float) -> None:
        """Delete every expired job; a folder without a readable record goes `orphans_after` seconds after its last change."""
        if not self.root.is_dir():
            return
        now = time.time()
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            job = self.get(folder.name)
            try:
                stale = expired(job, self.last_beat(job.id)) if job else now - folder.stat().st_mtime > orphans_after
            except OSError:
                continue  # removed meanwhile
            if stale:
                _delete(folder)

    def result(self, job_id: str) -> Path | None:
        path = self._folder(job_id) / self.result_name
        return path if path.is_file() else None

    @contextlib.contextmanager
    def writing_result(self, job_id: str) -> Iterator[IO[bytes]]:
        """A private file for the job's result, in its place only once the block has finished without an error."""
        final = self._folder(job_id) / self.result_name
        partial = final.with_name(f"{self.result_name}.part")
        with open(partial, "xb", opener=_private) as file:
            yield file
        os.replace(partial, final)

    def _ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return [folder.name for folder in self.root.iterdir() if folder.is_dir() and JOB_ID.fullmatch(folder.name)]

    def _folder(self, job_id: str) -> Path:
        return self.root / job_id


def _delete(folder: Path) -> None:
    """Take the folder away in one step, then empty it: work still running finds its path gone at once
    and cannot write into the folder while it is being emptied."""
    doomed = folder.with_name(f".deleted-{folder.name}-{secrets.token_hex(4)}")
    try:
        os.rename(folder, doomed)
    except OSError:
        return  # already gone
    shutil.rmtree(doomed, ignore_errors=True)


def _private(path: str, flags: int) -> int:
    """An opener for open(): the file is created readable by the server's account only."""
    return os.open(path, flags, FILE_MODE)



