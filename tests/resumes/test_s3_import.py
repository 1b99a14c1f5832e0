"""The product on S3: an upload lands encrypted in the bucket, is imported, downloads back,
and a GDPR erase removes it from the bucket."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.config import get_settings
from hotgigs.resumes.storage import s3_client
from tests.resumes.s3_server import S3Server, environment, running_s3_server
from tests.support import documents
from tests.support.processes import start_test_worker, stop_gracefully, wait_for
from tests.support.sample_resumes import sample_resume

PREFIX = "resumes/"


@pytest.fixture(scope="module")
def bucket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[S3Server, str]]:
    """A moto S3 server, this run's settings pointed at a bucket on it, and a worker that
    reads them too; yields the server and the bucket."""
    with running_s3_server() as server:
        name = server.new_bucket()
        try:
            with environment(server.settings_env(name, prefix=PREFIX)):
                get_settings.cache_clear()
                log = tmp_path_factory.mktemp("s3-worker") / "worker.log"
                process = start_test_worker(log)
                try:
                    wait_for(lambda: " ready." in log.read_text(), timeout=60, what="the worker")
                    yield server, name
                finally:
                    stop_gracefully(process)
        finally:
            # Settings and client made for the bucket go, even when the worker never came up.
            get_settings.cache_clear()
            s3_client.cache_clear()


@pytest.mark.slow
def test_upload_lands_in_the_bucket_and_downloads_back(
    bucket: tuple[S3Server, str], client: TestClient, auth_headers, upload, finished
) -> None:
    server, name = bucket
    settings = get_settings()
    headers = auth_headers(Role.RECRUITER)
    data = documents.make_txt(sample_resume(email="s3.candidate@example.com"))
    digest = hashlib.sha256(data).hexdigest()

    accepted = upload(headers, data, filename="cv.txt")
    assert accepted.status_code == 202, accepted.text
    status = finished(headers, accepted.json()["resume_id"])
    assert status["status"] == "completed", status

    key = f"{PREFIX}{digest[:2]}/{digest[2:4]}/{digest}"
    stored = server.objects(name)
    assert list(stored) == [key]
    assert b"s3.candidate@example.com" not in stored[key]
    assert not any(settings.storage_dir.rglob(digest)), "nothing is kept on local disk"

    download = client.get(f"/api/resumes/{status['resume_id']}/download", headers=headers)
    assert download.status_code == 200, download.text
    assert download.content == data

    erased = client.delete(f"/api/resumes/candidates/{status['candidate_id']}", headers=headers)
    assert erased.status_code == 204, erased.text
    assert server.objects(name) == {}
