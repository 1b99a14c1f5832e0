"""GDPR work that crosses domains: export archives, erasure, and the retention sweep."""

from __future__ import annotations

import io
import json
import logging
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates import activity, gdpr, sharing
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import Candidate
from hotgigs.notifications.models import Notification
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import Resume, ResumeData
from hotgigs.resumes.storage import FileStore, StoredFileCorrupt, StoredFileMissing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionItem:
    """One expired candidate found (dry run) or erased by the retention sweep."""

    candidate_id: uuid.UUID
    last_activity_at: datetime
    full_name: str | None  # only in a dry run: an erased person's name is not repeated


def export_candidate(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    store: FileStore,
    client_ip: str | None,
) -> tuple[Candidate, bytes]:
    """GDPR export (owner or admin): the ZIP of everything held, the export logged first."""
    candidate = sharing.managed_candidate(session, actor=actor, candidate_id=candidate_id)
    activity.record(
        session, actor=actor, action=Action.EXPORT, candidate_id=candidate.id, client_ip=client_ip
    )
    session.commit()
    return candidate, export_archive(session, candidate=candidate, reader=actor, store=store)


def export_archive(
    session: Session, *, candidate: Candidate, reader: User, store: FileStore
) -> bytes:
    """A ZIP of ``candidate.json`` (everything held that ``reader`` may read) and the files."""
    document = gdpr.export_document(session, candidate=candidate, reader=reader)
    files: dict[str, bytes] = {}
    for entry in document["resumes"]:
        try:
            data = store.get(entry["file_sha256"])
        except (StoredFileMissing, StoredFileCorrupt) as exc:
            # The export still answers with everything else; the JSON says what is lacking.
            entry["file"] = None
            entry["file_status"] = "missing" if isinstance(exc, StoredFileMissing) else "corrupt"
            continue
        path = f"files/{entry['id']}-{resumes_service.safe_filename(entry['original_filename'])}"
        entry["file"] = path
        entry["file_status"] = "included"
        files[path] = data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("candidate.json", json.dumps(document, ensure_ascii=False, indent=2))
        for path, data in files.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def erase_candidate(
    session: Session,
    *,
    candidate: Candidate,
    actor: User | None,
    store: FileStore,
    client_ip: str | None,
    reason: str = "request",
) -> None:
    """Erase a candidate, its resumes, files and notifications, leaving only an ERASE tombstone.

    Notes, tags, shares, skills and duplicate flags go with the profile row (foreign-key
    cascade). Earlier activity entries stay: they hold ids and action names only.
    """
    candidate_id = candidate.id
    resumes = gdpr.resumes_of(session, candidate=candidate)
    resume_ids = [resume.id for resume in resumes]
    digests = {resume.file_sha256 for resume in resumes}
    session.execute(
        delete(Notification)
        .where(gdpr.notifications_about(candidate, resume_ids))
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(ResumeData).where(ResumeData.resume_id.in_(resume_ids)))
    session.execute(delete(Resume).where(Resume.id.in_(resume_ids)))
    session.delete(candidate)
    session.flush()
    unused = digests - _referenced(session, digests)
    activity.record(
        session,
        actor=actor,
        action=Action.ERASE,
        candidate_id=candidate_id,
        client_ip=client_ip,
        detail={"resumes": len(resume_ids), "files": len(unused), "reason": reason},
    )
    session.commit()
    # Files go only after the commit: a failed commit must not lose a living candidate's files.
    # Checked again, as another recruiter may have uploaded the same file meanwhile.
    for digest in sorted(unused - _referenced(session, unused)):
        try:
            store.delete(digest)
        except Exception:
            # The erasure is committed and cannot be retried from here; leave the encrypted
            # file to an operator rather than fail a request whose data is already gone.
            log.exception("erased candidate %s: could not delete file %s", candidate_id, digest)


def _referenced(session: Session, digests: set[str]) -> set[str]:
    """Those of ``digests`` that some resume still uses."""
    if not digests:
        return set()
    query = select(Resume.file_sha256).where(Resume.file_sha256.in_(digests)).distinct()
    return set(session.scalars(query))


def enforce_retention(
    session: Session, *, months: int, store: FileStore, dry_run: bool
) -> list[RetentionItem]:
    """List (dry run) or erase the candidates untouched for more than ``months`` months."""
    expired = gdpr.expired_candidates(session, months=months)
    if dry_run:
        return [RetentionItem(c.id, c.last_activity_at, c.full_name) for c in expired]
    found = [RetentionItem(c.id, c.last_activity_at, None) for c in expired]
    erased = []
    for item in found:
        try:
            candidate = session.get(Candidate, item.candidate_id)
            if candidate is None:  # erased by a request since the listing
                continue
            erase_candidate(
                session,
                candidate=candidate,
                actor=None,
                store=store,
                client_ip=None,
                reason="retention",
            )
        except SQLAlchemyError:
            # One candidate that cannot be erased now must not keep the others past their time;
            # it is still expired, so the next sweep tries again.
            log.exception("retention could not erase candidate %s", item.candidate_id)
            session.rollback()
            continue
        erased.append(item)
    return erased
