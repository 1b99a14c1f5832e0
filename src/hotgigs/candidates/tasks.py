"""The candidates domain's background task: the retention sweep (loaded by workers only)."""

from __future__ import annotations

from hotgigs.background import celery_app
from hotgigs.candidates import flows as candidates_flows
from hotgigs.config import get_settings
from hotgigs.db import session_scope
from hotgigs.resumes.storage import get_store


@celery_app.task(name="hotgigs.candidates.enforce_retention")
def enforce_retention() -> int:
    """Scheduled erasure of candidates untouched for RETENTION_MONTHS; a no-op when it is 0."""
    settings = get_settings()
    if not settings.retention_months:
        return 0
    with session_scope() as session:
        erased = candidates_flows.enforce_retention(
            session, months=settings.retention_months, store=get_store(settings), dry_run=False
        )
    return len(erased)
