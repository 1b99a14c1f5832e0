"""Request and response bodies of the Google Drive routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hotgigs.drive.models import FileOutcome, Frequency, RunStatus, SyncStatus


class AuthorizationURL(BaseModel):
    """Where to send the browser to connect Google Drive."""

    url: str


class Connected(BaseModel):
    """The answer of the OAuth callback."""

    connected: bool
    scope: str


class SyncSetup(BaseModel):
    """A folder to keep in step: its id or URL, how often, and whether subfolders count."""

    folder: str = Field(min_length=1, max_length=2000, description="Folder id or URL")
    frequency: Frequency = Frequency.DAILY
    recursive: bool = False


class SyncUpdate(BaseModel):
    """A sync's new name or frequency; what is left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    folder_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = Field(default=None, description="The name the sync is shown by")
    # The same choices as at set-up.
    frequency: Frequency | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> SyncUpdate:
        """Refuse an update that names no change."""
        if self.folder_name is None and self.frequency is None:
            raise ValueError("Give a new folder_name or frequency.")
        return self


class RunRead(BaseModel):
    """One run of a sync, with its counts."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    trigger: str
    status: RunStatus
    imported: int
    updated: int
    skipped: int
    failed: int
    deleted: int
    error: str | None
    started_at: datetime
    finished_at: datetime | None


class RunItemRead(BaseModel):
    """What a run did with one file."""

    model_config = ConfigDict(from_attributes=True)

    file_id: str
    name: str
    outcome: FileOutcome
    reason: str | None
    resume_id: uuid.UUID | None


class RunDetail(RunRead):
    """A run with its per-file report."""

    items: list[RunItemRead]


class SyncRead(BaseModel):
    """A folder sync and where it stands."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    folder_id: str
    folder_name: str
    frequency: Frequency
    recursive: bool
    status: SyncStatus
    running: bool
    next_run_at: datetime | None
    last_run_at: datetime | None
    created_at: datetime


class SyncDetail(SyncRead):
    """A sync with its latest runs."""

    runs: list[RunRead]


class SyncList(BaseModel):
    """The caller's syncs."""

    items: list[SyncRead]
    total: int


class RunQueued(BaseModel):
    """A run handed to the workers."""

    status: str
    task_id: str
