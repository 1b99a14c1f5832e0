"""The Redis transport with lease holders (hotgigs.redis_broker), on a private Redis."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from queue import Empty

import pytest
import redis
from celery import Celery
from kombu import Connection

from hotgigs.background import celery_config
from hotgigs.config import Settings
from hotgigs.redis_broker import CONSUMERS_KEY, OWNERS_KEY
from tests.support.processes import kill_group, start_test_worker, stop_gracefully, wait_for
from tests.support.services import PrivateRedis, private_redis

pytestmark = [pytest.mark.timeout(120), pytest.mark.worker]  # starts real processes

TRANSPORT = "hotgigs.redis_broker:Transport"
OPTIONS = {"visibility_timeout": 600, "consumer_timeout": 1.5}

CONSUME_AND_HANG = textwrap.dedent(
    f"""
    import sys, time
    from kombu import Connection

    url, queue = sys.argv[1], sys.argv[2]
    with Connection(url, transport={TRANSPORT!r}, transport_options={OPTIONS!r}) as conn:
        message = conn.SimpleQueue(queue).get(timeout=20)
        print("GOT", message.payload["n"], flush=True)
        time.sleep(60)  # never acks: killed here
    """
)


@pytest.fixture
def server() -> Iterator[PrivateRedis]:
    """A private Redis of this test's own."""
    with private_redis() as running:
        yield running


@pytest.fixture
def queue_name() -> str:
    """A fresh queue name."""
    return f"q_{uuid.uuid4().hex[:10]}"


def connect(url: str) -> Connection:
    """A consumer with a 10-minute visibility timeout and a 1.5 s consumer timeout."""
    return Connection(url, transport=TRANSPORT, transport_options=OPTIONS)


def get_within(queue, seconds: float):
    """The next message within `seconds`, or None (each empty poll also sweeps, as a
    worker's timer does)."""
    try:
        return queue.get(timeout=seconds)
    except Empty:
        return None


def test_a_killed_consumers_message_comes_back_once_it_is_silent(
    server: PrivateRedis, queue_name: str
) -> None:
    with connect(server.url) as conn, conn.SimpleQueue(queue_name) as queue:
        queue.put({"n": 5})
    holder = subprocess.Popen(
        [sys.executable, "-c", CONSUME_AND_HANG, server.url, queue_name],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "GOT 5"
        client = redis.Redis.from_url(server.url)
        (owner,) = client.hvals(OWNERS_KEY)
        assert client.zscore(CONSUMERS_KEY, owner) is not None
    finally:
        kill_group(holder)
        if holder.stdout is not None:
            holder.stdout.close()
    killed_at = time.monotonic()

    with connect(server.url) as conn, conn.SimpleQueue(queue_name) as queue:
        message = wait_for(lambda: get_within(queue, 0.3), timeout=20, what="the message back")
        assert time.monotonic() - killed_at < 10  # not the 600 s visibility timeout
        assert message.payload == {"n": 5}
        assert message.delivery_info["redelivered"] is True
        message.ack()
        assert get_within(queue, 0.5) is None
    assert client.hlen(OWNERS_KEY) == 0
    assert client.hlen("unacked") == 0


def test_a_live_consumer_keeps_what_it_holds(server: PrivateRedis, queue_name: str) -> None:
    with connect(server.url) as holder, connect(server.url) as other:
        holder_queue = holder.SimpleQueue(queue_name)
        other_queue = other.SimpleQueue(queue_name)
        holder_queue.put({"n": 1})
        held = holder_queue.get(timeout=5)
        deadline = time.monotonic() + 4  # well past the 1.5 s consumer timeout
        while time.monotonic() < deadline:
            # Both poll; each empty poll is also a sign of life.
            assert get_within(other_queue, 0.3) is None
            assert get_within(holder_queue, 0.3) is None
        held.ack()
        assert get_within(other_queue, 0.5) is None


def test_a_closed_consumer_gives_back_at_once_and_leaves_no_trace(
    server: PrivateRedis, queue_name: str
) -> None:
    client = redis.Redis.from_url(server.url)
    with connect(server.url) as holder:
        queue = holder.SimpleQueue(queue_name)
        queue.put({"n": 2})
        assert queue.get(timeout=5).payload == {"n": 2}
    assert client.zcard(CONSUMERS_KEY) == 0
    assert client.hlen(OWNERS_KEY) == 0
    with connect(server.url) as conn, conn.SimpleQueue(queue_name) as queue:
        message = get_within(queue, 5)
        assert message is not None and message.payload == {"n": 2}
        message.ack()


def test_a_message_redis_went_away_with_mid_delivery_goes_back_on_its_queue(
    queue_name: str,
) -> None:
    """kombu takes a message off the queue before filing it as unacknowledged: when Redis is
    gone in between, the process keeps the message and the next sweep gives it back."""
    with private_redis(persistent=True) as server:
        with connect(server.url) as conn, conn.SimpleQueue(queue_name) as queue:
            queue.put({"n": 7})
            message = queue.get(timeout=5)
            message.ack()
            # Redis goes away after the message left its queue, before it was filed.
            server.kill()
            with pytest.raises(conn.connection_errors):
                queue.channel.qos.append(message, message.delivery_tag)
        server.start()
        with connect(server.url) as conn, conn.SimpleQueue(queue_name) as queue:
            back = wait_for(lambda: get_within(queue, 0.3), timeout=20, what="the message back")
            assert back.payload == {"n": 7}
            assert back.delivery_info["redelivered"] is True
            back.ack()
            assert get_within(queue, 0.5) is None


def test_after_a_redis_outage_every_task_runs_without_waiting_for_the_timeout(
    tmp_path: Path, settings: Settings
) -> None:
    """A worker holds one task running and more queued when Redis goes away for 3 s and comes
    back with what it held (append-only file): every task is done well within a minute."""
    with private_redis(persistent=True) as server:
        env = {
            "REDIS_URL": server.url,
            "QUEUE_VISIBILITY_TIMEOUT": "600",
            "QUEUE_CONSUMER_TIMEOUT": "3",
        }
        app = Celery("hotgigs-outage-test")
        app.conf.update(celery_config(settings.model_copy(update={"redis_url": server.url})))
        worker = start_test_worker(tmp_path / "worker.log", env=env)
        try:
            started = tmp_path / "long-started"
            long = app.send_task("tests.record_and_sleep", args=[str(started), 5.0])
            short = [
                app.send_task("tests.record_and_sleep", args=[str(tmp_path / f"short-{n}"), 0.0])
                for n in range(3)
            ]
            wait_for(started.exists, timeout=60, what="the long task to start")
            server.kill()
            time.sleep(3)
            server.start()
            back_at = time.monotonic()
            assert long.get(timeout=60) == "done"
            assert [result.get(timeout=60) for result in short] == ["done"] * 3
            assert time.monotonic() - back_at < 40  # not the 600 s visibility timeout
            client = redis.Redis.from_url(server.url)
            prefix = settings.redis_key_prefix
            wait_for(
                lambda: client.hlen(f"{prefix}unacked") == 0,
                timeout=30,
                what="nothing left unacknowledged",
            )
        finally:
            stop_gracefully(worker)
