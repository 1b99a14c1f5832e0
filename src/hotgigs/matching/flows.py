"""Matching as part of other work: after an import, a profile change, a job posted."""

from __future__ import annotations

import logging
import uuid

from hotgigs.config import Settings

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


def candidate_imported(candidate_id: uuid.UUID, settings: Settings) -> None:
    """Queue the matching of a freshly filed candidate; never fails the import that called it.

    Matching is a task of its own rather than a stage of the import: the import stays as fast
    as parsing, and a matching error or the sentence model's first load (seconds) cannot hold
    up or fail a resume that is already filed.
    """
    try:
        candidate_changed(candidate_id, settings)
    except Exception:  # the resume is filed; a later rematch or job posting matches it
        log.exception("could not queue matching for candidate %s", candidate_id)
