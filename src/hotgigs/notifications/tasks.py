"""The notifications domain's background task: pruning old ones (loaded by workers only)."""

from __future__ import annotations

from hotgigs.background import celery_app
from hotgigs.db import session_scope
from hotgigs.notifications import service as notifications_service


@celery_app.task(name="hotgigs.notifications.prune")
def prune_notifications() -> int:
    """Scheduled removal of day-old progress messages and long-read notifications."""
    with session_scope() as session:
        return notifications_service.prune(session)
