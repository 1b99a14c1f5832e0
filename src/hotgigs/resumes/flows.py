"""The import flow: file -> text -> JSON Resume -> candidate -> search document -> notifications."""

from __future__ import annotations

import functools
import logging
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hotgigs import background, parsing
from hotgigs.auth.models import User
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.models import Candidate
from hotgigs.config import Settings, get_settings
from hotgigs.db import session_scope, utcnow
from hotgigs.matching import flows as matching_flows
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType
from hotgigs.parsing import llm
from hotgigs.parsing import model as parser_model
from hotgigs.resumes import extraction, isolation
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.models import FINISHED, Resume, ResumeData, ResumeSource, ResumeStatus
from hotgigs.resumes.storage import (
    StorageUnavailable,
    StoredFileCorrupt,
    StoredFileMissing,
    get_store,
)

log = logging.getLogger(__name__)


def submit(
    session: Session,
    *,
    settings: Settings,
    uploader: User,
    data: bytes,
    filename: str | None,
    source: ResumeSource,
    candidate_id: uuid.UUID | None = None,
    batch_id: uuid.UUID | None = None,
) -> resumes_service.UploadOutcome:
    """Accept a file and queue it for processing (an already-known file is not queued again)."""
    outcome = resumes_service.accept_upload(
        session,
        settings=settings,
        store=get_store(settings),
        uploader=uploader,
        data=data,
        filename=filename,
        source=source,
        candidate_id=candidate_id,
        batch_id=batch_id,
    )
    if not outcome.duplicate:
        enqueue(outcome.resume.id)
    return outcome


def enqueue(resume_id: uuid.UUID) -> None:
    """Hand a resume to the background workers."""
    background.enqueue(background.PROCESS_RESUME, str(resume_id))


def process(resume_id: uuid.UUID, *, settings: Settings | None = None) -> ResumeStatus | None:
    """Run one resume through every stage; safe to run again after a crash (redelivery)."""
    settings = settings or get_settings()
    with session_scope() as session:
        resume = session.get(Resume, resume_id)
        if resume is None:
            return None
        if resume.status in FINISHED:
            _finish_batch(session, resume)  # a redelivery after a crash before the batch check
            return resume.status
        try:
            _run_stages(session, resume, settings)
        except (OperationalError, StorageUnavailable):
            raise  # the database or the file store is unreachable: let the task retry later
        except Exception:
            log.exception("resume %s failed unexpectedly", resume_id)
            session.rollback()
            resume = session.get(Resume, resume_id)
            resumes_service.record_progress(
                session,
                resume,
                ResumeStatus.FAILED,
                resume.progress,
                error_code="internal_error",
                error="Processing failed unexpectedly; the error was logged for the team.",
            )
            session.commit()
        _finish_batch(session, resume)
        return resume.status


def _finish_batch(session: Session, resume: Resume) -> None:
    """Announce the resume's batch if this was its last file to finish."""
    if resume.batch_id is not None:
        resumes_service.finish_batch_if_done(session, batch_id=resume.batch_id)


def _run_stages(session: Session, resume: Resume, settings: Settings) -> None:
    """Extract, parse, upsert the candidate and finish, committing progress between stages."""
    resume.attempts += 1
    resume.started_at = resume.started_at or utcnow()
    _advance(session, resume, ResumeStatus.EXTRACTING, 10)
    try:
        data = get_store(settings).get(resume.file_sha256)
        extracted = extract_resume_text(data, settings)
    except extraction.ExtractionError as exc:
        _fail(session, resume, exc.code, str(exc))
        return
    except (StoredFileMissing, StoredFileCorrupt) as exc:
        _fail(session, resume, "storage", f"The stored file cannot be read: {exc}")
        return

    _advance(session, resume, ResumeStatus.PARSING, 40)
    parsed = parse_resume_text(extracted.text, settings)

    _advance(session, resume, ResumeStatus.INDEXING, 70)
    outcome = _file(session, resume, parsed, extracted.text)
    meta = {**parsed.meta, "extraction": _extraction_meta(extracted)}
    session.merge(
        ResumeData(resume_id=resume.id, text=extracted.text, resume=parsed.resume, meta=meta)
    )
    _announce(session, resume, outcome)
    resumes_service.record_progress(session, resume, ResumeStatus.COMPLETED, 100)
    session.commit()
    matching_flows.candidate_changed(outcome.candidate.id, settings)


