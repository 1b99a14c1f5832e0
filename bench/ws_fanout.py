"""Live notification fan-out: 1,000 WebSocket clients on a running `hotgigs serve`.

Usage: python bench/ws_fanout.py [--clients 1000] [--rounds 10] [--batch 1000] [--pause 1]
                                 [--bus database|redis|both] [--redis-url redis://...]
                                 [--database-url postgresql+psycopg://...]

For each bus (the embedded path follows the notifications table; the Redis path uses
pub/sub), it starts `hotgigs serve` (API, worker and scheduler) on a fresh SQLite database
(or a scratch PostgreSQL database with --database-url), creates one recruiter per client,
and opens one socket per recruiter (`/ws/connect?token=...`). A separate publisher process
then stores notifications through the product's own `notifications.service.emit` + commit,
as a worker does: `--rounds` rounds `--pause` seconds apart, each one notification for
every client, committed in transactions of `--batch` notifications (1000: all at once;
1: one transaction each). Each client timestamps what it receives.

Printed per bus: delivery latency from the start of the publisher's commit (storing the
notifications is part of it) to the client's receipt (p50, p95, p99, max, in ms), messages
lost (stored but never received) and messages delivered to the wrong client. All processes
share this machine's two cores, the clients included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import uvloop

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

CONNECT_CONCURRENCY = 100
SETTLE_SECONDS = 10.0  # how long to wait for stragglers after the last commit


def percentile(values: list[float], share: float) -> float:
    """The value at `share` (0-1) of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def raise_open_file_limit() -> None:
    """1,000 sockets on each side need more descriptors than the usual soft limit of 1,024."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def make_recruiters(count: int) -> list[tuple[str, str]]:
    """`count` recruiters with an open login each: (user id, access token)."""
    from sqlalchemy import insert

    from hotgigs.auth import service as auth_service
    from hotgigs.auth.models import Role, User
    from hotgigs.config import get_settings
    from hotgigs.db import new_session, utcnow

    settings = get_settings()
    password_hash = auth_service.hash_password(uuid.uuid4().hex)  # nobody logs in with it
    ids = [uuid.uuid4() for _ in range(count)]
    with new_session() as session:
        session.execute(
            insert(User),
            [
                {
                    "id": user_id,
                    "email": f"bench-{user_id.hex}@example.com",
                    "full_name": "Bench Recruiter",
                    "password_hash": password_hash,
                    "role": Role.RECRUITER,
                    "is_active": True,
                    "created_at": utcnow(),
                }
                for user_id in ids
            ],
        )
        session.commit()
        tokens = []
        for user_id in ids:
            user = session.get(User, user_id)
            pair = auth_service.open_session(session, settings=settings, user=user)
            tokens.append((str(user_id), pair.access_token))
        return tokens


def publish(user_ids: list[str], rounds: int, batch: int, pause: float) -> None:
    """Publisher mode: emit and commit, print `{"commit", "at"}` for each transaction."""
    from hotgigs.db import new_session
    from hotgigs.notifications import service as notifications_service
    from hotgigs.notifications.types import NotificationType

    commit_number = 0
    with new_session() as session:
        for _round in range(rounds):
            for start in range(0, len(user_ids), batch):
                for user_id in user_ids[start : start + batch]:
                    notifications_service.emit(
                        session,
                        type=NotificationType.CANDIDATE_ADDED,
                        user_id=uuid.UUID(user_id),
                        data={"commit": commit_number, "for": user_id, "name": "Bench Candidate"},
                    )
                # From just before the commit: the latency includes storing the notifications.
                started = time.time()
                session.commit()
                print(json.dumps({"commit": commit_number, "at": started}), flush=True)
                commit_number += 1
            time.sleep(pause)


async def client(
    url: str, user_id: str, token: str, gate: asyncio.Semaphore, ready: list, inbox: list
) -> None:
    """One socket: record (whose socket, the message, when it arrived) for every notification."""
    from websockets.asyncio.client import connect

    async with gate:
        socket = await connect(f"{url}?token={token}", open_timeout=60, max_queue=None)
    try:
        greeting = json.loads(await socket.recv())
        ready.append(greeting["data"]["user_id"] == user_id)
        async for raw in socket:
            received = time.time()
            message = json.loads(raw)
            if message.get("id") is not None:
                data = message["data"]
                inbox.append((message["id"], data["commit"], data["for"] == user_id, received))
    finally:
        await socket.close()


async def measure(
    url: str, tokens: list[tuple[str, str]], args: argparse.Namespace, env: dict
) -> dict:
    """Connect every client, run the publisher, gather what arrived."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    ready: list[bool] = []
    inbox: list[tuple] = []
    started = time.monotonic()
    tasks = [
        asyncio.create_task(client(url, user_id, token, gate, ready, inbox))
        for user_id, token in tokens
    ]
    while len(ready) < len(tokens):
        failed = [task for task in tasks if task.done() and task.exception()]
        if failed:
            raise RuntimeError(f"a client failed to connect: {failed[0].exception()!r}")
        await asyncio.sleep(0.1)
    connect_seconds = time.monotonic() - started
    ids_file = Path(env["HOTGIGS_HOME"]) / "bench-users.json"
    ids_file.write_text(json.dumps([user_id for user_id, _ in tokens]))
    publisher = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--publish",
        str(ids_file),
        "--rounds",
        str(args.rounds),
        "--batch",
        str(args.batch),
        "--pause",
        str(args.pause),
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    output, _ = await publisher.communicate()
    if publisher.returncode:
        raise RuntimeError(f"the publisher exited with {publisher.returncode}")
    commits = [json.loads(line) for line in output.decode().splitlines()]
    expected = args.rounds * len(tokens)
    deadline = time.monotonic() + SETTLE_SECONDS
    while len(inbox) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "connect_seconds": connect_seconds,
        "greeted": sum(ready),
        "commits": commits,
        "inbox": inbox,
        "expected": expected,
    }


