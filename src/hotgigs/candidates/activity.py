"""The append-only activity log: who did what to which candidate, when and from where.

Entries are only ever added (there is no update or delete here) and hold ids, action
names and field names, never personal data, so they can outlive an erased candidate.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates.models import ActivityEntry, Candidate
from hotgigs.db import utcnow


class Action(enum.StrEnum):
    """What was done."""

    CREATE = "create"
    VIEW = "view"
    UPDATE = "update"
    SHARE = "share"
    UNSHARE = "unshare"
    NOTE_ADD = "note.add"
    NOTE_EDIT = "note.edit"
    NOTE_DELETE = "note.delete"
    TAG_ADD = "tag.add"
    TAG_REMOVE = "tag.remove"
    DOWNLOAD = "download"
    EXPORT = "export"
    MERGE = "merge"
    ERASE = "erase"
    CORRECT = "correct"


@dataclass(frozen=True)
class ActivityFilter:
    """Which entries of the whole log an admin asks for (all fields optional)."""

    actor_id: uuid.UUID | None = None
    action: str | None = None
    candidate_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None


def record(
    session: Session,
    *,
    actor: User | None,
    action: Action,
    candidate_id: uuid.UUID | None,
    target_type: str = "candidate",
    target_id: uuid.UUID | None = None,
    client_ip: str | None = None,
    detail: dict[str, Any] | None = None,
) -> ActivityEntry:
    """Add one entry in the caller's transaction (it exists exactly when the change does).

    Any entry about a candidate also marks it active, which retention counts from.
    """
    now = utcnow()
    if candidate_id is not None and action is not Action.ERASE:
        session.execute(
            update(Candidate)
            .where(Candidate.id == candidate_id)
            # keep updated_at: its onupdate would otherwise count a view as an edit
            .values(last_activity_at=now, updated_at=Candidate.updated_at)
            .execution_options(synchronize_session=False)
        )
    entry = ActivityEntry(
        at=now,
        actor_id=actor.id if actor else None,
        actor_role=str(actor.role) if actor else "system",
        action=str(action),
        target_type=target_type,
        target_id=target_id or candidate_id,
        candidate_id=candidate_id,
        client_ip=client_ip,
        detail=detail or {},
    )
    session.add(entry)
    return entry


def for_candidate(
    session: Session, *, candidate_id: uuid.UUID, limit: int = 200
) -> list[ActivityEntry]:
    """A candidate's entries, newest first."""
    query = (
        select(ActivityEntry)
        .where(ActivityEntry.candidate_id == candidate_id)
        .order_by(ActivityEntry.at.desc(), ActivityEntry.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def search_log(session: Session, *, where: ActivityFilter, limit: int = 200) -> list[ActivityEntry]:
    """Entries of the whole log matching ``where``, newest first."""
    query = select(ActivityEntry).order_by(ActivityEntry.at.desc(), ActivityEntry.id)
    if where.actor_id is not None:
        query = query.where(ActivityEntry.actor_id == where.actor_id)
    if where.action is not None:
        query = query.where(ActivityEntry.action == where.action)
    if where.candidate_id is not None:
        query = query.where(ActivityEntry.candidate_id == where.candidate_id)
    if where.since is not None:
        query = query.where(ActivityEntry.at >= where.since)
    if where.until is not None:
        query = query.where(ActivityEntry.at < where.until)
    return list(session.scalars(query.limit(limit)))
