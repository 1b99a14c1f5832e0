"""A real S3 protocol server (moto) on 127.0.0.1 for the storage tests, and its buckets."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import boto3
from botocore.client import BaseClient
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
ACCESS_KEY_ID = "test-access-key"
SECRET_ACCESS_KEY = "test-secret-key"
# boto3 must never look beyond this machine for credentials or a region (no IMDS, no AWS).
OFFLINE_ENV = {"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": REGION}


@dataclass(frozen=True)
class S3Server:
    """Where the server listens, and a client for reading its buckets raw."""

    endpoint_url: str

    @cached_property
    def client(self) -> BaseClient:
        """A plain boto3 client with explicit endpoint, region and credentials (made once:
        making one takes a good part of a second)."""
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        )

    def new_bucket(self) -> str:
        """A fresh, empty bucket (each test gets its own, so none sees another's objects)."""
        name = f"hotgigs-test-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=name)
        return name

    def settings_env(self, bucket: str, *, prefix: str = "") -> dict[str, str]:
        """The environment that points the product's file store at `bucket` here."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": REGION,
            "S3_PREFIX": prefix,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        }

    def objects(self, bucket: str) -> dict[str, bytes]:
        """Every object in `bucket`, key to raw body."""
        client = self.client
        listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            for item in listing
        }


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """`values` in os.environ for the block, then what was there before (for fixtures wider
    than one test, which monkeypatch does not serve)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def running_s3_server() -> Iterator[S3Server]:
    """Start moto's S3 server on a free loopback port; stop it afterwards."""
    with environment(OFFLINE_ENV):
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            yield S3Server(endpoint_url=f"http://{host}:{port}")
        finally:
            server.stop()