def report(bus: str, clients: int, rounds: int, batch: int, result: dict) -> None:
    """Print latency percentiles, losses and misroutes."""
    # A message's latency runs from the start of its transaction's commit to its receipt.
    committed_at = {commit["commit"]: commit["at"] for commit in result["commits"]}
    latencies, seen, misrouted = [], set(), 0
    for notification_id, commit, right_socket, received in result["inbox"]:
        seen.add(notification_id)
        latencies.append((received - committed_at[commit]) * 1000)
        misrouted += not right_socket
    lost = result["expected"] - len(seen)
    print(
        f"{bus:9} {clients} clients, {rounds} rounds, {batch}/commit: "
        f"connected in {result['connect_seconds']:.1f}s; "
        f"delivered {len(seen)}/{result['expected']}, lost {lost}, misrouted {misrouted}; "
        f"latency ms p50 {percentile(latencies, 0.5):.1f} p95 {percentile(latencies, 0.95):.1f} "
        f"p99 {percentile(latencies, 0.99):.1f} max {max(latencies):.1f} "
        f"(mean {statistics.fmean(latencies):.1f})",
        flush=True,
    )


def run_bus(bus: str, args: argparse.Namespace) -> None:
    """Start a server on this bus, connect, publish, report; always stop the server."""
    from search_latency import scratch_database

    from hotgigs.config import get_settings
    from hotgigs.db import dispose_engine

    port = 18000 + os.getpid() % 1000
    scratch = scratch_database(args.database_url) if args.database_url else contextlib.nullcontext()
    with tempfile.TemporaryDirectory(prefix="hotgigs-ws-bench-") as home, scratch as database_url:
        env = {
            **os.environ,
            "HOTGIGS_HOME": home,
            "ENVIRONMENT": "development",
            "NOTIFICATION_BUS": bus,
            "LOG_LEVEL": "warning",
            "DATABASE_URL": database_url or "",
            "REDIS_URL": args.redis_url if bus == "redis" else "",
            "REDIS_KEY_PREFIX": f"hotgigs-ws-bench-{uuid.uuid4().hex[:8]}:",
        }
        os.environ.update(env)
        get_settings.cache_clear()  # this process creates the users, in this run's database
        dispose_engine()
        log = Path(home) / "serve.log"
        server = subprocess.Popen(
            [sys.executable, "-m", "hotgigs", "serve", "--port", str(port)],
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                        break
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"hotgigs serve did not come up; see {log}")
                time.sleep(0.5)
            tokens = make_recruiters(args.clients)
            ws_url = url.replace("http://", "ws://") + "/ws/connect"
            # The clients are the measuring instrument: keep their own pauses out of the figures.
            gc.disable()
            try:
                result = uvloop.run(measure(ws_url, tokens, args, env))
            finally:
                gc.enable()
            report(bus, args.clients, args.rounds, args.batch, result)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            dispose_engine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1000, help="notifications per commit")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between rounds")
    parser.add_argument("--bus", choices=["database", "redis", "both"], default="both")
    parser.add_argument("--database-url", help="PostgreSQL server to make a scratch database on")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--publish", metavar="USER_IDS_FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publish:
        user_ids = json.loads(Path(args.publish).read_text())
        publish(user_ids, args.rounds, args.batch, args.pause)
        return
    raise_open_file_limit()
    for bus in ["database", "redis"] if args.bus == "both" else [args.bus]:
        run_bus(bus, args)


if __name__ == "__main__":
    main()
