"""Stored notifications (also the record live channels follow) and per-type preferences."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

# Named as a model, not a string: any process that stores notifications knows the table.
from hotgigs.auth.models import User
from hotgigs.db import Base, UTCDateTime, utcnow

# SQLite needs INTEGER (not BIGINT) for an auto-incrementing rowid primary key.
NotificationId = BigInteger().with_variant(Integer(), "sqlite")


class Notification(Base):
    """Something that happened, addressed to one user; ids grow, so clients resume after one."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        # AUTOINCREMENT: a deleted newest id is never handed out again, so "after id N" holds.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(NotificationId, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(User.id, ondelete="CASCADE"))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(index=True, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Whether it belongs in the notification center, and whether to raise a desktop notice;
    # both follow the user's preferences when it was made.
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    browser: Mapped[bool] = mapped_column(Boolean, default=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationPreference(Base):
    """One user's choice for one notification type; no row means the type's default."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(User.id, ondelete="CASCADE"), primary_key=True
    )
    type: Mapped[str] = mapped_column(String(60), primary_key=True)
    in_app: Mapped[bool] = mapped_column(Boolean)
    browser: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
