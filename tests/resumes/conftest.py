"""Helpers for driving resumes through the API and the real worker."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.processes import wait_for

FINISHED = {"completed", "failed"}


@pytest.fixture
def upload(client: TestClient):
    """POST one file to /api/resumes/upload; returns the response."""

    def do_upload(headers: dict, data: bytes, filename: str = "resume.pdf", **form):
        return client.post(
            "/api/resumes/upload",
            headers=headers,
            files={"file": (filename, data, "application/octet-stream")},
            data=form,
        )

    return do_upload


@pytest.fixture
def finished(client: TestClient):
    """Wait until a resume completes or fails; returns its status body."""

    def wait(headers: dict, resume_id: str, timeout: float = 60) -> dict:
        def done():
            body = client.get(f"/api/resumes/{resume_id}/status", headers=headers).json()
            return body if body["status"] in FINISHED else None

        return wait_for(done, timeout=timeout, what=f"resume {resume_id} to finish")

    return wait
