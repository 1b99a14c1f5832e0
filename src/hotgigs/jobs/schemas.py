"""Request and response bodies of the jobs API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hotgigs.candidates.search import DegreeLevel
from hotgigs.jobs.models import JobStatus

# The lowest degree wanted, or "" for none.
Education = DegreeLevel | Literal[""]
SkillList = list[str]


class JobCreate(BaseModel):
    """A new posting; skills are read from the description when not given."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=50_000)
    required_skills: SkillList | None = Field(default=None, max_length=100)
    preferred_skills: SkillList | None = Field(default=None, max_length=100)
    min_years: float | None = Field(default=None, ge=0, le=60)
    education: Education = ""
    location: str = Field(default="", max_length=200)
    remote: bool = False


class JobUpdate(BaseModel):
    """Fields to change (absent ones stay)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=50_000)
    required_skills: SkillList | None = Field(default=None, max_length=100)
    preferred_skills: SkillList | None = Field(default=None, max_length=100)
    min_years: float | None = Field(default=None, ge=0, le=60)
    education: Education | None = None
    location: str | None = Field(default=None, max_length=200)
    remote: bool | None = None
    status: JobStatus | None = None


class JobRead(BaseModel):
    """A job posting."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str
    required_skills: list[str]
    preferred_skills: list[str]
    min_years: float | None
    education: str
    location: str
    remote: bool
    status: JobStatus
    created_at: datetime
    updated_at: datetime


class JobList(BaseModel):
    """A page of jobs, newest first."""

    items: list[JobRead]
    total: int
    next_cursor: str | None = None
