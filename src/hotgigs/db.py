"""Database engine, sessions, declarative base and shared column types."""

from __future__ import annotations

import enum
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from sqlalchemy import DateTime, Engine, Enum, MetaData, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from hotgigs.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model; constraint names are stable across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """Store in UTC; naive values are refused because their zone is unknown."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """Read back as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def checked_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """An enum stored as a checked VARCHAR: identical on SQLite and PostgreSQL, easy to extend."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


# Connections kept open per process: one for each of the API's request threads (AnyIO's
# default of 40). With SQLAlchemy's default of 5, a busy API opened and closed a connection
# (and ran its PRAGMAs) for a quarter of its requests.
SQLITE_POOL_SIZE = 40


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def create_db_engine(url: str) -> Engine:
    """Build an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": 30}, pool_size=SQLITE_POOL_SIZE, max_overflow=10
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def missing_database(url: str) -> str | None:
    """Why the database at ``url`` cannot serve (no file, no connection, never migrated),
    or None when it is ready; creates nothing."""
    parsed = make_url(url)
    on_disk = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if on_disk and not Path(parsed.database).is_file():
        return "there is no database file"
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("users"):
                return "the database has no tables (it was never migrated)"
    except SQLAlchemyError as exc:
        return f"cannot open the database ({type(exc.orig or exc).__name__}: {exc.orig or exc})"
    finally:
        engine.dispose()
    return None


_engine_lock = threading.Lock()
_engine: Engine | None = None
_session_factory: sessionmaker[Session] | None = None


def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    global _engine, _session_factory
    with _engine_lock:
        if _engine is None:
            _engine = create_db_engine(get_settings().sqlalchemy_url)
            _session_factory = sessionmaker(bind=_engine, expire_on_commit=False)
        return _engine


def dispose_engine() -> None:
    """Drop pooled connections (after a fork, or when settings change in tests)."""
    global _engine, _session_factory
    with _engine_lock:
        if _engine is not None:
            _engine.dispose()
        _engine = None
        _session_factory = None


def new_session() -> Session:
    """A fresh session bound to the process-wide engine."""
    get_engine()
    assert _session_factory is not None
    return _session_factory()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits on success and rolls back on error (CLI, tasks)."""
    session = new_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# A request holds its session's connection from its first query (signing the caller in)
# to its end, and between its steps it waits for a request thread. Unbounded, 200 busy
# users deadlocked a server (bench/load.py): the requests holding every pooled connection
# waited for a thread, while every thread waited in a new request for a connection, until
# the pool's 30 s timeout. With at most as many requests holding a session as there are
# request threads, a request that holds a connection always finds a thread.
_session_slots: RunVar[anyio.Semaphore] = RunVar("hotgigs_session_slots")


def _request_session_slots() -> anyio.Semaphore:
    """This event loop's limit on requests holding a session: its request threads."""
    try:
        return _session_slots.get()
    except LookupError:
        threads = anyio.to_thread.current_default_thread_limiter().total_tokens
        slots = anyio.Semaphore(int(threads))
        _session_slots.set(slots)
        return slots


async def get_session() -> AsyncIterator[Session]:
    """FastAPI dependency: one session a request, committed by the service that writes.

    Requests past the limit wait here, holding neither a thread nor a connection.
    """
    async with _request_session_slots():
        session = new_session()
        try:
            yield session
        finally:
            # Closing rolls back on the connection: a database round trip, kept off the loop,
            # and finished even when the client has gone away.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(session.close)
