"""Request and response bodies of the notification routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from hotgigs.notifications.models import Notification
from hotgigs.notifications.types import LABELS, Channels, NotificationType, title

# Notification ids are BIGINT: a larger number names no notification, and the database
# driver cannot even send it.
MAX_NOTIFICATION_ID = 2**63 - 1


class NotificationRead(BaseModel):
    """One entry of the notification center."""

    id: int
    type: str
    title: str
    data: dict[str, Any]
    read: bool
    browser: bool
    created_at: datetime

    @classmethod
    def of(cls, notification: Notification) -> NotificationRead:
        return cls(
            id=notification.id,
            type=notification.type,
            title=title(notification.type, notification.data),
            data=notification.data,
            read=notification.read_at is not None,
            browser=notification.browser,
            created_at=notification.created_at,
        )


class NotificationPage(BaseModel):
    """A page of the center, with the unread count for the badge."""

    items: list[NotificationRead]
    total: int
    unread: int
    next_cursor: int | None


class UnreadCount(BaseModel):
    """The badge number."""

    unread: int


class MarkedRead(BaseModel):
    """How many notifications `read-all` marked."""

    marked: int


class PreferenceRead(BaseModel):
    """The channels of one notification type."""

    type: NotificationType
    label: str
    in_app: bool
    browser: bool


class PreferenceChange(BaseModel):
    """New channels for one type."""

    type: str = Field(max_length=60)
    in_app: bool
    browser: bool


class PreferencesUpdate(BaseModel):
    """Channels to change; types left out keep theirs."""

    preferences: list[PreferenceChange] = Field(min_length=1, max_length=50)


class PreferencesRead(BaseModel):
    """Every settable type with its channels."""

    items: list[PreferenceRead]

    @classmethod
    def of(cls, chosen: dict[NotificationType, Channels]) -> PreferencesRead:
        return cls(
            items=[
                PreferenceRead(
                    type=type_, label=LABELS[type_], in_app=ch.in_app, browser=ch.browser
                )
                for type_, ch in chosen.items()
            ]
        )
