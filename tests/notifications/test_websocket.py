"""`WS /ws/connect` on a real server: refusals, routing, delivery across processes, catch-up."""

from __future__ import annotations

import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

import jwt
from fastapi.testclient import TestClient

from hotgigs.auth.models import Role
from hotgigs.db import new_session
from hotgigs.notifications import service as notifications_service
from hotgigs.notifications.types import NotificationType
from tests.notifications.conftest import (
    LiveServer,
    assert_nothing_queued,
    closed_with,
    receive,
    receive_until,
)
from tests.support.http_api import bearer
from tests.support.processes import wait_for


def tell(
    user_id: uuid.UUID, type_: NotificationType = NotificationType.CANDIDATE_ADDED, **data
) -> int | None:
    """Store and commit a notification in this (the test's) process, as any worker would.

    Returns its id, or None when the user's preferences turned the type off.
    """
    with new_session() as session:
        notification = notifications_service.emit(
            session, type=type_, user_id=user_id, data={"name": "Ada", **data}
        )
        session.commit()
        return notification.id if notification else None


def reissued(token: str, settings, *, expires_in: float) -> str:
    """The same access token (same login) signed again with another expiry."""
    claims = jwt.decode(token, settings.secret_key, algorithms=["HS256"], issuer="hotgigs")
    claims["exp"] = datetime.now(UTC) + timedelta(seconds=expires_in)
    return jwt.encode(claims, settings.secret_key, algorithm="HS256")


def test_a_socket_without_a_valid_token_is_refused_with_a_reason(
    live_server: LiveServer, signed_in, settings
) -> None:
    _user, token = signed_in()
    refusals = {
        None: "Not authenticated: connect with ?token=.",
        "not-a-jwt": "Malformed or invalid access token.",
        reissued(token, settings, expires_in=-5): "Access token expired.",
        jwt.encode({"sub": "x"}, "another-secret-of-at-least-32-characters", algorithm="HS256"): (
            "Malformed or invalid access token."
        ),
    }
    for bad_token, reason in refusals.items():
        with live_server.socket(bad_token) as refused:
            assert closed_with(refused) == (4401, reason)
    # "²" passes str.isdigit() but not int(), and 2**63 does not fit the id column: both
    # once crashed the socket instead of refusing it.
    for after in ("-1", "²", str(2**63)):
        with live_server.socket(token, after=after) as refused:
            assert closed_with(refused) == (4400, "after must be a notification id.")


def test_the_socket_greets_and_delivers_only_the_users_own_notifications(
    live_server: LiveServer, signed_in
) -> None:
    alice, alice_token = signed_in()
    bob, bob_token = signed_in()
    _admin, admin_token = signed_in(Role.ADMIN)
    tell(alice.id)  # unread before connecting
    with (
        live_server.socket(alice_token) as first_tab,
        live_server.socket(alice_token) as second_tab,
        live_server.socket(bob_token) as bob_socket,
        live_server.socket(admin_token) as admin_socket,
    ):
        hello = receive(first_tab)
        assert hello["type"] == "connected"
        assert hello["data"] == {"user_id": str(alice.id), "unread": 1}
        for other in (second_tab, bob_socket, admin_socket):
            assert receive(other)["type"] == "connected"
        sent = tell(alice.id, name="Grace Hopper")
        tell(bob.id, name="Bob's own")
        for tab in (first_tab, second_tab):
            message = receive(tab)
            assert message["id"] == sent
            assert message["type"] == "candidate_added"
            assert message["title"] == "New candidate: Grace Hopper"
            assert message["data"]["name"] == "Grace Hopper"
            assert (message["in_app"], message["browser"]) == (True, False)
            assert set(message) >= {"type", "id", "created_at", "data"}
        assert receive(bob_socket)["data"]["name"] == "Bob's own"
        # Nothing else arrives anywhere: not Bob's at Alice's, not anybody's at the admin's.
        assert_nothing_queued(first_tab)
        assert_nothing_queued(admin_socket)


def test_reconnecting_after_the_last_id_delivers_what_was_missed_then_live(
    live_server: LiveServer, signed_in
) -> None:
    user, token = signed_in()
    with live_server.socket(token) as socket_:
        receive(socket_)
        last_seen = tell(user.id, name="seen")
        assert receive(socket_)["id"] == last_seen
    missed = [tell(user.id, name=f"missed {n}") for n in range(3)]
    with live_server.socket(token, after=last_seen) as again:
        assert receive(again)["type"] == "connected"
        caught = receive_until(again, "caught_up")
        assert [m["id"] for m in caught[:-1]] == missed
        assert caught[-1]["data"] == {"after": last_seen, "last_id": missed[-1], "complete": True}
        live = tell(user.id, name="live")
        assert receive(again)["id"] == live
        # Asking again mid-connection repeats nothing already sent on this socket.
        again.send(f'{{"type": "catch_up", "after": {last_seen}}}')
        assert receive(again)["type"] == "caught_up"


def test_client_requests_are_answered_and_nonsense_gets_an_error_not_a_close(
    live_server: LiveServer, signed_in
) -> None:
    _user, token = signed_in()
    with live_server.socket(token) as socket_:
        receive(socket_)
        nonsense = (
            "not json",
            "[1, 2]",
            '{"type": "catch_up", "after": "x"}',
            '{"type": "catch_up", "after": "²"}',
            f'{{"type": "catch_up", "after": {2**63}}}',
            "{}",
            b"\x00\xff",
        )
        for frame in nonsense:
            socket_.send(frame)
            answer = receive(socket_)
            assert answer["type"] == "error"
            assert "ping" in answer["data"]["detail"]
        assert_nothing_queued(socket_)


