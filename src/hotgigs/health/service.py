"""Checks of the parts the product needs, and the worker heartbeat they read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import Celery
from sqlalchemy import delete, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hotgigs.db import utcnow
from hotgigs.health.models import WorkerHeartbeat

# A worker counts as alive when it was seen within this many heartbeat intervals.
MISSED_BEATS_ALLOWED = 3


def record_heartbeat(session: Session, *, hostname: str, pid: int) -> None:
    """Upsert this worker's heartbeat row."""
    now = utcnow()
    beat = session.get(WorkerHeartbeat, hostname)
    if beat is None or beat.pid != pid:
        session.merge(WorkerHeartbeat(hostname=hostname, pid=pid, started_at=now, last_seen_at=now))
    else:
        beat.last_seen_at = now
    session.commit()


def forget_worker(session: Session, *, hostname: str) -> None:
    """Remove a worker's heartbeat when it shuts down cleanly."""
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.hostname == hostname))
    session.commit()


def check_database(session: Session) -> dict[str, Any]:
    """Whether the database answers a query."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok", "backend": session.get_bind().dialect.name}


def check_queue(celery_app: Celery, *, queue_name: str) -> dict[str, Any]:
    """Whether the broker accepts a connection, and how many tasks wait in the default queue."""
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
            # Not passive: Redis reports an empty queue as missing.
            declared = connection.default_channel.queue_declare(queue=queue_name, durable=True)
            transport = connection.transport_cls
    except Exception as exc:  # any broker failure means the same thing to a health check
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "ok", "transport": str(transport), "waiting": declared.message_count}


def check_workers(session: Session, *, heartbeat_seconds: float) -> dict[str, Any]:
    """Workers whose heartbeat is recent enough to count as alive."""
    try:
        cutoff = utcnow() - timedelta(seconds=heartbeat_seconds * MISSED_BEATS_ALLOWED)
        alive = session.scalars(
            select(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at >= cutoff)
        ).all()
    except SQLAlchemyError as exc:
        return {"status": "unknown", "error": type(exc).__name__}
    return {
        "status": "ok" if alive else "down",
        "alive": len(alive),
        "last_seen_at": max((w.last_seen_at for w in alive), default=None),
    }
