"""Content-addressed file storage, encrypted at rest with Fernet."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from cryptography.fernet import InvalidToken

from hotgigs.config import Settings, encryption_keys

_DIGEST = re.compile(r"[0-9a-f]{64}")


class StoredFileMissing(LookupError):
    """No file is stored under that digest."""


class StoredFileCorrupt(ValueError):
    """The stored bytes fail authentication: tampered with, or encrypted with an unknown key."""


class FileStore(Protocol):
    """Where original resume files live, addressed by the SHA-256 of their content."""

    def put(self, data: bytes) -> str:
        """Store `data` (idempotent) and return its SHA-256 hex digest."""
        ...

    def get(self, digest: str) -> bytes:
        """The original bytes stored under `digest`."""
        ...

    def exists(self, digest: str) -> bool:
        """Whether something is stored under `digest`."""
        ...

    def delete(self, digest: str) -> None:
        """Remove the file (no error if it is already gone)."""
        ...


class EncryptedLocalStore:
    """Files under a local folder, sharded by digest, each encrypted and authenticated."""

    def __init__(self, root: Path, keys: str) -> None:
        self.root = root
        # The first key encrypts; all keys decrypt, so keys can be rotated without re-writing.
        self._fernet = encryption_keys(keys)

    def put(self, data: bytes) -> str:
        """Store `data` (idempotent) and return its SHA-256 hex digest."""
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half-written file under a valid name.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self._fernet.encrypt(data))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        """The original bytes stored under `digest`."""
        try:
            token = self._path(digest).read_bytes()
        except FileNotFoundError:
            raise StoredFileMissing(f"No stored file {digest}.") from None
        try:
            data = self._fernet.decrypt(token)
        except InvalidToken:
            raise StoredFileCorrupt(f"Stored file {digest} cannot be decrypted.") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise StoredFileCorrupt(f"Stored file {digest} does not match its digest.")
        return data

    def exists(self, digest: str) -> bool:
        """Whether something is stored under `digest`."""
        return self._path(digest).exists()

    def delete(self, digest: str) -> None:
        """Remove the file (no error if it is already gone)."""
        self._path(digest).unlink(missing_ok=True)

    def _path(self, digest: str) -> Path:
        """Two levels of shards keep folders small; the digest check stops path tricks."""
        if not _DIGEST.fullmatch(digest):
            raise ValueError("A file digest is 64 lowercase hex characters.")
        return self.root / digest[:2] / digest[2:4] / digest


def get_store(settings: Settings) -> FileStore:
    """The configured file store."""
    assert settings.file_encryption_key is not None  # resolved by Settings
    return EncryptedLocalStore(settings.storage_dir, settings.file_encryption_key)
