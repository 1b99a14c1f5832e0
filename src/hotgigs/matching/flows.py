"""Matching as part of other work: after an import, a profile change, a job posted."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from hotgigs import background
from hotgigs.config import Settings

log = logging.getLogger(__name__)


def enqueue_job_rematch(job_id: uuid.UUID) -> str:
    """Hand a job's rematch to the background workers; returns the task id."""
    return background.enqueue(background.REMATCH_JOB, str(job_id))


def enqueue_candidate_rematch(candidate_id: uuid.UUID) -> str:
    """Hand a candidate's rematch to the background workers; returns the task id."""
    return background.enqueue(background.REMATCH_CANDIDATE, str(candidate_id))


def candidate_changed(candidate_id: uuid.UUID, settings: Settings) -> None:
    """Queue the rematch of a filed, edited, merged or shared profile; never fails the change.

    Matching is a task of its own rather than a stage of the import: the import stays as fast
    as parsing, and a matching error or the sentence model's first load (seconds) cannot hold
    up or fail a resume that is already filed. With the queue down the change still stands
    (a later rematch or job posting matches the profile), so the caller gets no 503 for it.
    """
    _rematch_quietly(enqueue_candidate_rematch, candidate_id, settings)


def job_changed(job_id: uuid.UUID, settings: Settings) -> None:
    """Queue the rematch of a posted or changed open job; never fails the change."""
    _rematch_quietly(enqueue_job_rematch, job_id, settings)


def _rematch_quietly(
    enqueue: Callable[[uuid.UUID], str], record_id: uuid.UUID, settings: Settings
) -> None:
    """Queue a rematch when matching is on; a failure to queue is logged, never raised."""
    if not settings.enable_ai_matching:
        return
    try:
        enqueue(record_id)
    except Exception:  # the change is saved; a later rematch or change matches it
        log.exception("could not queue %s for %s", enqueue.__name__, record_id)
