"""Request and response bodies of the resume API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from hotgigs.resumes.models import Resume, ResumeStatus


class ResumeAccepted(BaseModel):
    """The answer to an upload: the resume to follow, and whether it was known already."""

    resume_id: uuid.UUID
    status: ResumeStatus
    progress: int
    filename: str
    duplicate: bool
    candidate_id: uuid.UUID | None

    @classmethod
    def of(cls, resume: Resume, *, duplicate: bool) -> ResumeAccepted:
        """Build from a stored resume."""
        return cls(
            resume_id=resume.id,
            status=resume.status,
            progress=resume.progress,
            filename=resume.original_filename,
            duplicate=duplicate,
            candidate_id=resume.candidate_id,
        )


class BulkItem(BaseModel):
    """One file of a bulk upload: accepted (with its resume) or refused (with the reason)."""

    filename: str
    resume_id: uuid.UUID | None = None
    status: ResumeStatus | None = None
    duplicate: bool = False
    error: str | None = None
    error_code: str | None = None


class BulkAccepted(BaseModel):
    """The answer to a bulk upload."""

    # Followed by a bulk_upload_completed notification once every file is finished;
    # None when no file needed processing.
    batch_id: uuid.UUID | None
    items: list[BulkItem]
    total: int
    accepted: int
    duplicates: int
    failed: int


class Timings(BaseModel):
    """When a resume was queued, started and finished."""

    queued_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    processing_ms: int | None


class ResumeStatusRead(BaseModel):
    """Where processing of a resume stands."""

    resume_id: uuid.UUID
    status: ResumeStatus
    progress: int
    candidate_id: uuid.UUID | None
    error: str | None
    error_code: str | None
    filename: str
    attempts: int
    timings: Timings

    @classmethod
    def of(cls, resume: Resume) -> ResumeStatusRead:
        """Build from a stored resume."""
        processing_ms = None
        if resume.started_at and resume.completed_at:
            processing_ms = int((resume.completed_at - resume.started_at).total_seconds() * 1000)
        return cls(
            resume_id=resume.id,
            status=resume.status,
            progress=resume.progress,
            candidate_id=resume.candidate_id,
            error=resume.error,
            error_code=resume.error_code,
            filename=resume.original_filename,
            attempts=resume.attempts,
            timings=Timings(
                queued_at=resume.created_at,
                started_at=resume.started_at,
                completed_at=resume.completed_at,
                processing_ms=processing_ms,
            ),
        )


class ResumeList(BaseModel):
    """A page of resumes."""

    items: list[ResumeStatusRead]
    total: int
    next_cursor: str | None = None


class ResumeDataRead(BaseModel):
    """The parsed resume (JSON Resume) and the parser's metadata beside it."""

    resume_id: uuid.UUID
    status: ResumeStatus
    resume: dict[str, Any] | None
    meta: dict[str, Any]
