"""Content-addressed file storage, encrypted at rest with Fernet: a local folder or S3."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography.fernet import InvalidToken

from hotgigs.config import Settings, encryption_keys
from hotgigs.errors import ServiceUnavailable

if TYPE_CHECKING:
    from botocore.client import BaseClient

_DIGEST = re.compile(r"[0-9a-f]{64}")
# S3 error codes that mean "no such object" (HEAD answers carry only the status code).
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class StoredFileMissing(LookupError):
    """No file is stored under that digest."""


class StoredFileCorrupt(ValueError):
    """The stored bytes fail authentication: tampered with, or encrypted with an unknown key."""


class StorageUnavailable(ServiceUnavailable):
    """The file store cannot be used right now: unreachable, refused credentials, no bucket."""

    public_detail = "The file store is unavailable; try again shortly."


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


class _EncryptedStore:
    """What every store shares: digests, encryption, and checking what comes back."""

    # Subclasses only move opaque encrypted tokens to and from their medium, by shard key.

    def __init__(self, keys: str) -> None:
        # The first key encrypts; all keys decrypt, so keys can be rotated without re-writing.
        self._fernet = encryption_keys(keys)

    def put(self, data: bytes) -> str:
        """Store `data` (idempotent) and return its SHA-256 hex digest."""
        digest = hashlib.sha256(data).hexdigest()
        key = shard_key(digest)
        if not self._has(key):
            self._write(key, self._fernet.encrypt(data))
        return digest

    def get(self, digest: str) -> bytes:
        """The original bytes stored under `digest`."""
        token = self._read(shard_key(digest))
        if token is None:
            raise StoredFileMissing(f"No stored file {digest}.")
        try:
            data = self._fernet.decrypt(token)
        except InvalidToken:
            raise StoredFileCorrupt(f"Stored file {digest} cannot be decrypted.") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise StoredFileCorrupt(f"Stored file {digest} does not match its digest.")
        return data

    def exists(self, digest: str) -> bool:
        """Whether something is stored under `digest`."""
        return self._has(shard_key(digest))

    def delete(self, digest: str) -> None:
        """Remove the file (no error if it is already gone)."""
        self._remove(shard_key(digest))

    def _has(self, key: str) -> bool:
        """Whether a token is stored under `key`."""
        raise NotImplementedError

    def _read(self, key: str) -> bytes | None:
        """The token stored under `key`, or None when there is none."""
        raise NotImplementedError

    def _write(self, key: str, token: bytes) -> None:
        """Store `token` under `key`, whole or not at all."""
        raise NotImplementedError

    def _remove(self, key: str) -> None:
        """Remove what is under `key`, if anything."""
        raise NotImplementedError


def shard_key(digest: str) -> str:
    """`ab/cd/abcd...`: two levels of shards keep folders small; the check stops path tricks."""
    if not _DIGEST.fullmatch(digest):
        raise ValueError("A file digest is 64 lowercase hex characters.")
    return f"{digest[:2]}/{digest[2:4]}/{digest}"


class EncryptedLocalStore(_EncryptedStore):
    """Files under a local folder, sharded by digest, each encrypted and authenticated."""

    def __init__(self, root: Path, keys: str) -> None:
        super().__init__(keys)
        self.root = root

    def _has(self, key: str) -> bool:
        return (self.root / key).exists()

    def _read(self, key: str) -> bytes | None:
        try:
            return (self.root / key).read_bytes()
        except FileNotFoundError:
            return None

    def _write(self, key: str, token: bytes) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half-written file under a valid name.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(token)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _remove(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)


class EncryptedS3Store(_EncryptedStore):
    """Objects in an S3-compatible bucket, keyed prefix + shard key, each body a Fernet token."""

    # Only tokens ever leave this process: the object store never sees plaintext.

    def __init__(self, client: BaseClient, *, bucket: str, keys: str, prefix: str = "") -> None:
        super().__init__(keys)
        self.client = client
        self.bucket = bucket
        # "resumes" and "/resumes/" both mean the folder resumes/.
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""

    def _has(self, key: str) -> bool:
        try:
            with self._errors():
                self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except _NoSuchObject:
            return False
        return True

    def _read(self, key: str) -> bytes | None:
        try:
            with self._errors():
                answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
                # Inside: a connection dropped mid-body is an outage too.
                return answer["Body"].read()
        except _NoSuchObject:
            return None

    def _write(self, key: str, token: bytes) -> None:
        # One PUT is atomic: readers see the whole object or none, so no temporary name.
        with self._errors():
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + key,
                Body=token,
                ContentType="application/octet-stream",
            )

    def _remove(self, key: str) -> None:
        # S3 answers 204 for a missing key too; some compatible servers answer NoSuchKey.
        with contextlib.suppress(_NoSuchObject), self._errors():
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Boto's errors as _NoSuchObject, or as a StorageUnavailable saying what to check."""
        # boto's own error stays attached as the cause, so the log shows both.
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            NoCredentialsError,
            PartialCredentialsError,
        )

        where = f"S3 bucket {self.bucket!r} at {self.client.meta.endpoint_url}"
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code in _MISSING_CODES:
                raise _NoSuchObject from exc
            if code == "NoSuchBucket":
                message = f"{where} does not exist (check S3_BUCKET)."
            elif code in {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}:
                message = (
                    f"{where} refused the credentials ({code}): check AWS_ACCESS_KEY_ID, "
                    "AWS_SECRET_ACCESS_KEY and that they may get, put, delete and list objects."
                )
            else:
                message = f"{where} answered an error: {code} {error.get('Message', '')}".rstrip()
            raise StorageUnavailable(message) from exc
        except (NoCredentialsError, PartialCredentialsError) as exc:
            raise StorageUnavailable(
                f"No credentials for {where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
            ) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"{where} cannot be reached: {exc}") from exc


class _NoSuchObject(LookupError):
    """S3 has no object under the key (internal: each operation decides what that means)."""


@lru_cache(maxsize=8)
def s3_client(
    *,
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
) -> BaseClient:
    """The S3 client for one configuration."""
    # Made once: making one takes tens of milliseconds; boto3 clients are thread-safe.
    # Imported here: boto3 takes ~0.4 s to import, which local-storage processes never need.
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=5,
        read_timeout=30,
        retries={"max_attempts": 3, "mode": "standard"},
        # Compatible servers (MinIO, Ceph) are usually reached by path, not bucket subdomain.
        s3={"addressing_style": "path" if endpoint_url else "auto"},
        # Newer boto3 adds CRC checksums that some compatible servers reject; Fernet and
        # the SHA-256 check already authenticate every file end to end.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    # Credentials from settings (.env) win; unset, boto3 looks in its usual places.
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=config,
    )


def get_store(settings: Settings) -> FileStore:
    """The configured file store."""
    assert settings.file_encryption_key is not None  # resolved by Settings
    if settings.storage_backend == "s3":
        assert settings.s3_bucket is not None  # checked by Settings
        client = s3_client(
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.aws_access_key_id,
            secret_access_key=settings.aws_secret_access_key,
        )
        return EncryptedS3Store(
            client,
            bucket=settings.s3_bucket,
            keys=settings.file_encryption_key,
            prefix=settings.s3_prefix,
        )
    return EncryptedLocalStore(settings.storage_dir, settings.file_encryption_key)
