"""The encrypted, content-addressed file store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from hotgigs.resumes.storage import EncryptedLocalStore, StoredFileCorrupt, StoredFileMissing

CONTENT = b"%PDF-1.7 Jane Doe, jane@example.com, Senior Engineer"


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


def test_round_trip_names_by_sha256_and_encrypts(tmp_path: Path, key: str) -> None:
    store = EncryptedLocalStore(tmp_path, key)
    digest = store.put(CONTENT)
    assert digest == hashlib.sha256(CONTENT).hexdigest()
    assert store.exists(digest)
    assert store.get(digest) == CONTENT
    (on_disk,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert on_disk.name == digest
    assert b"jane@example.com" not in on_disk.read_bytes()


def test_same_content_is_stored_once(tmp_path: Path, key: str) -> None:
    store = EncryptedLocalStore(tmp_path, key)
    assert store.put(CONTENT) == store.put(CONTENT)
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_tampered_file_is_detected(tmp_path: Path, key: str) -> None:
    store = EncryptedLocalStore(tmp_path, key)
    digest = store.put(CONTENT)
    path = next(p for p in tmp_path.rglob(digest))
    data = bytearray(path.read_bytes())
    data[40] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(StoredFileCorrupt):
        store.get(digest)


def test_wrong_key_cannot_read_and_rotation_keeps_old_files(tmp_path: Path, key: str) -> None:
    digest = EncryptedLocalStore(tmp_path, key).put(CONTENT)
    with pytest.raises(StoredFileCorrupt):
        EncryptedLocalStore(tmp_path, Fernet.generate_key().decode()).get(digest)
    rotated = EncryptedLocalStore(tmp_path, f"{Fernet.generate_key().decode()},{key}")
    assert rotated.get(digest) == CONTENT


def test_missing_and_delete(tmp_path: Path, key: str) -> None:
    store = EncryptedLocalStore(tmp_path, key)
    digest = store.put(CONTENT)
    store.delete(digest)
    store.delete(digest)
    assert not store.exists(digest)
    with pytest.raises(StoredFileMissing):
        store.get(digest)


@pytest.mark.parametrize("digest", ["../../etc/passwd", "A" * 64, "0" * 63, "", "0" * 64 + "/x"])
def test_digest_must_be_hex_so_paths_cannot_escape(tmp_path: Path, key: str, digest: str) -> None:
    with pytest.raises(ValueError, match="64 lowercase hex"):
        EncryptedLocalStore(tmp_path, key).get(digest)
