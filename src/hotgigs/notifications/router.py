"""The notification center routes and the live socket `WS /ws/connect?token=`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, WebSocket, status
from starlette.websockets import WebSocketDisconnect

from hotgigs.auth import cookies
from hotgigs.auth import service as auth_service
from hotgigs.auth.dependencies import CurrentUser, DbSession
from hotgigs.config import get_settings
from hotgigs.db import new_session, utcnow
from hotgigs.errors import responses
from hotgigs.notifications import bus
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.hub import CLOSE_UNAUTHORIZED, Connection, Hub
from hotgigs.notifications.schemas import (
    MAX_NOTIFICATION_ID,
    MarkedRead,
    NotificationPage,
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    UnreadCount,
)
from hotgigs.notifications.types import Channels, NotificationType

router = APIRouter(prefix="/api/notifications", tags=["notifications"], responses=responses(401))
socket_router = APIRouter(tags=["notifications"])

log = logging.getLogger(__name__)
CLOSE_BAD_REQUEST = 4400
CATCH_UP_LIMIT = 1000  # per request; the client asks again from the last id for more
NotificationId = Annotated[int, Path(ge=1, le=MAX_NOTIFICATION_ID)]


@router.get("")
def list_notifications(
    user: CurrentUser,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[
        int | None,
        Query(ge=0, le=MAX_NOTIFICATION_ID, description="next_cursor of the last page"),
    ] = None,
    after: Annotated[
        int | None,
        Query(ge=0, le=MAX_NOTIFICATION_ID, description="Only ids after this, oldest first"),
    ] = None,
    unread_only: bool = False,
    type: NotificationType | None = None,
) -> NotificationPage:
    """The caller's notification center, newest first, with the unread count."""
    page = notifications_service.list_page(
        session,
        user_id=user.id,
        limit=limit,
        cursor=cursor,
        after=after,
        unread_only=unread_only,
        type=type,
    )
    return NotificationPage(
        items=[NotificationRead.of(n) for n in page.items],
        total=page.total,
        unread=page.unread,
        next_cursor=page.next_cursor,
    )


@router.get("/unread-count")
def unread_count(user: CurrentUser, session: DbSession) -> UnreadCount:
    """The number for the bell badge."""
    return UnreadCount(unread=notifications_service.unread_count(session, user_id=user.id))


@router.post("/read-all", responses=responses(403))
def mark_all_read(user: CurrentUser, session: DbSession) -> MarkedRead:
    """Mark every notification of the caller read."""
    return MarkedRead(marked=notifications_service.mark_all_read(session, user_id=user.id))


@router.get("/preferences")
def get_preferences(user: CurrentUser, session: DbSession) -> PreferencesRead:
    """Per type: shown in the notification center, and raised as a desktop notice."""
    return PreferencesRead.of(notifications_service.preferences(session, user_id=user.id))


@router.put("/preferences", responses=responses(400, 403, 422))
def set_preferences(
    body: PreferencesUpdate, user: CurrentUser, session: DbSession
) -> PreferencesRead:
    """Turn channels on or off per type; both off means the type is not recorded at all."""
    changes = {p.type: Channels(in_app=p.in_app, browser=p.browser) for p in body.preferences}
    chosen = notifications_service.set_preferences(session, user_id=user.id, changes=changes)
    return PreferencesRead.of(chosen)


@router.post("/{notification_id}/read", responses=responses(403, 404))
def mark_read(
    notification_id: NotificationId, user: CurrentUser, session: DbSession
) -> NotificationRead:
    """Mark one notification read."""
    notification = notifications_service.mark_read(
        session, user_id=user.id, notification_id=notification_id
    )
    return NotificationRead.of(notification)


