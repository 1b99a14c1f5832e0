"""The Google Drive routes: connect (OAuth 2.0), folder syncs, runs and their reports."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from hotgigs.auth.dependencies import AppSettings, CurrentPrincipal, DbSession, RecruiterUser
from hotgigs.drive import flows as drive_flows
from hotgigs.drive import oauth
from hotgigs.drive import service as drive_service
from hotgigs.drive.models import SyncStatus
from hotgigs.drive.schemas import (
    AuthorizationURL,
    Connected,
    RunDetail,
    RunItemRead,
    RunQueued,
    RunRead,
    SyncDetail,
    SyncList,
    SyncRead,
    SyncSetup,
    SyncUpdate,
)
from hotgigs.errors import Invalid, responses
from hotgigs.params import ListWindow, open_query


def sync_enabled(settings: AppSettings) -> None:
    """Refuse every Drive route while ENABLE_GOOGLE_DRIVE_SYNC is off."""
    if not settings.enable_google_drive_sync:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "Google Drive sync is turned off on this server."
        )


router = APIRouter(
    prefix="/api/google-drive",
    tags=["google-drive"],
    dependencies=[Depends(sync_enabled)],
    responses=responses(503),
)


@router.get("/auth/url", responses=responses(401, 403, 422))
def authorization_url(
    user: RecruiterUser, principal: CurrentPrincipal, session: DbSession, settings: AppSettings
) -> AuthorizationURL:
    """The Google consent page for read-only Drive access; its state works for this login only."""
    url = oauth.authorization_url(
        session, settings=settings, user=user, session_id=principal.session_id
    )
    return AuthorizationURL(url=url)


# Why a browser's connection failed, as a short code the /drive page explains: the page
# shows its own wording, never text from the address bar (no spoofed messages).
CALLBACK_FAILURES: dict[type[Exception], str] = {
    oauth.InvalidState: "invalid_state",
    oauth.AuthorizationFailed: "authorization_failed",
    oauth.NotConfigured: "not_configured",
}


def _wants_html(request: Request) -> bool:
    """A browser following Google's redirect (rather than an API client) asks for HTML."""
    return "text/html" in request.headers.get("accept", "")


def _back_to_drive_page(**query: str) -> RedirectResponse:
    """Send the browser back to the Google Drive page with the outcome in the query."""
    return RedirectResponse(f"/drive?{urlencode(query)}", status_code=status.HTTP_303_SEE_OTHER)


@router.get(
    "/auth/callback",
    response_model=Connected,
    responses={
        303: {"description": "Browsers (Accept: text/html) go back to /drive with the outcome."},
        **responses(400, 422),
    },
)
@open_query  # Google adds parameters of its own (scope, iss, authuser, prompt)
def authorization_callback(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    state: str = Query(default="", max_length=200),
    code: str = Query(default="", max_length=2000),
    error: str | None = Query(default=None, max_length=200),
) -> Response | Connected:
    """Where Google sends the browser back: the state names the user, the code becomes tokens.

    Browsers are sent on to /drive (`?connected=1` or `?error=<reason>`); API clients get JSON.
    """
    browser = _wants_html(request)
    if error:
        if browser:
            # Google's codes are like access_denied; keep only such characters.
            return _back_to_drive_page(error=re.sub(r"[^a-z_]", "", error.lower())[:40] or "denied")
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"Google Drive was not connected: {error}")
    if not code:
        if browser:
            return _back_to_drive_page(error="missing_code")
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "The callback carries no code.")
    try:
        connection = oauth.complete_authorization(
            session, settings=settings, state=state, code=code
        )
    except Invalid as exc:
        if not browser:
            raise
        reason = next(
            (name for kind, name in CALLBACK_FAILURES.items() if isinstance(exc, kind)), "failed"
        )
        return _back_to_drive_page(error=reason)
    if browser:
        return _back_to_drive_page(connected="1")
    return Connected(connected=True, scope=connection.scope)


