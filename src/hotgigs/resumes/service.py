"""Accepting resume files, finding them for a caller, and recording their progress."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from hotgigs.auth.models import Role, User
from hotgigs.candidates import activity, sharing
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import visible_to
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate, DuplicateFlag
from hotgigs.config import Settings
from hotgigs.db import utcnow
from hotgigs.errors import QUEUE_UNAVAILABLE, NotFound
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.models import Notification
from hotgigs.notifications.types import NotificationType
from hotgigs.resumes import extraction
from hotgigs.resumes.models import FINISHED, ImportBatch, Resume, ResumeSource, ResumeStatus
from hotgigs.resumes.storage import FileStore

MAX_FILENAME_LENGTH = 255
# Path, shell and control characters, and the invisible ones that disguise a name:
# direction overrides ("cv\u202efdp.exe" shows as "cvexe.pdf"), zero-width spaces (joiners
# stay: emoji and some scripts need them).
_UNSAFE_FILENAME_CHARS = re.compile(
    '[\x00-\x1f\x7f-\x9f<>:"/\\\\|?*\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+'
)


class ResumeNotFound(NotFound):
    """No resume with that id is visible to the caller (it may not exist at all)."""


class UploadRejected(ValueError):
    """A file refused before it was stored; the message says why, for the uploader."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UploadOutcome:
    """The stored resume, and whether it was already there (same owner, same content)."""

    resume: Resume
    duplicate: bool


@dataclass(frozen=True)
class BatchSummary:
    """What a batch's files became: imported or failed, profiles, possible duplicates found."""

    total: int
    completed: int
    failed: int
    candidates: int
    duplicates: int
    # A profile flagged as a possible duplicate: its page is where the flags are reviewed.
    review_candidate_id: uuid.UUID | None

    def duplicates_data(self) -> dict[str, Any]:
        """The possible duplicates as a notification tells them (and where to review them)."""
        if not self.duplicates:
            return {"duplicates": 0}
        return {"duplicates": self.duplicates, "candidate_id": str(self.review_candidate_id)}


# How a finished batch is told, by where its files came from; a source without its own
# announcer (bulk upload) gets the bulk upload summary. See announce_batches_from.
BatchAnnouncer = Callable[[Session, ImportBatch, BatchSummary], None]
_ANNOUNCERS: dict[ResumeSource, BatchAnnouncer] = {}


