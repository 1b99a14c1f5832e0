"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from hotgigs.auth.models import AuthSession, RefreshToken, User
from hotgigs.candidates.models import (
    ActivityEntry,
    Candidate,
    CandidateNote,
    CandidateShare,
    CandidateSkill,
    CandidateTag,
    DuplicateFlag,
)
from hotgigs.db import Base
from hotgigs.events import Event
from hotgigs.health.models import WorkerHeartbeat
from hotgigs.jobs.models import Job
from hotgigs.matching.models import CandidateMatchFeatures, JobMatchFeatures, Match
from hotgigs.resumes.models import Resume, ResumeData

__all__ = [
    "ActivityEntry",
    "AuthSession",
    "Base",
    "Candidate",
    "CandidateMatchFeatures",
    "CandidateNote",
    "CandidateShare",
    "CandidateSkill",
    "CandidateTag",
    "DuplicateFlag",
    "Event",
    "Job",
    "JobMatchFeatures",
    "Match",
    "RefreshToken",
    "Resume",
    "ResumeData",
    "User",
    "WorkerHeartbeat",
]
