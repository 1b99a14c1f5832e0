"""A user's Drive connection, pending authorizations, folder syncs, their runs and files."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotgigs.auth.models import User
from hotgigs.db import Base, UTCDateTime, checked_enum, utcnow


class Frequency(enum.StrEnum):
    """How often a sync runs by itself."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MANUAL = "manual"


class SyncStatus(enum.StrEnum):
    """Whether the schedule runs a sync."""

    ACTIVE = "active"
    PAUSED = "paused"


class RunStatus(enum.StrEnum):
    """Where a run is."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class FileOutcome(enum.StrEnum):
    """What a run did with one Drive file."""

    IMPORTED = "imported"
    UPDATED = "updated"  # changed since the last run: a new version of the same candidate
    SKIPPED = "skipped"  # unchanged, or content already imported
    FAILED = "failed"
    DELETED = "deleted"  # gone from the folder since the last run


class DriveConnection(Base):
    """One user's authorization to read their Drive; the tokens are encrypted at rest."""

    __tablename__ = "drive_connections"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(User.id, ondelete="CASCADE"), primary_key=True
    )
    token_ciphertext: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(500))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class DriveAuthRequest(Base):
    """An authorization in progress: the `state` sent to Google, bound to a login session."""

    __tablename__ = "drive_auth_requests"

    state: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(User.id, ondelete="CASCADE"))
    session_id: Mapped[uuid.UUID] = mapped_column()
    # The PKCE secret: never leaves the server; Google sees only its hash.
    code_verifier: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DriveSync(Base):
    """A Drive folder kept in step with a recruiter's candidate database."""

    __tablename__ = "drive_syncs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(User.id, ondelete="CASCADE"), index=True)
    folder_id: Mapped[str] = mapped_column(String(200))
    folder_name: Mapped[str] = mapped_column(String(500))
    frequency: Mapped[Frequency] = mapped_column(checked_enum(Frequency, "drive_frequency"))
    recursive: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[SyncStatus] = mapped_column(
        checked_enum(SyncStatus, "drive_sync_status"), default=SyncStatus.ACTIVE
    )
    # The run in progress; set and cleared by conditional updates, so one runs at a time.
    running_run_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    running_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, default=None)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def running(self) -> bool:
        """Whether a run is in progress."""
        return self.running_run_id is not None


class DriveSyncRun(Base):
    """One pass over a sync's folder."""

    __tablename__ = "drive_sync_runs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    sync_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(DriveSync.id, ondelete="CASCADE"), index=True
    )
    trigger: Mapped[str] = mapped_column(String(20))
    status: Mapped[RunStatus] = mapped_column(
        checked_enum(RunStatus, "drive_run_status"), default=RunStatus.RUNNING
    )
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500), default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class DriveRunItem(Base):
    """What one run did with one file, and why."""

    __tablename__ = "drive_run_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    run_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(DriveSyncRun.id, ondelete="CASCADE"), index=True
    )
    file_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(500))
    outcome: Mapped[FileOutcome] = mapped_column(checked_enum(FileOutcome, "drive_file_outcome"))
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    resume_id: Mapped[uuid.UUID | None] = mapped_column(default=None)


class DriveSyncFile(Base):
    """The version of a Drive file a sync last imported, to skip it while unchanged."""

    __tablename__ = "drive_sync_files"

    sync_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(DriveSync.id, ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    # md5Checksum for stored files; Google Docs have none, so their modifiedTime stands in.
    version: Mapped[str] = mapped_column(String(100))
    resume_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
