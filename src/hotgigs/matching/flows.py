"""Matching as part of other work: after an import, after a job is posted, on request."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hotgigs.candidates.models import Candidate
from hotgigs.config import Settings
from hotgigs.matching import service as matching_service

log = logging.getLogger(__name__)


def enqueue_job_rematch(job_id: uuid.UUID) -> str:
    """Hand a job's rematch to the background workers; returns the task id."""
    from hotgigs.worker import rematch_job  # the worker module imports this one

    return rematch_job.delay(str(job_id)).id


def enqueue_candidate_rematch(candidate_id: uuid.UUID) -> str:
    """Hand a candidate's rematch to the background workers; returns the task id."""
    from hotgigs.worker import rematch_candidate

    return rematch_candidate.delay(str(candidate_id)).id


def candidate_changed(candidate_id: uuid.UUID, settings: Settings) -> None:
    """A profile edit, merge or share changes what it matches: rematch it in the background."""
    if settings.enable_ai_matching:
        enqueue_candidate_rematch(candidate_id)


def match_imported_candidate(session: Session, candidate: Candidate, settings: Settings) -> None:
    """Match a freshly imported candidate against open jobs, without ever failing the import.

    Runs in a savepoint: a matching error is logged and undone, the import still completes.
    """
    if not settings.enable_ai_matching:
        return
    try:
        with session.begin_nested():
            matching_service.rematch_candidate(
                session, candidate_id=candidate.id, settings=settings, commit=False
            )
    except OperationalError:
        raise  # the database is unreachable: the import task retries as a whole
    except Exception:
        log.exception("matching candidate %s after import failed", candidate.id)
