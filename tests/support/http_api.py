"""A real `hotgigs api` process and the calls fault tests make to it over HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support.processes import free_port, kill_group, start, wait_for

ResumeFile = tuple[str, bytes]


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


def answers(http: httpx.Client) -> bool:
    """Whether the API serves requests yet."""
    try:
        return http.get("/api/health").status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def running_api(log: Path, *, env: dict[str, str]) -> Iterator[httpx.Client]:
    """`hotgigs api` on a free port with `env`, and a client for it; killed afterwards."""
    port = free_port()
    process = start(["api", "--host", "127.0.0.1", "--port", str(port)], log=log, env=env)
    # The timeout only stops a hung request from hanging the test; answers come in seconds.
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        try:
            wait_for(lambda: answers(http), timeout=90, what="the API to answer")
            yield http
        finally:
            kill_group(process)


def sign_in(http: httpx.Client, email: str, password: str) -> None:
    """Send this user's access token with every later request of `http`."""
    login = http.post("/api/auth/login", data={"username": email, "password": password})
    assert login.status_code == 200, login.text
    http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"


def upload(http: httpx.Client, file: ResumeFile) -> httpx.Response:
    """POST one file to the single upload."""
    return http.post("/api/resumes/upload", files={"file": file})


def bulk_upload(http: httpx.Client, files: list[ResumeFile]) -> httpx.Response:
    """POST files to the bulk upload."""
    return http.post("/api/resumes/bulk-upload", files=[("files", file) for file in files])
