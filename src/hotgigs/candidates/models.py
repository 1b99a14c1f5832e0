"""Candidate profiles, their duplicates, shares, notes, tags, skills and the activity log."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from hotgigs.db import Base, UTCDateTime, checked_enum, utcnow


class Candidate(Base):
    """A person, as known to the user who owns the profile."""

    __tablename__ = "candidate_profiles"
    __table_args__ = (
        Index("ix_candidate_profiles_owner_id_email", "owner_id", "email"),
        Index("ix_candidate_profiles_owner_id_phone", "owner_id", "phone"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Set when the profile belongs to a candidate's own account.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    headline: Mapped[str] = mapped_column(String(300), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    total_years_experience: Mapped[float | None] = mapped_column(Float, default=None)
    resume: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Canonical names of the taxonomy's skills the parser found anywhere in the resume, prose
    # included (its `skill_mentions`): not claims for the profile's skills list, but search
    # and matching count them.
    mentioned_skills: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    search_document: Mapped[str] = mapped_column(Text, default="")
    # What people corrected, over the parser's reading (corrections.Overlay): a re-parse
    # applies it again, so a human correction is never overwritten by the parser.
    corrected: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    current_resume_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    # How the first resume arrived (upload, bulk, drive): a search filter.
    source: Mapped[str] = mapped_column(String(20), default="upload", index=True)
    # Highest degree: 0 none known, 1 school, 2 diploma/associate, 3 bachelor, 4 master,
    # 5 doctorate (search's "degree level" filter).
    degree_level: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Last time anyone worked on the profile; retention erases long-untouched ones.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class DuplicateStatus(enum.StrEnum):
    """Where a recruiter's review of a possible duplicate stands."""

    OPEN = "open"
    MERGED = "merged"
    DISMISSED = "dismissed"


class DuplicateFlag(Base):
    """Two profiles of one owner that probably describe the same person."""

    __tablename__ = "candidate_duplicates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    duplicate_of_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[DuplicateStatus] = mapped_column(
        checked_enum(DuplicateStatus, "duplicate_status"), default=DuplicateStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CandidateSkill(Base):
    """One canonical skill of a candidate (lower-cased), for skill filters and facets."""

    __tablename__ = "candidate_skills"
    __table_args__ = (Index("ix_candidate_skills_skill_candidate_id", "skill", "candidate_id"),)

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(100), primary_key=True)


class SharePermission(enum.StrEnum):
    """What a recruiter may do with a candidate shared with them."""

    VIEW = "view"
    EDIT = "edit"


class CandidateShare(Base):
    """A candidate made visible to a recruiter who does not own it (revoked by deleting)."""

    __tablename__ = "candidate_shares"
    __table_args__ = (UniqueConstraint("candidate_id", "recruiter_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    recruiter_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    permission: Mapped[SharePermission] = mapped_column(
        checked_enum(SharePermission, "share_permission")
    )
    # Whether the recruiter may download the original resume files; edit shares always may.
    can_download: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    granted_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CandidateNote(Base):
    """A recruiter's note on a candidate; only its author edits or deletes it.

    A private note is seen by its author alone (not by admins, owners or shares).
    """

    __tablename__ = "candidate_notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str | None] = mapped_column(String(200), default=None)
    content: Mapped[str] = mapped_column(Text)
    is_important: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_private: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CandidateTag(Base):
    """A label on a candidate ("shortlist", "java-2025"), stored folded to lower case."""

    __tablename__ = "candidate_tags"
    __table_args__ = (Index("ix_candidate_tags_name_candidate_id", "name", "candidate_id"),)

    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParseCorrection(Base):
    """One field a person corrected: a labelled example for training the parser.

    ``path`` names the field as in the JSON Resume (``basics.name``, ``work[1].position``,
    ``skills[3].name``); ``parsed`` is what the parser said there (None: it found nothing),
    ``value`` what the person wrote (None: removed).
    """

    __tablename__ = "parse_corrections"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    candidate_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("candidate_profiles.id", ondelete="CASCADE"), index=True
    )
    resume_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("resumes.id", ondelete="CASCADE"), index=True, default=None
    )
    path: Mapped[str] = mapped_column(String(80))
    parsed: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    value: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ActivityEntry(Base):
    """One line of the append-only activity log.

    No foreign keys: an entry outlives the user and the candidate it names, and holds no
    personal data (ids, action, field names), so an erased candidate leaves a tombstone.
    """

    __tablename__ = "activity_log"
    __table_args__ = (
        Index("ix_activity_log_candidate_id_at", "candidate_id", "at"),
        Index("ix_activity_log_actor_id_at", "actor_id", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    actor_role: Mapped[str] = mapped_column(String(20), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    candidate_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    client_ip: Mapped[str | None] = mapped_column(String(45), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
