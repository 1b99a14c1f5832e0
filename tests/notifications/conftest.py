"""A real API server (uvicorn, in its own process) and real WebSocket clients for these tests."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from hotgigs.auth.models import Role
from tests.support.http_api import answers
from tests.support.processes import free_port, kill_group, start, wait_for

# Both paths between processes where this run can have them: the table always, Redis when
# the run is configured with it (the PostgreSQL + Redis pass of CI).
BUSES = ["database", *(["redis"] if os.environ.get("REDIS_URL") else [])]
FAST_HEARTBEAT = {
    "WS_PING_INTERVAL": "0.5",
    "WS_PING_TIMEOUT": "0.5",
    "WS_SESSION_CHECK_SECONDS": "0.5",
}


@dataclass
class LiveServer:
    """A running `hotgigs api` and how to reach it."""

    url: str
    bus: str
    process: subprocess.Popen
    log: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws/connect"

    def socket(self, token: str | None, **params: object) -> ClientConnection:
        """Open a socket with `?token=` (and any other query parameters)."""
        query = {"token": token, **params} if token is not None else dict(params)
        suffix = "&".join(f"{key}={value}" for key, value in query.items())
        return connect(f"{self.ws_url}?{suffix}" if suffix else self.ws_url, open_timeout=10)

    def connections(self) -> int:
        """Open sockets the server counts."""
        return httpx.get(f"{self.url}/api/health").json()["notifications"]["connections"]


@pytest.fixture(scope="module", params=BUSES)
def live_server(request, tmp_path_factory) -> Iterator[LiveServer]:
    """`hotgigs api` on a free port, following notifications through one bus."""
    port = free_port()
    log = tmp_path_factory.mktemp("api") / "api.log"
    env = {**FAST_HEARTBEAT, "NOTIFICATION_BUS": request.param, "LOG_LEVEL": "info"}
    process = start(["api", "--port", str(port)], log=log, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=1) as http:
            wait_for(lambda: answers(http), timeout=60, what=f"the API server (log: {log})")
        yield LiveServer(url=url, bus=request.param, process=process, log=log)
    finally:
        kill_group(process)


@pytest.fixture
def signed_in(make_user, login):
    """A new user of a role and a fresh access token for it."""

    def sign_in(role: Role = Role.RECRUITER):
        user = make_user(role)
        return user, login(user)["access_token"]

    return sign_in


def receive(socket: ClientConnection, timeout: float = 10.0) -> dict:
    """The next message, parsed."""
    return json.loads(socket.recv(timeout=timeout))


def receive_until(socket: ClientConnection, type_: str, timeout: float = 30.0) -> list[dict]:
    """Messages up to and including the first of `type_`."""
    seen = []
    while True:
        message = receive(socket, timeout)
        seen.append(message)
        if message["type"] == type_:
            return seen


def assert_nothing_queued(socket: ClientConnection) -> None:
    """Nothing was sent to this socket before now: a ping is answered next, by a pong."""
    socket.send('{"type": "ping"}')
    assert receive(socket)["type"] == "pong"


def closed_with(socket: ClientConnection, timeout: float = 10.0) -> tuple[int, str]:
    """Wait for the server to close the socket; its close code and reason."""
    try:
        while True:
            socket.recv(timeout=timeout)
    except ConnectionClosed as closed:
        assert closed.rcvd is not None, "closed without a close frame"
        return closed.rcvd.code, closed.rcvd.reason
