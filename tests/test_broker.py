"""Behaviour of the `hgsql` kombu transport (hotgigs.broker) on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
import sqlalchemy as sa
from kombu import Connection, Consumer, Exchange, Producer, Queue

from hotgigs import broker
from hotgigs.broker import message_table
from tests.conftest import BASE_DATABASE_URL
from tests.support.databases import create_scratch_database, drop_scratch_database, is_postgres
from tests.support.processes import kill_group, wait_for

SRC_DIR = Path(__file__).resolve().parents[1] / "src"

pytestmark = pytest.mark.timeout(120)


# --------------------------------------------------------------------------- helpers


def _subprocess_env(*extra_paths: Path) -> dict[str, str]:
    """Environment for child Pythons: they must import hotgigs (and test modules)."""
    paths = [str(p) for p in extra_paths] + [str(SRC_DIR)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _connect(url: str, visibility_timeout: float = 600) -> Connection:
    """A kombu connection; each one stands for a separate consumer/process."""
    options = {"visibility_timeout": visibility_timeout, "polling_interval": 0.05}
    return Connection(url, transport_options=options)


def _rows(url: str, queue: str) -> list[Any]:
    """All stored rows of ``queue``, read straight from the database."""
    engine = sa.create_engine(url.removeprefix("hgsql+"))
    try:
        with engine.connect() as conn:
            stmt = (
                sa.select(message_table)
                .where(message_table.c.queue == queue)
                .order_by(message_table.c.id)
            )
            return list(conn.execute(stmt))
    finally:
        engine.dispose()


def _get_now(simple_queue: Any) -> Any:
    """Non-blocking get: the message, or None if none is available right now."""
    try:
        return simple_queue.get(block=False)
    except Empty:
        return None


def _passive_count(conn: Connection, queue: str) -> int:
    """Message count as reported by a passive queue_declare."""
    return conn.default_channel.queue_declare(queue=queue, passive=True).message_count


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pg_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away PostgreSQL database (only when the run's database is PostgreSQL)."""
    if not is_postgres(BASE_DATABASE_URL):
        pytest.skip("DATABASE_URL is not a PostgreSQL URL")
    url = create_scratch_database(BASE_DATABASE_URL, tmp_path_factory.mktemp("pg"), "broker")
    try:
        yield url
    finally:
        broker.dispose_engines()
        drop_scratch_database(BASE_DATABASE_URL, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Broker URL: a SQLite file in a not-yet-existing directory, or the PostgreSQL database."""
    if request.param == "sqlite":
        yield f"hgsql+sqlite:///{tmp_path / 'not-yet' / 'queue.db'}"
    else:
        yield "hgsql+" + request.getfixturevalue("pg_url")
    broker.dispose_engines()


@pytest.fixture
def queue_name() -> str:
    """A queue name of its own per test (PostgreSQL tests share one database)."""
    return f"q_{uuid.uuid4().hex[:10]}"


# --------------------------------------------------------------------------- basics


def test_alias_registered_and_url_parsed(url: str) -> None:
    """`hgsql+<SQLAlchemy URL>` resolves to our transport, with the URL passed through."""
    with _connect(url) as conn:
        assert isinstance(conn.transport, broker.Transport)
        assert conn.hostname == url.removeprefix("hgsql+")
        assert conn.transport.polling_interval == 0.05
        assert "fanout" not in conn.transport.implements.exchange_type
        conn.connect()
    assert broker.Transport.polling_interval == 0.1


def test_round_trip_in_order_and_ack_deletes(url: str, queue_name: str) -> None:
    """Messages come back in publish order; each ack deletes its row."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        for n in range(5):
            q.put({"n": n})
        assert len(_rows(url, queue_name)) == 5
        for n in range(5):
            message = q.get(timeout=5)
            assert message.payload == {"n": n}
            assert not message.delivery_info.get("redelivered")
            message.ack()
            tags = {row.delivery_tag for row in _rows(url, queue_name)}
            assert message.delivery_tag not in tags
            assert len(tags) == 4 - n
        assert _get_now(q) is None


def test_sqlite_file_uses_wal(tmp_path: Path) -> None:
    """The SQLite queue file is created (with its directory) in WAL mode."""
    path = tmp_path / "a" / "b" / "queue.db"
    try:
        with _connect(f"hgsql+sqlite:///{path}") as conn, conn.SimpleQueue("x") as q:
            q.put("hello")
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        broker.dispose_engines()


def test_no_ack_consumer_deletes_on_delivery(url: str, queue_name: str) -> None:
    """A no_ack delivery is final: the row is gone without any ack."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name, no_ack=True) as q:
        q.put("once")
        assert q.get(timeout=5).payload == "once"
        assert _rows(url, queue_name) == []


def test_topic_copies_are_independent(url: str, queue_name: str) -> None:
    """One publish routed to two queues makes two rows; acking one keeps the other."""
    exchange = Exchange(f"{queue_name}_x", type="topic")
    qa = Queue(f"{queue_name}_a", exchange, routing_key="job.*")
    qb = Queue(f"{queue_name}_b", exchange, routing_key="job.#")
    with _connect(url) as conn:
        producer = Producer(conn.default_channel)
        producer.publish({"id": 7}, exchange=exchange, routing_key="job.x", declare=[qa, qb])
        row_a, row_b = _rows(url, qa.name) + _rows(url, qb.name)
        assert row_a.delivery_tag != row_b.delivery_tag
        with conn.SimpleQueue(qa) as sa_queue:
            sa_queue.get(timeout=5).ack()
        assert _rows(url, qa.name) == []
        with conn.SimpleQueue(qb) as sb_queue:
            message = sb_queue.get(timeout=5)
            assert message.payload == {"id": 7}
            message.ack()
        assert _rows(url, qb.name) == []


# --------------------------------------------------------------------------- leases


@pytest.mark.slow
def test_unacked_message_redelivered_only_after_lease_expires(url: str, queue_name: str) -> None:
    """Another consumer sees an unacked message only once its 1 s lease has run out."""
    with _connect(url) as publisher, publisher.SimpleQueue(queue_name) as q:
        q.put({"n": 1})
    first = _connect(url, visibility_timeout=1)
    second = _connect(url, visibility_timeout=30)
    try:
        q1 = first.SimpleQueue(queue_name)
        taken = q1.get(timeout=5)
        (row,) = _rows(url, queue_name)
        lease = row.lease_expires_at
        assert lease is not None
        assert _passive_count(second, queue_name) == 0 or time.time() >= lease

        q2 = second.SimpleQueue(queue_name)

        def poll() -> tuple[Any, float] | None:
            message = _get_now(q2)
            # Taken after the get: a delivery at this time means the lease had run out.
            return (message, time.time()) if message else None

        # Straight away it is still leased (unless the machine stalled for a whole second).
        outcome = poll()
        assert outcome is None or outcome[1] >= lease
        redelivered, seen_at = outcome or wait_for(
            poll, timeout=10, what="redelivery after lease expiry"
        )
        assert seen_at >= lease
        assert redelivered.payload == {"n": 1}
        assert redelivered.delivery_tag == taken.delivery_tag
        assert redelivered.delivery_info["redelivered"] is True
        assert len(_rows(url, queue_name)) == 1

        # The stale first consumer shuts down gracefully: it must not hand back the
        # message the second consumer is now working on.
        first.close()
        assert _passive_count(second, queue_name) == 0
        assert _get_now(q2) is None

        redelivered.ack()
        assert _rows(url, queue_name) == []
    finally:
        first.close()
        second.close()


CONSUME_AND_HANG = textwrap.dedent(
    """
    import sys, time
    import hotgigs.broker  # noqa: F401  (registers hgsql)
    from kombu import Connection

    url, queue = sys.argv[1], sys.argv[2]
    with Connection(url, transport_options={"visibility_timeout": 1}) as conn:
        message = conn.SimpleQueue(queue).get(timeout=20)
        print("GOT", message.payload["n"], flush=True)
        time.sleep(60)  # never acks: killed here
    """
)


def _lease_then_die(url: str, queue_name: str, script: str, n: int) -> Any:
    """Queue {"n": n}, let a consumer process running `script` lease it, SIGKILL that
    process; the message's row as it was leased."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        q.put({"n": n})
    proc = subprocess.Popen(
        [sys.executable, "-c", script, url, queue_name],
        stdout=subprocess.PIPE,
        text=True,
        env=_subprocess_env(),
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == f"GOT {n}"
        (row,) = _rows(url, queue_name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        kill_group(proc)
        if proc.stdout is not None:
            proc.stdout.close()
    return row


@pytest.mark.worker
def test_sigkilled_consumer_message_is_redelivered(url: str, queue_name: str) -> None:
    """A consumer process SIGKILLed mid-task loses nothing: a fresh consumer gets the message."""
    row = _lease_then_die(url, queue_name, CONSUME_AND_HANG, 42)
    assert row.lease_expires_at is not None

    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        message = wait_for(
            lambda: _get_now(q), timeout=10, what="redelivery of the killed consumer's message"
        )
        assert message.payload == {"n": 42}
        assert message.delivery_info["redelivered"] is True
        message.ack()
        assert _get_now(q) is None
    assert _rows(url, queue_name) == []


CONSUME_AND_HANG_LONG_LEASE = CONSUME_AND_HANG.replace(
    '{"visibility_timeout": 1}', '{"visibility_timeout": 600, "consumer_timeout": 1.5}'
)


@pytest.mark.worker
def test_a_killed_consumers_leases_come_back_once_it_is_silent_not_when_they_expire(
    url: str, queue_name: str
) -> None:
    """A consumer SIGKILLed under a 10-minute lease: a live consumer gets its message within
    seconds, as soon as the dead one has missed its heartbeats."""
    row = _lease_then_die(url, queue_name, CONSUME_AND_HANG_LONG_LEASE, 7)
    killed_at = time.monotonic()
    assert row.lease_expires_at > time.time() + 500
    assert row.consumer is not None

    live = _connect(url, visibility_timeout=600)
    live.transport_options["consumer_timeout"] = 1.5
    try:
        q = live.SimpleQueue(queue_name)
        message = wait_for(lambda: _get_now(q), timeout=20, what="the dead consumer's message")
        assert time.monotonic() - killed_at < 10
        assert message.payload == {"n": 7}
        assert message.delivery_info["redelivered"] is True
        (row,) = _rows(url, queue_name)
        assert row.consumer == live.default_channel.consumer_id
        message.ack()
    finally:
        live.close()
    assert _rows(url, queue_name) == []


@pytest.mark.worker
def test_a_live_consumer_keeps_its_lease_past_the_consumer_timeout(
    url: str, queue_name: str
) -> None:
    """Beats keep a slow but alive consumer's lease: nobody else gets its message."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        q.put({"n": 1})
    holder = _connect(url, visibility_timeout=600)
    holder.transport_options["consumer_timeout"] = 1.0
    other = _connect(url, visibility_timeout=600)
    other.transport_options["consumer_timeout"] = 1.0
    try:
        held = holder.SimpleQueue(queue_name).get(timeout=5)
        other_queue = other.SimpleQueue(queue_name)
        deadline = time.monotonic() + 4  # four consumer timeouts
        while time.monotonic() < deadline:
            assert _get_now(other_queue) is None
            time.sleep(0.2)
        held.ack()
    finally:
        holder.close()
        other.close()
    assert _rows(url, queue_name) == []


def test_a_message_table_from_before_lease_holders_gets_the_column(tmp_path: Path) -> None:
    """A queue file written by an earlier version opens, keeps its messages and delivers them."""
    path = tmp_path / "old-queue.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE broker_message (id INTEGER PRIMARY KEY, queue VARCHAR(255) NOT NULL,"
            " delivery_tag VARCHAR(64) NOT NULL UNIQUE, payload TEXT NOT NULL,"
            " created_at FLOAT NOT NULL, lease_expires_at FLOAT, delivery_count INTEGER NOT NULL)"
        )
    url = f"hgsql+sqlite:///{path}"
    with _connect(url) as conn, conn.SimpleQueue("old") as q:
        q.put({"n": 3})
        message = q.get(timeout=5)
        assert message.payload == {"n": 3}
        message.ack()
    assert _rows(url, "old") == []


def test_reject_requeue_redelivers_same_row_once(url: str, queue_name: str) -> None:
    """requeue() gives back the same row (no duplicate); reject() without requeue deletes."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        q.put({"n": 1})
        q.put({"n": 2})
        first = q.get(timeout=5)
        assert first.payload == {"n": 1}
        (row_before, _) = _rows(url, queue_name)
        first.requeue()
        rows = _rows(url, queue_name)
        assert len(rows) == 2
        assert rows[0].id == row_before.id
        assert rows[0].lease_expires_at is None
        assert _passive_count(conn, queue_name) == 2

        again = q.get(timeout=5)  # back at the head, ahead of n=2
        assert again.payload == {"n": 1}
        assert again.delivery_tag == first.delivery_tag
        assert again.delivery_info["redelivered"] is True
        again.ack()

        second = q.get(timeout=5)
        assert second.payload == {"n": 2}
        second.reject()
        assert _rows(url, queue_name) == []
        assert _get_now(q) is None


def test_graceful_close_gives_unacked_back_without_duplicates(url: str, queue_name: str) -> None:
    """Closing a connection with unacked messages frees them at once (long lease or not)."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        for n in range(3):
            q.put({"n": n})
    holder = _connect(url, visibility_timeout=600)
    try:
        q1 = holder.SimpleQueue(queue_name)
        held = [q1.get(timeout=5) for _ in range(3)]
        assert [m.payload["n"] for m in held] == [0, 1, 2]
        assert _passive_count(holder, queue_name) == 0
    finally:
        holder.close()
    rows = _rows(url, queue_name)
    assert len(rows) == 3
    assert all(row.lease_expires_at is None for row in rows)

    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        assert _passive_count(conn, queue_name) == 3
        got = [_get_now(q) for _ in range(3)]
        assert [m.payload["n"] for m in got] == [0, 1, 2]
        assert [m.delivery_tag for m in got] == [m.delivery_tag for m in held]
        assert _get_now(q) is None
        for message in got:
            message.ack()
    assert _rows(url, queue_name) == []


def test_size_and_passive_declare_count_available_only(url: str, queue_name: str) -> None:
    """Leased messages are not counted; requeued ones are again; acked ones are gone."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        assert _passive_count(conn, queue_name) == 0
        for n in range(3):
            q.put(n)
        assert _passive_count(conn, queue_name) == 3
        assert q.qsize() == 3
        message = q.get(timeout=5)
        assert _passive_count(conn, queue_name) == 2
        message.requeue()
        assert _passive_count(conn, queue_name) == 3
        q.get(timeout=5).ack()
        assert _passive_count(conn, queue_name) == 2


def test_purge_deletes_all_and_counts_available(url: str, queue_name: str) -> None:
    """Purge removes leased and available rows, reporting the available ones."""
    with _connect(url) as conn, conn.SimpleQueue(queue_name) as q:
        for n in range(4):
            q.put(n)
        leased = q.get(timeout=5)
        assert conn.default_channel.queue_purge(queue_name) == 3
        assert _rows(url, queue_name) == []
        leased.ack()  # acking a purged message is harmless
        assert _get_now(q) is None
        assert _passive_count(conn, queue_name) == 0


CONSUME_ALL = textwrap.dedent(
    """
    import os, sys, time
    from queue import Empty
    import hotgigs.broker  # noqa: F401  (registers hgsql)
    from kombu import Connection

    url, queue, ready_dir, me, other = sys.argv[1:6]
    with Connection(url, transport_options={"polling_interval": 0.01}) as conn:
        q = conn.SimpleQueue(queue)
        q.qsize()  # connected and tables exist
        open(os.path.join(ready_dir, me), "w").close()
        deadline = time.monotonic() + 20
        while not os.path.exists(os.path.join(ready_dir, other)):
            if time.monotonic() > deadline:
                sys.exit("the other consumer never became ready")
            time.sleep(0.01)
        while True:
            try:
                message = q.get(timeout=1.5)
            except Empty:
                break
            print(message.payload, flush=True)
            message.ack()
        q.close()
    """
)


@pytest.mark.worker
def test_two_consumer_processes_share_without_duplicates(
    url: str, queue_name: str, tmp_path: Path
) -> None:
    """Two concurrent consumer processes get disjoint messages covering all 200 once."""
    with _connect(url) as conn:
        producer = Producer(conn.default_channel)
        for n in range(200):
            producer.publish(n, routing_key=queue_name, declare=[Queue(queue_name)])
    ready = tmp_path / "ready"
    ready.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONSUME_ALL, url, queue_name, str(ready), me, other],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_subprocess_env(),
            start_new_session=True,
        )
        for me, other in (("a", "b"), ("b", "a"))
    ]
    try:
        outputs = [proc.communicate(timeout=60) for proc in procs]
    finally:
        for proc in procs:
            kill_group(proc)
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    got_a, got_b = ([int(line) for line in out.split()] for out, _ in outputs)
    assert len(got_a) == len(set(got_a))
    assert len(got_b) == len(set(got_b))
    assert not set(got_a) & set(got_b)
    assert sorted(got_a + got_b) == list(range(200))
    assert _rows(url, queue_name) == []


def test_consumer_api_with_prefetch(url: str, queue_name: str) -> None:
    """Plain Consumer with prefetch_count=1 gets one message at a time, in order."""
    queue = Queue(queue_name)
    received: list[int] = []
    with _connect(url) as conn:
        producer = Producer(conn.default_channel)
        for n in range(3):
            producer.publish(n, routing_key=queue_name, declare=[queue])

        def on_message(body: Any, message: Any) -> None:
            # While this one is unacked, nothing else of the queue is leased by us.
            assert _passive_count(conn, queue_name) == 2 - len(received)
            received.append(body)
            message.ack()

        with Consumer(conn.channel(), [queue], callbacks=[on_message], prefetch_count=1):
            wait_for(
                lambda: conn.drain_events(timeout=2) or len(received) == 3,
                timeout=10,
                what="3 messages",
            )
    assert received == [0, 1, 2]
    assert _rows(url, queue_name) == []
