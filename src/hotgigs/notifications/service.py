"""The notification store: emit, list, mark read, delete, catch up, preferences, pruning."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from hotgigs.db import utcnow
from hotgigs.errors import Invalid, NotFound
from hotgigs.notifications import bus
from hotgigs.notifications.models import Notification, NotificationPreference
from hotgigs.notifications.types import (
    DEFAULT_CHANNELS,
    LIVE_ONLY,
    LIVE_ONLY_CHANNELS,
    Channels,
    NotificationType,
)

# Live-only rows (progress) are only worth a day; read ones a quarter. Unread ones stay.
LIVE_ONLY_KEEP = timedelta(days=1)
READ_KEEP = timedelta(days=90)


class NotificationNotFound(NotFound):
    """No notification with that id for this user."""


class UnknownType(Invalid):
    """A preference for a type that does not exist or cannot be set."""


@dataclass(frozen=True)
class Page:
    """One page of a user's notification center."""

    items: list[Notification]
    total: int
    unread: int
    next_cursor: int | None


def emit(
    session: Session,
    *,
    type: NotificationType,
    user_id: uuid.UUID,
    data: dict[str, Any],
    subject_id: uuid.UUID | None = None,
    live_only: bool = False,
) -> Notification | None:
    """Record a notification in the caller's transaction; it goes live when that commits.

    `live_only` sends it to the user's open pages without keeping it in the center or
    raising a desktop notice (a file of a batch, which its batch's summary tells). Returns
    None when the user turned both channels of this type off.
    """
    if live_only:
        channels = LIVE_ONLY_CHANNELS
    else:
        channels = channels_for(session, user_id=user_id, type=type)
        if not channels.in_app and not channels.browser and type not in LIVE_ONLY:
            return None
    notification = Notification(
        type=type.value,
        user_id=user_id,
        subject_id=subject_id,
        data=data,
        in_app=channels.in_app,
        browser=channels.browser,
        created_at=utcnow(),
    )
    session.add(notification)
    bus.announce_after_commit(session, notification)
    return notification


def channels_for(session: Session, *, user_id: uuid.UUID, type: NotificationType) -> Channels:
    """Where this user wants notifications of this type shown."""
    if type in LIVE_ONLY:
        return LIVE_ONLY_CHANNELS
    chosen = session.get(NotificationPreference, (user_id, type.value))
    if chosen is None:
        return DEFAULT_CHANNELS[type]
    return Channels(in_app=chosen.in_app, browser=chosen.browser)


def preferences(session: Session, *, user_id: uuid.UUID) -> dict[NotificationType, Channels]:
    """Every settable type with this user's channels (defaults where never changed)."""
    chosen = {
        row.type: Channels(in_app=row.in_app, browser=row.browser)
        for row in session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    return {type_: chosen.get(type_.value, default) for type_, default in DEFAULT_CHANNELS.items()}


def set_preferences(
    session: Session, *, user_id: uuid.UUID, changes: dict[str, Channels]
) -> dict[NotificationType, Channels]:
    """Change the channels of some types; an unknown or live-only type changes nothing."""
    settable = {type_.value for type_ in DEFAULT_CHANNELS}
    unknown = sorted(set(changes) - settable)
    if unknown:
        raise UnknownType(
            f"Unknown notification type(s): {', '.join(unknown)}. "
            f"Settable types: {', '.join(sorted(settable))}."
        )
    for type_name, channels in changes.items():
        row = session.get(NotificationPreference, (user_id, type_name))
        if row is None:
            row = NotificationPreference(user_id=user_id, type=type_name)
            session.add(row)
        row.in_app, row.browser = channels.in_app, channels.browser
    session.commit()
    return preferences(session, user_id=user_id)


def _center(user_id: uuid.UUID) -> Select[tuple[Notification]]:
    """A user's notification-center entries (live-only messages are not kept there)."""
    return select(Notification).where(Notification.user_id == user_id, Notification.in_app)


def unread_count(session: Session, *, user_id: uuid.UUID) -> int:
    """How many center entries the user has not read."""
    query = _center(user_id).where(Notification.read_at.is_(None))
    return session.scalar(query.with_only_columns(func.count())) or 0


def list_page(
    session: Session,
    *,
    user_id: uuid.UUID,
    limit: int,
    cursor: int | None = None,
    after: int | None = None,
    unread_only: bool = False,
    type: NotificationType | None = None,
) -> Page:
    """Newest first (cursor: the last id seen), or oldest first after an id (catch-up)."""
    query = _center(user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    if type is not None:
        query = query.where(Notification.type == type.value)
    total = session.scalar(query.with_only_columns(func.count())) or 0
    if after is not None:
        query = query.where(Notification.id > after).order_by(Notification.id)
    else:
        if cursor is not None:
            query = query.where(Notification.id < cursor)
        query = query.order_by(Notification.id.desc())
    rows = list(session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    items = rows[:limit]
    next_cursor = items[-1].id if more and after is None else None
    return Page(
        items=items,
        total=total,
        unread=unread_count(session, user_id=user_id),
        next_cursor=next_cursor,
    )


def missed(session: Session, *, user_id: uuid.UUID, after: int, limit: int) -> list[Notification]:
    """Everything delivered to the user after `after` (live-only messages too), oldest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.id > after)
        .order_by(Notification.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def get_own(session: Session, *, user_id: uuid.UUID, notification_id: int) -> Notification:
    """One of the user's notifications (another user's is reported as not found)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        raise NotificationNotFound(f"Notification {notification_id} not found.")
    return notification


def mark_read(session: Session, *, user_id: uuid.UUID, notification_id: int) -> Notification:
    """Mark one notification read (again is harmless)."""
    notification = get_own(session, user_id=user_id, notification_id=notification_id)
    notification.read_at = notification.read_at or utcnow()
    session.commit()
    return notification


def mark_all_read(session: Session, *, user_id: uuid.UUID) -> int:
    """Mark every unread notification of the user read; returns how many."""
    marked = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    ).rowcount
    session.commit()
    return marked or 0


def delete_own(session: Session, *, user_id: uuid.UUID, notification_id: int) -> None:
    """Delete one of the user's notifications."""
    session.delete(get_own(session, user_id=user_id, notification_id=notification_id))
    session.commit()


def forget_subject_for(session: Session, *, user_id: uuid.UUID, subject_id: uuid.UUID) -> None:
    """Remove a user's notifications about something they may no longer see (caller commits)."""
    session.execute(
        delete(Notification)
        .where(Notification.user_id == user_id, Notification.subject_id == subject_id)
        .execution_options(synchronize_session=False)
    )


def prune(session: Session) -> int:
    """Delete day-old live-only messages and read notifications past READ_KEEP."""
    now = utcnow()
    removed = session.execute(
        delete(Notification).where(
            or_(
                and_(
                    # Live only: no channel shows it (progress, and the files of a batch).
                    Notification.in_app.is_(False),
                    Notification.browser.is_(False),
                    Notification.created_at < now - LIVE_ONLY_KEEP,
                ),
                and_(Notification.read_at.is_not(None), Notification.read_at < now - READ_KEEP),
            )
        )
    ).rowcount
    session.commit()
    return removed or 0


def about_subject(session: Session, subject_id: uuid.UUID) -> list[Notification]:
    """Every notification about one thing (a resume, a candidate), oldest first."""
    query = select(Notification).where(Notification.subject_id == subject_id)
    return list(session.scalars(query.order_by(Notification.id)))
