"""`GET /api/health`: the state of the database, the queue and the workers."""

from __future__ import annotations

import ipaddress
import secrets
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request, Response, status
from sqlalchemy.orm import Session

from hotgigs import __version__
from hotgigs.auth.dependencies import AdminUser, AppSettings, ClientIP, DbSession
from hotgigs.background import DEFAULT_QUEUE, celery_app
from hotgigs.config import Settings
from hotgigs.errors import responses
from hotgigs.health import metrics as health_metrics
from hotgigs.health import service as health_service
from hotgigs.notifications import bus

router = APIRouter(prefix="/api", tags=["health"])
# Prometheus scrapes plain text at the conventional path, outside the JSON API.
metrics_router = APIRouter(include_in_schema=False)


@router.get(
    "/health",
    responses={503: {"description": "The database does not answer: the same body, status `down`."}},
)
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


def overview(session: Session, settings: Settings) -> dict:
    """The admin overview's figures, with this installation's queue (for the API and pages)."""
    return health_service.admin_stats(
        session,
        celery_app=celery_app,
        queue_name=DEFAULT_QUEUE,
        heartbeat_seconds=settings.worker_heartbeat_seconds,
    )


@router.get("/admin/stats", responses=responses(401, 403))
def admin_stats(session: DbSession, settings: AppSettings, _admin: AdminUser) -> dict:
    """Admins: candidates, resumes by status, queue, workers, users by role, syncs, jobs."""
    return overview(session, settings)


def _may_scrape(settings: AppSettings, client_ip: str | None, authorization: str | None) -> None:
    """With METRICS_TOKEN set, that bearer token is needed; without it, only this machine."""
    if settings.metrics_token:
        expected = f"Bearer {settings.metrics_token}"
        if not secrets.compare_digest((authorization or "").encode(), expected.encode()):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "Send the METRICS_TOKEN as a bearer token.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return
    try:
        local = client_ip is not None and ipaddress.ip_address(client_ip).is_loopback
    except ValueError:
        local = False
    if not local:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Metrics are only served to this machine; set METRICS_TOKEN to scrape from elsewhere.",
        )


@metrics_router.get("/metrics")
def metrics(
    session: DbSession,
    settings: AppSettings,
    client_ip: ClientIP,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    """Prometheus text: requests, latencies, queue depth, resumes by status, workers, sockets."""
    _may_scrape(settings, client_ip, authorization)
    body = health_metrics.exposition(
        session,
        celery_app=celery_app,
        queue_name=DEFAULT_QUEUE,
        heartbeat_seconds=settings.worker_heartbeat_seconds,
    )
    return Response(body, media_type=health_metrics.CONTENT_TYPE)
