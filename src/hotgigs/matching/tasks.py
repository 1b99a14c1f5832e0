"""The matching domain's background tasks: rematching a job or a candidate (workers only)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError

from hotgigs.background import REMATCH_CANDIDATE, REMATCH_JOB, celery_app
from hotgigs.config import get_settings
from hotgigs.db import session_scope
from hotgigs.matching import rematch as match_rematch

# Nobody reads their results (ignore_result): see hotgigs.resumes.tasks. A rematch racing
# another over the same pair (a redelivery) retries and updates it.
_REMATCH_OPTIONS: dict[str, Any] = {
    "ignore_result": True,
    "autoretry_for": (OperationalError, IntegrityError),
    "retry_backoff": True,
    "max_retries": 5,
}


@celery_app.task(name=REMATCH_JOB, **_REMATCH_OPTIONS)
def rematch_job(job_id: str) -> int:
    """Score every candidate the job's owner may see; returns how many matches were kept."""
    with session_scope() as session:
        return match_rematch.rematch_job(session, job_id=uuid.UUID(job_id), settings=get_settings())


@celery_app.task(name=REMATCH_CANDIDATE, **_REMATCH_OPTIONS)
def rematch_candidate(candidate_id: str) -> int:
    """Score one candidate against the open jobs that may consider it."""
    with session_scope() as session:
        return match_rematch.rematch_candidate(
            session, candidate_id=uuid.UUID(candidate_id), settings=get_settings()
        )
