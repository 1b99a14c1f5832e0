"""Request and response bodies of the candidate API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from hotgigs.candidates.models import DuplicateStatus


class CandidateRead(BaseModel):
    """A candidate profile."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    owner_id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    headline: str
    location: str
    total_years_experience: float | None
    resume: dict[str, Any]
    current_resume_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class CandidateList(BaseModel):
    """A page of candidates."""

    items: list[CandidateRead]
    total: int
    next_cursor: str | None = None


class DuplicateRead(BaseModel):
    """Two profiles that probably describe the same person."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    candidate_id: uuid.UUID
    duplicate_of_id: uuid.UUID
    reason: str
    score: float
    status: DuplicateStatus
    created_at: datetime


class DuplicateList(BaseModel):
    """Open duplicate flags."""

    items: list[DuplicateRead]
    total: int
    next_cursor: str | None = None


class MergeRequest(BaseModel):
    """Which profile to fold into the one in the path."""

    duplicate_id: uuid.UUID