@router.delete(
    "/connection", status_code=status.HTTP_204_NO_CONTENT, responses=responses(401, 403, 404)
)
def disconnect(user: RecruiterUser, session: DbSession, settings: AppSettings) -> Response:
    """Revoke the authorization at Google and delete the stored tokens."""
    oauth.disconnect(session, settings=settings, user_id=user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/setup", status_code=status.HTTP_201_CREATED, responses=responses(400, 401, 403, 404, 422)
)
def setup(
    body: SyncSetup, user: RecruiterUser, session: DbSession, settings: AppSettings
) -> SyncRead:
    """Keep a folder in step (id or URL; daily, weekly or manual); the first run starts now."""
    sync = drive_service.setup(
        session,
        settings=settings,
        owner=user,
        folder=body.folder,
        frequency=body.frequency,
        recursive=body.recursive,
    )
    drive_flows.enqueue_run(sync.id, "setup")
    return SyncRead.model_validate(sync)


@router.get("/syncs", responses=responses(401, 403))
def list_syncs(user: RecruiterUser, session: DbSession, window: ListWindow) -> SyncList:
    """The caller's folder syncs (admins: everyone's)."""
    syncs = drive_service.list_syncs(session, user=user)
    return SyncList(items=[SyncRead.model_validate(s) for s in window.of(syncs)], total=len(syncs))


@router.get("/syncs/{sync_id}", responses=responses(401, 403, 404))
def get_sync(sync_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> SyncDetail:
    """A sync with its latest runs."""
    sync = drive_service.get_sync(session, user=user, sync_id=sync_id)
    runs = [RunRead.model_validate(r) for r in drive_service.runs_of(session, sync=sync)]
    return SyncDetail(**SyncRead.model_validate(sync).model_dump(), runs=runs)


@router.put("/syncs/{sync_id}", responses=responses(401, 403, 404, 422))
def update_sync(
    sync_id: uuid.UUID, body: SyncUpdate, user: RecruiterUser, session: DbSession
) -> SyncRead:
    """Rename a sync or change its frequency (daily, weekly or manual); its owner only."""
    sync = drive_service.update_sync(
        session,
        user=user,
        sync_id=sync_id,
        folder_name=body.folder_name,
        frequency=body.frequency,
    )
    return SyncRead.model_validate(sync)


@router.post(
    "/syncs/{sync_id}/sync",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(401, 403, 404, 409),
)
def sync_now(sync_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> RunQueued:
    """Run a sync now (paused ones too); 409 while a run is in progress."""
    sync = drive_service.get_sync(session, user=user, sync_id=sync_id)
    if sync.running:
        raise HTTPException(status.HTTP_409_CONFLICT, "This folder is being synced right now.")
    return RunQueued(status="queued", task_id=drive_flows.enqueue_run(sync.id, "manual"))


@router.post("/syncs/{sync_id}/pause", responses=responses(401, 403, 404))
def pause(sync_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> SyncRead:
    """Stop scheduled runs until resumed."""
    sync = drive_service.set_status(session, user=user, sync_id=sync_id, status=SyncStatus.PAUSED)
    return SyncRead.model_validate(sync)


@router.post("/syncs/{sync_id}/resume", responses=responses(401, 403, 404))
def resume(sync_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> SyncRead:
    """Run on schedule again, next after one interval from now."""
    sync = drive_service.set_status(session, user=user, sync_id=sync_id, status=SyncStatus.ACTIVE)
    return SyncRead.model_validate(sync)


@router.delete(
    "/syncs/{sync_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(401, 403, 404),
)
def delete_sync(sync_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> Response:
    """Stop syncing the folder; imported candidates stay."""
    drive_service.delete_sync(session, user=user, sync_id=sync_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/syncs/{sync_id}/runs", responses=responses(401, 403, 404))
def list_runs(sync_id: uuid.UUID, user: RecruiterUser, session: DbSession) -> list[RunRead]:
    """The sync's run history, newest first."""
    sync = drive_service.get_sync(session, user=user, sync_id=sync_id)
    return [RunRead.model_validate(r) for r in drive_service.runs_of(session, sync=sync)]


@router.get("/syncs/{sync_id}/runs/{run_id}", responses=responses(401, 403, 404))
def get_run(
    sync_id: uuid.UUID, run_id: uuid.UUID, user: RecruiterUser, session: DbSession
) -> RunDetail:
    """One run with what it did to each file: imported, updated, skipped, failed, deleted."""
    sync = drive_service.get_sync(session, user=user, sync_id=sync_id)
    run = drive_service.get_run(session, sync=sync, run_id=run_id)
    items = [RunItemRead.model_validate(i) for i in drive_service.items_of(session, run=run)]
    return RunDetail(**RunRead.model_validate(run).model_dump(), items=items)
