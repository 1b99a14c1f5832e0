"""Folder syncs: set up, list, edit, pause, resume, delete, schedule, and their run history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from hotgigs.auth import service as auth_service
from hotgigs.auth.models import User
from hotgigs.config import Settings
from hotgigs.db import utcnow
from hotgigs.drive import oauth
from hotgigs.drive.client import DriveClient, DriveError, folder_id_of
from hotgigs.drive.models import (
    DriveRunItem,
    DriveSync,
    DriveSyncRun,
    FileOutcome,
    Frequency,
    RunStatus,
    SyncStatus,
)
from hotgigs.errors import Forbidden, Invalid, NotFound

# A run still marked running after this long died with its worker: another may take over.
STALE_RUN = timedelta(hours=1)
INTERVALS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# How a run's summary names each file outcome, in the order it lists them.
OUTCOME_LABELS = {
    FileOutcome.IMPORTED: "imported",
    FileOutcome.UPDATED: "updated",
    FileOutcome.SKIPPED: "unchanged",
    FileOutcome.FAILED: "failed",
    FileOutcome.DELETED: "removed",
}


class SyncNotFound(NotFound):
    """No sync with that id is visible to the caller."""


class AlreadyRunning(Invalid):
    """A run of this sync is in progress."""


class NotSyncOwner(Forbidden):
    """The caller may see the sync (an admin) but only its owner may change it."""


@dataclass(frozen=True)
class RunCount:
    """One figure of a run's summary: how many files had this outcome."""

    outcome: str
    label: str
    count: int


def client_for(session: Session, *, settings: Settings, user_id: uuid.UUID) -> DriveClient:
    """A Drive client for the user; refreshed tokens are stored again, encrypted."""
    connection = oauth.get_connection(session, user_id=user_id)

    def keep(token: dict) -> None:
        oauth.store_token(connection, token, settings=settings)
        connection.refreshed_at = utcnow()
        session.commit()

    return DriveClient(settings, oauth.read_token(connection, settings=settings), on_token=keep)


def next_run(frequency: Frequency, after: datetime) -> datetime | None:
    """When a sync of this frequency runs next by itself (never for manual ones)."""
    interval = INTERVALS.get(frequency)
    return after + interval if interval else None


def setup(
    session: Session,
    *,
    settings: Settings,
    owner: User,
    folder: str,
    frequency: Frequency,
    recursive: bool,
) -> DriveSync:
    """Start syncing a folder (checked with Drive first); the caller queues its first run."""
    folder_id = folder_id_of(folder)
    if folder_id is None:
        raise Invalid("Give a Drive folder id or a folder URL (https://drive.google.com/...).")
    client = client_for(session, settings=settings, user_id=owner.id)
    try:
        found = client.folder(folder_id)
    except DriveError as exc:
        raise Invalid(f"That folder cannot be read: {exc}") from None
    finally:
        client.close()
    sync = DriveSync(
        owner_id=owner.id,
        folder_id=folder_id,
        folder_name=found.get("name", folder_id)[:500],
        frequency=frequency,
        recursive=recursive,
        status=SyncStatus.ACTIVE,
        created_at=utcnow(),
    )
    session.add(sync)
    session.commit()
    return sync


def list_syncs(session: Session, *, user: User) -> list[DriveSync]:
    """The user's syncs, newest first."""
    return list(
        session.scalars(
            auth_service.owned_by(DriveSync, user).order_by(DriveSync.created_at.desc())
        )
    )


def get_sync(session: Session, *, user: User, sync_id: uuid.UUID) -> DriveSync:
    """One sync the user may see."""
    sync = session.scalar(auth_service.owned_by(DriveSync, user).where(DriveSync.id == sync_id))
    if sync is None:
        raise SyncNotFound(f"Sync {sync_id} not found.")
    return sync


def set_status(
    session: Session, *, user: User, sync_id: uuid.UUID, status: SyncStatus
) -> DriveSync:
    """Pause (the schedule skips it) or resume (due again from now on its frequency)."""
    sync = get_sync(session, user=user, sync_id=sync_id)
    sync.status = status
    if status is SyncStatus.ACTIVE:
        sync.next_run_at = next_run(sync.frequency, utcnow())
    session.commit()
    return sync


