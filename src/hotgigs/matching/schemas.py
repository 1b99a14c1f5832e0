"""Response bodies of the matching API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class MatchRead(BaseModel):
    """A candidate's fit for a job: total, categories, explanation and missing skills."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    candidate_id: uuid.UUID
    job_id: uuid.UUID
    score: float
    breakdown: dict[str, int]
    explanation: str
    missing_skills: list[str]
    viewed_at: datetime | None
    updated_at: datetime


class MatchDetail(MatchRead):
    """A match with its skills gap (related skills the candidate has) and its evidence."""

    gap: list[dict[str, Any]]
    evidence: list[dict[str, str]]


class MatchList(BaseModel):
    """A page of matches, best first."""

    items: list[MatchRead]
    total: int
    next_cursor: str | None = None


class RematchQueued(BaseModel):
    """A rematch handed to the background workers."""

    status: str = "queued"
    task_id: str


class MatchStats(BaseModel):
    """Counts and scores over the matches the caller may see."""

    total_matches: int
    average_score: float | None
    best_score: float | None
    strong_matches: int
    viewed: int
    score_bands: dict[str, int]


class CandidateMatchStats(MatchStats):
    """A candidate's matches across jobs."""

    candidate_id: uuid.UUID
    best_match_id: uuid.UUID | None
    best_job_id: uuid.UUID | None


class JobMatchStats(MatchStats):
    """A job's matches across candidates, with the skills they lack most."""

    job_id: uuid.UUID
    most_missing_skills: list[dict[str, Any]]
