"""Helpers for driving resumes through the API and the real worker."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from hotgigs.auth.models import User
from hotgigs.config import Settings
from hotgigs.db import session_scope
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import ResumeSource
from hotgigs.resumes.storage import get_store
from tests.support.people import resume_files


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
def recorded_resume(settings: Settings):
    """A resume recorded as queued whose task was never sent; returns its id."""

    def record(uploader: User) -> uuid.UUID:
        name, data = resume_files(1)[0]
        with session_scope() as session:
            return resumes_service.accept_upload(
                session,
                settings=settings,
                store=get_store(settings),
                uploader=uploader,
                data=data,
                filename=name,
                source=ResumeSource.UPLOAD,
            ).resume.id

    return record