def update_sync(
    session: Session,
    *,
    user: User,
    sync_id: uuid.UUID,
    folder_name: str | None = None,
    frequency: Frequency | None = None,
) -> DriveSync:
    """Rename a sync or change how often it runs; its owner only.

    A new frequency moves the next scheduled run to one interval after the last run (due at
    once if that has passed; from now if it never ran); paused syncs are rescheduled when
    resumed, manual ones never.
    """
    sync = get_sync(session, user=user, sync_id=sync_id)
    if sync.owner_id != user.id:
        raise NotSyncOwner("Only the recruiter who set up this sync can change it.")
    if folder_name is not None:
        sync.folder_name = folder_name
    if frequency is not None and frequency is not sync.frequency:
        sync.frequency = frequency
        if sync.status is SyncStatus.ACTIVE:
            sync.next_run_at = next_run(frequency, sync.last_run_at or utcnow())
    session.commit()
    return sync


def delete_sync(session: Session, *, user: User, sync_id: uuid.UUID) -> None:
    """Stop syncing a folder; the candidates it imported stay."""
    session.delete(get_sync(session, user=user, sync_id=sync_id))
    session.commit()


def runs_of(session: Session, *, sync: DriveSync, limit: int = 20) -> list[DriveSyncRun]:
    """A sync's latest runs, newest first."""
    query = select(DriveSyncRun).where(DriveSyncRun.sync_id == sync.id)
    return list(session.scalars(query.order_by(DriveSyncRun.started_at.desc()).limit(limit)))


def run_counts(run: DriveSyncRun) -> list[RunCount]:
    """What a run did, one figure per file outcome: the run history and the report show these."""
    return [
        RunCount(outcome.value, label, getattr(run, outcome.value))
        for outcome, label in OUTCOME_LABELS.items()
    ]


def items_of(session: Session, *, run: DriveSyncRun) -> list[DriveRunItem]:
    """What a run did with each file."""
    query = select(DriveRunItem).where(DriveRunItem.run_id == run.id)
    return list(session.scalars(query.order_by(DriveRunItem.name, DriveRunItem.file_id)))


def get_run(session: Session, *, sync: DriveSync, run_id: uuid.UUID) -> DriveSyncRun:
    """One run of the sync."""
    run = session.get(DriveSyncRun, run_id)
    if run is None or run.sync_id != sync.id:
        raise NotFound(f"Run {run_id} not found.")
    return run


def start_run(session: Session, *, sync: DriveSync, trigger: str) -> DriveSyncRun:
    """Claim the sync for a new run; AlreadyRunning when one is in progress."""
    run = DriveSyncRun(sync_id=sync.id, trigger=trigger, started_at=utcnow())
    session.add(run)
    session.flush()
    now = utcnow()
    claimed = session.execute(
        update(DriveSync)
        .where(
            DriveSync.id == sync.id,
            or_(DriveSync.running_run_id.is_(None), DriveSync.running_since < now - STALE_RUN),
        )
        .values(running_run_id=run.id, running_since=now)
    ).rowcount
    if not claimed:
        session.rollback()
        raise AlreadyRunning("This folder is being synced right now.")
    session.commit()
    return run


def due_syncs(session: Session, *, now: datetime) -> list[uuid.UUID]:
    """Active syncs whose time has come and that are not running."""
    query = select(DriveSync.id).where(
        DriveSync.status == SyncStatus.ACTIVE,
        DriveSync.next_run_at.is_not(None),
        DriveSync.next_run_at <= now,
        DriveSync.running_run_id.is_(None),
    )
    return list(session.scalars(query))


def finish_run(session: Session, *, sync: DriveSync, run: DriveSyncRun, error: str | None) -> None:
    """Record how a run ended, free the sync and set its next scheduled time."""
    now = utcnow()
    run.status = RunStatus.FAILED if error else RunStatus.COMPLETED
    run.error = error[:500] if error else None
    run.finished_at = now
    sync.running_run_id = None
    sync.running_since = None
    sync.last_run_at = now
    sync.next_run_at = next_run(sync.frequency, now)
    session.commit()
