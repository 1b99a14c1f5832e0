"""A persistent kombu transport on SQLite or PostgreSQL with leases (at-least-once delivery).

URL form: ``hgsql+<SQLAlchemy URL>``, e.g. ``hgsql+sqlite:////abs/path/queue.db`` or
``hgsql+postgresql+psycopg://user@host:5432/db``.

Transport options:

* ``visibility_timeout`` (seconds, default 600): how long a fetched, unacknowledged message
  stays invisible to other consumers.  If its consumer dies without acking, the message
  becomes available again when this lease expires.
* ``polling_interval`` (seconds, default 0.1): sleep between empty polls.
* ``consumer_timeout`` (seconds, default 30): a consuming channel records that it is alive
  every sixth of this; once it has been silent this long (its process was killed, lost its
  database connection or hung), any live channel gives its leased messages back at once
  instead of leaving them until their leases expire.

Why not kombu's ``sqla+`` transport: it flags a fetched message ``visible=False`` and never
deletes it nor gives it back, so a task whose worker was killed is lost and the table grows
forever.  Here a fetch takes a time-limited lease on the row, ack deletes the row, and a
requeue clears the lease of the same row (no duplicate is inserted).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from queue import Empty
from typing import Any

import kombu.transport
import sqlalchemy
from kombu.transport import virtual
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

__all__ = [
    "DEFAULT_CONSUMER_TIMEOUT",
    "DEFAULT_VISIBILITY_TIMEOUT",
    "Channel",
    "QoS",
    "Transport",
    "consumer_table",
    "dispose_engines",
    "message_table",
    "metadata",
]

DEFAULT_VISIBILITY_TIMEOUT = 600.0
DEFAULT_CONSUMER_TIMEOUT = 30.0
# A consumer records that it is alive this many times per consumer timeout.
BEATS_PER_TIMEOUT = 6

# Own MetaData: these tables are created on first open and are not part of the app's migrations.
metadata = MetaData()

message_table = Table(
    "broker_message",
    metadata,
    # INTEGER PRIMARY KEY on SQLite is the rowid alias, which is what autoincrements there.
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("queue", String(255), nullable=False),
    # Unique so that ack/requeue by delivery tag addresses exactly one row.
    Column("delivery_tag", String(64), nullable=False, unique=True, index=True),
    Column("payload", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    # NULL: never leased (or released); a past value: the lease expired, so available again.
    Column("lease_expires_at", Float, nullable=True),
    # Number of times handed out; also a fencing token so a stale holder cannot release
    # a lease that another consumer has taken since.
    Column("delivery_count", Integer, nullable=False, default=0),
    # The channel holding the lease: its leases are given back when it stops beating.
    Column("consumer", String(32), nullable=True),
    # FIFO scan of one queue.
    Index("ix_broker_message_queue_id", "queue", "id"),
)

# One row per consuming channel that holds (or held) leases: when it last said it is alive.
consumer_table = Table(
    "broker_consumer",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("seen_at", Float, nullable=False),
)

_SUPPORTED_DIALECTS = frozenset({"sqlite", "postgresql"})
# Execution option asking the SQLite "begin" hook for BEGIN IMMEDIATE.
_IMMEDIATE = "hgsql_begin_immediate"
# Arbitrary constant key for the PostgreSQL advisory lock serialising create_all.
_PG_SCHEMA_LOCK_KEY = 0x6867_7371_6C00

logger = logging.getLogger(__name__)

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Configure each new SQLite connection (WAL, busy timeout, manual transactions)."""
    # Let SQLAlchemy's "begin" hook emit BEGIN: sqlite3's own implicit BEGIN is DEFERRED,
    # and a deferred transaction that reads then writes can fail with SQLITE_BUSY at once
    # instead of waiting on the busy timeout.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first, so the journal_mode switch itself waits for other writers.
        cursor.execute("PRAGMA busy_timeout=10000")
        # WAL: readers (empty polls, sizes) never block the writer and vice versa.
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    """Emit BEGIN IMMEDIATE for write transactions, a plain BEGIN otherwise."""
    # IMMEDIATE takes the write lock up front, so two processes never select the same row.
    immediate = conn.get_execution_options().get(_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _create_engine(url: str) -> Engine:
    """Create an engine for ``url`` and make sure the broker tables exist."""
    sa_url = make_url(url)
    dialect = sa_url.get_backend_name()
    if dialect not in _SUPPORTED_DIALECTS:
        raise ValueError(f"hgsql transport supports sqlite and postgresql, not {dialect!r}")
    if dialect == "sqlite":
        database = sa_url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # File databases get a QueuePool: each operation checks out its own connection,
        # so no sqlite3 connection is used by two threads at once.
        engine = create_engine(sa_url)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        with engine.connect() as conn:
            conn.execution_options(**{_IMMEDIATE: True})
            with conn.begin():
                # Under the write lock, so concurrent first opens do not race on CREATE TABLE.
                _create_tables(conn)
    else:
        # pre_ping: a worker outlives database restarts without surfacing dead connections.
        engine = create_engine(sa_url, pool_pre_ping=True)
        with engine.begin() as conn:
            # Concurrent create_all from several processes can collide on the catalog.
            conn.execute(select(func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK_KEY)))
            _create_tables(conn)
    return engine


