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
from hotgigs.drive.models import (
    DriveAuthRequest,
    DriveConnection,
    DriveRunItem,
    DriveSync,
    DriveSyncFile,
    DriveSyncRun,
)
from hotgigs.health.models import WorkerHeartbeat
from hotgigs.jobs.models import Job
from hotgigs.matching.models import CandidateMatchFeatures, JobMatchFeatures, Match
from hotgigs.notifications.models import Notification, NotificationPreference
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
    "DriveAuthRequest",
    "DriveConnection",
    "DriveRunItem",
    "DriveSync",
    "DriveSyncFile",
    "DriveSyncRun",
    "DuplicateFlag",
    "Job",
    "JobMatchFeatures",
    "Match",
    "Notification",
    "NotificationPreference",
    "RefreshToken",
    "Resume",
    "ResumeData",
    "User",
    "WorkerHeartbeat",
]
