"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from hotgigs import __version__
from hotgigs.auth.router import router as auth_router
from hotgigs.config import get_settings
from hotgigs.health.router import router as health_router


def create_app() -> FastAPI:
    """Build the app: settings are checked here, so a bad configuration stops start-up."""
    get_settings()
    app = FastAPI(
        title="HotGigs resume import",
        version=__version__,
        description="Turn resumes into a private, searchable candidate database.",
    )
    app.include_router(auth_router)
    app.include_router(health_router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app
