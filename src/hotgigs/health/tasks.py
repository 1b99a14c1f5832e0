"""The health domain's background task: a worker's proof of life (loaded by workers only)."""

from __future__ import annotations

import os
from typing import Any

from hotgigs.background import celery_app
from hotgigs.db import session_scope
from hotgigs.health import service as health_service


@celery_app.task(name="hotgigs.ping")
def ping() -> dict[str, Any]:
    """Prove a worker is consuming and can reach the database."""
    with session_scope() as session:
        database = health_service.check_database(session)
    return {"pong": True, "pid": os.getpid(), "database": database["status"]}
