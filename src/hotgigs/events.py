"""One internal events interface: events are stored with the change that caused them.

Status endpoints and the notification center read the stored events; live channels (the
WebSocket hub) follow the table, so every process sees every event, whatever the queue.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hotgigs.db import Base, UTCDateTime, utcnow


class Event(Base):
    """Something that happened, addressed to one user."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    type: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(index=True, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def as_message(self) -> dict[str, Any]:
        """The wire form clients receive: `{"type", "id", "created_at", "data"}`."""
        return {
            "type": self.type,
            "id": str(self.id),
            "created_at": self.created_at.isoformat(),
            "data": self.data,
        }


def emit(
    session: Session,
    *,
    type: str,
    user_id: uuid.UUID,
    data: dict[str, Any],
    subject_id: uuid.UUID | None = None,
) -> Event:
    """Record an event in the caller's transaction (it exists exactly when the change does)."""
    event = Event(type=type, user_id=user_id, subject_id=subject_id, data=data, created_at=utcnow())
    session.add(event)
    return event


def events_for_subject(session: Session, subject_id: uuid.UUID) -> list[Event]:
    """Every event about one thing (a resume, a candidate), oldest first."""
    query = select(Event).where(Event.subject_id == subject_id).order_by(Event.created_at)
    return list(session.scalars(query))
