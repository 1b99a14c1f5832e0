"""Live delivery across processes: once a transaction commits, every API process hears of it.

With `REDIS_URL` the committing process publishes on a Redis channel. Without it (the
embedded default) there is nothing to publish: each API process follows the notifications
table, which every writer (API, workers) commits to on this machine.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal

import redis
import redis.asyncio as aioredis
from sqlalchemy import Row, event, func, select
from sqlalchemy.orm import Session

from hotgigs.config import Settings, get_settings
from hotgigs.db import new_session
from hotgigs.notifications.models import Notification
from hotgigs.notifications.types import title

log = logging.getLogger(__name__)

CHANNEL = "notifications"
# A missing id this long after a later one committed was rolled back (or never will commit).
GAP_GRACE_SECONDS = 5.0
POLL_BATCH = 1000
RECONNECT_BACKOFF_SECONDS = (0.5, 1.0, 2.0, 5.0)
_PENDING = "hotgigs.notifications.pending"
_READY = "hotgigs.notifications.ready"

Routed = dict[str, Any]  # {"user_id": str, "message": {...}}
Deliver = Callable[[list[Routed]], None]
Started = Callable[[], None]


def bus_kind(settings: Settings) -> Literal["redis", "database"]:
    """Which path live notifications take between processes."""
    if settings.notification_bus == "auto":
        return "redis" if settings.redis_url else "database"
    return settings.notification_bus


def message_of(notification: Notification | Row) -> dict[str, Any]:
    """The wire form: `{"type", "id", "created_at", "title", "data", "in_app", "browser"}`."""
    return {
        "type": notification.type,
        "id": notification.id,
        "created_at": notification.created_at.isoformat(),
        "title": title(notification.type, notification.data),
        "data": notification.data,
        "in_app": notification.in_app,
        "browser": notification.browser,
    }


def routed(notification: Notification | Row) -> Routed:
    """A message with the one user it is for."""
    return {"user_id": str(notification.user_id), "message": message_of(notification)}


# --- publishing --------------------------------------------------------------------------


def announce_after_commit(session: Session, notification: Notification) -> None:
    """Deliver `notification` live once (and only if) the session's transaction commits."""
    session.info.setdefault(_PENDING, []).append(notification)


@event.listens_for(Session, "after_flush_postexec")
def _collect_flushed(session: Session, _context) -> None:
    """Turn flushed notifications into messages while their rows can still be read."""
    pending = session.info.get(_PENDING)
    if not pending:
        return
    ready = session.info.setdefault(_READY, [])
    ready.extend(routed(n) for n in pending if n.id is not None)
    session.info[_PENDING] = [n for n in pending if n.id is None]


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    """Publish what this transaction stored."""
    session.info.pop(_PENDING, None)
    ready = session.info.pop(_READY, None)
    if ready:
        publish(ready)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    """Nothing of a rolled-back transaction is announced."""
    session.info.pop(_PENDING, None)
    session.info.pop(_READY, None)


def publish(items: list[Routed]) -> None:
    """Hand committed messages to the other processes (Redis); the table needs no publishing."""
    settings = get_settings()
    if bus_kind(settings) != "redis":
        return
    try:
        _redis(settings.redis_url).publish(channel_name(settings), json.dumps(items))
    except redis.RedisError:
        # Stored all the same: clients get it when they next ask for what they missed.
        log.warning("could not publish %d notifications to Redis", len(items), exc_info=True)


def channel_name(settings: Settings) -> str:
    """The Redis channel, under the deployment's key prefix."""
    return f"{settings.redis_key_prefix}{CHANNEL}"


@lru_cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


# --- following ---------------------------------------------------------------------------


def _nobody_waits() -> None:
    """The default `started`: nobody is waiting for following to begin."""


async def follow(settings: Settings, deliver: Deliver, started: Started = _nobody_waits) -> None:
    """Deliver every committed notification to `deliver` until cancelled.

    `started()` is called once following has begun: every notification committed after
    that reaches `deliver`. (With Redis unreachable it is called when the first attempt
    fails: nothing is live until Redis is back, and clients catch up after an id.)
    """
    if bus_kind(settings) == "redis":
        await _follow_redis(settings, deliver, started)
    else:
        await _follow_table(settings, deliver, started)


async def _follow_redis(settings: Settings, deliver: Deliver, started: Started) -> None:
    """Subscribe to the channel; reconnect with backoff when Redis goes away."""
    failures = 0
    while True:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(channel_name(settings))
                failures = 0
                async for item in pubsub.listen():
                    if item["type"] == "message":
                        deliver(json.loads(item["data"]))
                    elif item["type"] == "subscribe":
                        # Redis confirms once it has taken the SUBSCRIBE: every later PUBLISH
                        # comes here (sending the command alone does not promise that).
                        started()
        except (redis.RedisError, OSError):
            started()
            delay = RECONNECT_BACKOFF_SECONDS[min(failures, len(RECONNECT_BACKOFF_SECONDS) - 1)]
            failures += 1
            log.warning("lost the Redis notification channel; retrying in %.1fs", delay)
            await asyncio.sleep(delay)
        finally:
            await client.aclose()


class TableCursor:
    """How far the table has been followed, stepping over ids that never commit."""

    def __init__(self, floor: int) -> None:
        self.floor = floor  # every id up to here has been delivered or given up on
        self.seen: dict[int, float] = {}  # ids above the floor already delivered

    def take(self, rows: list[Row], now: float) -> list[Row]:
        """The rows not delivered before; moves the floor past every closed gap."""
        fresh = [row for row in rows if row.id not in self.seen]
        for row in fresh:
            self.seen[row.id] = now
        # On PostgreSQL an id is taken before its transaction commits, so a lower id can
        # appear after a higher one: wait for it a while before stepping over it.
        for seen_id in sorted(self.seen):
            if seen_id == self.floor + 1 or now - self.seen[seen_id] > GAP_GRACE_SECONDS:
                self.floor = seen_id
                del self.seen[seen_id]
            else:
                break
        return fresh


def _newest_id() -> int:
    with new_session() as session:
        return session.scalar(select(func.max(Notification.id))) or 0


# Plain rows, not ORM objects: a burst of a thousand is read and sent several times faster.
_MESSAGE_COLUMNS = (
    Notification.id,
    Notification.type,
    Notification.user_id,
    Notification.data,
    Notification.in_app,
    Notification.browser,
    Notification.created_at,
)


def _rows_after(floor: int) -> list[Row]:
    with new_session() as session:
        query = select(*_MESSAGE_COLUMNS).where(Notification.id > floor).order_by(Notification.id)
        return list(session.execute(query.limit(POLL_BATCH)))


async def _follow_table(settings: Settings, deliver: Deliver, started: Started) -> None:
    """Poll the table for rows past the cursor every NOTIFICATION_POLL_SECONDS."""
    # Rows up to the newest one now are not live news; every row committed later is.
    cursor = TableCursor(await asyncio.to_thread(_newest_id))
    started()
    while True:
        try:
            rows = await asyncio.to_thread(_rows_after, cursor.floor)
        except Exception:
            log.warning("could not read new notifications; retrying", exc_info=True)
            await asyncio.sleep(1.0)
            continue
        fresh = cursor.take(rows, time.monotonic())
        if fresh:
            deliver([routed(row) for row in fresh])
        if len(rows) < POLL_BATCH or not fresh:
            await asyncio.sleep(settings.notification_poll_seconds)
