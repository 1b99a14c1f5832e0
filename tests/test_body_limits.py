"""Every request body has a size cap, answered 413 while it streams, before any parsing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.config import get_settings
from hotgigs.main import create_app

LIMIT = get_settings().max_body_kb * 1024


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body of `total` bytes, streamed without a Content-Length."""
    yield b'{"title": "'
    sent = 11
    while sent < total:
        piece = b"x" * min(size, total - sent)
        sent += len(piece)
        yield piece


FORM = "application/x-www-form-urlencoded"
ROUTES = [
    ("/api/jobs", "application/json"),
    ("/api/auth/register", "application/json"),
    ("/api/auth/login", FORM),
    ("/login", FORM),
]


@pytest.mark.parametrize(("path", "content_type"), ROUTES)
def test_an_oversized_body_is_refused_whoever_sends_it(
    client: TestClient, path: str, content_type: str
) -> None:
    declared = client.post(path, content=b"{}", headers={"content-length": str(100 * LIMIT)})
    assert declared.status_code == 413
    assert declared.json()["detail"] == "The request is larger than the 1 MB limit."
    # Without a Content-Length: counted while it streams in, refused once past the cap.
    streamed = client.post(path, content=chunks(3 * LIMIT), headers={"content-type": content_type})
    assert streamed.status_code == 413


def test_a_body_within_the_limit_reaches_the_route(client: TestClient, auth_headers) -> None:
    headers = auth_headers(Role.RECRUITER)
    description = "d" * (LIMIT - 4096)  # just under the cap, as JSON
    job = {"title": "Data Engineer", "description": description}
    answer = client.post("/api/jobs", content=json.dumps(job), headers=headers)
    assert answer.status_code in (200, 201, 422), answer.text  # the route itself decides
    assert answer.status_code != 413


def test_the_cap_is_a_setting(monkeypatch) -> None:
    monkeypatch.setenv("MAX_BODY_KB", "2")
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as small:
            refused = small.post("/api/auth/login", content=b"u" * 3000)
            assert refused.status_code == 413
            assert refused.json()["detail"] == "The request is larger than the 2 KB limit."
            accepted = small.post("/api/auth/login", data={"username": "a", "password": "b"})
            assert accepted.status_code == 401
    finally:
        get_settings.cache_clear()
