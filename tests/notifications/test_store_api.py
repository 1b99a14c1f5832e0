"""The notification center: list, pages, catch-up, unread count, read, delete, preferences."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from hotgigs.auth.models import Role
from hotgigs.db import new_session, utcnow
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.models import Notification
from hotgigs.notifications.types import NotificationType
from tests.support.http_api import bearer


def stored(
    user_id: uuid.UUID, count: int, type_=NotificationType.CANDIDATE_ADDED
) -> list[int | None]:
    """Commit `count` notifications for a user; their ids, oldest first (None: not kept)."""
    with new_session() as session:
        rows = [
            notifications_service.emit(
                session, type=type_, user_id=user_id, data={"name": f"Candidate {n}"}
            )
            for n in range(count)
        ]
        session.commit()
        return [row.id if row else None for row in rows]


def test_the_center_lists_newest_first_in_pages_with_the_unread_count(
    client: TestClient, signed_in
) -> None:
    user, user_token = signed_in()
    headers = bearer(user_token)
    ids = stored(user.id, 5)
    stored(user.id, 2, NotificationType.RESUME_PROGRESS)  # live only: never in the center
    first = client.get("/api/notifications", params={"limit": 2}, headers=headers).json()
    assert [item["id"] for item in first["items"]] == ids[:-3:-1]
    assert (first["total"], first["unread"]) == (5, 5)
    assert first["items"][0]["title"] == "New candidate: Candidate 4"
    assert first["items"][0]["read"] is False
    second = client.get(
        "/api/notifications", params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
    ).json()
    assert [item["id"] for item in second["items"]] == [ids[2], ids[1]]
    last = client.get(
        "/api/notifications", params={"limit": 2, "cursor": second["next_cursor"]}, headers=headers
    ).json()
    assert ([item["id"] for item in last["items"]], last["next_cursor"]) == ([ids[0]], None)
    caught_up = client.get("/api/notifications", params={"after": ids[2]}, headers=headers).json()
    assert [item["id"] for item in caught_up["items"]] == ids[3:]
    only_shares = client.get(
        "/api/notifications", params={"type": "candidate_shared"}, headers=headers
    ).json()
    assert only_shares["items"] == []
    assert (
        client.get("/api/notifications", params={"type": "nope"}, headers=headers).status_code
        == 422
    )


def test_reading_and_deleting_change_the_badge_and_only_touch_ones_own(
    client: TestClient, signed_in
) -> None:
    user, user_token = signed_in()
    headers = bearer(user_token)
    other, other_token = signed_in()
    other_headers = bearer(other_token)
    ids = stored(user.id, 3)
    (foreign,) = stored(other.id, 1)
    read = client.post(f"/api/notifications/{ids[0]}/read", headers=headers)
    assert read.status_code == 200 and read.json()["read"] is True
    assert client.get("/api/notifications/unread-count", headers=headers).json() == {"unread": 2}
    unread = client.get("/api/notifications", params={"unread_only": True}, headers=headers)
    assert [item["id"] for item in unread.json()["items"]] == [ids[2], ids[1]]
    for method, path in (
        ("post", f"/api/notifications/{foreign}/read"),
        ("delete", f"/api/notifications/{foreign}"),
        ("delete", "/api/notifications/999999999"),
    ):
        assert client.request(method, path, headers=headers).status_code == 404
    assert client.delete(f"/api/notifications/{ids[1]}", headers=headers).status_code == 204
    assert client.post("/api/notifications/read-all", headers=headers).json() == {"marked": 1}
    page = client.get("/api/notifications", headers=headers).json()
    assert ([item["id"] for item in page["items"]], page["unread"]) == ([ids[2], ids[0]], 0)
    assert client.get("/api/notifications/unread-count", headers=other_headers).json() == {
        "unread": 1
    }
    assert client.get("/api/notifications").status_code == 401


def test_ids_too_large_for_the_database_are_refused_not_a_crash(
    client: TestClient, signed_in
) -> None:
    # Found by the API fuzzer: 2**63 reached the database driver, which failed (a 500).
    _user, token = signed_in()
    headers = bearer(token)
    too_large = 2**63
    for method, path in (
        ("post", f"/api/notifications/{too_large}/read"),
        ("delete", f"/api/notifications/{too_large}"),
    ):
        assert client.request(method, path, headers=headers).status_code == 422
    for name in ("cursor", "after"):
        page = client.get("/api/notifications", params={name: too_large}, headers=headers)
        assert page.status_code == 422
    largest = client.post(f"/api/notifications/{too_large - 1}/read", headers=headers)
    assert largest.status_code == 404


def test_preferences_default_per_type_and_change_per_user(client: TestClient, signed_in) -> None:
    user, user_token = signed_in()
    headers = bearer(user_token)
    _other, other_token = signed_in()
    other_headers = bearer(other_token)
    defaults = {
        item["type"]: (item["in_app"], item["browser"])
        for item in client.get("/api/notifications/preferences", headers=headers).json()["items"]
    }
    assert defaults["match_found"] == (True, True)
    assert defaults["candidate_added"] == (True, False)
    assert "resume_progress" not in defaults  # a live status stream, not a notification
    changed = client.put(
        "/api/notifications/preferences",
        json={"preferences": [{"type": "candidate_added", "in_app": False, "browser": False}]},
        headers=headers,
    )
    assert changed.status_code == 200
    assert stored(user.id, 1) == [None]  # turned off: not recorded at all
    mine = {i["type"]: i for i in changed.json()["items"]}
    assert (mine["candidate_added"]["in_app"], mine["candidate_added"]["browser"]) == (False, False)
    theirs = client.get("/api/notifications/preferences", headers=other_headers).json()
    assert {i["type"]: i["in_app"] for i in theirs["items"]}["candidate_added"] is True
    for bad in (
        {"preferences": [{"type": "resume_progress", "in_app": True, "browser": True}]},
        {"preferences": [{"type": "nope", "in_app": True, "browser": True}]},
        {"preferences": []},
    ):
        answer = client.put("/api/notifications/preferences", json=bad, headers=headers)
        assert answer.status_code == 422


def test_pruning_is_scheduled_daily() -> None:
    from hotgigs.background import celery_app
    from hotgigs.notifications.tasks import prune_notifications

    schedule = celery_app.conf.beat_schedule
    assert schedule["prune-notifications"]["task"] == prune_notifications.name
    assert prune_notifications() == 0  # nothing old enough in an empty database


def test_pruning_drops_old_live_only_and_long_read_notifications_only(make_user) -> None:
    user = make_user(Role.RECRUITER)
    progress_old, progress_new = stored(user.id, 2, NotificationType.RESUME_PROGRESS)
    read_old, read_new, unread_old = stored(user.id, 3)
    with new_session() as session:  # a file of a batch: told live, never kept
        batched = notifications_service.emit(
            session,
            type=NotificationType.RESUME_COMPLETED,
            user_id=user.id,
            data={"filename": "a.pdf"},
            live_only=True,
        )
        session.commit()
        assert (batched.in_app, batched.browser) == (False, False)
        batched_old = batched.id
    long_ago = utcnow() - timedelta(days=400)
    with new_session() as session:
        for notification_id in (progress_old, read_old, unread_old, batched_old):
            session.get(Notification, notification_id).created_at = long_ago
        session.get(Notification, read_old).read_at = long_ago
        session.get(Notification, read_new).read_at = utcnow()
        session.commit()
        assert notifications_service.prune(session) == 3
        left = set(session.scalars(select(Notification.id)))
    assert left == {progress_new, read_new, unread_old}
