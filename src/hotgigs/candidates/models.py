"""Candidate profiles and the possible duplicates found between them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotgigs.db import Base, UTCDateTime, checked_enum, utcnow


class Candidate(Base):
    """A person, as known to the user who owns the profile."""

    __tablename__ = "candidate_profiles"
    __table_args__ = (
        Index("ix_candidate_profiles_owner_id_email", "owner_id", "email"),
        Index("ix_candidate_profiles_owner_id_phone", "owner_id", "phone"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Set when the profile belongs to a candidate's own account.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    headline: Mapped[str] = mapped_column(String(300), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    total_years_experience: Mapped[float | None] = mapped_column(Float, default=None)
    resume: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    search_document: Mapped[str] = mapped_column(Text, default="")
    current_resume_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DuplicateStatus(enum.StrEnum):
    """Where a recruiter's review of a possible duplicate stands."""

    OPEN = "open"
    MERGED = "merged"
    DISMISSED = "dismissed"


class DuplicateFlag(Base):
    """Two profiles of one owner that probably describe the same person."""

    __tablename__ = "candidate_duplicates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    duplicate_of_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[DuplicateStatus] = mapped_column(
        checked_enum(DuplicateStatus, "duplicate_status"), default=DuplicateStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
