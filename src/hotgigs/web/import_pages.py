"""Resume import and bulk upload pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from hotgigs.auth.dependencies import AppSettings, DbSession
from hotgigs.config import Settings
from hotgigs.resumes import service as resumes_service
from hotgigs.resumes.extraction import SUPPORTED_KINDS
from hotgigs.web.deps import RecruiterViewer, render

router = APIRouter(include_in_schema=False)
RECENT = 10


def upload_limits(settings: Settings) -> dict[str, Any]:
    """What the upload controls tell the user (and the page scripts check first)."""
    return {
        "max_mb": settings.max_upload_mb,
        "bulk_limit": settings.bulk_upload_limit,
        # The file picker offers these; .htm and .jpeg are read as html and jpg.
        "accept": ",".join(f".{kind}" for kind in [*SUPPORTED_KINDS, "htm", "jpeg"]),
        "kinds": ", ".join(kind.upper() for kind in SUPPORTED_KINDS),
        "enabled": settings.enable_resume_import,
    }


@router.get("/import")
def import_page(
    request: Request, viewer: RecruiterViewer, session: DbSession, settings: AppSettings
) -> Response:
    """Drop one resume and follow it live until its profile opens."""
    recent = resumes_service.list_visible(session, user=viewer.user, limit=RECENT)
    return render(request, "import/single.html", viewer, recent=recent, **upload_limits(settings))


@router.get("/import/bulk")
def bulk_page(request: Request, viewer: RecruiterViewer, settings: AppSettings) -> Response:
    """Drop up to the bulk limit of resumes, with a progress bar a file."""
    return render(request, "import/bulk.html", viewer, **upload_limits(settings))
