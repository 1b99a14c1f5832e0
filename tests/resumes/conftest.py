"""Helpers for driving resumes through the API and the real worker."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


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
