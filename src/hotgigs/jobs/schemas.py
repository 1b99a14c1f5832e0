"""Request and response bodies of the jobs API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hotgigs.candidates.search import DegreeLevel
from hotgigs.jobs.models import JobStatus
from hotgigs.matching.scoring import DEFAULT_WEIGHTS

# The lowest degree wanted, or "" for none.
Education = DegreeLevel | Literal[""]
SkillList = list[str]
Weight = float | None


class MatchWeights(BaseModel):
    """How much each matching category counts for a job (relative; absent ones: default)."""

    model_config = ConfigDict(extra="forbid")

    skills: Weight = Field(default=None, ge=0, le=100)
    experience: Weight = Field(default=None, ge=0, le=100)
    education: Weight = Field(default=None, ge=0, le=100)
    semantic: Weight = Field(default=None, ge=0, le=100)
    location: Weight = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _something_counts(self) -> MatchWeights:
        """All-zero weights would leave nothing to score by."""
        merged = {**DEFAULT_WEIGHTS, **self.model_dump(exclude_none=True)}
        if not any(merged.values()):
            raise ValueError("at least one matching weight must be above 0")
        return self


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
    match_weights: MatchWeights | None = None


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
    match_weights: MatchWeights | None = None
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
    match_weights: dict[str, float]
    status: JobStatus
    created_at: datetime
    updated_at: datetime

    @field_validator("match_weights", mode="before")
    @classmethod
    def _with_defaults(cls, value: dict[str, float] | None) -> dict[str, float]:
        """The weights in force: the job's own over the defaults."""
        return {**DEFAULT_WEIGHTS, **(value or {})}


class JobList(BaseModel):
    """A page of jobs, newest first."""

    items: list[JobRead]
    total: int
    next_cursor: str | None = None
