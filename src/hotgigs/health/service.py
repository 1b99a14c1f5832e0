"""Checks of the parts the product needs, and the worker heartbeat they read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import Celery
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hotgigs.auth.models import Role, User
from hotgigs.candidates.models import Candidate
from hotgigs.db import utcnow
from hotgigs.drive.models import DriveSync, DriveSyncRun, RunStatus, SyncStatus
from hotgigs.health.models import WorkerHeartbeat
from hotgigs.jobs.models import Job, JobStatus
from hotgigs.resumes.models import Resume, ResumeStatus

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


def _counts(session: Session, column, names) -> dict[str, int]:
    """Rows per value of `column`, with every name present (zero when none)."""
    found = dict(session.execute(select(column, func.count()).group_by(column)).all())
    return {str(name): int(found.get(name, 0)) for name in names}


def resume_counts(session: Session) -> dict[str, int]:
    """Resumes per status, every status present."""
    return _counts(session, Resume.status, list(ResumeStatus))


def drive_stats(session: Session) -> dict[str, Any]:
    """Folder syncs by state, and how their latest finished runs went."""
    by_status = _counts(session, DriveSync.status, list(SyncStatus))
    running = session.scalar(
        select(func.count()).select_from(DriveSync).where(DriveSync.running_run_id.is_not(None))
    )
    # Each sync's latest finished run: the one whose start is the greatest of its sync.
    latest = (
        select(DriveSyncRun.sync_id, func.max(DriveSyncRun.started_at).label("started_at"))
        .where(DriveSyncRun.status != RunStatus.RUNNING)
        .group_by(DriveSyncRun.sync_id)
        .subquery()
    )
    last_runs = session.execute(
        select(DriveSyncRun.status, DriveSyncRun.failed).join(
            latest,
            (DriveSyncRun.sync_id == latest.c.sync_id)
            & (DriveSyncRun.started_at == latest.c.started_at),
        )
    ).all()
    return {
        "total": sum(by_status.values()),
        **by_status,
        "running": int(running or 0),
        "last_run_failed": sum(1 for status, _ in last_runs if status is RunStatus.FAILED),
        "last_run_failed_files": sum(failed for _, failed in last_runs),
    }


def admin_stats(
    session: Session, *, celery_app: Celery, queue_name: str, heartbeat_seconds: float
) -> dict[str, Any]:
    """What an admin's overview shows: data held, work waiting, who uses the site."""
    resumes = resume_counts(session)
    users = _counts(session, User.role, list(Role))
    jobs = _counts(session, Job.status, list(JobStatus))
    active_users = session.scalar(select(func.count()).select_from(User).where(User.is_active))
    return {
        "candidates": {"total": session.scalar(select(func.count()).select_from(Candidate))},
        "resumes": {"total": sum(resumes.values()), "by_status": resumes},
        "queue": check_queue(celery_app, queue_name=queue_name),
        "workers": check_workers(session, heartbeat_seconds=heartbeat_seconds),
        "users": {"total": sum(users.values()), "active": active_users, "by_role": users},
        "drive": drive_stats(session),
        "jobs": {"total": sum(jobs.values()), **jobs},
    }