def reparse(resume_id: uuid.UUID, *, settings: Settings | None = None) -> bool:
    """Parse a stored resume's text again (a new parser version, or the installation's
    retrained model) and refresh its profile; people's corrections stay over it.

    False when there is nothing to re-read (unknown, unfinished or failed resume)."""
    settings = settings or get_settings()
    with session_scope() as session:
        resume = session.get(Resume, resume_id)
        data = session.get(ResumeData, resume_id)
        if resume is None or data is None or resume.candidate_id is None:
            return False
        parsed = parse_resume_text(data.text, settings)
        data.resume = parsed.resume
        data.meta = {**parsed.meta, "extraction": (data.meta or {}).get("extraction")}
        candidate_id = resume.candidate_id
        shown = session.scalar(
            select(Candidate.current_resume_id).where(Candidate.id == candidate_id)
        )
        if shown == resume.id:  # an older version only keeps its own reading
            _file(session, resume, parsed, data.text)
        session.commit()
    matching_flows.candidate_changed(candidate_id, settings)
    return True


def _file(
    session: Session, resume: Resume, parsed: parsing.ParseResult, text: str
) -> candidates_service.UpsertOutcome:
    """File a parse into its owner's candidate database (a new or an existing profile)."""
    mentions = parsed.meta.get("skill_mentions") or []
    return candidates_service.upsert_from_resume(
        session,
        resume=resume,
        parsed=parsed.resume,
        total_years=parsed.meta.get("total_years_experience"),
        text=text,
        owner=session.get(User, resume.owner_id),
        mentioned_skills=[m["name"] for m in mentions if isinstance(m.get("name"), str)],
    )


def extract_resume_text(data: bytes, settings: Settings) -> extraction.ExtractedText:
    """A resume file's text, read as every import reads it: in a child process held to the
    settings' limits. Raises extraction.ExtractionError."""
    return isolation.extract_text_limited(
        data,
        max_bytes=settings.max_upload_bytes,
        ocr=settings.ocr_enabled,
        limits=isolation.ExtractionLimits.of(settings),
    )


def parse_resume_text(text: str, settings: Settings) -> parsing.ParseResult:
    """The local parse (with the installation's own model when it has one), refined by the
    LLM backend when one is configured."""
    result = parsing.parse_text(text, model=installation_model(settings.parser_model_file))
    if settings.hotgigs_llm_url and settings.hotgigs_llm_model:
        config = llm.LLMConfig(
            url=settings.hotgigs_llm_url,
            model=settings.hotgigs_llm_model,
            api_key=settings.hotgigs_llm_api_key,
            timeout=settings.hotgigs_llm_timeout,
        )
        result = llm.refine(text, result, config)
    return result


def installation_model(path: Path) -> parser_model.Model | None:
    """The model `hotgigs train --with-corrections` wrote at ``path``, loaded once per
    version of the file; None (the shipped model serves) when there is none."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _model_version(str(path), stamp)


@functools.lru_cache(maxsize=2)
def _model_version(path: str, stamp: int) -> parser_model.Model | None:
    """The model file at ``path`` as it was at ``stamp`` (a retrained file loads anew)."""
    try:
        return parser_model.load_file(path)
    except Exception:  # a broken artefact must not stop imports: the shipped model serves
        log.exception("could not load the parser model %s", path)
        return None


def _advance(session: Session, resume: Resume, status: ResumeStatus, progress: int) -> None:
    """Record a stage and commit, so status readers and live channels see it now."""
    resumes_service.record_progress(session, resume, status, progress)
    session.commit()


def _fail(session: Session, resume: Resume, code: str, reason: str) -> None:
    """End processing with a reason the uploader can act on."""
    resumes_service.record_progress(
        session, resume, ResumeStatus.FAILED, resume.progress, error_code=code, error=reason
    )
    session.commit()


def _announce(session: Session, resume: Resume, outcome: candidates_service.UpsertOutcome) -> None:
    """Notifications of a new candidate and of each possible duplicate found, for a file sent
    alone: a batch's files are told in its one summary (resumes_service.finish_batch_if_done)."""
    if resume.batch_id is not None:
        return
    candidate = outcome.candidate
    if outcome.created:
        notifications_service.emit(
            session,
            type=NotificationType.CANDIDATE_ADDED,
            user_id=resume.owner_id,
            subject_id=candidate.id,
            data={"candidate_id": str(candidate.id), "name": candidate.full_name},
        )
    for flag in outcome.possible_duplicates:
        notifications_service.emit(
            session,
            type=NotificationType.CANDIDATE_DUPLICATE_FLAGGED,
            user_id=resume.owner_id,
            subject_id=candidate.id,
            data={
                "flag_id": str(flag.id),
                "candidate_id": str(flag.candidate_id),
                "duplicate_of_id": str(flag.duplicate_of_id),
                "reason": flag.reason,
            },
        )


def _extraction_meta(extracted: extraction.ExtractedText) -> dict:
    """What the parser's metadata records about how the text was obtained."""
    return {
        "kind": extracted.kind,
        "pages": extracted.pages,
        "used_ocr": extracted.used_ocr,
        "warnings": list(extracted.warnings),
    }
