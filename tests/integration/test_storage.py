"""Generated files in shared storage: the local folder (default) and an S3-compatible store (moto's server here).

Both stores keep the same rules (selfeval/storage.py), and report jobs run on either: the ZIP is written to the
store, downloaded from it in chunks, and removed from it when the job expires.
"""

from __future__ import annotations

import io
import time
import zipfile

import boto3
import pytest
from moto.server import ThreadedMotoServer

from selfeval.storage import FileStorage, S3Storage, StorageError, open_storage
from tests.conftest import make_test_app
from tests.support.factories import login
from tests.support.report_jobs import IN_DORTMUND, START, change_job, start_from_the_overview, wait_until_finished
from tests.support.reports import USERS, populate

BUCKET = "selfeval-test"


@pytest.fixture(scope="module")
def s3_server():
    """A local S3 server on a free loopback port, for this module's tests."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch) -> str:
    """The environment boto3 reads, and an empty bucket; the SELFEVAL_STORAGE value that names it."""
    for name, value in {
        "AWS_ENDPOINT_URL": s3_server, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    yield f"s3://{BUCKET}/selfeval/files"
    for found in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=found["Key"])
    client.delete_bucket(Bucket=BUCKET)


def object_keys() -> list[str]:
    return sorted(found["Key"] for found in boto3.client("s3").list_objects_v2(Bucket=BUCKET).get("Contents", []))


def keys_without_parts(seconds: float = 10) -> list[str]:
    """The store's keys once no part file is left (or, failing that, after `seconds`)."""
    deadline = time.monotonic() + seconds
    keys = object_keys()
    while any("/parts/" in key for key in keys) and time.monotonic() < deadline:
        time.sleep(0.1)
        keys = object_keys()
    return keys


@pytest.fixture(params=["file", "s3"])
def store(request, tmp_path):
    if request.param == "file":
        return open_storage((tmp_path / "files").as_uri())
    return open_storage(request.getfixturevalue("s3"))


def test_a_store_keeps_reads_measures_and_removes_files(store):
    big = bytes(range(256)) * 4096 * 3  # 3 MB: read back in several chunks
    with store.writing("job/parts/00000.zip") as file:
        file.write(big)
    with store.writing("job/berichte.zip") as file:
        file.write(b"zip")
    with store.writing("other/berichte.zip") as file:
        file.write(b"other")
    with store.reading("job/parts/00000.zip") as file:
        pieces = list(iter(lambda: file.read(256 * 1024), b""))
    assert (b"".join(pieces) == big, len(pieces), store.size("job/parts/00000.zip")) == (True, 12, len(big))
    assert (store.exists("job/berichte.zip"), store.exists("job/nichts.zip")) == (True, False)

    store.delete_tree("job")
    assert (store.exists("job/berichte.zip"), store.exists("job/parts/00000.zip"), store.exists("other/berichte.zip")) == (
        False,
        False,
        True,
    )
    with pytest.raises(KeyError), store.reading("job/berichte.zip"):
        pass


def test_a_file_that_fails_while_written_leaves_nothing_behind(store):
    with store.writing("job/berichte.zip") as file:
        file.write(b"old")
    with pytest.raises(RuntimeError), store.writing("job/berichte.zip") as file:
        file.write(b"half of the new one")
        raise RuntimeError("the worker died")
    with store.reading("job/berichte.zip") as file:
        assert file.read() == b"old"


@pytest.mark.parametrize("key", ["", "../secret", "job/../../x", "/etc/passwd", ".hidden/x", "a//b"])
def test_a_key_cannot_leave_the_store(store, key):
    with pytest.raises(ValueError, match="not a storage key"), store.writing(key):
        pass


@pytest.mark.parametrize(
    ("url", "kind"),
    [("file:///srv/selfeval/files", FileStorage), ("s3://bucket/prefix/more", S3Storage), ("s3://bucket", S3Storage)],
)
def test_the_setting_names_the_store(url, kind):
    assert type(open_storage(url)) is kind


@pytest.mark.parametrize("url", ["ftp://host/x", "s3://", "file://", "/srv/files"])
def test_a_setting_that_names_no_store_is_refused(url):
    with pytest.raises(StorageError, match="SELFEVAL_STORAGE must be file:///a/folder or s3://bucket/prefix"):
        open_storage(url)


def test_report_jobs_keep_their_zip_in_the_object_store_and_remove_it_at_expiry(app, s3, tmp_path):
    populate(app)
    on_s3 = make_test_app(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "instance-s3", SELFEVAL_STORAGE=s3, SELFEVAL_REPORT_PART_SIZE=1
    )
    client = on_s3.test_client()
    login(client, USERS["adviser"])
    job_url = start_from_the_overview(client).headers["Location"]
    assert wait_until_finished(client, job_url)["state"] == "done"
    job_id = job_url.removeprefix(START)
    # The parts' files go right after the job is marked done (the ZIP is complete then): wait for that step.
    assert keys_without_parts() == [f"selfeval/files/{job_id}/berichte.zip"]
    assert not (tmp_path / "instance-s3" / "report-jobs").exists()

    download = client.get(f"{job_url}/berichte.zip")
    assert (download.status_code, download.is_streamed) == (200, True)
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert sorted(archive.namelist()) == IN_DORTMUND

    change_job(on_s3, job_url, created_at=time.time() - 4 * 3600, finished_at=time.time() - 3 * 3600)
    assert client.get(job_url).status_code == 404
    assert object_keys() == []
