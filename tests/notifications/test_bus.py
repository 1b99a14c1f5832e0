"""The bus between processes: announced only on commit, the table followed past gaps, fan-out."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import pytest

from hotgigs.auth.models import Role
from hotgigs.config import get_settings
from hotgigs.db import new_session, utcnow
from hotgigs.notifications import bus
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.hub import CLOSE_TOO_SLOW, Close, Connection, Hub
from hotgigs.notifications.models import Notification
from hotgigs.notifications.types import NotificationType
from tests.notifications.conftest import BUSES


def rows(*ids: int) -> list[Notification]:
    return [Notification(id=i) for i in ids]


def test_the_table_cursor_waits_for_a_gap_and_then_steps_over_it() -> None:
    cursor = bus.TableCursor(floor=10)
    assert [r.id for r in cursor.take(rows(11, 12, 14), now=0.0)] == [11, 12, 14]
    assert (cursor.floor, set(cursor.seen)) == (12, {14})
    # 13 commits late (a PostgreSQL id taken before a slower transaction committed):
    assert [r.id for r in cursor.take(rows(13, 14), now=1.0)] == [13]
    assert (cursor.floor, cursor.seen) == (14, {})
    # 15 never commits (rolled back): 16 waits for it no longer than the grace period.
    assert [r.id for r in cursor.take(rows(16), now=2.0)] == [16]
    assert cursor.floor == 14
    assert cursor.take(rows(16), now=2.0 + bus.GAP_GRACE_SECONDS + 0.1) == []
    assert (cursor.floor, cursor.seen) == (16, {})


@pytest.mark.skipif(not get_settings().redis_url, reason="REDIS_URL is not set for this run")
def test_only_committed_notifications_are_published(make_user) -> None:
    import redis

    settings = get_settings()
    user = make_user(Role.RECRUITER)
    client = redis.Redis.from_url(settings.redis_url)
    subscriber = client.pubsub()
    subscriber.subscribe(bus.channel_name(settings))
    assert subscriber.get_message(timeout=5)["type"] == "subscribe"
    with new_session() as session:
        notifications_service.emit(
            session, type=NotificationType.CANDIDATE_ADDED, user_id=user.id, data={"name": "No"}
        )
        session.flush()
        session.rollback()
        kept = notifications_service.emit(
            session, type=NotificationType.CANDIDATE_ADDED, user_id=user.id, data={"name": "Yes"}
        )
        session.commit()
    published = subscriber.get_message(timeout=5)
    assert published["type"] == "message"
    (item,) = json.loads(published["data"])
    assert item["user_id"] == str(user.id)
    assert (item["message"]["id"], item["message"]["data"]) == (kept.id, {"name": "Yes"})
    assert subscriber.get_message(timeout=0.5) is None
    subscriber.close()


def test_the_table_path_delivers_each_committed_row_once(make_user) -> None:
    user = make_user(Role.RECRUITER)
    received: list[bus.Routed] = []

    async def follow_for_a_while() -> None:
        settings = get_settings().model_copy(update={"notification_bus": "database"})
        started = asyncio.Event()
        follower = asyncio.create_task(bus.follow(settings, received.extend, started.set))
        await started.wait()  # the follower starts after the newest existing row
        await asyncio.to_thread(commit_three)
        deadline = time.monotonic() + 10
        while len(received) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # and nothing more arrives
        follower.cancel()

    def commit_three() -> None:
        with new_session() as session:
            for name in ("a", "b", "c"):
                notifications_service.emit(
                    session,
                    type=NotificationType.CANDIDATE_ADDED,
                    user_id=user.id,
                    data={"name": name},
                )
            session.commit()

    asyncio.run(follow_for_a_while())
    assert [item["message"]["data"]["name"] for item in received] == ["a", "b", "c"]
    assert {item["user_id"] for item in received} == {str(user.id)}


@pytest.mark.parametrize("path", BUSES)
def test_the_first_socket_is_greeted_only_once_the_hub_follows_the_bus(
    make_user, monkeypatch, path
) -> None:
    """What commits right after the greeting reaches the socket, however slowly the hub
    (started by a process's first socket) finds where to follow from. The greeting once went
    out first, and a notification committed meanwhile was taken for old news, never sent."""
    user = make_user(Role.RECRUITER)
    # Slow down the follower's first step: the table's newest id, or Redis's subscription.
    newest_id, subscribe = bus._newest_id, bus.aioredis.client.PubSub.subscribe

    def newest_id_slowly() -> int:
        time.sleep(0.5)  # in a worker thread, as the follower runs it
        return newest_id()

    async def subscribe_slowly(pubsub, *channels, **kwargs):
        await asyncio.sleep(0.5)
        return await subscribe(pubsub, *channels, **kwargs)

    monkeypatch.setattr(bus, "_newest_id", newest_id_slowly)
    monkeypatch.setattr(bus.aioredis.client.PubSub, "subscribe", subscribe_slowly)
    settings = get_settings().model_copy(
        update={"notification_bus": path, "ws_session_check_seconds": 3600}
    )

    def commit_one() -> int:
        with new_session() as session:
            notification = notifications_service.emit(
                session, type=NotificationType.CANDIDATE_ADDED, user_id=user.id, data={}
            )
            session.commit()
            return notification.id

    async def first_socket() -> tuple[int, object]:
        hub = Hub(settings)
        socket = Connection(
            websocket=None,
            user_id=str(user.id),
            session_id=None,
            expires_at=utcnow() + timedelta(hours=1),
        )
        try:
            await hub.ensure_running()  # as the socket route does before greeting
            hub.add(socket)
            sent = await asyncio.to_thread(commit_one)  # the client, told "connected", acts
            return sent, await asyncio.wait_for(socket.outbox.get(), timeout=10)
        finally:
            hub.remove(socket)
            await hub.stop()

    sent, (delivered_id, text) = asyncio.run(first_socket())
    assert delivered_id == sent
    assert json.loads(text)["id"] == sent


def test_a_socket_that_falls_too_far_behind_is_told_to_reconnect() -> None:
    settings = get_settings().model_copy(update={"ws_max_backlog": 3})
    hub = Hub(settings)
    slow = Connection(websocket=None, user_id="u", session_id=None, expires_at=utcnow())
    hub.by_user["u"] = {slow}

    def item(n: int) -> bus.Routed:
        return {"user_id": "u", "message": {"id": n, "type": "candidate_added", "data": {}}}

    hub.deliver([item(n) for n in range(3)])
    assert slow.outbox.qsize() == 3
    hub.deliver([item(3)])
    queued = [slow.outbox.get_nowait() for _ in range(slow.outbox.qsize())]
    assert queued == [
        Close(CLOSE_TOO_SLOW, "Too far behind: reconnect and ask for what you missed.")
    ]
