"""Generated files (report ZIPs and their parts) where every app server and worker finds them.

`SELFEVAL_STORAGE` names the place: `file:///srv/selfeval/files` (default: the instance folder's report-jobs),
or `s3://bucket/prefix` for any S3-compatible object store, with the endpoint and keys from the environment as
boto3 reads them (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION). Several
app servers need the same place: a shared folder (NFS) or an object store.

The rules every store keeps:

- a file appears whole or not at all (written to a temporary name, then moved; an S3 upload is atomic), so a
  part written twice by two workers (a redelivered task) leaves one complete file;
- reading streams in chunks: a ZIP of a whole Bezirk is never held in memory;
- `delete_tree(prefix)` removes every file under a prefix, wherever it is;
- on the local filesystem, files are 0600 and folders 0700: only the server's own account reads them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import unquote, urlsplit

FILE_MODE = 0o600
FOLDER_MODE = 0o700
CHUNK = 256 * 1024
#: Above this size an upload to S3 is spooled to disk rather than held in memory.
SPOOL_LIMIT = 8 * 1024 * 1024


class StorageError(Exception):
    """The storage setting cannot work; the message says what to change."""


class Storage(Protocol):
    def writing(self, key: str) -> contextlib.AbstractContextManager[IO[bytes]]: ...
    def reading(self, key: str) -> contextlib.AbstractContextManager[IO[bytes]]: ...
    def exists(self, key: str) -> bool: ...
    def size(self, key: str) -> int: ...
    def delete_tree(self, prefix: str) -> None: ...


def open_storage(url: str) -> Storage:
    """The store a SELFEVAL_STORAGE value names."""
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.path:
        return FileStorage(Path(unquote(parts.path)))
    if parts.scheme == "s3" and parts.netloc:
        return S3Storage(parts.netloc, parts.path.strip("/"))
    raise StorageError(f"SELFEVAL_STORAGE must be file:///a/folder or s3://bucket/prefix, not {url!r}")


def chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file's content in pieces, for a streamed download."""
    while piece := file.read(CHUNK):
        yield piece


def _checked(key: str) -> str:
    """A key is a relative path of plain names: no way out of the store's root."""
    names = key.split("/")
    if not key or any(name in ("", ".", "..") or name.startswith(".") for name in names):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class FileStorage:
    """Files under a folder, which may be shared by several machines (NFS)."""

    def __init__(self, root: Path):
        self.root = root

    @contextlib.contextmanager
    def writing(self, key: str) -> Iterator[IO[bytes]]:
        final = self._path(key)
        self._make_folders(final.parent)
        partial = final.with_name(f".{final.name}.{secrets.token_hex(4)}.part")
        try:
            with open(partial, "xb", opener=_private) as file:
                yield file
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)

    @contextlib.contextmanager
    def reading(self, key: str) -> Iterator[IO[bytes]]:
        try:
            file = open(self._path(key), "rb")  # noqa: SIM115 - closed below, after the caller's block
        except FileNotFoundError:
            raise KeyError(key) from None
        with file:
            yield file

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        return self._path(key).stat().st_size

    def delete_tree(self, prefix: str) -> None:
        """Take the folder away in one step, then empty it: work still writing into it cannot fill it again."""
        folder = self._path(prefix)
        doomed = folder.with_name(f".deleted-{folder.name}-{secrets.token_hex(4)}")
        try:
            os.rename(folder, doomed)
        except OSError:
            return  # already gone
        shutil.rmtree(doomed, ignore_errors=True)

    def _make_folders(self, folder: Path) -> None:
        """Every folder from the root down, each private (mkdir's `parents` would make the upper ones 0755)."""
        for each in [*reversed(folder.relative_to(self.root).parents), folder.relative_to(self.root)]:
            (self.root / each).mkdir(mode=FOLDER_MODE, parents=each == Path("."), exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)


class S3Storage:
    """Objects in an S3-compatible store under `prefix/`; the client is boto3's, configured by the environment."""

    def __init__(self, bucket: str, prefix: str):
        self.bucket, self.prefix = bucket, prefix

    @property
    def client(self):
        return _s3_client(os.environ.get("AWS_ENDPOINT_URL") or None, os.environ.get("AWS_ACCESS_KEY_ID"))

    @contextlib.contextmanager
    def writing(self, key: str) -> Iterator[IO[bytes]]:
        name = self._name(key)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT) as buffer:
            yield buffer
            buffer.seek(0)
            self.client.upload_fileobj(buffer, self.bucket, name)

    @contextlib.contextmanager
    def reading(self, key: str) -> Iterator[IO[bytes]]:
        client = self.client
        try:
            answer = client.get_object(Bucket=self.bucket, Key=self._name(key))
        except client.exceptions.NoSuchKey:
            raise KeyError(key) from None
        body = answer["Body"]
        try:
            yield body
        finally:
            body.close()

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def size(self, key: str) -> int:
        head = self._head(key)
        if head is None:
            raise KeyError(key)
        return int(head["ContentLength"])

    def delete_tree(self, prefix: str) -> None:
        client = self.client
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._name(prefix) + "/")
        for page in pages:
            keys = [{"Key": found["Key"]} for found in page.get("Contents", [])]
            if keys:
                client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})

    def _head(self, key: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{_checked(key)}" if self.prefix else _checked(key)


@functools.cache
def _s3_client(endpoint: str | None, _key_id: str | None):
    """One client per endpoint and key (boto3's clients are thread-safe; making one costs tens of milliseconds)."""
    import boto3  # only deployments with an object store need it loaded

    return boto3.client("s3", endpoint_url=endpoint)


def _private(path: str, flags: int) -> int:
    """An opener for open(): the file is created readable by the server's account only."""
    return os.open(path, flags, FILE_MODE)
