"""The S3 store's own concerns: settings, how get_store picks it, and outages.

Storing, reading, tampering, rotation and erasing are in test_storage.py, run there
against both backends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from hotgigs.config import ConfigurationError, Settings, get_settings
from hotgigs.resumes.storage import (
    EncryptedLocalStore,
    EncryptedS3Store,
    StorageUnavailable,
    get_store,
    s3_client,
)
from tests.resumes.s3_server import (
    ACCESS_KEY_ID,
    REGION,
    SECRET_ACCESS_KEY,
    S3Server,
    running_s3_server,
)
from tests.support.processes import free_port

CONTENT = b"Jane Doe, jane@example.com, Senior Engineer"
CREDENTIALS = {"aws_access_key_id": ACCESS_KEY_ID, "aws_secret_access_key": SECRET_ACCESS_KEY}


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    with running_s3_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _no_ambient_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Only what a test passes counts: no credentials or config from the environment."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("STORAGE_BACKEND", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    s3_client.cache_clear()
    yield
    s3_client.cache_clear()


def make(tmp_path: Path, **values) -> Settings:
    return Settings(
        _env_file=None,
        hotgigs_home=tmp_path,
        file_encryption_key=Fernet.generate_key().decode(),
        **values,
    )


def s3_settings(tmp_path: Path, server: S3Server, **values) -> Settings:
    return make(
        tmp_path,
        storage_backend="s3",
        s3_endpoint_url=server.endpoint_url,
        s3_region=REGION,
        **{"s3_bucket": server.new_bucket(), **CREDENTIALS, **values},
    )


def test_local_is_the_default(tmp_path: Path) -> None:
    settings = make(tmp_path)
    assert settings.storage_backend == "local"
    assert isinstance(get_store(settings), EncryptedLocalStore)


def test_get_store_picks_s3_and_keys_objects_under_the_prefix(
    tmp_path: Path, s3_server: S3Server
) -> None:
    settings = s3_settings(tmp_path, s3_server, s3_prefix="/resumes")
    store = get_store(settings)
    assert isinstance(store, EncryptedS3Store)
    digest = store.put(CONTENT)
    assert store.get(digest) == CONTENT
    assert list(s3_server.objects(settings.s3_bucket)) == [
        f"resumes/{digest[:2]}/{digest[2:4]}/{digest}"
    ]
    assert not settings.storage_dir.exists()


def test_s3_settings_come_from_the_environment(
    tmp_path: Path, s3_server: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = s3_server.new_bucket()
    for name, value in s3_server.settings_env(bucket).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        store = get_store(get_settings())
        digest = store.put(CONTENT)
    finally:
        get_settings.cache_clear()
    assert list(s3_server.objects(bucket)) == [f"{digest[:2]}/{digest[2:4]}/{digest}"]


def test_s3_without_a_bucket_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="S3_BUCKET must be set when STORAGE_BACKEND=s3"):
        make(tmp_path, storage_backend="s3", s3_bucket="")


def test_half_the_credentials_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="AWS_SECRET_ACCESS_KEY must be set together"):
        make(tmp_path, storage_backend="s3", s3_bucket="b", aws_access_key_id=ACCESS_KEY_ID)
    # A local installation does not care what AWS variables the machine has.
    assert make(tmp_path, aws_access_key_id=ACCESS_KEY_ID).storage_backend == "local"


def test_credentials_in_settings_are_used(tmp_path: Path, s3_server: S3Server) -> None:
    # The environment has none (see _no_ambient_aws), so a working store got them from settings.
    store = get_store(s3_settings(tmp_path, s3_server))
    assert store.get(store.put(CONTENT)) == CONTENT


def test_no_credentials_anywhere_is_a_clear_error(tmp_path: Path, s3_server: S3Server) -> None:
    store = get_store(
        s3_settings(tmp_path, s3_server, aws_access_key_id=None, aws_secret_access_key=None)
    )
    with pytest.raises(StorageUnavailable, match=r"No credentials .* set AWS_ACCESS_KEY_ID"):
        store.put(CONTENT)


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = make(
        tmp_path,
        storage_backend="s3",
        s3_bucket="resumes",
        s3_endpoint_url=f"http://127.0.0.1:{free_port()}",
        s3_region=REGION,
        **CREDENTIALS,
    )
    store = get_store(settings)
    digest = hashlib.sha256(CONTENT).hexdigest()
    for operation in (lambda: store.put(CONTENT), lambda: store.get(digest)):
        with pytest.raises(StorageUnavailable, match="cannot be reached") as caught:
            operation()
        # boto's own error stays attached, for the log.
        assert caught.value.__cause__ is not None


def test_missing_bucket_is_a_clear_error(tmp_path: Path, s3_server: S3Server) -> None:
    store = get_store(s3_settings(tmp_path, s3_server, s3_bucket="no-such-bucket"))
    with pytest.raises(StorageUnavailable, match=r"'no-such-bucket' .* does not exist"):
        store.get(hashlib.sha256(CONTENT).hexdigest())


def _unreachable(tmp_path: Path) -> Settings:
    return make(
        tmp_path,
        storage_backend="s3",
        s3_bucket="resumes",
        s3_endpoint_url=f"http://127.0.0.1:{free_port()}",
        s3_region=REGION,
        **CREDENTIALS,
    )


def test_a_store_outage_leaves_the_import_to_be_retried_not_failed(
    tmp_path: Path, settings: Settings, make_user
) -> None:
    from hotgigs.auth.models import Role
    from hotgigs.db import new_session
    from hotgigs.resumes import flows as resumes_flows
    from hotgigs.resumes import service as resumes_service
    from hotgigs.resumes.models import Resume, ResumeSource, ResumeStatus
    from hotgigs.resumes.tasks import process_resume

    with new_session() as session:
        resume_id = resumes_service.accept_upload(
            session,
            settings=settings,
            store=get_store(settings),
            uploader=make_user(Role.RECRUITER),
            data=b"Ada Example\nada@example.com\nPython developer\n",
            filename="ada.txt",
            source=ResumeSource.UPLOAD,
        ).resume.id

    with pytest.raises(StorageUnavailable):
        resumes_flows.process(resume_id, settings=_unreachable(tmp_path))
    with new_session() as session:
        assert session.get(Resume, resume_id).status is not ResumeStatus.FAILED
    assert StorageUnavailable in process_resume.autoretry_for  # the task tries again later
    with new_session() as session:  # and nothing was lost for the retry to read
        digest = session.get(Resume, resume_id).file_sha256
    assert get_store(settings).get(digest).startswith(b"Ada Example")


@pytest.mark.slow
def test_a_store_outage_is_a_503_that_keeps_the_reason_to_the_log(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from hotgigs.main import create_app

    app = create_app()
    store = get_store(_unreachable(tmp_path))

    @app.get("/api/test-store-read")
    def read_from_the_store() -> dict:
        store.get(hashlib.sha256(CONTENT).hexdigest())
        return {}

    answer = TestClient(app).get("/api/test-store-read")
    assert answer.status_code == 503
    assert answer.headers["retry-after"]
    assert answer.json() == {"detail": "The file store is unavailable; try again shortly."}
