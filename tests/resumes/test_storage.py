"""The encrypted, content-addressed file store: one suite for every backend (local, S3)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from hotgigs.resumes.storage import (
    EncryptedLocalStore,
    EncryptedS3Store,
    FileStore,
    StoredFileCorrupt,
    StoredFileMissing,
)
from tests.resumes.s3_server import S3Server, running_s3_server

CONTENT = b"%PDF-1.7 Jane Doe, jane@example.com, Senior Engineer"


@dataclass(frozen=True)
class Backend:
    """A store's medium as a test sees it: stores over it, and its raw contents by key."""

    make: Callable[[str], FileStore]
    raw: Callable[[], dict[str, bytes]]
    write_raw: Callable[[str, bytes], None]
    prefix: str


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    with running_s3_server() as server:
        yield server


def local_backend(root: Path) -> Backend:
    return Backend(
        make=lambda keys: EncryptedLocalStore(root, keys),
        raw=lambda: {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file()
        },
        write_raw=lambda key, data: (root / key).write_bytes(data),
        prefix="",
    )


def s3_backend(server: S3Server) -> Backend:
    bucket, client = server.new_bucket(), server.client
    return Backend(
        make=lambda keys: EncryptedS3Store(client, bucket=bucket, keys=keys, prefix="resumes/"),
        raw=lambda: server.objects(bucket),
        write_raw=lambda key, data: client.put_object(Bucket=bucket, Key=key, Body=data),
        prefix="resumes/",
    )


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "s3":
        return s3_backend(request.getfixturevalue("s3_server"))
    return local_backend(tmp_path)


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


def test_round_trip_names_by_sha256_and_encrypts(backend: Backend, key: str) -> None:
    store = backend.make(key)
    digest = store.put(CONTENT)
    assert digest == hashlib.sha256(CONTENT).hexdigest()
    assert store.exists(digest)
    assert store.get(digest) == CONTENT
    ((stored_key, stored),) = backend.raw().items()
    assert stored_key == f"{backend.prefix}{digest[:2]}/{digest[2:4]}/{digest}"
    assert b"jane@example.com" not in stored
    assert Fernet(key.encode()).decrypt(stored) == CONTENT


def test_same_content_is_stored_once(backend: Backend, key: str) -> None:
    store = backend.make(key)
    digest = store.put(CONTENT)
    first = backend.raw()
    assert store.put(CONTENT) == digest
    # Not even re-written: the stored token is the first one.
    assert backend.raw() == first and len(first) == 1


def test_tampered_file_is_detected(backend: Backend, key: str) -> None:
    store = backend.make(key)
    digest = store.put(CONTENT)
    ((stored_key, stored),) = backend.raw().items()
    data = bytearray(stored)
    data[40] ^= 1
    backend.write_raw(stored_key, bytes(data))
    with pytest.raises(StoredFileCorrupt):
        store.get(digest)


def test_other_content_under_a_digest_is_detected(backend: Backend, key: str) -> None:
    store = backend.make(key)
    digest = store.put(CONTENT)
    ((stored_key, _),) = backend.raw().items()
    backend.write_raw(stored_key, Fernet(key.encode()).encrypt(b"someone else's resume"))
    with pytest.raises(StoredFileCorrupt, match="does not match"):
        store.get(digest)


def test_wrong_key_cannot_read_and_rotation_keeps_old_files(backend: Backend, key: str) -> None:
    digest = backend.make(key).put(CONTENT)
    with pytest.raises(StoredFileCorrupt):
        backend.make(Fernet.generate_key().decode()).get(digest)
    rotated = backend.make(f"{Fernet.generate_key().decode()},{key}")
    assert rotated.get(digest) == CONTENT


def test_missing_and_delete(backend: Backend, key: str) -> None:
    store = backend.make(key)
    digest = store.put(CONTENT)
    store.delete(digest)
    # Erasing twice (a GDPR erase retried) is fine.
    store.delete(digest)
    assert not store.exists(digest)
    assert backend.raw() == {}
    with pytest.raises(StoredFileMissing):
        store.get(digest)


def test_never_stored_is_missing(backend: Backend, key: str) -> None:
    store = backend.make(key)
    digest = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(digest)
    with pytest.raises(StoredFileMissing, match=digest):
        store.get(digest)


@pytest.mark.parametrize("digest", ["../../etc/passwd", "A" * 64, "0" * 63, "", "0" * 64 + "/x"])
def test_digest_must_be_hex_so_paths_cannot_escape(backend: Backend, key: str, digest: str) -> None:
    store = backend.make(key)
    for operation in (store.get, store.exists, store.delete):
        with pytest.raises(ValueError, match="64 lowercase hex"):
            operation(digest)
