"""Recruiters' notes and tags on candidates.

Reading needs view access; writing needs edit access (owner, edit share, admin). A note
is changed or deleted only by its author. A private note is seen by its author alone: it is
never listed for anyone else, admins included, and to them it does not exist (404).
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from hotgigs.auth.models import User
from hotgigs.candidates import activity
from hotgigs.candidates import service as candidates_service
from hotgigs.candidates.access import Access
from hotgigs.candidates.activity import Action
from hotgigs.candidates.models import CandidateNote, CandidateTag
from hotgigs.errors import Forbidden, Invalid, NotFound

MAX_TAG_LENGTH = 50
MAX_TAGS_PER_CANDIDATE = 50
_TAG = re.compile(r"^[\w][\w .:+#/-]*$")


class NoteNotFound(NotFound):
    """No such note on a candidate the caller may see."""


# --------------------------------------------------------------------------- notes


def readable_by(reader_id: uuid.UUID) -> ColumnElement[bool]:
    """The notes a user may read: every shared note, and their own private ones."""
    return or_(CandidateNote.is_private.is_(False), CandidateNote.author_id == reader_id)


def notes_of(session: Session, *, actor: User, candidate_id: uuid.UUID) -> list[CandidateNote]:
    """A candidate's notes the caller may read, oldest first."""
    candidate = candidates_service.get_visible(session, user=actor, candidate_id=candidate_id)
    query = (
        select(CandidateNote)
        .where(CandidateNote.candidate_id == candidate.id, readable_by(actor.id))
        .order_by(CandidateNote.created_at, CandidateNote.id)
    )
    return list(session.scalars(query))


def add_note(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    content: str,
    title: str | None = None,
    is_important: bool = False,
    is_private: bool = False,
    client_ip: str | None = None,
) -> CandidateNote:
    """Add a note to a candidate the caller may edit."""
    candidate = candidates_service.get_visible(
        session, user=actor, candidate_id=candidate_id, at_least=Access.EDIT
    )
    note = CandidateNote(
        candidate_id=candidate.id,
        author_id=actor.id,
        title=_title(title),
        content=content.strip(),
        is_important=is_important,
        is_private=is_private,
    )
    session.add(note)
    session.flush()
    _log_note(session, actor=actor, note=note, action=Action.NOTE_ADD, client_ip=client_ip)
    session.commit()
    return note


def edit_note(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    note_id: uuid.UUID,
    content: str | None = None,
    title: str | None = None,
    is_important: bool | None = None,
    is_private: bool | None = None,
    client_ip: str | None = None,
) -> CandidateNote:
    """Change one's own note; None leaves a field as it is, an empty title removes it."""
    note = _own_note(session, actor=actor, candidate_id=candidate_id, note_id=note_id)
    if content is not None:
        note.content = content.strip()
    if title is not None:
        note.title = _title(title)
    if is_important is not None:
        note.is_important = is_important
    if is_private is not None:
        note.is_private = is_private
    _log_note(session, actor=actor, note=note, action=Action.NOTE_EDIT, client_ip=client_ip)
    session.commit()
    return note


def delete_note(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    note_id: uuid.UUID,
    client_ip: str | None = None,
) -> None:
    """Delete one's own note."""
    note = _own_note(session, actor=actor, candidate_id=candidate_id, note_id=note_id)
    _log_note(session, actor=actor, note=note, action=Action.NOTE_DELETE, client_ip=client_ip)
    session.delete(note)
    session.commit()


def _title(raw: str | None) -> str | None:
    """A note's title as stored: one line, trimmed; None when empty."""
    return " ".join((raw or "").split()) or None


def _log_note(
    session: Session, *, actor: User, note: CandidateNote, action: Action, client_ip: str | None
) -> None:
    """Record what was done to a note in the candidate's activity log."""
    activity.record(
        session,
        actor=actor,
        action=action,
        candidate_id=note.candidate_id,
        target_type="note",
        target_id=note.id,
        client_ip=client_ip,
    )


