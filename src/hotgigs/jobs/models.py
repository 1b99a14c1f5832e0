"""Job postings."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotgigs.db import Base, UTCDateTime, checked_enum, utcnow


class JobStatus(enum.StrEnum):
    """Whether a job takes candidates."""

    OPEN = "open"
    CLOSED = "closed"


class Job(Base):
    """A recruiter's job posting."""

    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Canonical skill names (the taxonomy's spelling where it knows the skill).
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    # True while the skills are the ones read from the description (edits re-read them).
    skills_from_description: Mapped[bool] = mapped_column(Boolean, default=False)
    min_years: Mapped[float | None] = mapped_column(Float, default=None)
    # Lowest degree wanted: "" (none), school, diploma, bachelor, master or doctorate.
    education: Mapped[str] = mapped_column(String(20), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    # Matching's category weights for this job, where they differ from the defaults.
    match_weights: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        checked_enum(JobStatus, "job_status"), default=JobStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
