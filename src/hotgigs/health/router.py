"""`GET /api/health`: the state of the database, the queue and the workers."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from hotgigs import __version__
from hotgigs.auth.dependencies import AdminUser, AppSettings, DbSession
from hotgigs.health import service as health_service
from hotgigs.notifications import bus
from hotgigs.worker import DEFAULT_QUEUE, celery_app

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
def health(session: DbSession, settings: AppSettings, request: Request, response: Response) -> dict:
    """200 while the database answers (status `degraded` if queue or worker are down), else 503."""
    database = health_service.check_database(session)
    queue = health_service.check_queue(celery_app, queue_name=DEFAULT_QUEUE)
    workers = health_service.check_workers(
        session, heartbeat_seconds=settings.worker_heartbeat_seconds
    )
    parts_ok = all(part["status"] == "ok" for part in (database, queue, workers))
    if database["status"] != "ok":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {
        "status": "ok" if parts_ok else ("down" if database["status"] != "ok" else "degraded"),
        "version": __version__,
        "database": database,
        "queue": queue,
        "worker": workers,
        # This API process's live sockets, and the path notifications take to them.
        "notifications": {
            "bus": bus.bus_kind(settings),
            "connections": request.app.state.hub.connection_count,
        },
        "features": {
            "resume_import": settings.enable_resume_import,
            "google_drive_sync": settings.enable_google_drive_sync,
            "ai_matching": settings.enable_ai_matching,
        },
    }


@router.get("/admin/stats")
def admin_stats(session: DbSession, settings: AppSettings, _admin: AdminUser) -> dict:
    """Admins: candidates, resumes by status, queue, workers, users by role, syncs, jobs."""
    return health_service.admin_stats(
        session,
        celery_app=celery_app,
        queue_name=DEFAULT_QUEUE,
        heartbeat_seconds=settings.worker_heartbeat_seconds,
    )