@router.delete(
    "/{notification_id}", status_code=status.HTTP_204_NO_CONTENT, responses=responses(403, 404)
)
def delete_notification(
    notification_id: NotificationId, user: CurrentUser, session: DbSession
) -> Response:
    """Delete one notification."""
    notifications_service.delete_own(session, user_id=user.id, notification_id=notification_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- the live socket ---------------------------------------------------------------------


def control(type_: str, data: dict[str, Any]) -> str:
    """A message that is not a stored notification (same envelope, no id)."""
    return json.dumps({"type": type_, "id": None, "created_at": utcnow().isoformat(), "data": data})


def _sign_in(token: str) -> tuple[auth_service.Principal, int]:
    """Who the token speaks for, and their unread count (raises InvalidToken)."""
    with new_session() as session:
        principal = auth_service.principal_for_access_token(
            session, settings=get_settings(), token=token
        )
        return principal, notifications_service.unread_count(session, user_id=principal.user.id)


def _missed(user_id: str, after: int) -> list[tuple[int, str]]:
    """What the user was sent after `after`, as ready-to-send messages."""
    with new_session() as session:
        rows = notifications_service.missed(
            session, user_id=uuid.UUID(user_id), after=after, limit=CATCH_UP_LIMIT
        )
        return [(row.id, json.dumps(bus.message_of(row))) for row in rows]


def _parse_after(raw: Any) -> int | None:
    """A notification id given by the client, or None when it is not one."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 20:
        raw = int(raw)  # isascii: int() refuses digits such as "²" that isdigit() accepts
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= MAX_NOTIFICATION_ID:
        return raw
    return None


async def _catch_up(connection: Connection, after: int, *, now: bool) -> None:
    """Send (now, or behind queued live messages) what came after `after`, then where it ended."""
    missed = await asyncio.to_thread(_missed, connection.user_id, after)
    last_id = missed[-1][0] if missed else after
    done = control(
        "caught_up", {"after": after, "last_id": last_id, "complete": len(missed) < CATCH_UP_LIMIT}
    )
    for item in [*missed, (None, done)]:
        if now:
            await connection.send(*item)
        else:
            connection.offer(*item)


def _request_of(message: dict[str, Any]) -> dict[str, Any] | None:
    """A client frame as a JSON object, or None (binary, not JSON, not an object)."""
    try:
        request = json.loads(message.get("text") or "")
    except ValueError:
        return None
    return request if isinstance(request, dict) else None


async def _read(connection: Connection) -> None:
    """Answer the client's requests, `ping` and `catch_up` after an id, until it leaves."""
    while True:
        message = await connection.websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        request = _request_of(message)
        kind = request.get("type") if request else None
        if kind == "ping":
            connection.offer(None, control("pong", {}))
        elif kind == "catch_up" and (after := _parse_after(request.get("after"))) is not None:
            await _catch_up(connection, after, now=False)
        else:
            connection.offer(
                None,
                control(
                    "error",
                    {
                        "detail": 'Send {"type": "ping"} or {"type": "catch_up", "after": <id>}.',
                    },
                ),
            )


@socket_router.websocket("/ws/connect")
async def connect(websocket: WebSocket) -> None:
    """Live notifications for the token's user: `?token=<access token>[&after=<last id>]`.

    Pages of our own site may leave the token out: their session cookie is used instead.
    """
    await websocket.accept()
    token = websocket.query_params.get("token")
    if not token and cookies.same_origin(websocket):
        # Our own pages: the HttpOnly session cookie (never for another site's handshake).
        token = websocket.cookies.get(cookies.ACCESS_COOKIE)
    raw_after = websocket.query_params.get("after")
    if not token:
        await websocket.close(CLOSE_UNAUTHORIZED, "Not authenticated: connect with ?token=.")
        return
    after = None if raw_after is None else _parse_after(raw_after)
    if raw_after is not None and after is None:
        await websocket.close(CLOSE_BAD_REQUEST, "after must be a notification id.")
        return
    try:
        principal, unread = await asyncio.to_thread(_sign_in, token)
    except auth_service.InvalidToken as exc:
        await websocket.close(CLOSE_UNAUTHORIZED, str(exc))
        return
    hub: Hub = websocket.app.state.hub
    await hub.ensure_running()  # following the bus before the greeting: nothing falls between
    connection = Connection(
        websocket=websocket,
        user_id=str(principal.user.id),
        session_id=principal.session_id,
        expires_at=principal.expires_at,
    )
    hub.add(connection)
    tasks: list[asyncio.Task] = []
    try:
        hello = {"user_id": connection.user_id, "unread": unread}
        await connection.send(None, control("connected", hello))
        if after is not None:
            await _catch_up(connection, after, now=True)
        tasks = [asyncio.create_task(connection.write()), asyncio.create_task(_read(connection))]
        done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        errors = [
            t.exception()
            for t in done
            if not t.cancelled() and not isinstance(t.exception(), WebSocketDisconnect | None)
        ]
        if errors:
            log.error("WebSocket of user %s failed", connection.user_id, exc_info=errors[0])
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await websocket.close(1011, "Server error; reconnect and ask for what you missed.")
    except WebSocketDisconnect:
        pass
    finally:
        hub.remove(connection)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task
