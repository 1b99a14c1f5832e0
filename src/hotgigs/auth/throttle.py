"""Sign-in throttling: lock an account or a client address after repeated failures.

The counts live in the database, so every API process behind a proxy shares them. A
lock starts at `LOGIN_LOCKOUT_SECONDS` and doubles with each further failure up to
`LOGIN_LOCKOUT_MAX_SECONDS`; a count with no new failure for
`LOGIN_FAILURE_WINDOW_SECONDS` starts again, and a successful sign-in clears the account's.
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
        return cls(
            account=f"account:{email[:320]}", address=f"address:{(address or 'unknown')[:64]}"
        )


def retry_after(session: Session, keys: ThrottleKeys) -> int | None:
    """Seconds until sign-in may be tried again, or None when neither key is locked."""
    now = utcnow()
    until = session.scalar(
        select(LoginThrottle.locked_until)
        .where(LoginThrottle.key.in_([keys.account, keys.address]))
        .where(LoginThrottle.locked_until > now)
        .order_by(LoginThrottle.locked_until.desc())
        .limit(1)
    )
    return math.ceil((until - now).total_seconds()) if until else None


def record_failure(session: Session, *, settings: Settings, keys: ThrottleKeys) -> None:
    """Count a failed sign-in against both keys, locking any that passed its limit."""
    limits = {
        keys.account: settings.login_max_failures,
        keys.address: settings.login_address_max_failures,
    }
    now = utcnow()
    for key, limit in limits.items():
        failures = _count_failure(session, key=key, now=now, settings=settings)
        if failures >= limit:
            lock = _lock_length(settings, beyond_limit=failures - limit)
            session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key)
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
