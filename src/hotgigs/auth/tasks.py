"""The auth domain's background task: expired refresh tokens (loaded by workers only)."""

from __future__ import annotations

from hotgigs.auth import service as auth_service
from hotgigs.background import celery_app
from hotgigs.db import session_scope


@celery_app.task(name="hotgigs.auth.purge_expired_tokens")
def purge_expired_tokens() -> int:
    """Scheduled clean-up of expired refresh tokens."""
    with session_scope() as session:
        return auth_service.purge_expired_tokens(session)
