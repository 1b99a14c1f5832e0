"""HTTP routes for uploading resumes and following them through processing."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Response, UploadFile, status
from sqlalchemy.orm import Session

from hotgigs.auth.dependencies import AppSettings, ClientIP, CurrentUser, DbSession
from hotgigs.auth.models import User
from hotgigs.config import Settings
from hotgigs.errors import QueueUnavailable, responses
from hotgigs.params import ListWindow
from hotgigs.resumes import extraction
from hotgigs.resumes import flows as resumes_flows
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import ResumeData, ResumeSource, ResumeStatus
from hotgigs.resumes.schemas import (
    BulkAccepted,
    BulkItem,
    ResumeAccepted,
    ResumeDataRead,
    ResumeList,
    ResumeStatusRead,
)
from hotgigs.resumes.storage import get_store


def import_enabled(settings: AppSettings) -> None:
    """Refuse uploads while the resume import feature is switched off."""
    if not settings.enable_resume_import:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Resume import is disabled.")


router = APIRouter(prefix="/api/resumes", tags=["resumes"], responses=responses(401))
UPLOAD_ERROR_STATUS = {
    "too_large": status.HTTP_413_CONTENT_TOO_LARGE,
    "unsupported_type": status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
}
ImportEnabled = Depends(import_enabled)


def _read_limited(upload: UploadFile, settings: Settings) -> bytes:
    """The upload's bytes, refusing more than the per-file limit without reading it all."""
    data = upload.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise resumes_service.UploadRejected(
            "too_large", f"The file is larger than the {settings.max_upload_mb} MB limit."
        )
    return data


def _submit(
    session: Session, *, uploader: User, data: bytes, **upload: Any
) -> resumes_service.UploadOutcome:
    """Accept and queue one file; if the queue is down, take the file back and re-raise.

    The caller then answers 503 (errors.py) and nothing of this file is left behind, so
    sending it again later is an ordinary upload, not a "duplicate" stuck in `queued`.
    """
    try:
        return resumes_flows.submit(session, uploader=uploader, data=data, **upload)
    except QueueUnavailable:
        resumes_service.withdraw_unqueued(session, owner=uploader, data=data)
        raise


@router.post(
    "/upload",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[ImportEnabled],
    responses={
        200: {"description": "The same file was uploaded before: the existing resume."},
        **responses(400, 403, 404, 413, 415, 503),
    },
)
def upload(
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    response: Response,
    file: Annotated[UploadFile, File(description="The resume file")],
    candidate_id: Annotated[uuid.UUID | None, Form()] = None,
) -> ResumeAccepted:
    """Upload one resume; processing continues in the background."""
    try:
        outcome = _submit(
            session,
            settings=settings,
            uploader=user,
            data=_read_limited(file, settings),
            filename=file.filename,
            source=ResumeSource.UPLOAD,
            candidate_id=candidate_id,
        )
    except resumes_service.UploadRejected as exc:
        code = UPLOAD_ERROR_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST)
        raise HTTPException(code, str(exc)) from None
    if outcome.duplicate:
        response.status_code = status.HTTP_200_OK
    return ResumeAccepted.of(outcome.resume, duplicate=outcome.duplicate)


@router.post(
    "/bulk-upload",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[ImportEnabled],
    responses=responses(400, 403, 413, 503),
)
def bulk_upload(
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    files: Annotated[list[UploadFile], File(description="Up to BULK_UPLOAD_LIMIT files")],
) -> BulkAccepted:
    """Upload many resumes at once; a bad file fails alone with its own reason."""
    if len(files) > settings.bulk_upload_limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"At most {settings.bulk_upload_limit} files can be uploaded at once "
            f"({len(files)} were sent).",
        )
    items = []
    batch = resumes_service.open_batch(session, owner=user, source=ResumeSource.BULK)
    for upload_file in files:
        filename = resumes_service.safe_filename(upload_file.filename)
        try:
            outcome = _submit(
                session,
                settings=settings,
                uploader=user,
                data=_read_limited(upload_file, settings),
                filename=upload_file.filename,
                source=ResumeSource.BULK,
                batch_id=batch.id,
            )
        except resumes_service.UploadRejected as exc:
            items.append(BulkItem(filename=filename, error=str(exc), error_code=exc.code))
            continue
        except QueueUnavailable:
            # The files queued before the queue went away stay queued as a batch (sending
            # the batch again reports them as duplicates); this one and the rest are not kept.
            resumes_service.seal_batch(session, batch_id=batch.id)
            raise
        items.append(
            BulkItem(
                filename=filename,
                resume_id=outcome.resume.id,
                status=outcome.resume.status,
                duplicate=outcome.duplicate,
            )
        )
    sealed = resumes_service.seal_batch(session, batch_id=batch.id)
    failed = sum(item.error is not None for item in items)
    duplicates = sum(item.duplicate for item in items)
    return BulkAccepted(
        batch_id=sealed.id if sealed else None,
        items=items,
        total=len(items),
        accepted=len(items) - failed - duplicates,
        duplicates=duplicates,
        failed=failed,
    )


@router.get("")
def list_resumes(
    user: CurrentUser,
    session: DbSession,
    window: ListWindow,
    status_filter: ResumeStatus | None = None,
) -> ResumeList:
    """The caller's resumes, newest first (admins: everyone's), 100 unless `limit` says."""
    resumes = resumes_service.list_visible(
        session, user=user, status=status_filter, offset=window.skip, limit=window.limit or 100
    )
    total = resumes_service.count_visible(session, user=user, status=status_filter)
    return ResumeList(items=[ResumeStatusRead.of(r) for r in resumes], total=total)


@router.get("/{resume_id}/status", responses=responses(404))
def resume_status(resume_id: uuid.UUID, user: CurrentUser, session: DbSession) -> ResumeStatusRead:
    """Stage, progress, timings and (when failed) the reason."""
    resume = resumes_service.get_visible(session, user=user, resume_id=resume_id)
    return ResumeStatusRead.of(resume)


@router.get("/{resume_id}/data", responses=responses(404))
def resume_data(resume_id: uuid.UUID, user: CurrentUser, session: DbSession) -> ResumeDataRead:
    """The parsed JSON Resume once processing completed (`resume` is null before)."""
    resume = resumes_service.get_visible(session, user=user, resume_id=resume_id)
    data = session.get(ResumeData, resume.id)
    return ResumeDataRead(
        resume_id=resume.id,
        status=resume.status,
        resume=data.resume if data else None,
        meta=data.meta if data else {},
    )


@router.get(
    "/{resume_id}/download",
    response_class=Response,
    responses={
        200: {
            "description": "The original file, in the type it was uploaded as.",
            "content": {media_type: {} for media_type in extraction.SUPPORTED_KINDS.values()},
        },
        **responses(403, 404),
    },
)
def download(
    resume_id: uuid.UUID,
    user: CurrentUser,
    session: DbSession,
    settings: AppSettings,
    client_ip: ClientIP,
) -> Response:
    """The original file, decrypted, under its original (sanitised) name (logged).

    A view share downloads only if its sharer allowed it (403 otherwise).
    """
    resume, content = resumes_service.download(
        session, user=user, resume_id=resume_id, store=get_store(settings), client_ip=client_ip
    )
    return Response(
        content=content,
        media_type=resume.content_type,
        headers={
            "Content-Disposition": content_disposition(resume.original_filename),
            "X-Content-Type-Options": "nosniff",
        },
    )


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the exact UTF-8 name (RFC 6266)."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
