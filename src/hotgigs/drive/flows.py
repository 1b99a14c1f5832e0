"""A sync run: list the folder, import what is new or changed, report what went."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import func, select
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
from hotgigs.resumes.models import ImportBatch, Resume, ResumeSource, ResumeStatus

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
    """One run of a sync; None when it is gone, paused (scheduled runs) or already running.

    The run's files are a batch of imports: once the last is processed (here, or by the
    worker that files it) the owner hears of the run once, with the counts of its report.
    """
    settings = settings or get_settings()
    with session_scope() as session:
        sync = session.get(DriveSync, sync_id)
        if sync is None or (trigger == "schedule" and sync.status is SyncStatus.PAUSED):
            return None
        try:
            run = drive_service.start_run(session, sync=sync, trigger=trigger)
        except drive_service.AlreadyRunning:
            return None
        owner = session.get(User, sync.owner_id)
        resumes_service.open_batch(session, owner=owner, source=ResumeSource.DRIVE, batch_id=run.id)
        error = None
        try:
            client = drive_service.client_for(session, settings=settings, user_id=sync.owner_id)
            try:
                _walk(session, settings=settings, sync=sync, run=run, owner=owner, client=client)
            finally:
                client.close()
        except (DriveError, NotConnected) as exc:
            session.rollback()
            error = str(exc)
        sync, run = session.get(DriveSync, sync_id), session.get(DriveSyncRun, run.id)
        drive_service.finish_run(session, sync=sync, run=run, error=error)
        if resumes_service.seal_batch(session, batch_id=run.id) is None:
            _notify(session, run, None)  # nothing was submitted: nothing to wait for
            session.commit()
        return run.id


def _announce_run(
    session: Session, batch: ImportBatch, summary: resumes_service.BatchSummary
) -> None:
    """The run's imports are all processed: the ones that failed join its report's failures,
    then the owner is told of the run (nothing when its sync was deleted meanwhile)."""
    run = session.get(DriveSyncRun, batch.id)
    if run is None:
        return
    failed = dict(
        session.execute(
            select(Resume.id, Resume.error).where(
                Resume.batch_id == batch.id, Resume.status == ResumeStatus.FAILED
            )
        ).all()
    )
    items = select(DriveRunItem).where(
        DriveRunItem.run_id == run.id,
        DriveRunItem.resume_id.in_(failed),
        DriveRunItem.outcome.in_([FileOutcome.IMPORTED, FileOutcome.UPDATED]),
    )
    for item in session.scalars(items):
        item.outcome = FileOutcome.FAILED
        item.reason = (failed[item.resume_id] or "could not be imported")[:500]
    _tally(session, run)
    _notify(session, run, summary)


# Whichever process files a run's last resume tells the owner of the run.
resumes_service.announce_batches_from(ResumeSource.DRIVE, _announce_run)


def _notify(
    session: Session, run: DriveSyncRun, imports: resumes_service.BatchSummary | None
) -> None:
    """Tell the sync's owner how the run went: its report's counts, as the run records them,
    and the possible duplicates its imports found (`imports`: None when it submitted none)."""
    sync = session.get(DriveSync, run.sync_id)
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
            **_counts(run),
            "error": run.error,
            **(imports.duplicates_data() if imports else {"duplicates": 0}),
        },
    )


def _counts(run: DriveSyncRun) -> dict[str, int]:
    """A run's counts by outcome, as its history, its report and its notification give them."""
    return {outcome.value: getattr(run, outcome.value) for outcome in FileOutcome}


def _tally(session: Session, run: DriveSyncRun) -> None:
    """Count the run's report by outcome onto the run: the one place its counts are made."""
    session.flush()
    by_outcome = dict(
        session.execute(
            select(DriveRunItem.outcome, func.count())
            .where(DriveRunItem.run_id == run.id)
            .group_by(DriveRunItem.outcome)
        ).all()
    )
    for outcome in FileOutcome:
        setattr(run, outcome.value, by_outcome.get(outcome, 0))


def _walk(
    session: Session,
    *,
    settings: Settings,
    sync: DriveSync,
    run: DriveSyncRun,
    owner: User,
    client: DriveClient,
) -> None:
    """Import each new or changed resume file; report unchanged, failed and deleted ones."""
    known = {
        f.file_id: f
        for f in session.scalars(select(DriveSyncFile).where(DriveSyncFile.sync_id == sync.id))
    }
    listed: set[str] = set()
    for file in client.files(sync.folder_id, recursive=sync.recursive):
        listed.add(file.id)
        outcome, reason, resume_id = _take(
            session, settings, owner, known.get(file.id), file, client, run.id
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
    batch_id: uuid.UUID,
) -> tuple[FileOutcome, str | None, uuid.UUID | None]:
    """Decide about one listed file, downloading and submitting it (to the run's batch) when
    it is new or changed."""
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
            batch_id=batch_id,
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
    """One line of the run's report, and the run's counts brought up to date."""
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
    _tally(session, run)


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
