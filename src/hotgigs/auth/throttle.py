"""Sign-in throttling: lock an account, and slow an address, after repeated failures.

The counts live in the database, so every API process behind a proxy shares them. An
account's lock starts at `LOGIN_LOCKOUT_SECONDS` and doubles with each further failure up
to `LOGIN_LOCKOUT_MAX_SECONDS`; while it lasts even the right password is refused. An
address (often a whole office behind one NAT) is never locked: past its limit each sign-in
from it waits first, `LOGIN_ADDRESS_DELAY_SECONDS` doubling up to
`LOGIN_ADDRESS_DELAY_MAX_SECONDS`, and valid credentials still sign in. A count with no
new failure for `LOGIN_FAILURE_WINDOW_SECONDS` starts again, and a successful sign-in
clears the account's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hotgigs.auth.models import LoginThrottle
from hotgigs.config import Settings
from hotgigs.db import utcnow


@dataclass(frozen=True)
class ThrottleKeys:
    """What one sign-in attempt counts against."""

    account: str
    address: str

    @classmethod
    def of(cls, *, email: str, address: str | None) -> ThrottleKeys:
        """Keys for a normalised email and the client's address (if the server knows it)."""
        # Emails are at most 320 characters; a longer string is no account anyway.
        return cls(account=f"account:{email[:320]}", address=_address_key(address))


def _address_key(address: str | None) -> str:
    """The throttle key of a client address (the server may not know it)."""
    return f"address:{(address or 'unknown')[:64]}"


def retry_after(session: Session, keys: ThrottleKeys) -> int | None:
    """Seconds until the account may be signed in to again, or None when it is not locked."""
    now = utcnow()
    until = session.scalar(
        select(LoginThrottle.locked_until)
        .where(LoginThrottle.key == keys.account, LoginThrottle.locked_until > now)
        .limit(1)
    )
    return math.ceil((until - now).total_seconds()) if until else None


def address_delay(session: Session, *, settings: Settings, address: str | None) -> float:
    """Seconds a sign-in from this address waits before it is checked (0 for most)."""
    key = _address_key(address)
    window = timedelta(seconds=settings.login_failure_window_seconds)
    failures = session.scalar(
        select(LoginThrottle.failures).where(
            LoginThrottle.key == key, LoginThrottle.last_failure_at >= utcnow() - window
        )
    )
    beyond = (failures or 0) - settings.login_address_max_failures
    if beyond < 0:
        return 0.0
    delay = settings.login_address_delay_seconds * 2 ** min(beyond, 32)
    return min(delay, settings.login_address_delay_max_seconds)


def record_failure(session: Session, *, settings: Settings, keys: ThrottleKeys) -> None:
    """Count a failed sign-in against the account and the address; lock the account past
    its limit (the address is slowed by its count alone, see `address_delay`)."""
    now = utcnow()
    _count_failure(session, key=keys.address, now=now, settings=settings)
    failures = _count_failure(session, key=keys.account, now=now, settings=settings)
    if failures >= settings.login_max_failures:
        lock = _lock_length(settings, beyond_limit=failures - settings.login_max_failures)
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == keys.account)
            .values(locked_until=now + lock)
        )
    session.commit()


def forget_account(session: Session, keys: ThrottleKeys) -> None:
    """A successful sign-in clears the account's failures (never the address's)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys.account))


def _count_failure(session: Session, *, key: str, now: datetime, settings: Settings) -> int:
    """Add one failure to `key` atomically (restarting a stale count); the new count."""
    stale = LoginThrottle.last_failure_at < now - timedelta(
        seconds=settings.login_failure_window_seconds
    )
    dialect_insert = (
        postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    )
    statement = dialect_insert(LoginThrottle).values(key=key, failures=1, last_failure_at=now)
    # An upsert, so two processes failing at once both count: no lost increments.
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            "failures": case((stale, 1), else_=LoginThrottle.failures + 1),
            "last_failure_at": now,
        },
    ).returning(LoginThrottle.failures)
    return session.execute(statement).scalar_one()


def _lock_length(settings: Settings, *, beyond_limit: int) -> timedelta:
    """The lockout for a key `beyond_limit` failures past its limit: doubling, capped."""
    seconds = settings.login_lockout_seconds * 2 ** min(beyond_limit, 32)
    return timedelta(seconds=min(seconds, settings.login_lockout_max_seconds))
