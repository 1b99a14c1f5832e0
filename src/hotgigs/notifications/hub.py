"""The WebSocket hub of one API process: who is connected, and fan-out to their sockets."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from starlette.websockets import WebSocket, WebSocketDisconnect

from hotgigs.auth import service as auth_service
from hotgigs.config import Settings
from hotgigs.db import new_session, utcnow
from hotgigs.health import metrics
from hotgigs.notifications import bus

log = logging.getLogger(__name__)

# Application close codes (4000-4999 are ours): the reason says what to do.
CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_SLOW = 1013  # "try again later": reconnect and ask for what was missed
RECENT_IDS_KEPT = 2000  # ids sent lately, so catch-up and live delivery never repeat one


@dataclass(frozen=True)
class Close:
    """An instruction, queued behind earlier messages, to close the socket."""

    code: int
    reason: str


@dataclass(eq=False)
class Connection:
    """One open socket of one signed-in user."""

    websocket: WebSocket
    user_id: str
    session_id: uuid.UUID
    expires_at: datetime
    outbox: asyncio.Queue = field(default_factory=asyncio.Queue)
    recent: set[int] = field(default_factory=set)
    recent_order: deque[int] = field(default_factory=deque)
    expiry: asyncio.TimerHandle | None = None

    def offer(self, notification_id: int | None, text: str) -> None:
        """Queue a message for this socket without waiting for the network."""
        self.outbox.put_nowait((notification_id, text))

    def close(self, code: int, reason: str) -> None:
        """Close after what is already queued."""
        self.outbox.put_nowait(Close(code, reason))

    def remember(self, notification_id: int) -> bool:
        """Record an id as sent; False when it was sent already."""
        if notification_id in self.recent:
            return False
        self.recent.add(notification_id)
        self.recent_order.append(notification_id)
        if len(self.recent_order) > RECENT_IDS_KEPT:
            self.recent.discard(self.recent_order.popleft())
        return True

    async def send(self, notification_id: int | None, text: str) -> None:
        """Send one message now, unless this notification went out already."""
        if notification_id is None or self.remember(notification_id):
            await self.websocket.send_text(text)

    async def write(self) -> None:
        """Send queued messages in order until told to close."""
        while True:
            item = await self.outbox.get()
            if isinstance(item, Close):
                with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                    await self.websocket.close(item.code, item.reason)
                return
            await self.send(*item)


class Hub:
    """Every socket of this process, fed by the cross-process notification bus."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.by_user: dict[str, set[Connection]] = {}
        self._tasks: list[asyncio.Task] = []
        self._following: asyncio.Event | None = None  # set once the bus is followed

    @property
    def connection_count(self) -> int:
        """Open sockets in this process."""
        return sum(len(connections) for connections in self.by_user.values())

    async def ensure_running(self) -> None:
        """Start following the bus and checking sessions (once, in the serving loop).

        Returns once the bus is followed, so a socket greeted after this hears of everything
        committed after its greeting. (The follower finds its starting point in the database
        or Redis: a socket greeted before then lost what committed meanwhile.)
        """
        if not self._tasks or any(task.done() for task in self._tasks):
            for task in self._tasks:
                task.cancel()
            following = self._following = asyncio.Event()
            self._tasks = [
                asyncio.create_task(
                    bus.follow(self.settings, self.deliver, following.set),
                    name="notification-bus",
                ),
                asyncio.create_task(self._check_sessions(), name="websocket-session-check"),
            ]
        assert self._following is not None
        if self._following.is_set():
            return
        # A follower that failed before it started (its database query raised) is started
        # again by the next socket; this one is greeted without waiting for it.
        started = asyncio.ensure_future(self._following.wait())
        try:
            await asyncio.wait({started, self._tasks[0]}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            started.cancel()

    async def stop(self) -> None:
        """Stop the background tasks (application shutdown)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self._following = None

    def add(self, connection: Connection) -> None:
        """Start routing the user's messages to this socket; closes it when the token expires."""
        self.by_user.setdefault(connection.user_id, set()).add(connection)
        metrics.websocket_connections.inc()
        delay = (connection.expires_at - utcnow()).total_seconds()
        connection.expiry = asyncio.get_running_loop().call_later(
            max(0.0, delay), connection.close, CLOSE_UNAUTHORIZED, "Access token expired."
        )

    def remove(self, connection: Connection) -> None:
        """Stop routing to a socket that is gone."""
        if connection.expiry is not None:
            connection.expiry.cancel()
        connections = self.by_user.get(connection.user_id)
        if connections is not None and connection in connections:
            connections.discard(connection)
            metrics.websocket_connections.dec()
            if not connections:
                del self.by_user[connection.user_id]

    def deliver(self, items: list[bus.Routed]) -> None:
        """Fan committed notifications out to their users' sockets in this process."""
        for item in items:
            connections = self.by_user.get(item["user_id"])
            if not connections:
                continue
            message = item["message"]
            text = json.dumps(message)
            for connection in connections:
                if connection.outbox.qsize() >= self.settings.ws_max_backlog:
                    self._drop_slow(connection)
                else:
                    connection.offer(message["id"], text)

    def _drop_slow(self, connection: Connection) -> None:
        """A client that reads slower than it is sent to is closed, not buffered forever."""
        while not connection.outbox.empty():
            connection.outbox.get_nowait()
        connection.close(CLOSE_TOO_SLOW, "Too far behind: reconnect and ask for what you missed.")

    async def _check_sessions(self) -> None:
        """Close sockets whose login was signed out or whose account was disabled."""
        while True:
            await asyncio.sleep(self.settings.ws_session_check_seconds)
            connections = [c for group in self.by_user.values() for c in group]
            if not connections:
                continue
            try:
                still_open = await asyncio.to_thread(
                    _open_sessions, {c.session_id for c in connections}
                )
            except Exception:
                log.warning("could not check WebSocket sessions", exc_info=True)
                continue
            for connection in connections:
                if connection.session_id not in still_open:
                    connection.close(CLOSE_UNAUTHORIZED, "This session has been signed out.")


def _open_sessions(session_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    with new_session() as session:
        return auth_service.open_sessions(session, session_ids)
