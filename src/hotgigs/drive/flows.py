"""A sync run: list the folder, import what is new or changed, report what went."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotgigs import background
from hotgigs.auth.models import User
from hotgigs.config import Settings, get_settings
from hotgigs.db import session_scope, utcnow
from hotgigs.drive import service as drive_service
from hotgigs.drive.client import RESUME_MIMES, DriveClient, DriveError, DriveFile
from hotgigs.drive.models import (
    DriveRunItem,
    DriveSync,
    DriveSyncFile,
    DriveSyncRun,
    FileOutcome,
    SyncStatus,
)
from hotgigs.drive.oauth import NotConnected
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import Resume, ResumeSource

log = logging.getLogger(__name__)


def enqueue_run(sync_id: uuid.UUID, trigger: str) -> str:
    """Queue a run of the sync; returns the task id."""
    return background.enqueue(background.RUN_DRIVE_SYNC, str(sync_id), trigger)


def run_due() -> int:
    """Queue a run of every active sync whose time has come; how many."""
    with session_scope() as session:
        due = drive_service.due_syncs(session, now=utcnow())
    for sync_id in due:
        enqueue_run(sync_id, "schedule")
    return len(due)


def run_sync(
    sync_id: uuid.UUID, *, trigger: str, settings: Settings | None = None
) -> uuid.UUID | None:
    """One run of a sync; None when it is gone, paused (scheduled runs) or already running."""
    settings = settings or get_settings()
    with session_scope() as session:
        sync = session.get(DriveSync, sync_id)
        if sync is None or (trigger == "schedule" and sync.status is SyncStatus.PAUSED):
            return None
        try:
            run = drive_service.start_run(session, sync=sync, trigger=trigger)
        except drive_service.AlreadyRunning:
            return None
        error = None
        try:
            client = drive_service.client_for(session, settings=settings, user_id=sync.owner_id)
            try:
                _walk(session, settings=settings, sync=sync, run=run, client=client)
            finally:
                client.close()
        except (DriveError, NotConnected) as exc:
            session.rollback()
            error = str(exc)
        sync, run = session.get(DriveSync, sync_id), session.get(DriveSyncRun, run.id)
        drive_service.finish_run(session, sync=sync, run=run, error=error)
        notifications_service.emit(
            session,
            type=NotificationType.DRIVE_SYNC_COMPLETED,
            user_id=sync.owner_id,
            subject_id=sync.id,
            data={
                "sync_id": str(sync.id),
                "run_id": str(run.id),
                "folder": sync.folder_name,
                "status": run.status.value,
                "imported": run.imported + run.updated,
                "skipped": run.skipped,
                "failed": run.failed,
                "deleted": run.deleted,
                "error": run.error,
            },
        )
        session.commit()
        return run.id


def _walk(
    session: Session, *, settings: Settings, sync: DriveSync, run: DriveSyncRun, client: DriveClient
) -> None:
    """Import each new or changed resume file; report unchanged, failed and deleted ones."""
    owner = session.get(User, sync.owner_id)
    known = {
        f.file_id: f
        for f in session.scalars(select(DriveSyncFile).where(DriveSyncFile.sync_id == sync.id))
    }
    listed: set[str] = set()
    for file in client.files(sync.folder_id, recursive=sync.recursive):
        listed.add(file.id)
        outcome, reason, resume_id = _take(
            session, settings, owner, known.get(file.id), file, client
        )
        _record(session, run, file.id, file.name, outcome, reason, resume_id)
        if outcome in (FileOutcome.IMPORTED, FileOutcome.UPDATED, FileOutcome.SKIPPED):
            _remember(session, sync, known.get(file.id), file, resume_id)
        session.commit()
    for file_id in set(known) - listed:
        _record(session, run, file_id, known[file_id].name, FileOutcome.DELETED, None, None)
        session.delete(known[file_id])
    session.commit()


def _take(
    session: Session,
    settings: Settings,
    owner: User,
    previous: DriveSyncFile | None,
    file: DriveFile,
    client: DriveClient,
) -> tuple[FileOutcome, str | None, uuid.UUID | None]:
    """Decide about one listed file, downloading and submitting it when it is new or changed."""
    if previous is not None and previous.version == file.version:
        return FileOutcome.SKIPPED, "unchanged since the last run", previous.resume_id
    if file.mime_type not in RESUME_MIMES:
        return FileOutcome.SKIPPED, f"not a resume format ({file.mime_type})", None
    if file.size is not None and file.size > settings.max_upload_bytes:
        return FileOutcome.FAILED, f"larger than {settings.max_upload_mb} MB", None
    try:
        data = client.content(file)
    except DriveError as exc:
        return FileOutcome.FAILED, f"could not be downloaded: {exc}", None
    # A changed file is a new version of the candidate its earlier version became.
    candidate_id = None
    if previous is not None and previous.resume_id is not None:
        candidate_id = session.scalar(
            select(Resume.candidate_id).where(Resume.id == previous.resume_id)
        )
    try:
        outcome = resumes_flows.submit(
            session,
            settings=settings,
            uploader=owner,
            data=data,
            filename=_filename(file),
            source=ResumeSource.DRIVE,
            candidate_id=candidate_id,
        )
    except resumes_service.UploadRejected as exc:
        return FileOutcome.FAILED, str(exc), None
    if outcome.duplicate:
        return FileOutcome.SKIPPED, "the same content was imported before", outcome.resume.id
    kind = FileOutcome.UPDATED if previous is not None else FileOutcome.IMPORTED
    return kind, None, outcome.resume.id


def _filename(file: DriveFile) -> str:
    """The name to keep for a download (a Google Doc gets the extension of its export)."""
    if file.mime_type == "application/vnd.google-apps.document":
        return f"{file.name}.docx"
    return file.name


def _record(
    session: Session,
    run: DriveSyncRun,
    file_id: str,
    name: str,
    outcome: FileOutcome,
    reason: str | None,
    resume_id: uuid.UUID | None,
) -> None:
    """One line of the run's report, and its count."""
    session.add(
        DriveRunItem(
            run_id=run.id,
            file_id=file_id,
            name=name[:500],
            outcome=outcome,
            reason=reason[:500] if reason else None,
            resume_id=resume_id,
        )
    )
    setattr(run, outcome.value, getattr(run, outcome.value) + 1)


def _remember(
    session: Session,
    sync: DriveSync,
    previous: DriveSyncFile | None,
    file: DriveFile,
    resume_id: uuid.UUID | None,
) -> None:
    """Keep the version now imported, so the next run skips it while it is unchanged."""
    row = previous or DriveSyncFile(sync_id=sync.id, file_id=file.id)
    if previous is None:
        session.add(row)
    row.name, row.version, row.resume_id = file.name[:500], file.version, resume_id