def _create_tables(conn: Connection) -> None:
    """Create the broker's tables, and add the lease holder column to an older message table."""
    metadata.create_all(conn)
    columns = {column["name"] for column in sqlalchemy.inspect(conn).get_columns("broker_message")}
    if "consumer" not in columns:
        conn.exec_driver_sql("ALTER TABLE broker_message ADD COLUMN consumer VARCHAR(32)")


def _get_engine(url: str) -> Engine:
    """Return the process-wide engine for ``url``, creating it on first use."""
    engine = _engines.get(url)
    if engine is None:
        with _engines_lock:
            engine = _engines.get(url)
            if engine is None:
                engine = _engines[url] = _create_engine(url)
    return engine


def dispose_engines() -> None:
    """Close every cached engine's pooled connections and forget the engines."""
    with _engines_lock:
        engines = list(_engines.values())
        _engines.clear()
    for engine in engines:
        engine.dispose()


def _after_fork_in_child() -> None:
    """Drop pooled connections inherited from the parent (e.g. Celery's prefork children)."""
    global _engines_lock
    # The lock may have been held by another parent thread at fork time.
    _engines_lock = threading.Lock()
    for engine in _engines.values():
        # close=False: the parent still owns those sockets/file handles.
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_after_fork_in_child)


class QoS(virtual.QoS):
    """Acks delete the row; requeues and shutdown restores clear the lease of the same row."""

    channel: Channel

    def ack(self, delivery_tag: str) -> None:
        """Delete the acknowledged message."""
        self.channel._delete_message(delivery_tag)
        super().ack(delivery_tag)

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        """Give the message back (``requeue``) or delete it."""
        if requeue:
            # The row keeps its id, so it is again at the head of its queue.
            self.channel._release_leases([delivery_tag])
        else:
            self.channel._delete_message(delivery_tag)
        # Like the Redis QoS: only drop it from the in-memory unacked set.
        super().ack(delivery_tag)

    def restore_unacked(self) -> list[tuple[BaseException, Any]]:
        """Make every unacknowledged message of this channel available again."""
        self._flush()
        delivered = list(self._delivered.items())
        self._delivered.clear()
        if not delivered:
            return []
        try:
            self.channel._release_leases([tag for tag, _ in delivered])
        except (SQLAlchemyError, OSError) as exc:
            # Nothing is lost (the leases expire anyway); report as the base QoS does,
            # ignoring messages another thread acked meanwhile.
            return [(exc, message) for tag, message in delivered if tag not in self._dirty]
        return []


