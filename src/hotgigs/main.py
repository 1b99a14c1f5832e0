"""The FastAPI application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from hotgigs import __version__, web
from hotgigs.auth.router import router as auth_router
from hotgigs.candidates.router import router as candidates_router
from hotgigs.config import Settings, get_settings
from hotgigs.drive.router import router as drive_router
from hotgigs.errors import register_error_handlers
from hotgigs.health.router import metrics_router
from hotgigs.health.router import router as health_router
from hotgigs.jobs.router import router as jobs_router
from hotgigs.logs import redact_server_logs
from hotgigs.matching.router import router as matching_router
from hotgigs.middleware import BodyGuard, RequestContext, SecurityHeaders
from hotgigs.notifications.hub import Hub
from hotgigs.notifications.router import router as notifications_router
from hotgigs.notifications.router import socket_router
from hotgigs.params import KnownQueryOnly
from hotgigs.resumes.router import router as resumes_router

# Python's defaults are (700, 10, 10); see `lifespan` for why an API process differs.
GC_THRESHOLDS = (50_000, 50, 100)
DOCS_ASSETS = "/static/api-docs"  # Swagger UI and ReDoc scripts (under /static: cacheable)
# Room for multipart boundaries and form fields around the files themselves.
MULTIPART_OVERHEAD = 1024 * 1024


def body_limits(settings: Settings):
    """Body limits by path: one file for upload, the bulk limit's worth for bulk upload, and
    `MAX_BODY_KB` for every other request (JSON and forms), which is read before any check of
    who sends it."""
    single = settings.max_upload_bytes + MULTIPART_OVERHEAD
    bulk = settings.max_upload_bytes * settings.bulk_upload_limit + MULTIPART_OVERHEAD
    other = settings.max_body_kb * 1024

    def limit_for(path: str) -> int:
        if path == "/api/resumes/upload":
            return single
        if path == "/api/resumes/bulk-upload":
            return bulk
        return other

    return limit_for


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start-up and shutdown (stop following the notification bus)."""
    # An API process holds thousands of long-lived objects per open socket. With Python's
    # default thresholds a full collection (160 ms with 1,000 sockets, measured) ran every
    # few bursts and held up every socket meanwhile: leave start-up's heap out of collection
    # and collect the young generation less often, so full collections stay rare.
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    yield
    await app.state.hub.stop()


def create_app() -> FastAPI:
    """Build the app: settings are checked here, so a bad configuration stops start-up."""
    settings = get_settings()
    redact_server_logs()
    # /docs and /redoc load Swagger UI and ReDoc from the installed package, not a CDN:
    # the API's documentation works on a machine without internet.
    app = FastAPIOffline(
        static_url=DOCS_ASSETS,
        favicon_url="/static/favicon.svg",
        lifespan=lifespan,
        title="HotGigs resume import",
        version=__version__,
        description="Turn resumes into a private, searchable candidate database.",
    )
    app.add_middleware(BodyGuard, limit_for=body_limits(settings))
    # Closed by default: only origins listed in CORS_ORIGINS may call the API from a browser.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeaders)
    # Outermost, so every answer (a 413, a CORS refusal) carries an id and is logged.
    app.add_middleware(RequestContext)
    register_error_handlers(app)
    for router in (
        auth_router,
        health_router,
        metrics_router,
        resumes_router,
        candidates_router,
        jobs_router,
        matching_router,
        drive_router,
        notifications_router,
    ):
        app.include_router(router, dependencies=[KnownQueryOnly])
    app.include_router(socket_router)
    web.install(app)
    # Started by the first socket, so processes that never serve one never poll for them.
    app.state.hub = Hub(settings)
    return app