def _own_note(
    session: Session, *, actor: User, candidate_id: uuid.UUID, note_id: uuid.UUID
) -> CandidateNote:
    """A note the caller may read, if the caller wrote it (403 if someone else did)."""
    candidate = candidates_service.get_visible(session, user=actor, candidate_id=candidate_id)
    note = session.scalar(
        select(CandidateNote).where(
            CandidateNote.id == note_id,
            CandidateNote.candidate_id == candidate.id,
            readable_by(actor.id),
        )
    )
    if note is None:
        raise NoteNotFound(f"Note {note_id} not found.")
    if note.author_id != actor.id:
        raise Forbidden("Only the author of a note may change or delete it.")
    return note


# --------------------------------------------------------------------------- tags


def normalise_tag(raw: str) -> str:
    """A tag as stored: trimmed, inner spaces collapsed, lower case; Invalid if unusable."""
    tag = _fold(raw)
    if not tag or len(tag) > MAX_TAG_LENGTH or not _TAG.match(tag):
        raise Invalid(
            f"Tag {raw[:60]!r} is not allowed: 1-{MAX_TAG_LENGTH} characters, letters, digits "
            "and . : + # / - only."
        )
    return tag


def _fold(raw: str) -> str:
    """A tag's stored form before validation: inner spaces collapsed, case folded."""
    return " ".join(raw.split()).casefold()


def tags_of(session: Session, *, candidate_id: uuid.UUID) -> list[str]:
    """A candidate's tags in alphabetical order (the caller has checked access)."""
    query = (
        select(CandidateTag.name)
        .where(CandidateTag.candidate_id == candidate_id)
        .order_by(CandidateTag.name)
    )
    return list(session.scalars(query))


def tags_by_candidate(
    session: Session, candidate_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    """Tags of several candidates in one query (the caller has checked access)."""
    out: dict[uuid.UUID, list[str]] = {}
    if not candidate_ids:
        return out
    query = (
        select(CandidateTag.candidate_id, CandidateTag.name)
        .where(CandidateTag.candidate_id.in_(candidate_ids))
        .order_by(CandidateTag.name)
    )
    for candidate_id, name in session.execute(query):
        out.setdefault(candidate_id, []).append(name)
    return out


def add_tags(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    tags: list[str],
    client_ip: str | None = None,
) -> list[str]:
    """Add tags (already present ones are kept once); returns all the candidate's tags."""
    candidate = candidates_service.get_visible(
        session, user=actor, candidate_id=candidate_id, at_least=Access.EDIT
    )
    wanted = list(dict.fromkeys(normalise_tag(t) for t in tags))
    present = set(tags_of(session, candidate_id=candidate.id))
    new = [t for t in wanted if t not in present]
    if len(present) + len(new) > MAX_TAGS_PER_CANDIDATE:
        raise Invalid(f"A candidate holds at most {MAX_TAGS_PER_CANDIDATE} tags.")
    for tag in new:
        session.add(CandidateTag(candidate_id=candidate.id, name=tag, created_by_id=actor.id))
    if new:
        activity.record(
            session,
            actor=actor,
            action=Action.TAG_ADD,
            candidate_id=candidate.id,
            client_ip=client_ip,
            detail={"count": len(new)},
        )
    session.commit()
    return tags_of(session, candidate_id=candidate.id)


def remove_tag(
    session: Session,
    *,
    actor: User,
    candidate_id: uuid.UUID,
    tag: str,
    client_ip: str | None = None,
) -> list[str]:
    """Remove one tag (absent: nothing happens); returns the candidate's remaining tags."""
    candidate = candidates_service.get_visible(
        session, user=actor, candidate_id=candidate_id, at_least=Access.EDIT
    )
    name = _fold(tag)
    removed = session.execute(
        delete(CandidateTag).where(
            CandidateTag.candidate_id == candidate.id, CandidateTag.name == name
        )
    ).rowcount
    if removed:
        activity.record(
            session,
            actor=actor,
            action=Action.TAG_REMOVE,
            candidate_id=candidate.id,
            client_ip=client_ip,
            detail={"count": removed},
        )
    session.commit()
    return tags_of(session, candidate_id=candidate.id)