def safe_filename(name: str | None) -> str:
    """A display name with no path, control or shell characters, of bounded length."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = _UNSAFE_FILENAME_CHARS.sub("_", unicodedata.normalize("NFC", base)).strip(" ._")
    if not cleaned:
        return "resume"
    if len(cleaned) > MAX_FILENAME_LENGTH:
        stem, dot, suffix = cleaned.rpartition(".")
        keep = MAX_FILENAME_LENGTH - len(suffix) - 1
        cleaned = f"{stem[:keep]}.{suffix}" if dot and 0 < len(suffix) <= 10 else cleaned[:255]
    return cleaned


def accept_upload(
    session: Session,
    *,
    settings: Settings,
    store: FileStore,
    uploader: User,
    data: bytes,
    filename: str | None,
    source: ResumeSource,
    candidate_id: uuid.UUID | None = None,
    batch_id: uuid.UUID | None = None,
) -> UploadOutcome:
    """Check a file, store it encrypted and record a queued resume (or return the existing one).

    The caller enqueues processing for a new resume once this returns.
    """
    try:
        kind = extraction.check_upload(data, max_bytes=settings.max_upload_bytes)
    except extraction.ExtractionError as exc:
        raise UploadRejected(exc.code, str(exc)) from None
    if candidate_id is not None:
        # Raises CandidateNotFound for a profile the uploader may not see.
        candidates_service.get_visible(session, user=uploader, candidate_id=candidate_id)
    digest = hashlib.sha256(data).hexdigest()
    existing = _same_file(session, owner_id=uploader.id, digest=digest)
    if existing is not None and existing.status is ResumeStatus.FAILED:
        # Uploading a failed file again is a retry (OCR installed since, a passing fault).
        existing.started_at = None
        existing.batch_id = batch_id
        record_progress(session, existing, ResumeStatus.QUEUED, 0)
        session.commit()
        return UploadOutcome(existing, duplicate=False)
    if existing is not None:
        return UploadOutcome(existing, duplicate=True)
    store.put(data)
    resume = Resume(
        owner_id=uploader.id,
        uploaded_by_id=uploader.id,
        target_candidate_id=candidate_id,
        file_sha256=digest,
        original_filename=safe_filename(filename),
        file_kind=kind,
        content_type=extraction.SUPPORTED_KINDS[kind],
        size_bytes=len(data),
        source=source,
        batch_id=batch_id,
        status=ResumeStatus.QUEUED,
        progress=0,
        created_at=utcnow(),
    )
    session.add(resume)
    try:
        session.flush()
    except IntegrityError:
        # The same file arrived twice at once: the other request stored it first.
        session.rollback()
        existing = _same_file(session, owner_id=uploader.id, digest=digest)
        if existing is None:
            raise
        return UploadOutcome(existing, duplicate=True)
    record_progress(session, resume, ResumeStatus.QUEUED, 0)
    session.commit()
    return UploadOutcome(resume, duplicate=False)


def withdraw_unqueued(session: Session, *, owner: User, data: bytes) -> None:
    """Undo accepting a file whose processing could not be queued (the queue is down).

    A new resume is removed with its notifications, as if never sent; a failed resume that
    was being retried goes back to failed, saying why. Anything a worker already took is
    left alone.
    """
    session.rollback()
    resume = _same_file(session, owner_id=owner.id, digest=hashlib.sha256(data).hexdigest())
    if resume is None or resume.status is not ResumeStatus.QUEUED:
        return
    if resume.attempts == 0:
        session.execute(delete(Notification).where(Notification.subject_id == resume.id))
        session.delete(resume)
    else:
        record_progress(
            session,
            resume,
            ResumeStatus.FAILED,
            resume.progress,
            error_code="queue_unavailable",
            error=QUEUE_UNAVAILABLE,
        )
    session.commit()


def visible_resumes(user: User) -> Select[tuple[Resume]]:
    """The resumes `user` may see: admins all, others their own and those of the
    candidates they may see (a share includes the candidate's resumes)."""
    query = select(Resume)
    if user.role is Role.ADMIN:
        return query
    candidates = visible_to(user=user).with_only_columns(Candidate.id)
    return query.where(or_(Resume.owner_id == user.id, Resume.candidate_id.in_(candidates)))


def get_visible(session: Session, *, user: User, resume_id: uuid.UUID) -> Resume:
    """One resume the caller may see, or ResumeNotFound."""
    resume = session.scalar(visible_resumes(user).where(Resume.id == resume_id))
    if resume is None:
        raise ResumeNotFound(f"Resume {resume_id} not found.")
    return resume


def download(
    session: Session, *, user: User, resume_id: uuid.UUID, store: FileStore, client_ip: str | None
) -> tuple[Resume, bytes]:
    """A resume's original file for a caller allowed to download it, the download logged."""
    resume = get_visible(session, user=user, resume_id=resume_id)
    sharing.check_download(session, user=user, resume=resume)
    content = store.get(resume.file_sha256)
    activity.record(
        session,
        actor=user,
        action=Action.DOWNLOAD,
        candidate_id=resume.candidate_id,
        target_type="resume",
        target_id=resume.id,
        client_ip=client_ip,
    )
    session.commit()
    return resume, content


def list_visible(
    session: Session,
    *,
    user: User,
    status: ResumeStatus | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[Resume]:
    """The caller's resumes, newest first (from the `offset`-th, at most `limit`)."""
    query = visible_resumes(user).order_by(Resume.created_at.desc(), Resume.id)
    if status is not None:
        query = query.where(Resume.status == status)
    return list(session.scalars(query.offset(offset).limit(limit)))


def count_visible(session: Session, *, user: User, status: ResumeStatus | None = None) -> int:
    """How many resumes the caller sees (of one status)."""
    query = visible_resumes(user)
    if status is not None:
        query = query.where(Resume.status == status)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def stranded(session: Session, *, idle_since: datetime) -> list[uuid.UUID]:
    """Unfinished resumes with no progress since `idle_since`: their task was lost.

    Progress is the newest event recorded for the resume (or its upload). A task can vanish
    when a worker is SIGKILLed just as Redis hands it a message: BRPOP has already removed
    it from the queue, and kombu records it as unacknowledged only after it arrives.
    """
    last_progress = (
        select(func.max(Notification.created_at))
        .where(Notification.subject_id == Resume.id)
        .scalar_subquery()
    )
    query = select(Resume.id).where(
        Resume.status.not_in(FINISHED),
        func.coalesce(last_progress, Resume.created_at) < idle_since,
    )
    return list(session.scalars(query))


def finished(session: Session, resume_ids: list[str]) -> list[Resume]:
    """Those of the given resumes that have completed or failed."""
    ids = [uuid.UUID(r) for r in resume_ids]
    query = select(Resume).where(Resume.id.in_(ids), Resume.status.in_(FINISHED))
    return list(session.scalars(query))


def record_progress(
    session: Session,
    resume: Resume,
    status: ResumeStatus,
    progress: int,
    *,
    error_code: str | None = None,
    error: str | None = None,
) -> None:
    """Move a resume to a stage and emit the event that says so (the caller commits)."""
    resume.status = status
    resume.progress = progress
    resume.error_code = error_code
    resume.error = error
    resume.completed_at = (
        utcnow() if status in (ResumeStatus.COMPLETED, ResumeStatus.FAILED) else None
    )
    data = {
        "resume_id": str(resume.id),
        "status": status.value,
        "progress": progress,
        "filename": resume.original_filename,
    }
    if resume.candidate_id is not None:
        data["candidate_id"] = str(resume.candidate_id)
    if error:
        data.update(error=error, error_code=error_code)
    notification_type = {
        ResumeStatus.COMPLETED: NotificationType.RESUME_COMPLETED,
        ResumeStatus.FAILED: NotificationType.RESUME_FAILED,
    }.get(status, NotificationType.RESUME_PROGRESS)
    # A file of a batch is followed live by the page that sent it; its batch's summary is
    # what the owner is told, once.
    notifications_service.emit(
        session,
        type=notification_type,
        user_id=resume.owner_id,
        subject_id=resume.id,
        data=data,
        live_only=resume.batch_id is not None,
    )


def announce_batches_from(source: ResumeSource, announcer: BatchAnnouncer) -> None:
    """Have `announcer` tell the owner of each finished batch from `source` (in the
    transaction that marks it finished; it must not commit)."""
    _ANNOUNCERS[source] = announcer


def open_batch(
    session: Session, *, owner: User, source: ResumeSource, batch_id: uuid.UUID | None = None
) -> ImportBatch:
    """Start a batch of files uploaded together (`batch_id`: the id of what it is part of)."""
    batch = ImportBatch(
        id=batch_id or uuid.uuid4(), owner_id=owner.id, source=source, created_at=utcnow()
    )
    session.add(batch)
    session.commit()
    return batch


def seal_batch(session: Session, *, batch_id: uuid.UUID) -> ImportBatch | None:
    """Every file is submitted: the batch can now finish (None when no file was queued)."""
    batch = session.get(ImportBatch, batch_id)
    queued = session.scalar(select(Resume.id).where(Resume.batch_id == batch_id).limit(1))
    if queued is None:
        session.delete(batch)
        session.commit()
        return None
    batch.sealed_at = utcnow()
    session.commit()
    finish_batch_if_done(session, batch_id=batch_id)
    return batch


def finish_batch_if_done(session: Session, *, batch_id: uuid.UUID) -> bool:
    """Tell the owner once a sealed batch's files are all finished; True for the one who tells.

    Called after each file of the batch finishes and commits, so the last to finish sees
    every other finished; the conditional update lets only one caller announce it.
    """
    in_batch = select(Resume).where(Resume.batch_id == batch_id)
    unfinished = in_batch.where(Resume.status.not_in(FINISHED)).with_only_columns(Resume.id)
    if session.scalar(unfinished.limit(1)) is not None:
        return False
    claimed = session.execute(
        update(ImportBatch)
        .where(
            ImportBatch.id == batch_id,
            ImportBatch.sealed_at.is_not(None),
            ImportBatch.finished_at.is_(None),
        )
        .values(finished_at=utcnow())
    ).rowcount
    if not claimed:
        session.rollback()
        return False
    batch = session.get(ImportBatch, batch_id)
    summary = _summarise(session, batch)
    _ANNOUNCERS.get(batch.source, _announce_upload)(session, batch, summary)
    session.commit()
    return True


def _summarise(session: Session, batch: ImportBatch) -> BatchSummary:
    """Count a batch's files and the possible duplicates its new profiles were flagged with."""
    resumes = list(session.scalars(select(Resume).where(Resume.batch_id == batch.id)))
    completed = [r for r in resumes if r.status is ResumeStatus.COMPLETED]
    candidates = {r.candidate_id for r in completed if r.candidate_id}
    # A profile is flagged when it is created, so these are the flags this batch raised.
    flagged = list(
        session.scalars(
            select(DuplicateFlag.candidate_id)
            .where(
                DuplicateFlag.candidate_id.in_(candidates),
                DuplicateFlag.created_at >= batch.created_at,
            )
            .order_by(DuplicateFlag.created_at, DuplicateFlag.id)
        )
    )
    return BatchSummary(
        total=len(resumes),
        completed=len(completed),
        failed=len(resumes) - len(completed),
        candidates=len(candidates),
        duplicates=len(flagged),
        review_candidate_id=flagged[0] if flagged else None,
    )


def _announce_upload(session: Session, batch: ImportBatch, summary: BatchSummary) -> None:
    """One notification for a whole bulk upload: its counts and the duplicates to review."""
    notifications_service.emit(
        session,
        type=NotificationType.BULK_UPLOAD_COMPLETED,
        user_id=batch.owner_id,
        subject_id=batch.id,
        data={
            "batch_id": str(batch.id),
            "total": summary.total,
            "completed": summary.completed,
            "failed": summary.failed,
            "candidates": summary.candidates,
            **summary.duplicates_data(),
        },
    )


def _same_file(session: Session, *, owner_id: uuid.UUID, digest: str) -> Resume | None:
    """The owner's resume with exactly this content, if any."""
    return session.scalar(
        select(Resume).where(Resume.owner_id == owner_id, Resume.file_sha256 == digest)
    )