class Channel(virtual.Channel):
    """Virtual channel storing messages as rows of ``broker_message``."""

    QoS = QoS

    #: Seconds a fetched message stays leased to its consumer before redelivery.
    visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT
    #: Seconds of silence after which a consumer counts as gone and its leases are given back.
    consumer_timeout: float = DEFAULT_CONSUMER_TIMEOUT

    from_transport_options = (
        *virtual.Channel.from_transport_options,
        "visibility_timeout",
        "consumer_timeout",
    )

    def __init__(self, connection: Any, **kwargs: Any) -> None:
        super().__init__(connection, **kwargs)
        self.visibility_timeout = float(self.visibility_timeout)
        self.consumer_timeout = float(self.consumer_timeout)
        # Opening here makes a bad URL or unreachable database fail at connect time.
        self._engine = _get_engine(self.connection.client.hostname)
        self._is_sqlite = self._engine.dialect.name == "sqlite"
        # delivery tag -> delivery_count at the time *we* leased it (fencing token).
        self._leases: dict[str, int] = {}
        self.consumer_id = uuid.uuid4().hex
        self._stop_beating = threading.Event()
        self._beating: threading.Thread | None = None

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        """Run a block in one transaction on a freshly checked-out connection."""
        with self._engine.connect() as conn:
            if write:
                conn.execution_options(**{_IMMEDIATE: True})
            with conn.begin():
                yield conn

    @staticmethod
    def _available(queue: str, now: float) -> Any:
        """SQL condition: the message is in ``queue`` and not under a live lease."""
        t = message_table
        return (t.c.queue == queue) & or_(
            t.c.lease_expires_at.is_(None), t.c.lease_expires_at <= now
        )

    def _insert_unless_tag_exists(self, conn: Connection, values: dict[str, Any]) -> bool:
        """INSERT one row; return False (inserting nothing) if its delivery tag exists."""
        dialect_insert = sqlite.insert if self._is_sqlite else postgresql.insert
        stmt = dialect_insert(message_table).on_conflict_do_nothing(
            index_elements=[message_table.c.delivery_tag]
        )
        if self._engine.dialect.insert_returning:
            # rowcount is -1 for INSERT .. RETURNING on psycopg; a returned id is unambiguous.
            return (
                conn.execute(stmt.values(values).returning(message_table.c.id)).first() is not None
            )
        return conn.execute(stmt.values(values)).rowcount == 1

    def _put(self, queue: str, message: dict[str, Any], **kwargs: Any) -> None:
        """Store ``message`` at the tail of ``queue``."""
        props = message.setdefault("properties", {})
        tag = props.get("delivery_tag") or uuid.uuid4().hex
        with self._transaction(write=True) as conn:
            while True:
                payload = {**message, "properties": {**props, "delivery_tag": tag}}
                values = {
                    "queue": queue,
                    "delivery_tag": tag,
                    "payload": json.dumps(payload),
                    "created_at": time.time(),
                    "delivery_count": 0,
                }
                if self._insert_unless_tag_exists(conn, values):
                    return
                # A topic/direct exchange routes the same published message (same tag) to
                # several queues; each copy needs its own tag or one ack would delete both.
                tag = uuid.uuid4().hex

    def _get(self, queue: str, timeout: float | None = None) -> dict[str, Any]:
        """Lease the oldest available message of ``queue`` or raise ``Empty``."""
        t = message_table
        if self._beating is None:
            self._start_beating()
        if self._is_sqlite:
            # Cheap lock-free probe first: empty polls are frequent and BEGIN IMMEDIATE
            # would take the database write lock every time.
            with self._transaction(write=False) as conn:
                probe = select(t.c.id).where(self._available(queue, time.time())).limit(1)
                if conn.execute(probe).first() is None:
                    raise Empty()
        with self._transaction(write=True) as conn:
            now = time.time()
            row = conn.execute(
                select(t.c.id, t.c.delivery_tag, t.c.payload, t.c.delivery_count)
                .where(self._available(queue, now))
                .order_by(t.c.id)
                .limit(1)
                # PostgreSQL: concurrent consumers skip rows another transaction is taking.
                # SQLite renders nothing here; BEGIN IMMEDIATE serialises instead.
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                raise Empty()
            count = row.delivery_count + 1
            conn.execute(
                update(t)
                .where(t.c.id == row.id)
                .values(
                    lease_expires_at=now + self.visibility_timeout,
                    delivery_count=count,
                    consumer=self.consumer_id,
                )
            )
        self._leases[row.delivery_tag] = count
        payload: dict[str, Any] = json.loads(row.payload)
        props = payload.setdefault("properties", {})
        props["delivery_tag"] = row.delivery_tag
        if count > 1:
            # Celery uses this, e.g. not to requeue again a task that already killed a worker.
            payload["redelivered"] = True
            props.setdefault("delivery_info", {})["redelivered"] = True
        return payload

    def _delete_message(self, delivery_tag: str) -> None:
        """Delete one message (ack, reject without requeue, no-ack delivery)."""
        self._leases.pop(delivery_tag, None)
        with self._transaction(write=True) as conn:
            conn.execute(delete(message_table).where(message_table.c.delivery_tag == delivery_tag))

    def _release_leases(self, delivery_tags: Iterable[str]) -> None:
        """Make the given leased messages available again, in place."""
        t = message_table
        with self._transaction(write=True) as conn:
            for tag in delivery_tags:
                condition = t.c.delivery_tag == tag
                count = self._leases.pop(tag, None)
                if count is not None:
                    # If the lease expired and another consumer took the message since,
                    # it is theirs now: do not make it available under them.
                    condition &= t.c.delivery_count == count
                released = update(t).where(condition).values(lease_expires_at=None, consumer=None)
                conn.execute(released)

    def _start_beating(self) -> None:
        """Say this consumer is alive now, and from now on in a background thread."""
        self._beat()
        self._beating = threading.Thread(
            target=self._keep_beating, name="hgsql-consumer-heartbeat", daemon=True
        )
        self._beating.start()

    def _keep_beating(self) -> None:
        """Beat until the channel closes; each beat also frees the leases of silent consumers."""
        while not self._stop_beating.wait(self.consumer_timeout / BEATS_PER_TIMEOUT):
            try:
                self._beat()
            except (SQLAlchemyError, OSError):
                # The database is away for a moment: the next beat tries again. If it stays
                # away longer than the timeout, our leases may be given back (at least once).
                logger.warning("could not record that the queue consumer is alive", exc_info=True)

    def _beat(self) -> None:
        """Record this consumer as alive and give back the leases of consumers gone silent."""
        c, t = consumer_table, message_table
        with self._transaction(write=True) as conn:
            now = time.time()
            seen = conn.execute(
                update(c).where(c.c.id == self.consumer_id).values(seen_at=now)
            ).rowcount
            if not seen:
                conn.execute(c.insert().values(id=self.consumer_id, seen_at=now))
            silent = select(c.c.id).where(c.c.seen_at < now - self.consumer_timeout)
            freed = conn.execute(
                update(t)
                .where(t.c.consumer.in_(silent))
                .values(lease_expires_at=None, consumer=None)
            ).rowcount
            conn.execute(delete(c).where(c.c.seen_at < now - self.consumer_timeout))
        if freed:
            logger.warning("gave back %d messages leased by consumers gone silent", freed)

    def close(self) -> None:
        """Give back unacknowledged messages, stop beating and forget this consumer."""
        super().close()
        if self._beating is not None:
            self._stop_beating.set()
            self._beating.join(timeout=5)
            gone = delete(consumer_table).where(consumer_table.c.id == self.consumer_id)
            with contextlib.suppress(SQLAlchemyError, OSError), self._transaction(True) as conn:
                conn.execute(gone)

    def _restore(self, message: Any) -> None:
        """Give back a delivered message by clearing its lease (never re-insert it)."""
        # Re-inserting, as the base class does, would duplicate the row that still exists.
        self._release_leases([message.delivery_tag])

    def _restore_at_beginning(self, message: Any) -> None:
        """Same as :meth:`_restore`: the row keeps its id, i.e. its place at the head."""
        self._restore(message)

    def held_messages(self) -> list[dict[str, Any]]:
        """Every message delivered to a consumer and not yet acknowledged, as stored."""
        t = message_table
        with self._transaction(write=False) as conn:
            leased = select(t.c.payload).where(t.c.lease_expires_at > time.time())
            return [json.loads(payload) for payload in conn.scalars(leased)]

    def _size(self, queue: str) -> int:
        """Number of available (not leased) messages in ``queue``."""
        t = message_table
        with self._transaction(write=False) as conn:
            stmt = select(func.count()).select_from(t).where(self._available(queue, time.time()))
            return int(conn.execute(stmt).scalar_one())

    def _purge(self, queue: str) -> int:
        """Delete all messages of ``queue``; return how many of them were available."""
        t = message_table
        with self._transaction(write=True) as conn:
            now = time.time()
            if self._engine.dialect.delete_returning:
                # One statement: the count matches exactly what was deleted.
                leases = conn.execute(
                    delete(t).where(t.c.queue == queue).returning(t.c.lease_expires_at)
                ).scalars()
                return sum(1 for lease in leases if lease is None or lease <= now)
            # Old SQLite without RETURNING: BEGIN IMMEDIATE makes count + delete atomic.
            available = select(func.count()).select_from(t).where(self._available(queue, now))
            count = int(conn.execute(available).scalar_one())
            conn.execute(delete(t).where(t.c.queue == queue))
            return count

    def basic_consume(
        self,
        queue: str,
        no_ack: bool,
        callback: Callable[[Any], Any],
        consumer_tag: str,
        **kwargs: Any,
    ) -> Any:
        """Consume from ``queue``; with ``no_ack`` a message is deleted as it is delivered."""
        if no_ack:
            on_message = callback

            def callback(message: Any) -> Any:
                # No ack will come, so the broker forgets the message now (at most once).
                self._delete_message(message.delivery_tag)
                return on_message(message)

        return super().basic_consume(queue, no_ack, callback, consumer_tag, **kwargs)

    def basic_get(self, queue: str, no_ack: bool = False, **kwargs: Any) -> Any:
        """Fetch one message; with ``no_ack`` it is deleted right away."""
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:
            self._delete_message(message.delivery_tag)
        return message


class Transport(virtual.Transport):
    """kombu transport for ``hgsql+<SQLAlchemy URL>``."""

    Channel = Channel

    # The part after "hgsql+" is an SQLAlchemy URL that kombu passes through as hostname.
    can_parse_url = True
    default_port = 0
    # Sub-second polling; kombu's sqla default of 1 s makes every Celery round trip slow.
    polling_interval = 0.1
    driver_type = "sql"
    driver_name = "sqlalchemy"
    connection_errors = (*virtual.Transport.connection_errors, OperationalError, InterfaceError)
    # No fanout: Celery then disables broadcast features (remote control, mingle, gossip).
    implements = virtual.Transport.implements.extend(
        exchange_type=frozenset(["direct", "topic"]),
    )

    def driver_version(self) -> str:
        """Version of SQLAlchemy in use."""
        return sqlalchemy.__version__


kombu.transport.TRANSPORT_ALIASES.setdefault("hgsql", "hotgigs.broker:Transport")
