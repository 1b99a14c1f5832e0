"""Uploaded resume files, their processing state and their parsed data."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotgigs.db import Base, UTCDateTime, checked_enum, utcnow


class ResumeStatus(enum.StrEnum):
    """Stages of processing, in order; `failed` can follow any of the working ones."""

    QUEUED = "queued"
    EXTRACTING = "extracting"
    PARSING = "parsing"
    INDEXING = "indexing"
    COMPLETED = "completed"
    FAILED = "failed"


FINISHED = (ResumeStatus.COMPLETED, ResumeStatus.FAILED)


class ResumeSource(enum.StrEnum):
    """How the file arrived."""

    UPLOAD = "upload"
    BULK = "bulk"
    DRIVE = "drive"
    CLI = "cli"


class ImportBatch(Base):
    """Files uploaded together; told to their owner once every one of them is finished."""

    __tablename__ = "import_batches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[ResumeSource] = mapped_column(checked_enum(ResumeSource, "resume_source"))
    # Set once every file is submitted: only a sealed batch can be finished.
    sealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Resume(Base):
    """One uploaded file of one owner; the same content is stored once per owner."""

    __tablename__ = "resumes"
    __table_args__ = (UniqueConstraint("owner_id", "file_sha256"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="SET NULL"), index=True, default=None
    )
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True, default=None
    )
    # The candidate the uploader asked to attach this version to, if any.
    target_candidate_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    file_kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    source: Mapped[ResumeSource] = mapped_column(checked_enum(ResumeSource, "resume_source"))
    status: Mapped[ResumeStatus] = mapped_column(
        checked_enum(ResumeStatus, "resume_status"), default=ResumeStatus.QUEUED, index=True
    )
    progress: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    error: Mapped[str | None] = mapped_column(String(500), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class ResumeData(Base):
    """What was read from a resume: its text, its JSON Resume and the parser's metadata."""

    __tablename__ = "resume_data"

    resume_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("resumes.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)
    resume: Mapped[dict[str, Any]] = mapped_column(JSON)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
