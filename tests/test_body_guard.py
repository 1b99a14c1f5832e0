"""Every request is checked as it streams in, before parsing: a size cap (413) and no NUL
character in its text (422)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.config import get_settings
from hotgigs.main import create_app
from hotgigs.middleware import NUL_DETAIL
from tests.support.documents import make_pdf
from tests.support.sample_resumes import sample_resume

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


NUL_REQUESTS = [
    ("post", "/api/auth/register", {"json": {"email": "a@example.com", "password": "x\u0000"}}),
    ("post", "/api/auth/register", {"content": b'{"email": "a\\u0000@example.com"}'}),
    ("post", "/api/auth/login", {"data": {"username": "a\x00@example.com", "password": "p"}}),
    ("post", "/login", {"content": b"email=a%00b&password=p"}),
    ("get", "/api/resumes/candidates?q=ada%00", {}),
    ("get", "/candidates?q=%00", {}),
]


@pytest.mark.parametrize(("method", "url", "body"), NUL_REQUESTS)
def test_a_nul_character_anywhere_in_a_requests_text_is_refused(
    client: TestClient, auth_headers, method: str, url: str, body: dict
) -> None:
    headers = auth_headers(Role.RECRUITER)
    if url == "/login":
        headers["content-type"] = "application/x-www-form-urlencoded"
    answer = getattr(client, method)(url, headers=headers, **body)
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["detail"]
    assert problem["msg"] == NUL_DETAIL and problem["loc"] in (["body"], ["query"])


def test_an_authenticated_json_body_with_a_nul_is_refused_and_nothing_is_stored(
    client: TestClient, auth_headers
) -> None:
    headers = auth_headers(Role.RECRUITER)
    answer = client.post("/api/jobs", json={"title": "Data\u0000 Engineer"}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"] == [{"loc": ["body"], "msg": NUL_DETAIL, "type": "value_error"}]
    assert client.get("/api/jobs", headers=headers).json()["total"] == 0


def test_file_uploads_may_hold_nul_bytes(client: TestClient, auth_headers) -> None:
    pdf = make_pdf(sample_resume())
    answer = client.post(
        "/api/resumes/upload",
        files={"file": ("cv.pdf", pdf + b"\x00" * 16, "application/pdf")},
        headers=auth_headers(Role.RECRUITER),
    )
    assert answer.status_code == 202, answer.text  # multipart bodies are not scanned


@pytest.mark.parametrize(
    "body",
    [
        b'{"email": "a@example.com", "password": "\\ud800 a lone high surrogate"}',
        b'{"email": "a\\udc00@example.com", "password": "x"}',
        b'{"email": "a@example.com", "password": "short\\udfff"}',
    ],
)
def test_a_lone_surrogate_is_refused_before_anything_reads_it(
    client: TestClient, body: bytes, caplog
) -> None:
    answer = client.post(
        "/api/auth/register", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert "surrogate" in answer.json()["detail"][0]["msg"]
    assert "lone high surrogate" not in caplog.text and "short" not in caplog.text


def test_a_surrogate_pair_is_text_and_passes(client: TestClient) -> None:
    body = '{"email": "pair@example.com", "password": "\\ud83d\\ude00 smiling mossy lanterns"}'
    answer = client.post(
        "/api/auth/register", content=body.encode(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 202, answer.text


def test_validation_errors_say_where_and_why_but_never_echo_the_value(client: TestClient) -> None:
    secret = "my-secret-but-short"
    answer = client.post("/api/auth/register", json={"email": "nope", "password": secret})
    assert answer.status_code == 422
    assert secret not in answer.text and "nope" not in answer.text
    fields = {tuple(error["loc"]): set(error) for error in answer.json()["detail"]}
    assert fields == {("body", "email"): {"loc", "msg", "type"}}