def test_the_server_log_never_holds_a_socket_token(live_server: LiveServer, signed_in) -> None:
    _user, token = signed_in()
    with live_server.socket(token) as socket_:
        receive(socket_)
    with live_server.socket("not-a-jwt") as refused:
        closed_with(refused)
    logged = live_server.log.read_text()
    assert "/ws/connect?token=[redacted]" in logged
    assert token not in logged and "not-a-jwt" not in logged


def test_a_token_that_expires_while_connected_closes_the_socket(
    live_server: LiveServer, signed_in, settings
) -> None:
    _user, token = signed_in()
    with live_server.socket(reissued(token, settings, expires_in=1.5)) as socket_:
        assert receive(socket_)["type"] == "connected"
        started = time.monotonic()
        assert closed_with(socket_) == (4401, "Access token expired.")
        assert time.monotonic() - started < 5


def test_signing_out_closes_the_sessions_sockets(
    live_server: LiveServer, signed_in, client: TestClient
) -> None:
    _user, token = signed_in()
    with live_server.socket(token) as socket_:
        receive(socket_)
        assert client.post("/api/auth/logout", headers=bearer(token)).status_code in (200, 204)
        assert closed_with(socket_) == (4401, "This session has been signed out.")


def test_a_client_that_stops_answering_pings_is_dropped(live_server: LiveServer, signed_in) -> None:
    _user, token = signed_in()
    host, port = live_server.url.removeprefix("http://").split(":")
    dead = socket.create_connection((host, int(port)))
    dead.sendall(
        (
            f"GET /ws/connect?token={token} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    assert dead.recv(4096).startswith(b"HTTP/1.1 101")
    wait_for(lambda: live_server.connections() >= 1, timeout=10, what="the socket to register")
    # Never read again, never answer a ping: the server gives up after interval + timeout.
    wait_for(lambda: live_server.connections() == 0, timeout=10, what="the dead client dropped")
    dead.close()


def test_preferences_decide_what_is_kept_and_what_raises_a_desktop_notice(
    live_server: LiveServer, signed_in, client: TestClient
) -> None:
    user, token = signed_in()
    headers = bearer(token)
    changes = [
        {"type": "candidate_added", "in_app": False, "browser": True},
        {"type": "match_found", "in_app": False, "browser": False},
    ]
    assert (
        client.put(
            "/api/notifications/preferences", json={"preferences": changes}, headers=headers
        ).status_code
        == 200
    )
    with live_server.socket(token) as socket_:
        receive(socket_)
        assert tell(user.id, NotificationType.MATCH_FOUND, job_title="Java", score=91) is None
        desktop_only = tell(user.id, NotificationType.CANDIDATE_ADDED)
        message = receive(socket_)
        assert (message["id"], message["in_app"], message["browser"]) == (desktop_only, False, True)
    center = client.get("/api/notifications", headers=headers).json()
    assert center["items"] == [] and center["unread"] == 0


def test_delivery_from_a_worker_process_follows_the_candidate_privacy_rules(
    live_server: LiveServer, signed_in, client: TestClient, worker
) -> None:
    from tests.support import documents
    from tests.support.sample_resumes import sample_resume

    _owner, owner_token = signed_in()
    colleague, colleague_token = signed_in()
    owner_headers = bearer(owner_token)
    with (
        live_server.socket(owner_token) as owner_socket,
        live_server.socket(colleague_token) as colleague_socket,
    ):
        receive(owner_socket), receive(colleague_socket)
        files = [
            ("files", ("a.pdf", documents.make_pdf(sample_resume()), "application/pdf")),
            ("files", ("b.txt", b"\x00\x01 not a resume", "text/plain")),
        ]
        bulk = client.post("/api/resumes/bulk-upload", files=files, headers=owner_headers).json()
        seen = receive_until(owner_socket, "bulk_upload_completed", timeout=120)
        types = [m["type"] for m in seen]
        assert types[0] == "resume_progress"
        # The file's own progress arrives live, for the page following it; only the batch
        # is news for the center (no notice per file or per new candidate in a batch).
        assert set(types) == {"resume_progress", "resume_completed", "bulk_upload_completed"}
        assert [m["in_app"] for m in seen] == [False] * (len(seen) - 1) + [True]
        done = seen[-1]["data"]
        assert done["batch_id"] == bulk["batch_id"]
        assert (done["total"], done["completed"], done["failed"]) == (1, 1, 0)
        candidate_id = next(m for m in seen if m["type"] == "resume_completed")["data"][
            "candidate_id"
        ]
        # The colleague heard nothing of it, until the candidate is shared with them.
        assert_nothing_queued(colleague_socket)
        shared = client.post(
            f"/api/resumes/candidates/{candidate_id}/shares",
            json={"recruiter_id": str(colleague.id), "permission": "view"},
            headers=owner_headers,
        )
        assert shared.status_code == 201
        message = receive(colleague_socket)
        assert message["type"] == "candidate_shared"
        assert message["data"]["candidate_id"] == candidate_id
        # Revoking the share takes back what the colleague was told about the candidate.
        client.delete(
            f"/api/resumes/candidates/{candidate_id}/shares/{shared.json()['id']}",
            headers=owner_headers,
        )
        assert receive(colleague_socket)["type"] == "candidate_unshared"
    colleague_center = client.get("/api/notifications", headers=bearer(colleague_token)).json()
    assert [item["type"] for item in colleague_center["items"]] == ["candidate_unshared"]
