"""The Google Drive sync setup page, and a sync's run history with per-file reports."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from hotgigs.auth.dependencies import AppSettings, DbSession
from hotgigs.config import Settings
from hotgigs.drive import oauth
from hotgigs.drive import service as drive_service
from hotgigs.drive.models import Frequency
from hotgigs.resumes.models import Resume
from hotgigs.web.deps import RecruiterViewer, render

router = APIRouter(include_in_schema=False)
RECENT_RUNS = 5
# What the page says for each `?error=` the OAuth callback sends the browser back with.
CONNECT_ERRORS = {
    "access_denied": "You did not allow HotGigs to read your Google Drive, so nothing changed.",
    "missing_code": "Google sent the browser back without an authorization. Please try again.",
    "invalid_state": (
        "That connection attempt expired, was already used or belongs to a login that has "
        "ended. Please connect again from this page."
    ),
    "authorization_failed": "Google did not accept the authorization. Please try again.",
    "not_configured": "Google Drive sync is not configured on this server.",
}


def _availability(settings: Settings) -> str | None:
    """Why Drive sync cannot be used here ("off" or "unconfigured"), or None when it can."""
    if not settings.enable_google_drive_sync:
        return "off"
    if not settings.google_client_id or not settings.google_client_secret:
        return "unconfigured"
    return None


def _connect_error(code: str | None) -> str | None:
    """The sentence for a failed connection (never echoes text from the address)."""
    if not code:
        return None
    return CONNECT_ERRORS.get(code, "Google Drive was not connected. Please try again.")


@router.get("/drive")
def drive_page(
    request: Request,
    viewer: RecruiterViewer,
    session: DbSession,
    settings: AppSettings,
    connected: str | None = None,
    error: str | None = None,
) -> Response:
    """Connection state, the folder setup form and every sync with its latest runs."""
    unavailable = _availability(settings)
    connection, syncs, runs = None, [], {}
    if unavailable != "off":
        try:
            connection = oauth.get_connection(session, user_id=viewer.user.id)
        except oauth.NotConnected:
            connection = None
        syncs = drive_service.list_syncs(session, user=viewer.user)
        runs = {s.id: drive_service.runs_of(session, sync=s, limit=RECENT_RUNS) for s in syncs}
    return render(
        request,
        "drive/index.html",
        viewer,
        unavailable=unavailable,
        redirect_uri=settings.drive_redirect_uri,
        connection=connection,
        syncs=syncs,
        runs=runs,
        frequencies=list(Frequency),
        tally=drive_service.run_counts,
        just_connected=connected == "1" and connection is not None,
        connect_error=_connect_error(error),
    )


@router.get("/drive/syncs/{sync_id}")
def sync_page(
    request: Request,
    viewer: RecruiterViewer,
    session: DbSession,
    settings: AppSettings,
    sync_id: uuid.UUID,
    run: uuid.UUID | None = None,
) -> Response:
    """A sync's run history and one run's per-file report (the latest unless `run` is given)."""
    sync = drive_service.get_sync(session, user=viewer.user, sync_id=sync_id)
    history = drive_service.runs_of(session, sync=sync, limit=50)
    shown = None
    if run is not None:
        shown = drive_service.get_run(session, sync=sync, run_id=run)
    elif history:
        shown = history[0]
    items = drive_service.items_of(session, run=shown) if shown else []
    # Files that became candidates link to their profile (the resumes are the sync owner's).
    resume_ids = {i.resume_id for i in items if i.resume_id}
    profiles = (
        dict(
            session.execute(
                select(Resume.id, Resume.candidate_id).where(Resume.id.in_(resume_ids))
            ).all()
        )
        if resume_ids
        else {}
    )
    return render(
        request,
        "drive/sync.html",
        viewer,
        sync=sync,
        history=history,
        shown=shown,
        items=items,
        profiles=profiles,
        unavailable=_availability(settings),
        tally=drive_service.run_counts,
    )
